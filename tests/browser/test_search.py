"""Search as a reader uses it: the box, the ranking, the snippets; and the header's icons."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote_plus

import pytest
from _site import DESKTOP, HTML, PHONE, Site, new_context
from playwright.sync_api import Page, expect

SIZES = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])


def open_page(site: Site, name: str, viewport: dict[str, int] = DESKTOP) -> Page:
    page = new_context(site.browser, viewport).new_page()
    page.goto(site.url(name), wait_until="load")
    return page


# --- the search field and the header's icons (font icons, without fontawesome.js) ------------


@SIZES
def test_magnifier_stays_clear_of_the_typed_text(site: Site, viewport: dict[str, int]) -> None:
    page = open_page(site, "derivative.html", viewport)
    try:
        page.locator(".search-button__button:visible").click()
        field = page.locator("#pst-search-dialog input[name='q']")
        expect(field).to_be_focused()
        page.keyboard.type("derivative")
        icon = page.locator("#pst-search-dialog .fa-magnifying-glass")
        expect(icon).to_be_visible()
        text_starts = field.evaluate(
            "el => el.getBoundingClientRect().left + parseFloat(getComputedStyle(el).paddingLeft)"
        )
        box = icon.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= text_starts, (
            f"the magnifier ({box['x']:.0f}-{box['x'] + box['width']:.0f} px) covers the text, "
            f"which starts at {text_starts:.0f} px"
        )
    finally:
        page.context.close()


@SIZES
def test_header_icons_are_one_size(site: Site, viewport: dict[str, int]) -> None:
    page = open_page(site, "derivative.html", viewport)
    try:
        sizes = page.evaluate(
            """() => [...document.querySelectorAll(
                  '.bd-header-article :is(.fa-solid, .fas, .fa-regular, .far, .fa-brands, .fab)')]
                .map((icon) => [icon.className, icon.getBoundingClientRect()])
                .filter(([, box]) => box.width > 0)
                .map(([name, box]) => [name, Math.round(box.width), Math.round(box.height)])"""
        )
        assert len(sizes) >= 3, f"the header shows {len(sizes)} icons"
        assert len({(width, height) for _, width, height in sizes}) == 1, sizes
    finally:
        page.context.close()


# --- results -------------------------------------------------------------------------------


def search(
    site: Site, query: str, snippets: bool = True, page: Page | None = None
) -> tuple[Page, list[dict[str, str | None]]]:
    """The results page for a query, once Sphinx has listed every result (and its snippet)."""
    url = f"search.html?q={quote_plus(query)}"
    if page is None:
        page = open_page(site, url)
    else:
        page.goto(site.url(url), wait_until="load")
    expect(page.locator("#search-results .search-summary")).to_contain_text(
        "Search finished", timeout=20_000
    )
    # A page result gets its snippet once the page is fetched; an object of the API reference
    # shows its kind in a <span> instead.
    if snippets:
        page.wait_for_function(
            """() => [...document.querySelectorAll('#search-results ul.search > li')]
                  .every((li) => li.querySelector(':scope > p.context, :scope > span'))"""
        )
    results = page.evaluate(
        """() => [...document.querySelectorAll('#search-results ul.search > li')].map((li) => ({
              href: li.querySelector('a').getAttribute('href'),
              snippet: li.querySelector(':scope > p.context')?.textContent ?? null,
            }))"""
    )
    return page, results


def chapter_titles() -> list[tuple[str, str]]:
    """(page, title) of every page in the book's table of contents."""
    quiz = (HTML / "quiz.html").read_text(encoding="utf-8")
    nav = quiz.split("bd-docs-nav", 1)[-1].split("</nav>", 1)[0]
    links = re.findall(r'<a class="reference internal" href="([^"#]+)">\s*([^<]+?)\s*</a>', nav)
    assert len(links) >= 10, "the sidebar's chapter list was not found"
    # The sidebar numbers the chapters ("15. Range"); a reader searches for the title.
    titles = [(href, re.sub(r"^\d+\.\s+", "", unescape(title))) for href, title in links]
    return [*titles, ("quiz.html", "Quiz")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("derivative", "derivative.html"), ("dying relu", "sparsity.html")],
)
def test_a_chapter_whose_title_matches_ranks_first(site: Site, query: str, expected: str) -> None:
    page, results = search(site, query, snippets=False)
    page.context.close()
    ranking = [result["href"] for result in results]
    assert ranking[:1] == [expected], f"{query!r} ranks {ranking[:5]}"


def test_every_chapter_ranks_first_for_its_own_title(site: Site) -> None:
    wrong = []
    page = open_page(site, "index.html")
    try:
        for name, title in chapter_titles():
            _, results = search(site, title, snippets=False, page=page)
            # A result can be a section of the page (api.html#module-relukit).
            first = results[0]["href"].split("#")[0] if results else None
            if first != name:
                wrong.append(f"{title!r}: {first} first, {name} expected")
    finally:
        page.context.close()
    assert wrong == []


PAGE_TEXT = """async (href) => {
  const html = await (await fetch(href)).text();
  const article = new DOMParser().parseFromString(html, "text/html").querySelector("article");
  article.querySelectorAll(".katex-html, annotation, script, style, .headerlink")
    .forEach((el) => el.remove());
  return article.textContent;
}"""

TEX = re.compile(r"\\[a-zA-Z]+|\\[(\[)\]]|\$")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("query", ["derivative", "dying relu", "subgradient", "max"])
def test_snippets_are_page_text(site: Site, query: str) -> None:
    """Each snippet is a piece of its page's article: no theme buttons, no TeX source."""
    page, results = search(site, query)
    try:
        assert results, f"no results for {query!r}"
        snippets = [result for result in results if result["snippet"] is not None]
        assert snippets, f"no result for {query!r} has a snippet"
        for result in snippets:
            snippet = squash(result["snippet"] or "").removeprefix("...").removesuffix("...")
            assert snippet, f"{result['href']}: empty snippet"
            assert not TEX.search(snippet), f"{result['href']}: TeX in {snippet!r}"
            assert "System Settings" not in snippet, f"{result['href']}: {snippet!r}"
            article = squash(page.evaluate(PAGE_TEXT, result["href"].split("#")[0]))
            assert snippet.strip() in article, (
                f"{result['href']}: the snippet {snippet!r} is not the page's text"
            )
    finally:
        page.context.close()
