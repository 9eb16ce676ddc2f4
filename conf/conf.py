"""Sphinx configuration for The Anatomy of ReLU.

Built with ``sphinx-build -c conf docs build/html`` (see noxfile.py). Relative paths here:
``html_static_path`` and ``templates_path`` are relative to this folder, ``exclude_patterns``
to ``docs/``; everything else uses absolute paths built from ROOT.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from jupyter_cache import get_cache

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"

project = "The Anatomy of ReLU"
author = "The Anatomy of ReLU contributors"
copyright = "2026, The Anatomy of ReLU contributors"
language = "en"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.mathjax",
    "sphinxcontrib.bibtex",
    "sphinx_design",
    "sphinx_copybutton",
]

exclude_patterns = ["**.ipynb_checkpoints", "README.md"]
html_static_path = ["_static"]
html_css_files = ["book.css"]

# Every cross-reference must resolve. There is no network at build time, so no intersphinx:
# numpy's and matplotlib's types are named in signatures but not linked.
nitpicky = True
numfig = True
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|np|npt|matplotlib|numpy\.typing)\..*"),
    (r"py:.*", r"(ArrayLike|NDArray|Axes|ndarray)"),
    (r"py:.*", r"(collections\.abc|typing)\..*"),
]

# --- MyST and notebook execution -------------------------------------------------------------

myst_enable_extensions = ["amsmath", "dollarmath", "colon_fence", "deflist", "substitution"]
myst_heading_anchors = 3


def _library_fingerprint() -> str:
    """A hash of relukit's source and the pinned dependencies.

    jupyter-cache keys its cache on the notebooks' code only; the notebooks import relukit,
    so a change to the library (or to a pinned version) must invalidate every cached output.
    Naming the cache directory after this hash does that, and because the cache path is an
    "env" config value, Sphinx re-reads every page when it changes.
    """
    digest = hashlib.sha256()
    sources = [*sorted((ROOT / "src" / "relukit").rglob("*.py")), ROOT / "pyproject.toml"]
    for path in sources:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_CACHES = BUILD / "jupyter_cache"
_CACHE = _CACHES / _library_fingerprint()
if _CACHES.is_dir():  # caches of earlier library versions can never be hit again
    for stale in _CACHES.iterdir():
        if stale != _CACHE:
            shutil.rmtree(stale, ignore_errors=True)
# With -j auto the notebooks are read in parallel processes, and on a cold build each would
# create the cache's sqlite database at once ("table settings already exists"). Create it
# here, in the main process, before they start.
_CACHE.mkdir(parents=True, exist_ok=True)
get_cache(str(_CACHE)).db  # noqa: B018 (the property creates the database)

nb_execution_mode = "cache"
nb_execution_cache_path = str(_CACHE)
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 300
nb_merge_streams = True
# Anything a cell writes to stderr (a RuntimeWarning, say) is a build warning, so -W fails it.
nb_output_stderr = "warn"
nb_execution_excludepatterns: list[str] = []

# --- Library reference -----------------------------------------------------------------------

autodoc_typehints = "signature"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True}
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False

doctest_global_setup = "import numpy as np\nimport relukit\n"

# --- Bibliography ----------------------------------------------------------------------------

# Every docs/*.bib file: chapters may bring their own. Paths are relative to conf/ here.
bibtex_bibfiles = sorted(f"../docs/{p.name}" for p in (ROOT / "docs").glob("*.bib"))
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# --- HTML ------------------------------------------------------------------------------------

html_theme = "sphinx_book_theme"
html_title = project
html_context = {"default_mode": "auto"}
html_theme_options = {
    "show_toc_level": 2,
}
html_last_updated_fmt = None
