"""A lighter theme: the template filter that lets conf/_templates/layout.html drop a script.

The theme's fontawesome.js is 1.5 MiB of JavaScript that turns icons into inline SVG; the
theme's stylesheet already draws the same icons from Font Awesome's web fonts. The themes'
CSS places those icons as if they were the SVGs: conf/_static/lean-icons.css, added here,
gives the font icons the boxes the SVGs had.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup
from sphinx.application import Sphinx


def without_script(html: str, name: str) -> Markup:
    """Template filter: ``html`` without the <script> tags whose src contains ``name``."""
    pattern = rf'\s*<script[^>]*\bsrc="[^"]*{re.escape(name)}[^"]*"[^>]*>\s*</script>'
    return Markup(re.sub(pattern, "", str(html)))


def _add_template_filters(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.filters["without_script"] = without_script


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _add_template_filters)
    app.add_css_file("lean-icons.css")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
