"""Figures and blocks that fit the reader's screen.

- On a 390 px phone, every figure's tick labels render at least at 60 % of the body text's
  size. The figures are SVG with their text drawn as paths (relukit.plotting): each text's
  font size is read from the SVG itself (matplotlib scales a 100-unit glyph by size / 100),
  and the figure's rendered scale from its width on the page against the SVG's own width.
- At 1280 px, every code, output or table block whose content is wider than the column shows
  a visible cue that it scrolls sideways, and no block is wider than the column itself.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from _site import DESKTOP, HTML, PHONE, Site, new_context, site_pages
from PIL import Image

SVG = "{http://www.w3.org/2000/svg}"
MIN_TEXT_RATIO = 0.6  # tick labels at least 60 % of the body text's size
PT_TO_PX = 96 / 72


def figure_pages() -> list[str]:
    return [
        name for name in site_pages() if "_images/" in (HTML / name).read_text(encoding="utf-8")
    ]


@cache
def svg_text_sizes(path: Path) -> tuple[float, dict[str, list[float]]]:
    """The SVG's width in pt, and the font sizes (pt) of its texts, by kind: "tick" for tick
    labels (inside matplotlib's xtick_N/ytick_N groups), "other" for the rest."""
    root = ET.parse(path).getroot()
    width = float(root.attrib["width"].removesuffix("pt"))
    sizes: dict[str, list[float]] = {"tick": [], "other": []}

    def walk(element: ET.Element, kind: str) -> None:
        name = element.get("id", "")
        if re.fullmatch(r"[xy]tick_\d+", name):
            kind = "tick"
        if element.tag == f"{SVG}g" and re.fullmatch(r"text_\d+", name):
            for child in element.iter(f"{SVG}g"):
                scale = re.search(r"scale\(([\d.]+) -[\d.]+\)", child.get("transform", ""))
                if scale:
                    sizes[kind].append(float(scale[1]) * 100)
                    break
            return
        for child in element:
            walk(child, kind)

    walk(root, "other")
    return width, sizes


@dataclass
class FigureScale:
    page: str
    label: str  # "Figure 3.2", or "image 2" when it has no number
    scale: float  # rendered width / the SVG's natural width
    tick_px: float  # the smallest tick label as rendered, in CSS px
    other_px: float  # the smallest other text as rendered, in CSS px
    body_px: float

    @property
    def ratio(self) -> float:
        return self.tick_px / self.body_px

    def __str__(self) -> str:
        return (
            f"{self.page:<22} {self.label:<14} scale {self.scale:5.2f}  smallest tick label "
            f"{self.tick_px:4.1f} px = {self.ratio:4.0%} of body text {self.body_px:.0f} px"
            f"  (other text from {self.other_px:4.1f} px)"
        )


MEASURE = """() => {
  const body = parseFloat(getComputedStyle(document.querySelector("article p")).fontSize);
  const images = [...document.querySelectorAll("article img[src*='_images/']")];
  return {body, images: images.map((img, i) => {
    const number = img.closest("figure")?.querySelector(".caption-number");
    return {src: img.currentSrc || img.src, width: img.getBoundingClientRect().width,
            label: number ? number.textContent.trim() : `image ${i + 1}`};
  })};
}"""


def measure_figures(site: Site, width: dict[str, int]) -> list[FigureScale]:
    found = []
    context = new_context(site.browser, width)
    try:
        page = context.new_page()
        for name in figure_pages():
            page.goto(site.url(name), wait_until="load")
            data = page.evaluate(MEASURE)
            for image in data["images"]:
                path = HTML / unquote(urlsplit(image["src"]).path).lstrip("/")
                svg_width, sizes = svg_text_sizes(path)
                scale = image["width"] / (svg_width * PT_TO_PX)
                ticks = sizes["tick"] or sizes["other"]
                if not ticks:
                    continue  # no text to read
                found.append(
                    FigureScale(
                        page=name,
                        label=image["label"],
                        scale=scale,
                        tick_px=min(ticks) * PT_TO_PX * scale,
                        other_px=min(sizes["other"] or ticks) * PT_TO_PX * scale,
                        body_px=data["body"],
                    )
                )
    finally:
        context.close()
    return found


def test_figure_text_is_legible_on_a_phone(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    """At 390 px every figure's tick labels are at least 60 % of the body text's size."""
    figures = measure_figures(site, PHONE)
    assert figures, "no figure measured"
    small = [f for f in figures if f.ratio < MIN_TEXT_RATIO]
    with capsys.disabled():
        print(f"\nfigures at {PHONE['width']} px: {len(figures)} measured, {len(small)} too small")
        for figure in small:
            print(f"  TOO SMALL  {figure}")
    assert small == [], (
        f"{len(small)} of {len(figures)} figures have tick labels under "
        f"{MIN_TEXT_RATIO:.0%} of the body text at {PHONE['width']} px:\n"
        + "\n".join(str(f) for f in small)
    )


def test_figure_measurement_reads_the_book_style(site: Site) -> None:
    """A guard on the guard: at 1280 px the figures are shown near their natural size, so the
    measured tick labels come out at relukit.plotting's tick font size."""
    from relukit.plotting import _STYLE

    figures = measure_figures(site, DESKTOP)
    natural = [f for f in figures if abs(f.scale - 1) < 0.01]
    assert natural, "no figure is shown at its natural size at 1280 px"
    tick_pt = float(_STYLE.get("xtick.labelsize", _STYLE["font.size"]))
    expected_px = tick_pt * PT_TO_PX
    typical = sorted(f.tick_px for f in natural)[len(natural) // 2]
    assert typical == pytest.approx(expected_px, rel=0.05)


# --- blocks that scroll sideways -------------------------------------------------------------

SCROLLERS = """async () => {
  // Folded checks and proofs open: their blocks are read too (after the fade-in).
  document.querySelectorAll("article details").forEach((d) => { d.open = true; });
  // Finite animations only (an infinite one never finishes), and never longer than 2 s.
  const finite = document.getAnimations().filter((a) =>
    a.effect && Number.isFinite(a.effect.getComputedTiming().endTime));
  await Promise.race([Promise.all(finite.map((a) => a.finished)),
                      new Promise((done) => setTimeout(done, 2000))]);
  const article = document.querySelector("article.bd-article, article, main");
  if (!article) return [];
  const column = article.getBoundingClientRect();
  const blocks = [...document.querySelectorAll("article *")].filter((el) => {
    // Display formulas have their own cue, a fade at the edges, tested by test_math.py.
    if (el.closest(".katex-display")) return false;
    const style = getComputedStyle(el);
    return ["auto", "scroll"].includes(style.overflowX) && el.clientWidth > 0;
  });
  return blocks.map((el, i) => {
    el.dataset.scrollTest = String(i);
    const box = el.getBoundingClientRect();
    return {i, tag: el.tagName.toLowerCase(), cls: el.className,
            // Content hidden beyond the right edge: more than the block's own right padding
            // (Chromium counts that padding in the scroll width) and half a character.
            overflows: el.scrollWidth - el.clientWidth >
              parseFloat(getComputedStyle(el).paddingRight) + 8,
            sticksOut: box.right > column.right + 1 || box.left < column.left - 1,
            top: box.top + window.scrollY, right: box.right, height: box.height,
            scrollWidth: el.scrollWidth, clientWidth: el.clientWidth};
  });
}"""


def background_of(page: object, index: int) -> tuple[int, int, int]:
    """The colour a block paints under its content: its own, or the first opaque one above."""
    rgb = page.evaluate(  # type: ignore[attr-defined]
        """(i) => {
        let el = document.querySelector(`[data-scroll-test="${i}"]`);
        for (; el; el = el.parentElement) {
          const c = getComputedStyle(el).backgroundColor;
          const m = c.match(/rgba?\\(([^)]+)\\)/);
          if (m) {
            const p = m[1].split(",").map(Number);
            if (p.length < 4 || p[3] > 0.5) return p;
          }
          const s = c.match(/color\\(srgb ([^)]+)\\)/);
          if (s) { const p = s[1].split(/[ /]+/).map(Number);
                   if (p.length < 4 || p[3] > 0.5) return p.slice(0, 3).map((v) => v * 255); }
        }
        return [255, 255, 255];
      }""",
        index,
    )
    return tuple(round(v) for v in rgb[:3])  # type: ignore[return-value]


def edge_cue_fraction(shot: bytes, background: tuple[int, int, int]) -> float:
    """The share of pixels in a block's right-edge strip that differ from its background."""
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    width, height = image.size
    pixels = [image.getpixel((x, y)) for x in range(width) for y in range(height)]
    differ = sum(
        1 for p in pixels if max(abs(a - b) for a, b in zip(p, background, strict=True)) >= 12
    )
    return differ / len(pixels)


def test_wide_blocks_show_that_they_scroll(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    """At 1280 px: no block is wider than the column, and each block whose content is (code,
    output, table) shows a cue along its right edge: almost every pixel of a 6 px strip there
    differs from the block's background, rows between lines of text included."""
    problems, overflowing, total = [], 0, 0
    context = new_context(site.browser, DESKTOP)
    try:
        page = context.new_page()
        for name in site_pages():
            page.goto(site.url(name), wait_until="load")
            for block in page.evaluate(SCROLLERS):
                total += 1
                where = f"{name}: {block['tag']}.{block['cls']} #{block['i']}"
                if block["sticksOut"]:
                    problems.append(f"{where} is wider than the column")
                if not block["overflows"]:
                    continue
                overflowing += 1
                element = page.locator(f"[data-scroll-test='{block['i']}']")
                # The scrollport, inside any scrollbar: where the content shows.
                port = element.evaluate(
                    """el => { el.scrollLeft = 0; el.scrollIntoView({block: "start"});
                       const r = el.getBoundingClientRect();
                       return {x: r.left + el.clientLeft, y: r.top + el.clientTop,
                               width: el.clientWidth, height: el.clientHeight}; }"""
                )
                top = max(port["y"], 0)
                strip = {
                    "x": port["x"] + port["width"] - 7,
                    "y": top + 2,
                    "width": 6,
                    "height": min(port["y"] + port["height"], DESKTOP["height"]) - top - 4,
                }
                fraction = edge_cue_fraction(
                    page.screenshot(clip=strip), background_of(page, block["i"])
                )
                if fraction < 0.9:
                    problems.append(
                        f"{where} scrolls ({block['scrollWidth']} px of content in "
                        f"{block['clientWidth']} px) with no visible cue "
                        f"({fraction:.0%} of its right edge marked)"
                    )
    finally:
        context.close()
    with capsys.disabled():
        print(f"\nblocks at 1280 px: {overflowing} of {total} scroll sideways (each with a cue)")
    assert problems == [], "\n".join(problems)
