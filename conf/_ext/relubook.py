"""The book's own small Sphinx extension: what the theme and myst-nb do not do for us.

- Publishes each chapter's executed notebook as ``_sources/<page>.ipynb`` (the theme's download
  menu then offers it next to the ``.md`` source), with the metadata that changes from build to
  build stripped, so two builds of the same sources give the same bytes.
- Makes sure each page listed in ``conf/live-pages.txt`` says that its numbers were measured
  on the build machine: a page that does not say so itself gets a short note under its title.
- Leaves the theme's fontawesome.js out of every page (conf/_templates/layout.html).
- Prints how long each notebook took to execute at the end of every build.
- Joins a cell's stream outputs exactly before myst-nb merges them (``nb_merge_streams``):
  myst-nb 1.4 strips each chunk and adds a newline, so a line the kernel happened to flush in
  two pieces came out broken in two, and a page differed from build to build.
- Pickles the configuration as conf.py gave it. The theme and some extensions edit config values
  at ``builder-inited`` (``templates_path``, ``html_static_path``, ``html_theme_options``...), after
  Sphinx compared the pickled configuration with the new one; without this, every rebuild reported
  "The configuration has changed (7 options ...)" although nothing had.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import time
from pathlib import Path
from typing import Any

from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

CONF = Path(__file__).resolve().parent.parent
LIVE_PAGES_FILE = CONF / "live-pages.txt"

LIVE_NOTE = (
    '<div class="admonition note live-timings" role="note">\n'
    '<p class="admonition-title">Measured on the build machine</p>\n'
    "<p>The timings on this page were measured while this copy of the book was built, on the "
    "machine that built it: another machine or another build gives other numbers.</p>\n</div>\n"
)

# Notebook metadata that records how and when a notebook ran rather than what it says.
_VOLATILE_NOTEBOOK_METADATA = ("source_map", "widgets", "papermill")
_VOLATILE_CELL_METADATA = ("execution", "papermill", "ExecuteTime")


def live_pages() -> tuple[str, ...]:
    """The pages that show timings measured during the build: one docname a line."""
    lines = LIVE_PAGES_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


# --- stream outputs, independent of where the kernel flushed -----------------------------------


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
    if getattr(original, "relubook", False):
        return

    def coalesce_streams(outputs: list[Any]) -> list[Any]:
        return original(join_streams(outputs))

    coalesce_streams.relubook = True  # type: ignore[attr-defined]
    render.coalesce_streams = coalesce_streams


# --- executed notebooks as downloads ---------------------------------------------------------


def _executed_notebook(app: Sphinx, docname: str) -> Path:
    # myst-nb writes executed notebooks next to the output folder (see TOOLCHAIN.md).
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


def normalised_notebook(path: Path) -> str:
    """The executed notebook without run-time metadata, as stable JSON."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
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
        text = normalised_notebook(executed)
        # Written every build: the theme's launch buttons copy the raw notebook over it.
        target.write_text(text, encoding="utf-8")


# --- pages with live timings -------------------------------------------------------------------


def mark_live_pages(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if pagename not in app.config.relubook_live_pages or "body" not in context:
        return
    body: str = context["body"]
    if "build machine" in body.lower():  # the chapter says so itself
        return
    end_of_title = body.find("</h1>")
    at = end_of_title + len("</h1>") if end_of_title >= 0 else 0
    context["body"] = body[:at] + "\n" + LIVE_NOTE + body[at:]


# --- a lighter theme ---------------------------------------------------------------------------


def without_script(html: str, name: str) -> Markup:
    """Template filter: ``html`` without the <script> tags whose src contains ``name``."""
    pattern = rf'\s*<script[^>]*\bsrc="[^"]*{re.escape(name)}[^"]*"[^>]*>\s*</script>'
    return Markup(re.sub(pattern, "", str(html)))


def _add_template_filters(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.filters["without_script"] = without_script


# --- how long each notebook took ---------------------------------------------------------------


def _note_start(app: Sphinx) -> None:
    app.relubook_started = time.time()  # type: ignore[attr-defined]


def report_execution_times(app: Sphinx, exception: Exception | None) -> None:
    """Print one line per notebook: seconds to execute, and whether it ran in this build."""
    if exception is not None:
        return
    from myst_nb.sphinx_ import NbMetadataCollector

    started: float = getattr(app, "relubook_started", 0.0)
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


# --- keep the pickled configuration as conf.py gave it -----------------------------------------


def _remember_conf(app: Sphinx, config: Config) -> None:
    # After Sphinx's own config-inited handlers (priority 800), before the theme's builder-inited.
    app.relubook_conf = {  # type: ignore[attr-defined]
        item.name: copy.deepcopy(item.value) for item in config if _picklable(item.value)
    }


def _picklable(value: Any) -> bool:
    try:
        copy.deepcopy(value)
    except Exception:
        return False
    return True


def _pickle_as_given(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Just before the environment is pickled: put back the values conf.py gave."""
    given: dict[str, Any] = getattr(app, "relubook_conf", {})
    app.relubook_edited = {name: getattr(env.config, name) for name in given}  # type: ignore[attr-defined]
    for name, value in given.items():
        setattr(env.config, name, copy.deepcopy(value))
    return []


def _restore_for_writing(app: Sphinx, builder: Builder) -> None:
    """After pickling, before writing: the theme's edits are needed to write the pages."""
    for name, value in getattr(app, "relubook_edited", {}).items():
        setattr(app.config, name, value)
    app.relubook_edited = {}  # type: ignore[attr-defined]


def setup(app: Sphinx) -> dict[str, Any]:
    _join_streams_before_myst_nb_merges()
    app.add_config_value("relubook_live_pages", live_pages(), "html", types=frozenset({tuple}))
    app.connect("config-inited", _remember_conf, priority=900)
    app.connect("builder-inited", _note_start)
    app.connect("builder-inited", _add_template_filters)
    app.connect("env-updated", _pickle_as_given, priority=999)
    app.connect("write-started", _restore_for_writing, priority=1)
    app.connect("html-page-context", offer_notebook_download, priority=500)
    app.connect("html-page-context", mark_live_pages)
    app.connect("build-finished", publish_notebooks)
    app.connect("build-finished", report_execution_times)
    return {
        "version": "1",
        # Editing this file changes how pages are read: Sphinx then re-reads them all.
        "env_version": int(hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8], 16),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


__all__ = ["live_pages", "normalised_notebook", "setup"]
