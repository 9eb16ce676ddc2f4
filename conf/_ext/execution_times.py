"""At the end of every build, how long each notebook took to execute, and whether it ran in
this build or came from the execution cache."""

from __future__ import annotations

import time
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)


def _note_start(app: Sphinx) -> None:
    app.execution_times_started = time.time()  # type: ignore[attr-defined]


def report_execution_times(app: Sphinx, exception: Exception | None) -> None:
    """Print one line per notebook: seconds to execute, and whether it ran in this build."""
    if exception is not None:
        return
    from myst_nb.sphinx_ import NbMetadataCollector

    started: float = getattr(app, "execution_times_started", 0.0)
    data = NbMetadataCollector.get_doc_data(app.env)
    rows = []
    for docname in sorted(app.env.found_docs):
        exec_data = data.get(docname, {}).get("exec_data")
        if not exec_data:
            continue
        runtime = exec_data.get("runtime")
        seconds = "      -" if runtime is None else f"{runtime:7.2f}"
        ran_now = exec_data.get("mtime", 0.0) >= started
        status = "executed in this build" if ran_now else "from the execution cache"
        if not exec_data.get("succeeded", True):
            status = f"FAILED ({exec_data.get('error')})"
        rows.append(f"  {seconds} s  {docname:<16} {status}")
    if rows:
        total = sum((data[d].get("exec_data") or {}).get("runtime") or 0.0 for d in data)
        logger.info("notebook execution times (seconds of kernel time per notebook):")
        for row in rows:
            logger.info(row)
        logger.info(f"  {total:7.2f} s  in all")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _note_start)
    app.connect("build-finished", report_execution_times)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
