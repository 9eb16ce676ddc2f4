"""Formulas, drawn when the book was built: no script, no network, no TeX source in sight.

The visits of _site.py record each page's formulas at 1280 and 390 px; these tests judge them.
"""

from __future__ import annotations

import re

import pytest
from _site import HTML, MAX_LAYOUT_SHIFT, Site, new_context

SIZES = pytest.mark.parametrize("size", ["desktop", "phone"])


def test_formulas_render_without_errors(site: Site, page: str) -> None:
    assert site.visit(page).formula_errors == [], f"{page}: formulas KaTeX could not draw"


def test_no_tex_source_in_the_text(site: Site, page: str) -> None:
    """No `$`, `\\(`, `\\[`, `\\begin`, `\\frac`, `\\operatorname` ... outside code."""
    assert site.visit(page).raw_tex == [], f"{page}: TeX source in the page's text"


@SIZES
def test_wide_formulas_scroll_visibly(site: Site, page: str, size: str) -> None:
    """A display formula stays in the column, starts at its left, and shows when it scrolls.

    One wider than the column scrolls inside its own box, whose far edge fades while there is
    more to see (conf/_static/math.css); before the fix the theme clipped it, left end first.
    """
    problems = []
    for formula in site.visit(page, size).displays:
        where = f"{formula['tex']!r}"
        left, right = formula["left"], formula["right"]
        if left < formula["columnLeft"] - 1 or right > formula["columnRight"] + 1:
            problems.append(f"{where} is wider than the column")
        if formula["clippedBy"]:
            problems.append(f"{where} is cut off by {formula['clippedBy']}")
        if formula["glyphsLeft"] < formula["left"] - 1:
            problems.append(f"{where} starts {formula['left'] - formula['glyphsLeft']:.0f} px off")
        if formula["overflow"] > 1:
            if formula["overflowX"] not in {"auto", "scroll"}:
                problems.append(f"{where} is {formula['overflow']} px too wide, and clipped")
            elif formula["fadeAtEnd"] <= 0:
                problems.append(f"{where} scrolls with no cue")
    assert problems == [], f"{page} at {size} size"


@SIZES
def test_layout_barely_shifts_while_loading(site: Site, page: str, size: str) -> None:
    """On a first visit (nothing cached), fonts and scripts arriving do not move the text."""
    shift = site.visit(page, size).layout_shift
    assert shift <= MAX_LAYOUT_SHIFT, f"{page} at {size} size: layout shift {shift:.3f}"


def formula_page(tex: str) -> str:
    """A page of the book with a formula whose TeX contains `tex`."""
    for path in sorted(HTML.glob("*.html")):
        sources = re.findall(
            r'<annotation encoding="application/x-tex">(.*?)</annotation>',
            path.read_text(encoding="utf-8"),
            flags=re.DOTALL,
        )
        if any(tex in source.replace("&amp;", "&") for source in sources):
            return path.name
    pytest.skip(f"no formula of the book uses {tex}")


# What the book's formulas use, with the KaTeX element that draws it and the font it needs.
CONSTRUCTS = [
    (r"\mathbb{R}", ".mathbb", "KaTeX_AMS"),
    (r"\mathbb E", ".mathbb", "KaTeX_AMS"),
    (r"\Phi", ".mord", "KaTeX_Main"),
    (r"\operatorname", ".mop", "KaTeX_Main"),
    (r"\begin{cases}", ".delimsizing, .delimsizinginner", "KaTeX_Size"),
    (r"\begin{aligned}", ".col-align-r, .col-align-l", "KaTeX_Main"),
    (r"\tfrac", ".mfrac", "KaTeX_Main"),
    (r"\bigl", ".delimsizing", "KaTeX_Size1"),
]


@pytest.mark.parametrize(("tex", "element", "font"), CONSTRUCTS, ids=[c[0] for c in CONSTRUCTS])
def test_formula_draws_in_katex_fonts(site: Site, tex: str, element: str, font: str) -> None:
    """The formula shows, in KaTeX's fonts from the site (no fallback font, no network)."""
    name = formula_page(tex)
    context = new_context(site.browser, {"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(site.url(name), wait_until="networkidle")
        page.evaluate("document.fonts.ready")
        drawn = page.evaluate(
            """([tex, element]) => {
              const formula = [...document.querySelectorAll(".katex")].find((katex) =>
                katex.querySelector("annotation").textContent.includes(tex));
              const parts = [...formula.querySelectorAll(`.katex-html :is(${element})`)];
              const box = formula.querySelector(".katex-html").getBoundingClientRect();
              const fonts = new Set();
              for (const part of parts) {
                for (const el of [part, ...part.querySelectorAll("*")]) {
                  fonts.add(getComputedStyle(el).fontFamily.split(",")[0].replaceAll('"', ""));
                }
              }
              const loaded = [...document.fonts].filter((face) => face.status === "loaded")
                .map((face) => face.family.replaceAll('"', ""));
              return { parts: parts.length, width: box.width, height: box.height,
                       fonts: [...fonts], loaded };
            }""",
            [tex, element],
        )
        assert drawn["parts"] > 0, f"{name}: no {element} in the formula with {tex}"
        assert drawn["width"] > 0
        assert drawn["height"] > 0
        assert any(family.startswith(font) for family in drawn["fonts"]), drawn["fonts"]
        assert any(family.startswith(font) for family in drawn["loaded"]), drawn["loaded"]
    finally:
        context.close()
