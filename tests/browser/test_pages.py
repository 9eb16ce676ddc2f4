"""Every page of the built book, as a reader's browser shows it."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from _site import (
    DESKTOP,
    HTML,
    MAX_PAGE_BYTES,
    Site,
    is_local,
    local_file,
    new_context,
    site_pages,
)
from PIL import Image, ImageStat
from playwright.sync_api import Page, expect


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_page_loads_cleanly(site: Site, page: str, size: str) -> None:
    """No console error, no failed request to the site, and no request that leaves it.

    Every request off the site is blocked (and recorded): a page must not ask for one, so it
    reads the same offline, formulas and fonts included.
    """
    visit = site.visit(page, size)
    assert visit.console_errors == [], f"{page}: console errors"
    assert visit.failed_requests == [], f"{page}: failed requests to the site"
    assert visit.network_requests == [], f"{page} asks the network for these"


def test_page_weight(site: Site, page: str, weights: dict[str, int]) -> None:
    """What a reader downloads for a page, everything it loads included, compressed as hosts
    serve it (the uncompressed size is reported beside it)."""
    visit = site.visit(page)
    weights[page] = visit.transfer_bytes
    assert visit.transfer_bytes <= MAX_PAGE_BYTES, (
        f"{page} transfers {visit.transfer_bytes:,} bytes ({visit.bytes:,} uncompressed)"
    )


def test_images_display_and_have_alt_text(site: Site, page: str) -> None:
    visit = site.visit(page)
    broken = [img["src"] for img in visit.images if img["naturalWidth"] == 0]
    assert broken == [], f"{page}: images that do not display"
    no_alt = [img["src"] for img in visit.images if not (img["alt"] or "").strip()]
    assert no_alt == [], f"{page}: images without alt text"


def test_no_sideways_scrolling_on_a_phone(site: Site, page: str) -> None:
    visit = site.visit(page, "phone")
    assert visit.scroll_width <= visit.client_width, (
        f"{page} is {visit.scroll_width} px wide on a {visit.client_width} px screen"
    )


def test_internal_links_resolve(site: Site) -> None:
    """Every link to the site, from every page, reaches a file; every #fragment an id there."""
    pages = site_pages()
    ids = {name: site.visit(name).ids for name in pages}
    broken = []
    for name in pages:
        for link in site.visit(name).links:
            if not is_local(link) or link.startswith(("data:", "blob:", "about:")):
                continue
            target = local_file(link)
            if not target.is_file():
                broken.append(f"{name} -> {link} (no such file)")
                continue
            fragment = urlsplit(link).fragment
            if not fragment or target.suffix != ".html":
                continue
            target_page = target.relative_to(HTML).as_posix()
            if fragment not in ids.get(target_page, set()):
                broken.append(f"{name} -> {link} (no id {fragment!r} on {target_page})")
    assert broken == [], "broken internal links:\n" + "\n".join(broken)


def open_page(site: Site, name: str, **options: object) -> tuple[Page, list[str]]:
    context = new_context(site.browser, DESKTOP, **options)  # type: ignore[arg-type]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site.url(name), wait_until="load")
    return page, errors


def test_search_finds_derivative(site: Site) -> None:
    """The search box, typed into as a reader would, lists pages about the derivative."""
    page, errors = open_page(site, "index.html")
    try:
        page.keyboard.press("Control+k")
        field = page.locator("#pst-search-dialog input[name='q'], .bd-search input[name='q']")
        expect(field.first).to_be_visible()
        field.first.fill("derivative")
        field.first.press("Enter")
        page.wait_for_url("**/search.html?q=derivative*")
        results = page.locator("#search-results ul.search li")
        expect(results.first).to_be_visible(timeout=15_000)
        assert results.count() >= 1
        assert errors == []
    finally:
        page.context.close()


def test_quiz_answers_reveal_on_click(site: Site) -> None:
    page, errors = open_page(site, "quiz.html")
    try:
        answers = page.locator("article details")
        count = answers.count()
        assert count > 0, "quiz.html has no answers to reveal (no <details> dropdowns)"
        for i in range(count):
            answer = answers.nth(i)
            hidden = answer.locator(":scope > :not(summary)").first
            assert answer.get_attribute("open") is None, f"answer {i + 1} is open before a click"
            expect(hidden).to_be_hidden()
            answer.locator(":scope > summary").click()
            expect(hidden).to_be_visible()
            assert answer.evaluate("el => el.open"), f"answer {i + 1} did not open"
        assert errors == []
    finally:
        page.context.close()


def figure_pages() -> list[str]:
    """Pages that show a figure (an image from _images/)."""
    return [
        name for name in site_pages() if "_images/" in (HTML / name).read_text(encoding="utf-8")
    ]


def luminance(rgb: str) -> float:
    """0-255 luminance of a CSS rgb()/rgba() colour."""
    parts = [float(x) for x in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    return 0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]


def test_dark_mode_switch_keeps_figures_readable(site: Site) -> None:
    """The theme's button turns the page dark; every figure stays on its light card."""
    pages = figure_pages()
    assert pages, "the book has no figure to look at in dark mode"
    for name in pages[:3]:
        page, errors = open_page(site, name, color_scheme="light")
        try:
            html = page.locator("html")
            assert html.get_attribute("data-theme") == "light"
            choose_mode(page, "dark")
            assert html.get_attribute("data-theme") == "dark", "the switch did not turn dark"
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert luminance(background) < 80, f"dark mode background is {background}"
            figures = page.locator("article img[src*='_images/']")
            assert figures.count() > 0
            for i in range(figures.count()):
                figure = figures.nth(i)
                figure.scroll_into_view_if_needed()
                expect(figure).to_be_visible()
                shot = Image.open(io.BytesIO(figure.screenshot())).convert("L")
                stat = ImageStat.Stat(shot)
                # A light card (mean near white) with something drawn on it (not uniform).
                assert stat.mean[0] > 170, f"{name}: figure {i + 1} is dark in dark mode"
                assert stat.stddev[0] > 10, f"{name}: figure {i + 1} shows nothing"
            choose_mode(page, "light")
            assert html.get_attribute("data-theme") == "light", "the switch did not turn light"
            assert errors == []
        finally:
            page.context.close()


def choose_mode(page: Page, mode: str) -> None:
    """Open the theme's colour-mode menu and pick a mode, as a reader does."""
    page.locator(".theme-switch-button:visible").first.click()
    page.locator(f".theme-change-button[data-mode='{mode}']:visible").first.click()


def test_copy_button_on_code(site: Site) -> None:
    """On the first page, in reading order, that shows code (the home page has none)."""
    name = next(
        n for n in site_pages() if 'class="highlight' in (HTML / n).read_text(encoding="utf-8")
    )
    page, _ = open_page(site, name)
    try:
        code = page.locator("article div.highlight").first
        code.hover()
        expect(code.locator("button.copybtn")).to_be_visible()
    finally:
        page.context.close()


def test_visits_saw_the_whole_site(site: Site) -> None:
    """A guard on the guards: the page list is the built site, and each visit saw its page."""
    names = site_pages()
    assert "index.html" in names
    assert "quiz.html" in names
    assert "search.html" in names
    for name in names:
        assert (HTML / name) in site.visit(name).local_files
