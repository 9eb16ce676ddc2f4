"""Helpers for the browser tests: the built book, served on 127.0.0.1 and opened in Chromium.

Run by `nox -s browser`, which builds the book first. Not collected by `nox -s tests`
(pyproject.toml: norecursedirs). Environment: BOOK_HTML (default build/html) and CHROMIUM
(default /usr/bin/chromium). Playwright never downloads a browser here.

Each page is opened once at desktop size and once at phone size, in a fresh browser context
(an empty cache: a reader's first visit) with every request that leaves 127.0.0.1 blocked and
recorded; the tests then check what those visits saw.
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "build" / "html")).resolve()
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Everything a page loads, its fonts included (all from the site: nothing else is allowed),
# text gzip-compressed as hosts serve it (Visit.transfer_bytes).
MAX_PAGE_BYTES = int(1.5 * 2**20)
# Layout shift while a page loads (the sum of the Layout Instability API's shift scores, an
# upper bound of its CLS); 0.1 is the web's threshold of "good". Every page stays under 0.02
# since conf/_templates/layout.html resolves the colour mode before the first paint (before,
# every bordered element grew a pixel when the theme's script did it: 0.14 on the API page,
# 0.05 on cost); half of "good" bounds all.
MAX_LAYOUT_SHIFT = 0.05


def site_pages() -> list[str]:
    """Every HTML page of the built book, relative to its root."""
    if not (HTML / "index.html").is_file():
        pytest.exit(f"no built book at {HTML}: run `nox -s docs` (nox -s browser does)", 2)
    skip = ("_static/", "_sources/", "_images/", "jupyter_execute/")
    pages = [p.relative_to(HTML).as_posix() for p in sorted(HTML.rglob("*.html"))]
    return [p for p in pages if not p.startswith(skip)]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def is_local(url: str) -> bool:
    return urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:", "about:"))


def local_file(url: str) -> Path:
    """The file in build/html that serves a local URL (query and fragment dropped)."""
    path = HTML / unquote(urlsplit(url).path).lstrip("/")
    return path / "index.html" if path.is_dir() else path


@dataclass(repr=False)
class Visit:
    """What one page showed: errors, requests, images, links, ids, layout."""

    page: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    network_requests: list[str] = field(default_factory=list)
    local_files: set[Path] = field(default_factory=set)
    images: list[dict[str, Any]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    scroll_width: int = 0
    client_width: int = 0
    layout_shift: float = 0.0
    raw_tex: list[str] = field(default_factory=list)
    formula_errors: list[str] = field(default_factory=list)
    displays: list[dict[str, Any]] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"Visit({self.page!r})"

    @property
    def bytes(self) -> int:
        """What the page loads: its files from the site (nothing else is reachable)."""
        return sum(path.stat().st_size for path in self.local_files if path.is_file())

    @property
    def transfer_bytes(self) -> int:
        """What the page's files weigh over the network, as a host serves them: text files
        (HTML, CSS, JavaScript, SVG, JSON) gzip-compressed, as GitHub Pages and Read the Docs
        send them; fonts and raster images as they are (already compressed)."""
        total = 0
        for path in self.local_files:
            if not path.is_file():
                continue
            data = path.read_bytes()
            compressible = path.suffix in {".html", ".css", ".js", ".svg", ".json", ".txt"}
            total += len(gzip.compress(data, 6)) if compressible else len(data)
        return total


# Sums the layout shifts of a page from its first paint (buffered: those before this ran too).
LAYOUT_SHIFT_OBSERVER = """
window.__layoutShift = 0;
new PerformanceObserver((entries) => {
  for (const entry of entries.getEntries()) {
    if (!entry.hadRecentInput) window.__layoutShift += entry.value;
  }
}).observe({ type: "layout-shift", buffered: true });
"""


def new_context(browser: Browser, viewport: dict[str, int], **options: Any) -> BrowserContext:
    """A fresh context (no stored theme choice) where only 127.0.0.1 is reachable."""
    context = browser.new_context(viewport=viewport, **options)
    context.add_init_script(LAYOUT_SHIFT_OBSERVER)
    context.route(
        "**/*",
        lambda route: route.continue_() if is_local(route.request.url) else route.abort(),
    )
    return context


def watch(page: Page, visit: Visit) -> None:
    def on_console(message: Any) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "") if message.location else ""
        # A blocked request to the network logs "Failed to load resource" against that URL;
        # those are recorded (and judged) as network requests instead.
        if source and not is_local(source):
            return
        visit.console_errors.append(f"{message.text} ({source})")

    def on_request(request: Any) -> None:
        if not is_local(request.url):
            visit.network_requests.append(request.url)

    def on_response(response: Any) -> None:
        if not is_local(response.url) or response.url.startswith("data:"):
            return
        if response.status >= 400:
            visit.failed_requests.append(f"{response.status} {response.url}")
        else:
            visit.local_files.add(local_file(response.url))

    def on_failed(request: Any) -> None:
        if is_local(request.url) and not request.url.startswith("data:"):
            visit.failed_requests.append(f"{request.failure} {request.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: visit.console_errors.append(f"uncaught: {error}"))
    page.on("request", on_request)
    page.on("response", on_response)
    page.on("requestfailed", on_failed)


COLLECT = r"""async () => {
  const images = [...document.images];
  for (const img of images) { img.loading = "eager"; }
  await Promise.allSettled(images.map((img) => img.decode()));
  const inArticle = (el) => !!el.closest("article, .bd-article, main");
  return {
    images: images.map((img) => ({
      src: img.currentSrc || img.src,
      alt: img.getAttribute("alt"),
      naturalWidth: img.naturalWidth,
      inArticle: inArticle(img),
    })),
    links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
    ids: [...document.querySelectorAll("[id]")].map((el) => el.id)
      .concat([...document.querySelectorAll("a[name]")].map((a) => a.name)),
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    layoutShift: window.__layoutShift,
    rawTex: rawTex(),
    formulaErrors: [...document.querySelectorAll(".katex-error, .math-error")]
      .map((el) => el.textContent),
    displays: await displays(),
  };

  // Every display formula as a reader sees it, folded ones (a proof) opened.
  async function displays() {
    const closed = [...document.querySelectorAll("details:not([open])")];
    closed.forEach((details) => { details.open = true; });
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const found = [...document.querySelectorAll(".katex-display")].map(display);
    closed.forEach((details) => { details.open = false; });
    return found;
  }

  // TeX source in the page's text, folded parts included; code may show it legitimately, and
  // a formula's MathML copy for assistive technology holds its source as an annotation.
  function rawTex() {
    const tex = /\$|\\[()[\]]|\\[A-Za-z]+/;
    const skip = "pre, code, script, style, .katex-mathml, annotation";
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const found = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (tex.test(node.data) && !node.parentElement.closest(skip)) {
        found.push(node.data.trim().slice(0, 120));
      }
    }
    return found;
  }

  // A display formula: how much wider it is than its box, and what shows that it scrolls.
  function display(element) {
    const scroller = element.querySelector(".katex-html");
    const style = getComputedStyle(scroller);
    const box = scroller.getBoundingClientRect();
    const column = element.closest("article").getBoundingClientRect();
    const glyphs = [...scroller.querySelectorAll(".katex-base")]
      .map((base) => base.getBoundingClientRect());
    // The nearest box around the formula that hides what overflows it, if the formula does.
    let clippedBy = null;
    for (let outer = element.parentElement; outer && !clippedBy; outer = outer.parentElement) {
      if (getComputedStyle(outer).overflowX === "visible") continue;
      const edges = outer.getBoundingClientRect();
      if (box.left < edges.left - 1 || box.right > edges.right + 1) {
        clippedBy = `${outer.tagName.toLowerCase()}.${[...outer.classList].join(".")}`;
      }
      if (outer.matches("article")) break;
    }
    return {
      clippedBy,
      tex: element.querySelector("annotation").textContent.trim().slice(0, 80),
      overflow: scroller.scrollWidth - scroller.clientWidth,
      overflowX: style.overflowX,
      fadeAtEnd: parseFloat(style.getPropertyValue("--math-fade-end")) || 0,
      left: box.left,
      right: box.right,
      columnLeft: column.left,
      columnRight: column.right,
      glyphsLeft: Math.min(...glyphs.map((b) => b.left)),
    };
  }
}"""


class Site:
    """Opens pages on demand and remembers each visit, so every test reuses it."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self._visits: dict[tuple[str, str], Visit] = {}

    def url(self, page: str) -> str:
        return self.base_url + page

    def visit(self, page: str, size: str = "desktop") -> Visit:
        key = (page, size)
        if key not in self._visits:
            self._visits[key] = self._open(page, PHONE if size == "phone" else DESKTOP)
        return self._visits[key]

    def visits(self) -> list[Visit]:
        return list(self._visits.values())

    def _open(self, page_name: str, viewport: dict[str, int]) -> Visit:
        visit = Visit(page_name)
        context = new_context(self.browser, viewport)
        try:
            page = context.new_page()
            watch(page, visit)
            page.goto(self.url(page_name), wait_until="load")
            page.wait_for_load_state("networkidle")
            page.evaluate("document.fonts.ready")
            data = page.evaluate(COLLECT)
            visit.images = data["images"]
            visit.links = data["links"]
            visit.ids = set(data["ids"])
            visit.scroll_width = data["scrollWidth"]
            visit.client_width = data["clientWidth"]
            visit.layout_shift = data["layoutShift"]
            visit.raw_tex = data["rawTex"]
            visit.formula_errors = data["formulaErrors"]
            visit.displays = data["displays"]
        finally:
            context.close()
        return visit
