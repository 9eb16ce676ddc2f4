"""The GPU run of issue 14 is pending: once its record is committed, relu0-at-scale must show it
with no other change. This executes the chapter against docs/data plus a synthetic CUDA record
(the CPU record relabelled, valid against the schema) and checks that the page then shows the
record's table and provenance, says "recorded" instead of "pending", and marks a partial record.

Run by `nox -s browser` (it has myst-nb, nbclient and a kernel); not collected by `nox -s tests`.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from myst_nb.core.read import read_myst_markdown_notebook
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
CHAPTER = "relu0-at-scale.md"
DEVICE = "Synthetic GPU for tests/site/test_gpu_record_renders.py"


def synthetic_cuda_record(*, complete: bool) -> dict[str, Any]:
    record = copy.deepcopy(json.loads((DOCS / "data" / "relu0-volume-cpu.json").read_text()))
    record["machine"] |= {"device": "cuda", "device_name": DEVICE, "cuda": "12.8",
                          "driver": "570.00"}  # fmt: skip
    record["precisions"]["tf32"] = copy.deepcopy(record["precisions"]["float32"]) | {
        "describe": "float32 with TF32 matrix products"
    }
    record["complete"] = complete
    schema = json.loads((DOCS / "data" / "relu0-volume.schema.json").read_text())
    jsonschema.validate(record, schema)
    return record


def executed_outputs(tmp_path: Path, record: dict[str, Any]) -> str:
    """Every text and markdown output of the chapter, executed beside the synthetic record."""
    docs = tmp_path / "docs"
    shutil.copytree(DOCS / "data", docs / "data")
    shutil.copy(DOCS / CHAPTER, docs / CHAPTER)
    (docs / "data" / "relu0-volume-cuda.json").write_text(json.dumps(record), encoding="utf-8")
    nb = read_myst_markdown_notebook((docs / CHAPTER).read_text(encoding="utf-8"))
    NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(docs)}}).execute()
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            # Glued values come as application/papermill.record/text/plain.
            data = output.get("data", {})
            kinds = ("text/markdown", "text/plain")
            texts += [str(value) for kind, value in data.items() if kind.endswith(kinds)]
            texts.append(str(output.get("text", "")))
    return "\n".join(texts)


@pytest.mark.parametrize("complete", [True, False], ids=["complete", "partial"])
def test_a_committed_gpu_record_is_shown_with_its_provenance(
    tmp_path: Path, complete: bool
) -> None:
    shown = executed_outputs(tmp_path, synthetic_cuda_record(complete=complete))
    assert f"relu0-volume-cuda.json: {DEVICE}, driver 570.00, CUDA 12.8" in shown
    assert "recorded too" in shown
    assert "The GPU record above measures it." in shown
    assert "pending" not in shown
    assert "| TF32 |" in shown.replace("  ", " "), "the GPU table has no TF32 row"
    assert ("partial" in shown) is not complete
