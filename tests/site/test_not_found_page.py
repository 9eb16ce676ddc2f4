"""The 404 page, as built: it must make sense on every screen width."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "build" / "html")).resolve()


def test_404_page_sends_the_reader_home_not_to_a_sidebar() -> None:
    """A phone shows no sidebar "on the left": the page links the home page's chapter list."""
    page = HTML / "404.html"
    if not page.is_file():
        pytest.fail(f"no built book at {HTML}: run `nox -s docs`")
    article = page.read_text(encoding="utf-8").split('<article class="bd-article">', 1)[-1]
    article = article.split("</article>", 1)[0]
    assert "Page not found" in article
    assert "on the left" not in article
    assert 'href="/index.html"' in article  # a local build is served from "/"
