"""conf/_ext/data_records.py: a bad record stops the build with a message naming it.

Builds nothing: the validation function is called on good, missing, malformed and
wrong-schema files, and on the records the repository commits.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "docs" / "data"

_spec = importlib.util.spec_from_file_location(
    "data_records", ROOT / "conf" / "_ext" / "data_records.py"
)
assert _spec is not None
assert _spec.loader is not None
data_records = importlib.util.module_from_spec(_spec)
sys.modules["data_records"] = data_records
_spec.loader.exec_module(data_records)
RecordError = data_records.RecordError

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["$schema", "schema_version", "value"],
    "properties": {
        "$schema": {"const": "thing.schema.json"},
        "schema_version": {"const": 2},
        "value": {"type": "number"},
    },
}
GOOD = {"$schema": "thing.schema.json", "schema_version": 2, "value": 1.5}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    (tmp_path / "thing.schema.json").write_text(json.dumps(SCHEMA))
    (tmp_path / "thing.json").write_text(json.dumps(GOOD))
    return tmp_path


def test_the_committed_records_are_valid() -> None:
    records = data_records.validate_records(DATA, data_records.REQUIRED)
    assert {p.name for p in records} >= set(data_records.REQUIRED)


def test_a_good_record_passes(data: Path) -> None:
    assert data_records.validate_records(data, ("thing.json",)) == [data / "thing.json"]


def test_a_missing_record_is_named_with_how_to_write_it(data: Path) -> None:
    with pytest.raises(RecordError) as caught:
        data_records.validate_records(data, ("thing.json", "frameworks.json"))
    assert (
        str(caught.value) == f"{data / 'frameworks.json'}: missing (`nox -s frameworks` writes it)"
    )


def test_malformed_json_gives_file_line_and_column(data: Path) -> None:
    (data / "thing.json").write_text('{"$schema": "thing.schema.json",\n "value": }')
    with pytest.raises(RecordError, match=r"thing\.json: this record is not valid JSON \(line 2"):
        data_records.validate_records(data, ())


def test_a_record_of_another_schema_version_says_where_it_fails(data: Path) -> None:
    (data / "thing.json").write_text(json.dumps(GOOD | {"schema_version": 1}))
    with pytest.raises(RecordError) as caught:
        data_records.validate_records(data, ())
    message = str(caught.value)
    assert message.startswith(f"{data / 'thing.json'}: does not match thing.schema.json at")
    assert "schema_version" in message
    assert "2 was expected" in message


def test_a_wrong_value_is_located(data: Path) -> None:
    (data / "thing.json").write_text(json.dumps(GOOD | {"value": "high"}))
    with pytest.raises(RecordError, match=r"at value: 'high' is not of type 'number'"):
        data_records.validate_records(data, ())


def test_a_record_that_names_no_schema_or_a_missing_one_is_refused(data: Path) -> None:
    (data / "thing.json").write_text(json.dumps({"value": 1}))
    with pytest.raises(RecordError, match="names no schema"):
        data_records.validate_records(data, ())
    (data / "thing.json").write_text(json.dumps(GOOD | {"$schema": "other.schema.json"}))
    with pytest.raises(RecordError, match=r"its schema 'other\.schema\.json' is not a file"):
        data_records.validate_records(data, ())
    (data / "thing.json").write_text(json.dumps([1, 2]))
    with pytest.raises(RecordError, match="a record is a JSON object, this is a list"):
        data_records.validate_records(data, ())


def test_every_problem_is_reported_at_once(data: Path) -> None:
    shutil.copy(data / "thing.json", data / "second.json")
    (data / "second.json").write_text("[")
    with pytest.raises(RecordError) as caught:
        data_records.validate_records(data, ("absent.json",))
    lines = str(caught.value).splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(
        "absent.json: missing (the tool that writes it is named in its schema)"
    )
    assert "second.json: this record is not valid JSON" in lines[1]
