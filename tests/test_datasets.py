"""Tests for relukit.datasets: shapes, labels, reproducibility, the input contract."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from relukit.datasets import moons, regression_1d, two_spirals

Generator = Callable[..., tuple[np.ndarray, np.ndarray]]
CLASSIFIERS: list[Generator] = [two_spirals, moons]


@pytest.mark.parametrize("make", CLASSIFIERS)
def test_classification_sets_have_balanced_integer_labels(make: Generator) -> None:
    x, y = make(101, seed=0)
    assert x.shape == (101, 2)
    assert x.dtype == np.float64
    assert y.dtype == np.int64
    assert y.tolist() == [i % 2 for i in range(101)]


@pytest.mark.parametrize("make", [*CLASSIFIERS, regression_1d])
def test_the_same_seed_gives_the_same_bits_and_another_seed_does_not(make: Generator) -> None:
    x1, y1 = make(50, seed=3)
    x2, y2 = make(50, seed=3)
    assert x1.tobytes() == x2.tobytes()
    assert y1.tobytes() == y2.tobytes()
    assert not np.array_equal(make(50, seed=4)[0], x1)


def test_spirals_without_noise_lie_on_their_spirals() -> None:
    x, y = two_spirals(200, turns=1.5, noise=0.0, seed=0)
    radius = np.hypot(x[:, 0], x[:, 1])
    assert radius.min() >= 0.1 - 1e-12
    assert radius.max() <= 1.0 + 1e-12
    angle = 2 * np.pi * 1.5 * radius + np.pi * y
    np.testing.assert_allclose(x, np.stack([radius * np.cos(angle), radius * np.sin(angle)], 1))


def test_moons_without_noise_lie_on_their_half_circles() -> None:
    x, y = moons(200, noise=0.0, seed=0)
    upper, lower = x[y == 0], x[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert upper[:, 1].min() >= 0
    assert lower[:, 1].max() <= 0.5


def test_regression_target_is_its_formula_plus_noise_of_the_given_size() -> None:
    x, y = regression_1d(20000, noise=0.1, seed=0)
    assert x.shape == (20000, 1)
    assert y.shape == (20000,)
    assert np.all(np.abs(x) <= 3)
    residual = y - (np.sin(2 * x[:, 0]) + 0.3 * x[:, 0])
    assert residual.std() == pytest.approx(0.1, rel=0.03)


@pytest.mark.parametrize("make", [*CLASSIFIERS, regression_1d])
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 1}, "n must be an integer of at least 2"),
        ({"n": 10.0}, "n must be an integer of at least 2"),
        ({"n": True}, "n must be an integer of at least 2"),
        ({"n": 10, "noise": -0.1}, "noise must be non-negative"),
    ],
)
def test_bad_arguments_raise_clear_errors(
    make: Generator, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        make(**kwargs)
