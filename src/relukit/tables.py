"""Tables for the book's cells: rows of values as a Markdown table.

A cell that shows a comparison returns ``IPython.display.Markdown(markdown_table(...))``;
myst-nb renders it as an HTML table, which a phone can reflow, instead of padded text in a
scrolling box.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["markdown_table"]

_ALIGN = {"l": ":---", "r": "---:", "c": ":---:"}


def _line(values: Sequence[object]) -> str:
    """One row of the table: the values between pipes, with any pipe in them escaped."""
    cells = (str(v).replace("|", r"\|") for v in values)
    return "| " + " | ".join(cells) + " |"


def markdown_table(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, align: str | None = None
) -> str:
    r"""Format rows as a Markdown (GitHub-flavoured) table.

    Parameters
    ----------
    header : collections.abc.Sequence
        The column titles.
    rows : collections.abc.Iterable
        One sequence per row, as long as ``header``. Each value is written with ``str``;
        format numbers before passing them. A ``|`` in a value is escaped.
    align : str or None
        One letter per column, ``"l"``, ``"r"`` or ``"c"``; by default every column is
        left-aligned (the default, None).

    Returns
    -------
    str
        The table, one line per row, ending in a newline.

    Raises
    ------
    ValueError
        If a row or ``align`` does not have one entry per column, or ``align`` has a letter
        other than ``l``, ``r`` and ``c``.

    Examples
    --------
    >>> from relukit.tables import markdown_table
    >>> print(markdown_table(["x", "relu(x)"], [["-1", "0"], ["2", "2"]], align="rr"))
    | x | relu(x) |
    | ---: | ---: |
    | -1 | 0 |
    | 2 | 2 |
    <BLANKLINE>
    """
    n = len(header)
    align = "l" * n if align is None else align
    if len(align) != n or any(a not in _ALIGN for a in align):
        raise ValueError(f"align must have one of 'l', 'r', 'c' per column ({n}); got {align!r}")

    lines = [_line(header), "| " + " | ".join(_ALIGN[a] for a in align) + " |"]
    for i, row in enumerate(rows):
        if len(row) != n:
            raise ValueError(f"row {i} has {len(row)} values for {n} columns")
        lines.append(_line(row))
    return "\n".join(lines) + "\n"
