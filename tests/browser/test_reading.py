"""How the book's own elements read: glued numbers, folded checks, definitions, theorems and
proofs, in light and dark mode and in print."""

from __future__ import annotations

import re

import pytest
from _site import DESKTOP, HTML, Site, new_context, site_pages
from playwright.sync_api import Page, expect

FONT = ["font-weight", "font-style", "font-family", "font-size", "color"]


def pages_with(marker: str) -> list[str]:
    return [name for name in site_pages() if marker in (HTML / name).read_text(encoding="utf-8")]


def open_page(site: Site, name: str, scheme: str = "light") -> Page:
    context = new_context(site.browser, DESKTOP, color_scheme=scheme)
    page = context.new_page()
    page.goto(site.url(name), wait_until="load")
    return page


def parse_colour(css: str) -> tuple[float, float, float, float]:
    """rgb(), rgba() or color(srgb ...) as 0-1 channels and alpha."""
    if match := re.fullmatch(r"rgba?\(([^)]+)\)", css):
        parts = [float(p) for p in match[1].replace("/", ",").split(",")]
        r, g, b = (p / 255 for p in parts[:3])
        return r, g, b, parts[3] if len(parts) > 3 else 1.0
    if match := re.fullmatch(r"color\(srgb ([^)]+)\)", css):
        parts = [float(p) for p in match[1].replace("/", " ").split()]
        return parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0
    raise ValueError(css)


def luminance(rgb: tuple[float, float, float]) -> float:
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# Every colour an element and its ancestors paint under it, from the element outwards.
BACKGROUNDS = """(el) => { const out = [];
  for (let e = el; e; e = e.parentElement) out.push(getComputedStyle(e).backgroundColor);
  out.push("rgb(255, 255, 255)"); return out; }"""


def effective(colours: list[str]) -> tuple[float, float, float]:
    """The colour seen under an element: its translucent backgrounds over the opaque one."""
    layers = [parse_colour(c) for c in colours]
    base = next(layer for layer in layers if layer[3] >= 1)
    result = base[:3]
    for r, g, b, a in reversed(layers[: layers.index(base)]):
        result = tuple(a * c + (1 - a) * o for c, o in zip((r, g, b), result, strict=True))
    return result  # type: ignore[return-value]


def text_contrast(page: Page, selector: str) -> float:
    element = page.locator(selector).first
    colour = parse_colour(element.evaluate("el => getComputedStyle(el).color"))
    return contrast(colour[:3], effective(element.evaluate(BACKGROUNDS)))


# --- glued numbers -------------------------------------------------------------------------------


def test_glued_numbers_look_like_the_text_around_them(site: Site) -> None:
    pages = pages_with("pasted-text")
    assert pages, "no page shows a glued number"
    different = []
    for name in pages:
        page = open_page(site, name)
        try:
            found = page.evaluate(
                """(props) => [...document.querySelectorAll("article span.pasted-text")]
                .filter((el) => el.closest("p, li, td"))
                .map((el) => { const own = getComputedStyle(el);
                  const around = getComputedStyle(el.parentElement);
                  return props.filter((p) => own.getPropertyValue(p) !== around.getPropertyValue(p))
                    .map((p) => `${el.textContent}: ${p} ${own.getPropertyValue(p)}`); })
                .flat()""",
                FONT,
            )
            different += [f"{name}: {item}" for item in found]
        finally:
            page.context.close()
    assert different == []


# --- folded checks -------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_folded_checks_are_one_quiet_line_that_opens_in_a_click(site: Site, scheme: str) -> None:
    pages = pages_with("check-cell")
    assert pages, "no page has a folded check"
    page = open_page(site, pages[0], scheme)
    try:
        cell = page.locator("div.check-cell").first
        details = cell.locator(":scope > details")
        label = details.locator(":scope > summary p.collapsed")
        code = details.locator("div.cell_input").first
        assert details.get_attribute("open") is None, "a check is open before a click"
        expect(label).to_have_text("Checked when the book is built")
        expect(code).to_be_hidden()
        style = details.evaluate(
            """(el) => { const s = getComputedStyle(el);
               return {shadow: s.boxShadow, top: s.borderTopWidth, right: s.borderRightWidth}; }"""
        )
        assert style == {"shadow": "none", "top": "0px", "right": "0px"}, (
            "a check is drawn as a card"
        )
        body = float(
            page.evaluate(
                "parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)"
            )
        )
        label_px = float(label.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
        assert label_px < body, "the label is as loud as the text"
        assert text_contrast(page, "div.check-cell > details > summary p.collapsed") >= 4.5
        details.locator(":scope > summary").click()
        expect(code).to_be_visible()
        expect(details.locator(":scope > summary p.expanded")).to_be_visible()
    finally:
        page.context.close()


# --- statements ----------------------------------------------------------------------------------

THEOREM_LIKE = (
    "div.statement.theorem, div.statement.proposition, div.statement.lemma, div.statement.corollary"
)


def look(page: Page, selector: str) -> dict[str, str]:
    return page.locator(selector).first.evaluate(
        """(el) => { const s = getComputedStyle(el);
           return {border: s.borderLeftColor, width: s.borderLeftWidth,
                   background: s.backgroundColor, top: s.borderTopWidth}; }"""
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_definitions_theorems_and_proofs_each_have_their_own_look(site: Site, scheme: str) -> None:
    pages = [
        name
        for name in pages_with('class="statement definition"')
        if 'class="statement theorem"' in (HTML / name).read_text(encoding="utf-8")
        and 'class="statement proof"' in (HTML / name).read_text(encoding="utf-8")
    ]
    assert pages, "no page has a definition, a theorem and a proof"
    page = open_page(site, pages[0], scheme)
    try:
        theorem, definition, proof = (
            look(page, THEOREM_LIKE),
            look(page, "div.statement.definition"),
            look(page, "div.statement.proof"),
        )
        assert theorem["border"] != definition["border"], "a definition looks like a theorem"
        assert parse_colour(theorem["background"])[3] > 0, "a theorem has no tint"
        assert float(theorem["top"].removesuffix("px")) >= 1, "a theorem has no frame"
        assert parse_colour(proof["background"])[3] == 0, "a proof is boxed like a statement"
        assert float(proof["top"].removesuffix("px")) == 0
        # Headings readable on their tint, in this colour mode.
        for selector in (f"{s.strip()} .statement-label" for s in THEOREM_LIKE.split(",")):
            if page.locator(selector).count():
                assert text_contrast(page, selector) >= 4.5, selector
        assert text_contrast(page, "div.statement.definition .statement-label") >= 4.5
        # No icon: the heading draws nothing before or after it (admonitions draw a bell).
        pseudo = page.locator(".statement-heading").first.evaluate(
            """(el) => ["::before", "::after"].map((p) => getComputedStyle(el, p).content)"""
        )
        assert pseudo == ["none", "none"]
        assert page.locator(".statement.admonition").count() == 0
        # A proof ends with a tombstone: a small filled square at its end.
        tombstone = page.locator("div.statement.proof").first.evaluate(
            """(el) => { const last = el.lastElementChild;
               const host = last && last.tagName === "P" ? last : el;
               const s = getComputedStyle(host, "::after");
               return {w: parseFloat(s.width), h: parseFloat(s.height), bg: s.backgroundColor,
                       display: s.display}; }"""
        )
        assert tombstone["display"] != "none"
        assert tombstone["w"] > 4
        assert tombstone["h"] > 4
        assert parse_colour(tombstone["bg"])[3] > 0
    finally:
        page.context.close()


def test_statements_keep_their_look_in_print(site: Site) -> None:
    pages = pages_with('class="statement theorem"')
    page = open_page(site, pages[0])
    try:
        page.emulate_media(media="print")
        theorem = look(page, THEOREM_LIKE)
        assert float(theorem["width"].removesuffix("px")) >= 3
        assert parse_colour(theorem["background"])[3] > 0
        adjust = page.locator(THEOREM_LIKE).first.evaluate(
            "el => getComputedStyle(el).printColorAdjust"
        )
        assert adjust == "exact", "the tint would be dropped on paper"
    finally:
        page.context.close()
