"""tools/framework_probe.py: its encoding, its record, the merge and the check.

Run by `nox -s frameworks` (needs the frameworks); not collected by `nox -s tests`.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import framework_probe as fp  # tools/, put on sys.path by conftest.py
import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "data" / "frameworks.schema.json").read_text())
RECORD = ROOT / "docs" / "data" / "frameworks.json"


@pytest.fixture(scope="module")
def torch_cpu() -> dict[str, Any]:
    """A fresh record of PyTorch on the CPU (a few seconds)."""
    record = fp.empty_record()
    sections = fp.probe_torch(["cpu"])
    section = {"framework": "torch", "device": "cpu", "date": "2000-01-01"} | sections["cpu"]
    record["sections"]["torch/cpu"] = section
    return fp.finish(record)


def _cells(record: dict[str, Any], key: str, dtype: str, spelling: str) -> dict[str, Any]:
    for row in record["sections"][key]["rows"]:
        if row[0] == dtype and row[1] == spelling:
            return {
                "value": dict(zip(fp.POINTS, row[3], strict=True)),
                "derivative": dict(zip(fp.POINTS, row[4], strict=True)),
            }
    raise KeyError((key, dtype, spelling))


def test_encoding_keeps_signed_zeros_nan_and_infinities() -> None:
    assert [fp.encode(v) for v in (-0.0, 0.0, math.nan, math.inf, -math.inf)] == [
        "-0.0", "0.0", "nan", "inf", "-inf",
    ]  # fmt: skip
    assert fp.encode(2.0**-1074) == "5e-324"
    assert float(fp.encode(0.1)) == 0.1


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32", "float64"])
def test_points_are_the_dtypes_own_neighbours_of_6_and_smallest_subnormal(dtype: str) -> None:
    import ml_dtypes
    import numpy as np

    np_dtype = {"bfloat16": ml_dtypes.bfloat16}.get(dtype, np.dtype(dtype))
    values = dict(zip(fp.POINTS, fp.point_values(dtype), strict=True))
    six = np.asarray(6.0, dtype=np_dtype)
    assert float(np.nextafter(six, np.asarray(0, dtype=np_dtype))) == values["6-ulp"]
    assert float(np.nextafter(six, np.asarray(9, dtype=np_dtype))) == values["6+ulp"]
    tiny = np.nextafter(np.asarray(0, dtype=np_dtype), np.asarray(1, dtype=np_dtype))
    assert float(tiny) == values["tiny"] == -values["-tiny"]
    # every point survives the round trip through the dtype
    for v in values.values():
        assert math.isnan(v) or float(np.asarray(v, dtype=np_dtype)) == v


def test_a_fresh_torch_record_is_valid_and_states_relus_derivative_at_zero(
    torch_cpu: dict[str, Any],
) -> None:
    jsonschema.Draft202012Validator(SCHEMA).validate(torch_cpu)
    for dtype in fp.DTYPES:
        relu = _cells(torch_cpu, "torch/cpu", dtype, "torch.relu(x)")
        assert relu["derivative"]["0.0"] == relu["derivative"]["-0.0"] == "0.0"
        assert relu["value"]["-0.0"] in ("-0.0", "0.0")
        assert relu["value"]["1"] == "1.0"
        clamp = _cells(torch_cpu, "torch/cpu", dtype, "torch.clamp(x, min=0)")
        assert clamp["derivative"]["0.0"] == "1.0"


def test_an_unsupported_operation_is_an_error_string_not_a_crash() -> None:
    def fails() -> Any:
        raise fp._ForwardError(NotImplementedError("\"gelu\" not implemented for 'Half'\nmore"))

    row = fp._row("float16", "f(x)", fails)
    assert row[2] is None
    assert row[3] == "NotImplementedError: \"gelu\" not implemented for 'Half'"
    assert row[4].startswith("not computed")


def test_rows_are_written_one_a_line_and_read_back_the_same(
    torch_cpu: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "frameworks.json"
    fp.write(torch_cpu, path)
    text = path.read_text()
    rows = torch_cpu["sections"]["torch/cpu"]["rows"]
    assert len(rows) == len(fp.DTYPES) * len(fp.torch_spellings())
    lines = {line.strip().rstrip(",") for line in text.splitlines()}
    for row in rows:
        assert json.dumps(row, separators=(",", ":")) in lines
    assert fp.read(path) == torch_cpu


def test_merge_replaces_only_the_new_sections_and_keeps_dates_of_unchanged_ones(
    torch_cpu: dict[str, Any],
) -> None:
    old = copy.deepcopy(torch_cpu)
    cuda = copy.deepcopy(old["sections"]["torch/cpu"]) | {"device": "cuda", "date": "2001-01-01"}
    old["sections"]["torch/cuda"] = cuda
    old = fp.finish(old)
    new = copy.deepcopy(torch_cpu)
    new["sections"]["torch/cpu"]["date"] = "2099-01-01"  # same content, a later run
    merged = fp.merge(old, new)
    assert merged["sections"]["torch/cuda"] == cuda  # kept: this run had no cuda
    assert merged["sections"]["torch/cpu"]["date"] == "2000-01-01"  # nothing changed
    assert merged["frameworks"]["torch"]["devices"] == ["cpu", "cuda"]
    changed = copy.deepcopy(new)
    changed["sections"]["torch/cpu"]["rows"][0][3] = "RuntimeError: something new"
    assert fp.merge(old, changed)["sections"]["torch/cpu"]["date"] == "2099-01-01"


def test_merge_notes_a_framework_that_was_never_probed(torch_cpu: dict[str, Any]) -> None:
    new = fp.empty_record()
    new["frameworks"]["tensorflow"] = {
        "devices": [], "not_probed": {"cuda": "cannot import: ModuleNotFoundError: tensorflow"},
    }  # fmt: skip
    merged = fp.merge(copy.deepcopy(torch_cpu), fp.finish(new))
    assert merged["frameworks"]["tensorflow"]["status"] == "not probed"
    assert "ModuleNotFoundError" in merged["frameworks"]["tensorflow"]["not_probed"]["cuda"]
    jsonschema.Draft202012Validator(SCHEMA).validate(merged)


def test_the_check_names_each_differing_cell_and_a_version_mismatch(
    torch_cpu: dict[str, Any],
) -> None:
    assert fp.differences(torch_cpu, torch_cpu, ["cpu"]) == []
    recorded = copy.deepcopy(torch_cpu)
    section = recorded["sections"]["torch/cpu"]
    section["versions"]["torch"] = "0.0.1"
    for row in section["rows"]:
        if row[0] == "float32" and row[1] == "torch.relu(x)":
            row[4][fp.POINTS.index("0.0")] = "1.0"
    found = fp.differences(recorded, torch_cpu, ["cpu"])
    now = torch_cpu["sections"]["torch/cpu"]["versions"]["torch"]
    assert f"torch/cpu: version mismatch: torch recorded 0.0.1, now {now}" in found
    assert "torch/cpu, float32, torch.relu(x), x = 0.0, derivative: recorded 1.0, now 0.0" in found
    assert len(found) == 2


def test_the_check_notices_a_section_that_can_no_longer_be_probed(
    torch_cpu: dict[str, Any],
) -> None:
    now = fp.empty_record()
    now["frameworks"]["torch"] = {"devices": [], "not_probed": {"cpu": "cannot import: torch"}}
    found = fp.differences(torch_cpu, fp.finish(now), ["cpu"])
    assert found == ["torch/cpu: recorded, but not probed now (cannot import: torch)"]


def test_the_committed_record_is_valid_and_has_every_cpu_section() -> None:
    record = json.loads(RECORD.read_text())
    jsonschema.Draft202012Validator(SCHEMA).validate(record)
    for framework in fp.FRAMEWORKS:
        assert f"{framework}/cpu" in record["sections"], framework
    assert RECORD.read_text() == fp.dumps(record) + "\n"  # as the probe writes it
