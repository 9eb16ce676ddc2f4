"""conf/: importing the configuration changes nothing; the execution cache is set up at build time.

Run by `nox -s browser` (it has Sphinx and jupyter-cache); not collected by `nox -s tests`.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "conf" / "_ext"))

import execution_cache  # noqa: E402


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(folder.rglob("*"))
    }


def test_importing_conf_changes_nothing_on_disk(tmp_path: Path) -> None:
    """A copy of the repository's conf/, src/ and pyproject.toml, imported: no file appears."""
    for name in ("conf", "src", "docs"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    before = snapshot(tmp_path)
    spec = importlib.util.spec_from_file_location("book_conf", tmp_path / "conf" / "conf.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "build").exists()
    # The cache is declared, not computed: the extension derives the path at config-inited.
    assert not hasattr(module, "nb_execution_cache_path")
    assert module.execution_cache_folder == str(tmp_path / "build" / "jupyter_cache")


def config(tmp_path: Path, path: str = "") -> SimpleNamespace:
    return SimpleNamespace(
        nb_execution_cache_path=path,
        execution_cache_folder=str(tmp_path / "build" / "jupyter_cache"),
        execution_cache_key_root=str(tmp_path),
        execution_cache_key_inputs=["src/relukit", "pyproject.toml"],
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "src" / "relukit").mkdir(parents=True)
    (tmp_path / "src" / "relukit" / "__init__.py").write_text("x = 1\n")
    (tmp_path / "pyproject.toml").write_text("[project]\n")
    return tmp_path


def test_cache_named_after_the_library_and_stale_caches_removed(project: Path) -> None:
    caches = project / "build" / "jupyter_cache"
    (caches / "0123456789abcdef").mkdir(parents=True)  # an earlier library version's cache
    conf = config(project)
    execution_cache.prepare_execution_cache(None, conf)  # type: ignore[arg-type]
    first = Path(conf.nb_execution_cache_path)
    assert first.parent == caches
    assert (first / "global.db").is_file(), "the database is created before the readers start"
    assert [p.name for p in caches.iterdir()] == [first.name], "the stale cache is still there"

    # Change the library: a new cache, and the old one goes.
    (project / "src" / "relukit" / "__init__.py").write_text("x = 2\n")
    conf = config(project)
    execution_cache.prepare_execution_cache(None, conf)  # type: ignore[arg-type]
    second = Path(conf.nb_execution_cache_path)
    assert second != first
    assert [p.name for p in caches.iterdir()] == [second.name]

    # A change to a file that is not an input leaves the key alone.
    (project / "src" / "relukit" / "notes.txt").write_text("not code")
    conf = config(project)
    execution_cache.prepare_execution_cache(None, conf)  # type: ignore[arg-type]
    assert Path(conf.nb_execution_cache_path) == second


def test_an_explicit_cache_path_is_used_as_given(project: Path) -> None:
    """nox -s reproducible passes -D nb_execution_cache_path=...: build/ is left alone."""
    stale = project / "build" / "jupyter_cache" / "0123456789abcdef"
    stale.mkdir(parents=True)
    given = project / "elsewhere" / "cache"
    conf = config(project, str(given))
    execution_cache.prepare_execution_cache(None, conf)  # type: ignore[arg-type]
    assert conf.nb_execution_cache_path == str(given)
    assert (given / "global.db").is_file()
    assert stale.is_dir()


def test_records_to_delete_in_one_query_picks_what_jupyter_cache_picks(tmp_path: Path) -> None:
    """The replacement for the parallel build (one snapshot) agrees with the original when
    nothing is stored meanwhile: the oldest records beyond the limit, none below it."""
    import time

    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.cache.db import NbCacheRecord

    cache = get_cache(str(tmp_path))
    for i in range(5):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"x = {i}")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        cache.cache_notebook_bundle(CacheBundleIn(nb, f"/n{i}.ipynb"), check_validity=False)
        time.sleep(0.01)  # distinct access times
    original = NbCacheRecord.records_to_delete  # no setup() here: jupyter-cache's own
    assert original is not execution_cache.records_to_delete
    for keep in (0, 2, 5, 10):
        expected = sorted(original(keep, cache.db))
        assert sorted(execution_cache.records_to_delete(keep, cache.db)) == expected
    assert sorted(execution_cache.records_to_delete(2, cache.db)) == [1, 2, 3]
