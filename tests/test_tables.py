"""relukit.tables: Markdown tables for the book's cells."""

from __future__ import annotations

import pytest

from relukit.tables import markdown_table


def test_header_separator_and_rows_in_order() -> None:
    table = markdown_table(["a", "b"], [[1, 2.5], ["x", None]], align="lr")
    assert table.splitlines() == ["| a | b |", "| :--- | ---: |", "| 1 | 2.5 |", "| x | None |"]
    assert table.endswith("\n")


def test_default_alignment_is_left() -> None:
    assert markdown_table(["a", "b", "c"], []).splitlines()[1] == "| :--- | :--- | :--- |"


def test_pipes_in_values_are_escaped() -> None:
    assert markdown_table(["expr"], [["a | b"]]).splitlines()[2] == r"| a \| b |"


@pytest.mark.parametrize(
    ("rows", "align"),
    [([[1]], None), ([[1, 2, 3]], None), ([[1, 2]], "l"), ([[1, 2]], "lx")],
)
def test_shape_and_alignment_errors(rows: list[list[int]], align: str | None) -> None:
    with pytest.raises(ValueError, match="column"):
        markdown_table(["a", "b"], rows, align=align)
