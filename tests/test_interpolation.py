"""relukit.interpolation.relu_interpolant: a ReLU network equal to an interpolant."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relukit.interpolation import relu_interpolant
from relukit.network import MLP


def evaluate(net: MLP, x: list[float] | np.ndarray) -> np.ndarray:
    """The network's output at the points ``x``, as a 1-d array."""
    return net.predict(np.asarray(x, dtype=float)[:, None]).ravel()


def test_reference_values_of_a_tent_and_its_extension() -> None:
    # Knots 0, 1, 3 and values 0, 2, 0: slopes 2 then -1, continued beyond the ends.
    net = relu_interpolant([0.0, 1.0, 3.0], [0.0, 2.0, 0.0])
    x = [-1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 5.0]
    expected = [-2.0, 0.0, 1.0, 2.0, 1.0, 0.0, -2.0]  # by hand
    assert evaluate(net, x).tolist() == expected
    assert net.sizes == (1, 2, 1)


def test_two_knots_give_an_affine_function_with_two_units() -> None:
    net = relu_interpolant([0.0, 2.0], [1.0, 5.0])  # 1 + 2x
    assert net.sizes == (1, 2, 1)
    assert evaluate(net, [-1.0, 0.0, 1.0, 3.0]).tolist() == [-1.0, 1.0, 3.0, 7.0]


def test_absolute_value_weights_are_the_textbook_ones() -> None:
    net = relu_interpolant([-1.0, 0.0, 1.0], [1.0, 0.0, 1.0])
    # |x| = ReLU(-x) + ReLU(x): first layer -1, 1 with biases 0; output 1, 1, bias 0.
    assert net.params["W1"].ravel().tolist() == [-1.0, 1.0]
    assert net.params["b1"].tolist() == [0.0, 0.0]
    assert net.params["W2"].ravel().tolist() == [1.0, 1.0]
    assert net.params["b2"].tolist() == [0.0]


@given(
    steps=st.lists(st.sampled_from([1, 2, 4, 8]), min_size=1, max_size=30),
    start=st.integers(-50, 50),
    values=st.lists(st.integers(-64, 64), min_size=31, max_size=31),
)
def test_dyadic_data_are_reproduced_bit_for_bit(
    steps: list[int], start: int, values: list[int]
) -> None:
    # Knots on the grid of step 1/4, gaps 1/4, 1/2, 1 or 2, integer values: slopes are
    # multiples of 1/2, every intermediate result is a short binary fraction, and float64
    # computes it exactly.
    knots = (start + np.cumsum([0, *steps])) / 4
    v = np.array(values[: knots.size], dtype=float)
    net = relu_interpolant(knots, v)
    assert net.sizes == (1, max(knots.size - 1, 2), 1)
    x = np.arange(4 * knots[0] - 8, 4 * knots[-1] + 9) / 4  # knots, between, and beyond
    slopes = np.diff(v) / np.diff(knots)
    inside = np.interp(x, knots, v)
    left = v[0] + slopes[0] * (x - knots[0])
    right = v[-1] + slopes[-1] * (x - knots[-1])
    expected = np.where(x < knots[0], left, np.where(x > knots[-1], right, inside))
    assert np.array_equal(evaluate(net, x), expected)


@given(
    knots=st.lists(st.floats(-100, 100, allow_nan=False), min_size=2, max_size=40, unique=True).map(
        sorted
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_agrees_with_linear_interpolation_up_to_rounding(knots: list[float], seed: int) -> None:
    t = np.array(knots)
    if np.any(np.diff(t) < 1e-3):  # keep slopes moderate: this test is about rounding
        return
    v = np.random.default_rng(seed).uniform(-10, 10, t.size)
    net = relu_interpolant(t, v)
    x = np.linspace(t[0], t[-1], 513)
    # Each output is a sum of at most 41 products, each product of size at most
    # max |w| * |x - t|; float64's rounding error is far below this bound.
    scale = np.abs(net.params["W2"]).sum() * (np.ptp(t) + 1) + np.abs(v).max()
    assert np.max(np.abs(evaluate(net, x) - np.interp(x, t, v))) <= 1e-12 * scale


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_dtype_is_the_networks(dtype: str) -> None:
    net = relu_interpolant([0.0, 1.0, 2.0], [0.0, 1.0, 0.0], dtype=dtype)
    assert net.params["W1"].dtype == np.dtype(dtype)
    assert evaluate(net, [1.0]).tolist() == [1.0]


@pytest.mark.parametrize(
    ("knots", "values", "message"),
    [
        ([0.0, 1.0, 1.0], [0.0, 1.0, 2.0], "strictly increasing"),
        ([1.0, 0.0], [0.0, 1.0], "strictly increasing"),
        ([0.0, 1.0], [0.0, 1.0, 2.0], "differ in length"),
        ([0.0], [0.0], "at least two knots"),
        ([[0.0, 1.0]], [[0.0, 1.0]], "1-d"),
        ([0.0, math.nan], [0.0, 1.0], "finite"),
        ([0.0, 1.0], [0.0, math.inf], "finite"),
    ],
)
def test_bad_knots_or_values_raise_value_error(
    knots: list[float], values: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        relu_interpolant(knots, values)


@pytest.mark.parametrize("bad", ["0 1", None, [True, False], [1j, 2j]])
def test_non_real_input_raises_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="knots must be"):
        relu_interpolant(bad, [0.0, 1.0])  # type: ignore[arg-type]


def test_unsupported_dtype_raises_value_error() -> None:
    with pytest.raises(ValueError, match="dtype"):
        relu_interpolant([0.0, 1.0], [0.0, 1.0], dtype="int32")


def test_a_knot_without_a_change_of_slope_still_gets_a_unit_of_weight_zero() -> None:
    # Slopes 2, 1, 1: no breakpoint at 2, yet m = 3 units; the unit at 2 has weight 0.
    net = relu_interpolant([0.0, 1.0, 2.0, 3.0], [0.0, 2.0, 3.0, 4.0])
    assert net.sizes == (1, 3, 1)
    assert net.params["W2"].ravel().tolist() == [-2.0, 1.0, 0.0]
    assert evaluate(net, [-1.0, 1.5, 2.5, 4.0]).tolist() == [-2.0, 2.5, 3.5, 5.0]
