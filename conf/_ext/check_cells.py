"""Code cells tagged ``check`` fold under one label: "Checked when the book is built".

A chapter's argument reads best without the asserts and glue calls that verify it, but a
reader who wants the evidence should find it in one click. A cell that only checks (asserts,
glue, table builders) carries the tag ``check``::

    ```{code-cell} ipython3
    :tags: [check]
    assert ...
    ```

and is shown folded, input and output together, under the label below. It is myst-nb's own
``hide-cell`` mechanism with the book's label: this post-transform runs just before
myst-nb's ``HideInputCells`` (priority 199) and marks the cell as that one expects.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

TAG = "check"
SHOW = "Checked when the book is built"
HIDE = "Hide the checks"


class FoldCheckCells(SphinxPostTransform):
    default_priority = 198  # before myst_nb's HideInputCells (199)
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for node in self.document.findall(nodes.container):
            if node.get("nb_element") != "cell_code":
                continue
            tags = node.get("cell_metadata", {}).get("tags", [])
            if TAG in tags:
                node["hide_mode"] = "all"
                node["prompt_show"] = SHOW
                node["prompt_hide"] = HIDE
                node["classes"].append("check-cell")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_post_transform(FoldCheckCells)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
