"""Every page's footer states the licences and the relukit version the book was built with.

Run by `nox -s browser`; not collected by `nox -s tests`.
"""

from __future__ import annotations

import os
import re
from importlib.metadata import version
from pathlib import Path

HTML = Path(os.environ.get("BOOK_HTML", Path(__file__).resolve().parents[2] / "build" / "html"))


def test_every_page_states_the_licences_and_the_relukit_version() -> None:
    pages = sorted(HTML.glob("*.html"))
    assert len(pages) > 10, f"no built book at {HTML}"
    expected = f"relukit&nbsp;{version('relukit')}"
    missing = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        footer = re.search(r'<footer class="bd-footer-content">(.*?)</footer>', text, re.S)
        if page.name == "404.html" and footer is None:
            continue
        body = footer[1] if footer else ""
        for needed in (
            'href="https://opensource.org/license/mit">MIT licence</a>',
            'href="https://creativecommons.org/licenses/by/4.0/">CC&nbsp;BY&nbsp;4.0</a>',
            expected,
        ):
            if needed not in body:
                missing.append(f"{page.name}: {needed}")
    assert missing == []
