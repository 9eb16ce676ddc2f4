"""Shared test configuration: the figure backend and the hypothesis profile.

The test modules cannot import one another (pytest runs with --import-mode=importlib), so
each states the tables it needs beside the tests that use them.
"""

from __future__ import annotations

import matplotlib
import pytest
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

# Figures are drawn off screen, on every machine.
matplotlib.use("Agg")


def pytest_configure(config: pytest.Config) -> None:
    """Choose the hypothesis profile.

    Under CI (CI=true) hypothesis has loaded its own "ci" profile: derandomized, no
    deadline, no example database. Elsewhere examples stay random, without the 200 ms
    deadline per example (a first call into numpy or scipy can exceed it on a busy two-core
    machine), and failing examples are kept in pytest's cache directory rather than in
    ./.hypothesis, which pytest would then try to collect (pyproject's norecursedirs replaces
    pytest's default list, and the hypothesis plugin's warning about it is an error here).
    """
    if settings.get_current_profile_name() == "ci":
        return
    cache = getattr(config, "cache", None)
    database = None if cache is None else DirectoryBasedExampleDatabase(cache.mkdir("hypothesis"))
    settings.register_profile("relukit-dev", deadline=None, database=database)
    settings.load_profile("relukit-dev")
