"""Fixtures for the browser tests (helpers in _site.py): run by `nox -s browser`.

Not collected by `nox -s tests` (pyproject.toml: norecursedirs): these need a built book and a
browser. Environment: BOOK_HTML (default build/html), CHROMIUM (default /usr/bin/chromium).
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _site import CHROMIUM, FLAGS, HTML, MAX_PAGE_BYTES, QuietHandler, Site, site_pages


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """build/html served by python's http.server on a free port of 127.0.0.1."""
    handler = functools.partial(QuietHandler, directory=str(HTML))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.exit(f"{CHROMIUM} is missing: apt-get install -y chromium (nox -s browser does)", 2)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site(browser: Browser, base_url: str) -> Site:
    return Site(browser, base_url)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "page" in metafunc.fixturenames:
        metafunc.parametrize("page", site_pages())


_weights: dict[str, int] = {}


@pytest.fixture(scope="session")
def weights() -> dict[str, int]:
    return _weights


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _weights:
        return
    page, heaviest = max(_weights.items(), key=lambda item: item[1])
    terminalreporter.write_line(
        f"page weight: heaviest page {page}: {heaviest:,} bytes ({heaviest / 2**20:.2f} MiB, "
        f"fonts included, text gzip-compressed as hosts serve it) of {len(_weights)} pages; "
        f"budget {MAX_PAGE_BYTES / 2**20:.1f} MiB"
    )
