"""The measured records in docs/data/ are checked before any page is read.

Chapters read JSON records that tools write and the repository commits (``docs/data/*.json``:
what the frameworks do, the ReLU'(0) experiment). A record that is missing, is not JSON, or
does not match its schema stops the build here, when the builder starts, with one message that
names the file and what is wrong, instead of a traceback from deep inside a notebook cell.

Each record names its schema in its ``"$schema"`` key: a file name beside it
(``frameworks.json`` -> ``"frameworks.schema.json"``), checked with jsonschema (Draft 2020-12).
The records the book cannot do without are listed in the ``data_records_required`` setting.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

DATA = Path(__file__).resolve().parent.parent.parent / "docs" / "data"
REQUIRED = ("frameworks.json", "relu0-volume-cpu.json")
HOW_TO_WRITE = {
    "frameworks.json": "`nox -s frameworks` writes it",
    "relu0-volume-cpu.json": "tools/relu0_volume.py writes it; the command is in the record",
}


class RecordError(Exception):
    """A record in docs/data/ that the book cannot use; the message says which and why."""


def _load(path: Path, what: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RecordError(f"{path}: cannot read this {what}: {exc.strerror}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(
            f"{path}: this {what} is not valid JSON (line {exc.lineno}, column {exc.colno}:"
            f" {exc.msg})"
        ) from exc


def validate_record(path: Path) -> None:
    """Check one record against the schema it names; raise RecordError saying what is wrong."""
    import jsonschema

    record = _load(path, "record")
    if not isinstance(record, dict):
        raise RecordError(f"{path}: a record is a JSON object, this is a {type(record).__name__}")
    schema_name = record.get("$schema")
    if not isinstance(schema_name, str) or not schema_name.endswith(".schema.json"):
        raise RecordError(
            f'{path}: the record names no schema (a "$schema" key with the file name of a'
            f' *.schema.json beside it); it has "$schema": {json.dumps(schema_name)}'
        )
    schema_path = path.parent / schema_name
    if Path(schema_name).name != schema_name or not schema_path.is_file():
        raise RecordError(f"{path}: its schema {schema_name!r} is not a file beside it")
    schema = _load(schema_path, "schema")
    try:
        validator = jsonschema.Draft202012Validator(schema)
        validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise RecordError(f"{schema_path}: not a valid JSON Schema: {exc.message}") from exc
    error = jsonschema.exceptions.best_match(validator.iter_errors(record))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "(the top level)"
        raise RecordError(
            f"{path}: does not match {schema_name} at {where}: {error.message}"
            " (a record of another schema version, or edited by hand? regenerate it)"
        )


def validate_records(data: Path = DATA, required: tuple[str, ...] = REQUIRED) -> list[Path]:
    """Check every record in ``data`` and that each of ``required`` exists; return the records.

    Raises RecordError listing every problem found, one a line.
    """
    problems = []
    for name in required:
        if not (data / name).is_file():
            how = HOW_TO_WRITE.get(name, "the tool that writes it is named in its schema")
            problems.append(f"{data / name}: missing ({how})")
    records = sorted(p for p in data.glob("*.json") if not p.name.endswith(".schema.json"))
    for path in records:
        try:
            validate_record(path)
        except RecordError as exc:
            problems.append(str(exc))
    if problems:
        raise RecordError("\n".join(problems))
    return records


def check_records(app: Sphinx) -> None:
    from sphinx.errors import ExtensionError
    from sphinx.util import logging

    class DataRecordError(ExtensionError):
        category = "Data record error"  # Sphinx prints it as the heading: "Data record error!"

    try:
        records = validate_records(DATA, tuple(app.config.data_records_required))
    except RecordError as exc:
        raise DataRecordError(f"the book's data records cannot be used:\n{exc}") from None
    logging.getLogger(__name__).info(f"data records: {len(records)} valid in {DATA}")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("data_records_required", REQUIRED, "env", types=frozenset({tuple}))
    app.connect("builder-inited", check_records)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
