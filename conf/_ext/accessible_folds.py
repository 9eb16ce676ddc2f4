"""Folded code cells named by the label they show.

myst-nb 1.4 gives the <summary> of a folded (``hide-input``) cell the accessible name "Toggle
hidden content" while it shows "Show code cell source": a name that does not contain the
visible label (WCAG 2.5.3 "Label in Name"; axe-core's label-content-name-mismatch), so a
speech-input user who says what they see cannot open it. Without that aria-label the summary
is named by its own text. The rest of myst-nb's markup is kept as it is.
"""

from __future__ import annotations

from typing import Any

from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput, visit_HideCellInput
from sphinx.application import Sphinx

_LABEL = ' aria-label="Toggle hidden content"'


def visit_fold(self: Any, node: HideCodeCellNode) -> None:
    start = len(self.body)
    visit_HideCellInput(self, node)
    self.body[start:] = [chunk.replace(_LABEL, "") for chunk in self.body[start:]]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_nb")
    app.add_node(HideCodeCellNode, override=True, html=(visit_fold, depart_HideCellInput))
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
