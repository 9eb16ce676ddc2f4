"""Printed output that does not depend on where the kernel flushed.

The kernel sends printed text in chunks cut wherever a flush happened: print() writes its text
and its newline separately, and a slow computation between two prints lets a flush fall
anywhere. myst-nb 1.4's stream merging (``nb_merge_streams``) strips each chunk and adds a
newline, so a line flushed in two pieces came out broken in two, and a page differed from build
to build. This extension joins a cell's stream chunks exactly before myst-nb merges them. It
wraps one myst-nb function, ``myst_nb.core.render.coalesce_streams``, at its single call site;
remove it when myst-nb joins chunks exactly itself.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx


def join_streams(outputs: list[Any]) -> list[Any]:
    """Each stream (stdout, stderr) as one output, its chunks joined exactly, at its first place.

    The kernel sends printed text in chunks cut wherever a flush happened: print() writes its
    text and its newline separately, and a slow computation between two prints lets a flush
    fall anywhere. Joined exactly, the text no longer depends on those cuts.
    """
    joined: list[Any] = []
    first: dict[str, Any] = {}
    for output in outputs:
        if output.get("output_type") == "stream":
            name = output.get("name")
            if name in first:
                first[name]["text"] += _text(output["text"])
                continue
            output = type(output)(output)  # a copy: the executed notebook stays as it ran
            output["text"] = _text(output["text"])
            first[name] = output
        joined.append(output)
    return joined


def _text(text: str | list[str]) -> str:
    # nbformat's JSON keeps multi-line text as a list of lines; in memory it is one string.
    return "".join(text) if isinstance(text, list) else text


def _join_streams_before_myst_nb_merges() -> None:
    from myst_nb.core import render

    original = render.coalesce_streams
    if getattr(original, "joins_streams", False):
        return

    def coalesce_streams(outputs: list[Any]) -> list[Any]:
        return original(join_streams(outputs))

    coalesce_streams.joins_streams = True  # type: ignore[attr-defined]
    render.coalesce_streams = coalesce_streams


def setup(app: Sphinx) -> dict[str, Any]:
    _join_streams_before_myst_nb_merges()
    return {
        "version": "1",
        # It changes how pages are read: editing this file makes Sphinx re-read them all.
        "env_version": int(hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8], 16),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
