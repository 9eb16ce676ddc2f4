"""conf/_ext/notebook_downloads.py: a chapter read from the execution cache still publishes its
outputs (myst-nb 1.4 writes jupyter_execute/<page>.ipynb without them in that case).

Run by `nox -s browser` (it has jupyter-cache and nbformat); not collected by `nox -s tests`.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
from jupyter_cache import get_cache

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "conf" / "_ext"))

import notebook_downloads  # noqa: E402


def notebook(executed: bool) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cell = nbformat.v4.new_code_cell("print(1 + 1)")
    if executed:
        cell.execution_count = 1
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="2\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("# A chapter"), cell]
    return nb


def test_outputs_come_back_from_the_cache(tmp_path: Path) -> None:
    cache_path = tmp_path / "cache"
    executed = notebook(executed=True)
    source = tmp_path / "source.ipynb"
    nbformat.write(executed, source)
    get_cache(str(cache_path)).cache_notebook_file(str(source), check_validity=False)

    written = tmp_path / "chapter.ipynb"  # what myst-nb writes for a cached page
    nbformat.write(notebook(executed=False), written)
    app = SimpleNamespace(config=SimpleNamespace(nb_execution_cache_path=str(cache_path)))

    published = json.loads(
        notebook_downloads.normalised_notebook(
            notebook_downloads._with_cached_outputs(app, written)
        )
    )
    code = [cell for cell in published["cells"] if cell["cell_type"] == "code"]
    assert code[0]["execution_count"] == 1
    assert "".join(code[0]["outputs"][0]["text"]) == "2\n"


def test_an_executed_notebook_is_published_as_written(tmp_path: Path) -> None:
    written = tmp_path / "chapter.ipynb"
    nbformat.write(notebook(executed=True), written)
    app = SimpleNamespace(config=SimpleNamespace(nb_execution_cache_path=str(tmp_path / "none")))
    assert notebook_downloads._with_cached_outputs(app, written) == written


def test_a_notebook_missing_from_the_cache_is_left_alone(tmp_path: Path) -> None:
    cache_path = tmp_path / "cache"
    get_cache(str(cache_path)).db  # noqa: B018 (an empty cache)
    written = tmp_path / "chapter.ipynb"
    unexecuted = notebook(executed=False)
    nbformat.write(copy.deepcopy(unexecuted), written)
    app = SimpleNamespace(config=SimpleNamespace(nb_execution_cache_path=str(cache_path)))
    assert notebook_downloads._with_cached_outputs(app, written) == written
