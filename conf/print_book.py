"""Print the single-page build of the book to PDF with Chromium: `python print_book.py HTML PDF`.

HTML is the folder of a ``singlehtml`` build (nox -s pdf makes it), PDF the file to write.
Debian's Chromium (CHROMIUM, default /usr/bin/chromium), driven by Playwright, loads the page
from disk with every request that leaves the folder blocked, opens every folded part (the
page's own print.js, as when a reader prints), waits for every image, and prints A4 with page
numbers, a clickable outline (bookmarks) from the headings, and tagged (accessible) PDF.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from playwright.sync_api import Route, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run"]
FOOTER = (
    '<div style="width: 100%; font-size: 8px; color: #555; text-align: center;">'
    '<span class="title"></span> · <span class="pageNumber"></span> / '
    '<span class="totalPages"></span></div>'
)


def print_book(html: Path, pdf: Path) -> None:
    page_url = (html / "index.html").resolve().as_uri()
    root = html.resolve().as_uri()

    def local_only(route: Route) -> None:
        if route.request.url.startswith(root) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.route("**/*", local_only)
        page.goto(page_url, wait_until="load")
        page.evaluate(
            """async () => {
              window.dispatchEvent(new Event("beforeprint"));
              const images = [...document.images];
              images.forEach((img) => { img.loading = "eager"; });
              await Promise.allSettled(images.map((img) => img.decode()));
              await document.fonts.ready;
              // Finite animations only: a scroll-driven one (the fade on wide formulas,
              // conf/_static/math.css) never finishes.
              const finite = document.getAnimations().filter((a) =>
                a.effect && Number.isFinite(a.effect.getComputedTiming().endTime));
              await Promise.all(finite.map((a) => a.finished));
            }"""
        )
        opened = page.evaluate("document.querySelectorAll('details:not([open])').length")
        if opened:
            raise SystemExit(f"{opened} folded parts stayed closed: print.js did not run")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(
            path=str(pdf),
            format="A4",
            print_background=True,
            prefer_css_page_size=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER,
            outline=True,
            tagged=True,
        )
        browser.close()


def main(argv: list[str]) -> int:
    html, pdf = (Path(arg) for arg in argv)
    started = time.perf_counter()
    print_book(html, pdf)
    size = pdf.stat().st_size
    print(f"printed {pdf} ({size / 2**20:.1f} MiB) in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
