"""Reaching the chapters: the ☰ button and the page-contents button, tapped as a reader does.

On a phone (390 px) both sidebars are drawers that the buttons open; at 1280 px the chapter list
is a column that ☰ hides and shows again, and the page's contents are a column of their own.
Between the two (1024 px) the chapter list is a column and the contents a drawer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from _site import DESKTOP, PHONE, Site, new_context
from playwright.sync_api import Page, expect

CHAPTER = "derivative.html"
OTHER_CHAPTER = ("Range", "range.html")
SECTION = ("The difference quotient", "the-difference-quotient")
TABLET = {"width": 1024, "height": 768}


@contextmanager
def open_chapter(site: Site, viewport: dict[str, int]) -> Iterator[tuple[Page, list[str]]]:
    """The chapter in a fresh browser context, with the page's script errors; closed after."""
    context = new_context(site.browser, viewport)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(site.url(CHAPTER), wait_until="load")
        yield page, errors
    finally:
        context.close()


def the_one_visible(page: Page, selector: str) -> object:
    """The page shows exactly one such button (a second, hidden one took its handler before)."""
    buttons = page.locator(f"{selector}:visible")
    expect(buttons).to_have_count(1)
    return buttons


def numbered(name: str) -> re.Pattern[str]:
    """A link's accessible name: the title, after its chapter or section number if any."""
    return re.compile(rf"^(\d+(\.\d+)*\.\s+)?{re.escape(name)}$")


def follow_chapter_link(page: Page, container: object) -> None:
    name, target = OTHER_CHAPTER
    link = container.get_by_role("link", name=numbered(name))  # type: ignore[attr-defined]
    expect(link).to_be_visible()
    link.scroll_into_view_if_needed()  # a reader scrolls a long list to reach it
    expect(link).to_be_in_viewport()
    link.click()
    page.wait_for_url(f"**/{target}")
    expect(page.locator("article h1")).to_contain_text(name)


def follow_section_link(page: Page, container: object) -> None:
    name, anchor = SECTION
    link = container.get_by_role("link", name=numbered(name))  # type: ignore[attr-defined]
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(f"**/{CHAPTER}#{anchor}")
    expect(page.locator(f"#{anchor} > h2")).to_be_in_viewport()


def test_menu_button_opens_the_chapter_list_on_a_phone(site: Site) -> None:
    with open_chapter(site, PHONE) as (page, errors):
        drawer = page.locator("#pst-primary-sidebar-modal")
        expect(drawer).to_be_hidden()
        the_one_visible(page, ".primary-toggle").click()  # type: ignore[attr-defined]
        expect(drawer).to_be_visible()
        assert drawer.evaluate("dialog => dialog.open"), "the chapter drawer did not open"
        follow_chapter_link(page, drawer)
        assert errors == []


def test_contents_button_opens_the_page_contents_on_a_phone(site: Site) -> None:
    with open_chapter(site, PHONE) as (page, errors):
        drawer = page.locator("#pst-secondary-sidebar-modal")
        expect(drawer).to_be_hidden()
        the_one_visible(page, ".secondary-toggle").click()  # type: ignore[attr-defined]
        expect(drawer).to_be_visible()
        follow_section_link(page, drawer)
        # The reader lands on the section, not behind the drawer (conf/_static/drawer-links.js).
        expect(drawer).to_be_hidden()
        assert errors == []


def test_menu_button_hides_and_shows_the_chapter_list_on_a_desktop(site: Site) -> None:
    with open_chapter(site, DESKTOP) as (page, errors):
        column = page.locator("#pst-primary-sidebar")
        expect(column).to_be_visible()
        button = the_one_visible(page, ".primary-toggle")
        button.click()  # type: ignore[attr-defined]
        expect(column).to_be_hidden()
        button.click()  # type: ignore[attr-defined]
        expect(column).to_be_visible()
        expect(page.locator("#pst-primary-sidebar-modal")).to_be_hidden()  # a column, not a modal
        follow_chapter_link(page, column)
        assert errors == []


@pytest.mark.parametrize("viewport", [DESKTOP], ids=["1280px"])
def test_page_contents_are_a_column_on_a_desktop(site: Site, viewport: dict[str, int]) -> None:
    """At 1280 px the contents need no button: they are shown beside the text."""
    with open_chapter(site, viewport) as (page, errors):
        expect(page.locator(".secondary-toggle:visible")).to_have_count(0)
        column = page.locator("#pst-secondary-sidebar")
        expect(column).to_be_visible()
        follow_section_link(page, column)
        assert errors == []


def test_contents_button_opens_the_page_contents_on_a_tablet(site: Site) -> None:
    with open_chapter(site, TABLET) as (page, errors):
        expect(page.locator("#pst-primary-sidebar")).to_be_visible()
        drawer = page.locator("#pst-secondary-sidebar-modal")
        the_one_visible(page, ".secondary-toggle").click()  # type: ignore[attr-defined]
        expect(drawer).to_be_visible()
        follow_section_link(page, drawer)
        expect(drawer).to_be_hidden()
        assert errors == []


SEARCH_ENTRIES = ".search-button__button:visible, input[name='q']:visible"


@pytest.mark.parametrize("name", [CHAPTER, "search.html"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_one_search_box_at_a_time(site: Site, viewport: dict[str, int], name: str) -> None:
    """One way into search at a time (the theme's navbar added a second box, and a third).

    At 1280 px it is the sidebar's search field, on a phone the header's magnifier; either opens
    the search dialog, with one field in it. The search page has its own field instead.
    """
    context = new_context(site.browser, viewport)
    page = context.new_page()
    try:
        page.goto(site.url(name if name != "search.html" else "search.html?q=relu"))
        entries = page.locator(SEARCH_ENTRIES)
        expect(entries).to_have_count(1)
        if name == "search.html":
            expect(entries).to_have_attribute("name", "q")
            return
        entries.click()
        dialog = page.locator("#pst-search-dialog")
        expect(dialog).to_be_visible()
        expect(dialog.locator(SEARCH_ENTRIES)).to_have_count(1)
    finally:
        context.close()
