"""Pages that show timings measured during the build say so.

The pages are listed in ``conf/live-pages.txt``. Each must say on the page that its numbers come
from the build machine; one that does not gets a short note under its title.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

LIVE_PAGES_FILE = Path(__file__).resolve().parent.parent / "live-pages.txt"

LIVE_NOTE = (
    '<div class="admonition note live-timings" role="note">\n'
    '<p class="admonition-title">Measured on the build machine</p>\n'
    "<p>The timings on this page were measured while this copy of the book was built, on the "
    "machine that built it: another machine or another build gives other numbers.</p>\n</div>\n"
)


def live_pages() -> tuple[str, ...]:
    """The pages that show timings measured during the build: one docname a line."""
    lines = LIVE_PAGES_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def mark_live_pages(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if pagename not in app.config.book_live_pages or "body" not in context:
        return
    body: str = context["body"]
    if "build machine" in body.lower():  # the chapter says so itself
        return
    end_of_title = body.find("</h1>")
    at = end_of_title + len("</h1>") if end_of_title >= 0 else 0
    context["body"] = body[:at] + "\n" + LIVE_NOTE + body[at:]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("book_live_pages", live_pages(), "html", types=frozenset({tuple}))
    app.connect("html-page-context", mark_live_pages)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
