"""Shared test configuration: the figure backend and the hypothesis profile.

The test modules cannot import one another (pytest runs with --import-mode=importlib), so
each states the tables it needs beside the tests that use them.
"""

from __future__ import annotations

import matplotlib
import pytest
from hypothesis import settings

# Figures are drawn off screen, on every machine.
matplotlib.use("Agg")


def pytest_configure(config: pytest.Config) -> None:
    """Choose the hypothesis profile.

    Under CI (CI=true) hypothesis has loaded its own "ci" profile: derandomized, no
    deadline, no example database. Elsewhere examples stay random, without the 200 ms
    deadline per example: a first call into numpy or scipy can exceed it on a busy two-core
    machine.
    """
    if settings.get_current_profile_name() == "ci":
        return
    settings.register_profile("relukit-dev", deadline=None)
    settings.load_profile("relukit-dev")
