"""The search page's own script and stylesheet (conf/_static/search-page.*).

The script makes each result's snippet page text (not the theme's buttons and contents column,
not TeX); the stylesheet hides the other search boxes on the page that has its own. The ranking
is conf/search-scorer.js, Sphinx's `html_search_scorer`.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def _search_page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if pagename == "search":  # a file added here is added to this page only
        app.add_js_file("search-page.js", loading_method="defer")
        app.add_css_file("search-page.css")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _search_page_assets)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
