"""The whole-book PDF on the site: offered on every page when the build had one (BOOK_PDF),
and no link at all when it had none (a local build).

Run by `nox -s browser`; not collected by `nox -s tests`.
"""

from __future__ import annotations

import os
from pathlib import Path

HTML = Path(os.environ.get("BOOK_HTML", Path(__file__).resolve().parents[2] / "build" / "html"))
PDF = "the-anatomy-of-relu.pdf"


def test_the_pdf_is_offered_exactly_when_the_site_has_it() -> None:
    chapters = [
        p for p in sorted(HTML.glob("*.html")) if "download-source-button" in p.read_text("utf-8")
    ]
    assert chapters, f"no built book at {HTML}"
    has_pdf = (HTML / PDF).is_file()
    linking = [p.name for p in chapters if f'href="{PDF}"' in p.read_text("utf-8")]
    if has_pdf:
        assert (HTML / PDF).read_bytes().startswith(b"%PDF-")
        assert linking == [p.name for p in chapters], "pages without the PDF in their menu"
    else:
        assert linking == [], "pages link a PDF the site does not have"
