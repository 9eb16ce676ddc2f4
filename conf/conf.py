"""Sphinx configuration for The Anatomy of ReLU.

Built with ``sphinx-build -c conf docs build/html`` (see noxfile.py). Relative paths here:
``html_static_path`` and ``templates_path`` are relative to this folder, ``exclude_patterns``
to ``docs/``; everything else uses absolute paths built from ROOT.
"""

from __future__ import annotations

import os
import sys
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

project = "The Anatomy of ReLU"
author = "The Anatomy of ReLU contributors"
copyright = "2026, The Anatomy of ReLU contributors"
language = "en"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinxcontrib.bibtex",
    "sphinx_design",
    "sphinx_copybutton",
    "notfound.extension",
    # The book's own small extensions, one job each (conf/_ext/):
    "execution_cache",  # the execution cache keyed on relukit too (set up at config-inited)
    "stable_streams",  # printed output independent of where the kernel flushed
    "notebook_downloads",  # each chapter's executed .ipynb as a download, reproducible
    "lean_theme",  # lets conf/_templates/layout.html drop fontawesome.js
    "execution_times",  # how long each notebook took, printed after every build
    "statements",  # definitions, theorems, proofs: numbered per chapter, parallel-safe
    "check_cells",  # cells tagged "check" fold under "Checked when the book is built"
    "continuous_numbering",  # chapters numbered once across the root's part toctrees
    "book_bibliography",  # author-year entries, linked, with links back to each citation
    "book_pdf",  # the single-page build for the PDF; the PDF on the site (BOOK_PDF)
    "data_records",  # docs/data/*.json valid against their schemas, or the build stops first
    "build_time_math",  # formulas drawn by KaTeX when the book is built (sphinxcontrib-katex)
    "search_page",  # search results' snippets are page text; one search box on that page
    "accessible_folds",  # a folded cell's toggle is named by the label it shows
]
# The theme edits a few html_* values when the builder starts, so every rebuild reports "The
# configuration has changed (7 options: 'html_css_files', ...)". Those are write-time options:
# no page is re-read because of them.

exclude_patterns = ["**.ipynb_checkpoints", "README.md"]

# Every cross-reference must resolve. There is no network at build time, so no intersphinx:
# numpy's and matplotlib's types are named in signatures but not linked.
nitpicky = True

nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|np|npt|matplotlib|numpy\.typing)\..*"),
    (r"py:.*", r"(ArrayLike|NDArray|Axes|ndarray)"),
    (r"py:.*", r"(collections\.abc|typing)\..*"),
]

# --- Numbering (site2) -----------------------------------------------------------------------
#
# The root's part toctrees are :numbered:; conf/_ext/continuous_numbering.py makes the chapter
# numbers run on from one part to the next (Sphinx alone restarts at 1 in every part). The
# reference and front-matter pages sit in unnumbered toctrees. Figures, tables, equations and
# statements (conf/_ext/statements.py) are numbered per chapter: "Figure 3.2", "(3.1)",
# "Theorem 3.1". numfig_secnum_depth = 1 (Sphinx's default) takes the chapter's number only;
# math_numfig (default True) numbers labelled equations like figures.
numfig = True
numfig_secnum_depth = 1
math_numfig = True
numfig_format = {"figure": "Figure %s", "table": "Table %s", "code-block": "Listing %s"}

# --- MyST and notebook execution -------------------------------------------------------------

myst_enable_extensions = ["amsmath", "dollarmath", "colon_fence", "deflist", "substitution"]
myst_heading_anchors = 3

# The execution cache is keyed on relukit's source and the pins as well as on the cells
# (conf/_ext/execution_cache.py sets nb_execution_cache_path when the build starts):
#   build/jupyter_cache/<hash of src/relukit/**/*.py, pyproject.toml, uv.lock, docs/data>/
execution_cache_folder = str(BUILD / "jupyter_cache")
execution_cache_key_root = str(ROOT)
# docs/data/*.json: the measured records that chapters read (a changed record re-runs them).
execution_cache_key_inputs = ["src/relukit", "pyproject.toml", "uv.lock", "docs/data"]

nb_execution_mode = "cache"
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 300
nb_merge_streams = True
# Markdown outputs (the tables cells build with relukit.tables) are GitHub-flavoured: tables.
nb_render_markdown_format = "gfm"
# Anything a cell writes to stderr (a RuntimeWarning, say) is a build warning, so -W fails it.
nb_output_stderr = "warn"

# --- Library reference -----------------------------------------------------------------------

# relukit's version, shown in the footer and on the API page.
from importlib.metadata import version as _relukit_version  # noqa: E402

release = version = _relukit_version("relukit")
# Signatures show relukit's named types, not numpy's expanded unions (which list str and
# bytes, which relukit rejects).
autodoc_type_aliases = {
    "ArrayLike": "relukit.typing.ArrayLike",
    "RealArray": "relukit.typing.RealArray",
    "GeluApproximation": "relukit.typing.GeluApproximation",
}
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
# Author-year, in the text and in the bibliography alike (conf/_ext/book_bibliography.py):
# "(He et al., 2015)" and "He et al. (2015)" in the text; "He, K., Zhang, X., ... (2015). Title.
# Venue. doi:..." in the bibliography, sorted by author and year, each entry linked to its DOI,
# arXiv page or URL and back to every place that cites it.
bibtex_default_style = "book_author_year"
bibtex_reference_style = "book_author_year"

# --- Where the book lives ------------------------------------------------------------------
#
# Two settings, read from the environment so that no build points at a guess:
#   REPOSITORY_URL  the repository's web address, e.g. https://github.com/<owner>/<repo>
#   SITE_URL        the address the built book is served from, e.g. https://<owner>.github.io/<repo>/
# (and REPOSITORY_BRANCH, default "main"). The GitHub Pages workflow sets all three; on Read the
# Docs they come from the variables it sets for every build. Unset (a local build), the book has
# no repository, edit or launch buttons, no canonical links and no sitemap, rather than links
# to an address nobody has checked.


def _repository_url() -> str:
    url = os.environ.get("REPOSITORY_URL", "").strip()
    if not url and os.environ.get("READTHEDOCS") == "True":
        url = os.environ.get("READTHEDOCS_GIT_CLONE_URL", "").strip()
        if url.startswith("git@github.com:"):
            url = "https://github.com/" + url.removeprefix("git@github.com:")
    url = url.removesuffix("/").removesuffix(".git")
    return url if urlsplit(url).scheme == "https" else ""


def _site_url() -> str:
    url = (
        os.environ.get("SITE_URL", "").strip()
        or os.environ.get("READTHEDOCS_CANONICAL_URL", "").strip()
    )
    if not url:
        return ""
    return url if url.endswith("/") else url + "/"


REPOSITORY_URL = _repository_url()
REPOSITORY_BRANCH = (
    os.environ.get("REPOSITORY_BRANCH", "").strip()
    or (os.environ.get("READTHEDOCS_GIT_IDENTIFIER", "") if REPOSITORY_URL else "")
    or "main"
)
SITE_URL = _site_url()

# --- HTML ------------------------------------------------------------------------------------

html_theme = "sphinx_book_theme"
html_title = project
html_logo = "_static/logo.svg"
html_favicon = "_static/logo.svg"
# The theme's light/dark/auto switch starts on the reader's system preference. Without this the
# theme logs "Got invalid theme mode" to the console on a first visit.
html_context = {"default_mode": "auto"}
html_static_path = ["_static"]
templates_path = ["_templates"]
html_css_files = ["book.css", "statements.css", "reading.css", ("print.css", {"media": "print"})]
html_js_files = ["print.js"]  # opens every folded part before printing
html_last_updated_fmt = None
html_copy_source = True  # the download menu offers each chapter's .md source ...
# ... and its executed notebook, _sources/<chapter>.ipynb (conf/_ext/notebook_downloads.py).

html_theme_options: dict[str, object] = {
    "show_toc_level": 2,
    "home_page_in_toc": True,
    "logo": {
        "image_light": "_static/logo.svg",
        "image_dark": "_static/logo-dark.svg",
        "alt_text": "The Anatomy of ReLU: home",
    },
    "use_download_button": True,
    "use_fullscreen_button": False,
}
# --- The whole book as a PDF (nox -s pdf; conf/_ext/book_pdf.py) ---------------------------
# BOOK_PDF names a PDF built before; the site then offers it in every page's download menu.
# The Pages workflow sets it; a local build has no PDF and shows no link to one.
book_pdf = (
    str(ROOT / os.environ["BOOK_PDF"]) if os.environ.get("BOOK_PDF") else ""
)  # relative: to ROOT

# --- Footer: the licences, and the relukit version the book was built with ----------------
# (conf/_templates/licence.html). Code is MIT, text and figures CC BY 4.0.
html_context["relukit_version"] = metadata.version("relukit")
html_theme_options["footer_content_items"] = [
    "author.html",
    "copyright.html",
    "licence.html",
    "last-updated.html",
    "extra-footer.html",
]

# The theme builds edit and source links for these hosts only.
if urlsplit(REPOSITORY_URL).netloc in {"github.com", "gitlab.com", "bitbucket.org"}:
    html_theme_options |= {
        "repository_url": REPOSITORY_URL,
        "repository_branch": REPOSITORY_BRANCH,
        "path_to_docs": "docs",
        "use_repository_button": True,
        "use_source_button": True,
        "use_edit_page_button": True,
        "use_issues_button": False,  # issues may be switched off: no link we cannot vouch for
    }
    if urlsplit(REPOSITORY_URL).netloc == "github.com":
        # Binder builds the repository (binder/requirements.txt: relukit and jupytext) and
        # binder/postBuild makes JupyterLab open the MyST .md chapters as notebooks.
        html_theme_options["launch_buttons"] = {
            "binderhub_url": "https://mybinder.org",
            "notebook_interface": "jupyterlab",
        }

# --- The hosted site: canonical URL, 404 page, sitemap, OpenGraph ----------------------------

# The 404 page is served for any missing address, so its links are absolute: they start with
# the path of SITE_URL ("/" for a local build served from its root).
notfound_urls_prefix = urlsplit(SITE_URL).path or "/"
notfound_context = {
    "title": "Page not found",
    "body": (
        "<h1>Page not found</h1>\n<p>There is no page at this address in "
        f'<em>{project}</em>. The <a href="{notfound_urls_prefix}index.html">home page</a> '
        "lists every chapter, and the search finds a word in any of them.</p>"
    ),
}

if SITE_URL:
    html_baseurl = SITE_URL  # <link rel="canonical"> on every page
    extensions += ["sphinx_sitemap", "sphinxext.opengraph"]
    sitemap_url_scheme = "{link}"
    sitemap_excludes = ["search.html", "genindex.html", "py-modindex.html", "404.html"]
    ogp_site_url = SITE_URL
    ogp_site_name = project
    ogp_social_cards = {"enable": False}  # matplotlib-drawn PNG cards: heavy, and not needed
    ogp_enable_meta_description = True

# --- The site as a reading device (issue 9): navigation, math, search -----------------------
# Checked in a browser by tests/browser/ (nox -s browser).

# Navigation. pydata-sphinx-theme 0.20 sets `navbar_persistent` to a search button whenever
# conf.py does not name it, which overrides sphinx-book-theme's empty default. The top navbar
# it then renders holds a second search box and hidden copies of the two sidebar toggles, and
# both themes bind their click handlers to the first `.primary-toggle` / `.secondary-toggle`
# of the page (querySelector): the hidden copies. The visible buttons did nothing. Without
# that navbar each exists once (sphinx-book-theme#999, #988, #935; pydata-sphinx-theme#2451).
html_theme_options["navbar_persistent"] = []
# The drawers close when one of their links is followed (conf/_static/drawer-links.js).
html_js_files = [*html_js_files, ("drawer-links.js", {"defer": "defer"})]
# The logo for the system's colour mode from the first paint (conf/_static/site-chrome.css).
html_css_files = [*html_css_files, "site-chrome.css"]

# Formulas: drawn by KaTeX when the book is built (conf/_ext/build_time_math.py), so pages need
# no script and no network for them. The KaTeX that renders is npm's, pinned in
# package-lock.json; the stylesheet and fonts pages load are copied from the same package.
html_math_renderer = "katex_checked"  # sphinxcontrib-katex, with parse errors as warnings
katex_prerender = True
katex_js_path = str(ROOT / "node_modules" / "katex" / "dist" / "katex.min.js")
katex_css_path = "katex/katex.min.css"  # in _static/, next to its fonts
# myst-parser marks every page's sections "mathjax_ignore" for MathJax's sake: no MathJax here.
myst_update_mathjax = False

# Search: a page whose own title holds the query's words ranks first (conf/search-scorer.js;
# Sphinx opens this path from the current directory, not from conf/).
html_search_scorer = str(ROOT / "conf" / "search-scorer.js")
