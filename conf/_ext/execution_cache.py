"""The notebooks' execution cache, keyed on the library as well as on the cells.

jupyter-cache keys cached outputs on a notebook's code cells only. The notebooks import
relukit, so a change to the library (or to a pinned version) must invalidate every cached
output. This extension names the cache folder after a hash of those inputs:

    <execution_cache_folder>/<hash of execution_cache_key_inputs>/

and sets ``nb_execution_cache_path`` to it. Because that is an "env" config value, Sphinx
re-reads every page when the hash changes. Caches of earlier hashes can never be hit again and
are removed. The cache's sqlite database is created here, in the main process: with ``-j auto``
the notebooks are read in parallel processes, and on a cold build each would create it at once
("table settings already exists").

jupyter-cache's clean-up after each stored notebook (``truncate_caches``) picks the records to
delete with two queries, the newest ``cache_limit`` records and then every record not among
them, each in its own sqlite snapshot. In a parallel build another process can store a notebook
between the two: its record is then "to delete" while its file is not written yet, and the
build stops with "KeyError: Notebook file does not exist for cache record" (seen in CI with 35
notebooks on two workers). ``records_to_delete`` is replaced here by one query, every record
after the newest ``cache_limit`` (jupyter-cache 1.0.1): a record stored meanwhile is among the
newest and is kept.

Nothing happens on import (conf.py stays free of side effects); all of it runs at
``config-inited``, before Sphinx loads its environment (so the new path is compared with the
old) and long before the parallel readers start. A path given on the command line
(``-D nb_execution_cache_path=...``, as ``nox -s reproducible`` does) is used as given: no
hashing, no clean-up of other folders; its database is created all the same.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)


def fingerprint(root: Path, inputs: list[str]) -> str:
    """A short hash of the files named by ``inputs`` (relative to ``root``).

    A folder stands for every ``*.py`` and ``*.json`` file under it (the library's source,
    the measured records in docs/data). Each file's path (relative, POSIX) and
    bytes go into the hash, in sorted order per folder and in the order given overall.
    """
    digest = hashlib.sha256()
    for name in inputs:
        path = root / name
        if path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.suffix in {".py", ".json"})
        else:
            files = [path]
        for file in files:
            digest.update(file.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def create_database(cache: Path) -> None:
    """Create the cache folder and its sqlite database if they do not exist yet."""
    from jupyter_cache import get_cache

    cache.mkdir(parents=True, exist_ok=True)
    get_cache(str(cache)).db  # noqa: B018 (the property creates the database)


def prepare_execution_cache(app: Sphinx, config: Config) -> None:
    if config.nb_execution_cache_path:  # given explicitly (-D): used as given
        create_database(Path(config.nb_execution_cache_path))
        return
    folder = Path(config.execution_cache_folder)
    inputs: list[str] = list(config.execution_cache_key_inputs)
    cache = folder / fingerprint(Path(config.execution_cache_key_root), inputs)
    if folder.is_dir():  # caches of earlier library versions can never be hit again
        for stale in folder.iterdir():
            if stale != cache:
                logger.info(f"removing a stale execution cache: {stale.name}")
                shutil.rmtree(stale, ignore_errors=True)
    create_database(cache)
    config.nb_execution_cache_path = str(cache)


def records_to_delete(keep: int, db: Any) -> list[int]:
    """The records beyond the ``keep`` most recently accessed, in one query (one snapshot)."""
    from jupyter_cache.cache.db import NbCacheRecord, session_context
    from sqlalchemy import desc

    with session_context(db) as session:
        query = session.query(NbCacheRecord.pk).order_by(desc("accessed")).offset(keep)
        return [pk for (pk,) in query.all()]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_nb")  # nb_execution_cache_path is myst-nb's config value
    from jupyter_cache.cache.db import NbCacheRecord

    # Before the parallel readers fork, so that they inherit it (see the module's docstring).
    NbCacheRecord.records_to_delete = staticmethod(records_to_delete)  # type: ignore[method-assign]
    # Where the caches live, and what besides the cells they are keyed on (files, or folders
    # standing for their *.py files), relative to execution_cache_key_root.
    app.add_config_value("execution_cache_folder", "", "", types=frozenset({str}))
    app.add_config_value("execution_cache_key_root", "", "", types=frozenset({str}))
    app.add_config_value("execution_cache_key_inputs", [], "", types=frozenset({list, tuple}))
    # Before every other handler (default priority 500) that might read the cache path.
    app.connect("config-inited", prepare_execution_cache, priority=100)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
