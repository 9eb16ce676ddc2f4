"""Each chapter's executed notebook as a download, the same bytes on every build.

Publishes ``_sources/<page>.ipynb`` (the theme's download menu then offers it next to the
``.md`` source) with the metadata that records how and when a notebook ran stripped, and
cell ids numbered (jupytext gives random ids each time it reads a ``.md``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
from sphinx.application import Sphinx
from stable_streams import join_streams

# Notebook metadata that records how and when a notebook ran rather than what it says.
_VOLATILE_NOTEBOOK_METADATA = ("source_map", "widgets", "papermill")
_VOLATILE_CELL_METADATA = ("execution", "papermill", "ExecuteTime")


def _executed_notebook(app: Sphinx, docname: str) -> Path:
    # myst-nb writes executed notebooks next to the output folder: <outdir>/../jupyter_execute
    # (myst_nb.sphinx_ext.create_mystnb_config, OUTPUT_FOLDER).
    return Path(app.outdir).parent / "jupyter_execute" / f"{docname}.ipynb"


def _is_notebook(app: Sphinx, docname: str) -> bool:
    return "kernelspec" in app.env.metadata.get(docname, {})


def offer_notebook_download(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Tell the theme's download menu that this page has an executed notebook.

    Runs before the theme's header buttons (priority 501); the file itself is written at
    build-finished, normalised.
    """
    if doctree is not None and _is_notebook(app, pagename):
        context["ipynb_source"] = f"{pagename}.ipynb"


def normalised_notebook(source: Path | str) -> str:
    """The executed notebook (a file, or its JSON) without run-time metadata, as stable JSON."""
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    notebook = json.loads(text)
    for key in _VOLATILE_NOTEBOOK_METADATA:
        notebook.get("metadata", {}).pop(key, None)
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        # jupytext gives each cell a random id when it reads the .md: number them instead.
        if "id" in cell:
            cell["id"] = f"cell-{number}"
        if "outputs" in cell:
            cell["outputs"] = join_streams(cell["outputs"])
            for output in cell["outputs"]:
                if output.get("output_type") == "stream":
                    output["text"] = output["text"].splitlines(keepends=True)
        for key in _VOLATILE_CELL_METADATA:
            cell.get("metadata", {}).pop(key, None)
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _with_cached_outputs(app: Sphinx, path: Path) -> Path | str:
    """The notebook at ``path`` with its outputs, merged from the execution cache if need be.

    myst-nb 1.4 writes ``jupyter_execute/<page>.ipynb`` from the notebook it read, not from
    the one its cache client returns: a page whose outputs came from the cache is written
    without them (myst_nb/sphinx_.py, "write final (updated) notebook"). Its outputs are in
    the cache, keyed on the same code, so they are merged back here, as myst-nb merges them
    when it renders the page.
    """
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if all(cell.get("execution_count") is not None for cell in code):
        return path
    cache_path = app.config.nb_execution_cache_path
    if not cache_path or not Path(cache_path).is_dir():
        return path
    from jupyter_cache import get_cache

    try:
        _, merged = get_cache(cache_path).merge_match_into_notebook(notebook)
    except KeyError:  # not in the cache: leave the notebook as it was written
        return path
    return nbformat.writes(merged)


def publish_notebooks(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    sources = Path(app.outdir) / "_sources"
    for docname in sorted(app.env.found_docs):
        executed = _executed_notebook(app, docname)
        if not _is_notebook(app, docname) or not executed.is_file():
            continue
        target = sources / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = normalised_notebook(_with_cached_outputs(app, executed))
        # Written every build: the theme's launch buttons copy the raw notebook over it.
        target.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("stable_streams")
    app.connect("html-page-context", offer_notebook_download, priority=500)
    app.connect("build-finished", publish_notebooks)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
