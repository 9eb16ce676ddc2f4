"""relukit.maxout: the maximum over groups of k, its winners and its gradient.

Reference values are worked out by hand beside each example; the properties (ReLU and leaky
ReLU as special cases, the gradient against finite differences, the tie convention) are
checked with hypothesis.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import relukit
from relukit.maxout import maxout, maxout_backward, maxout_winners

FINITE = st.floats(-1e6, 1e6, allow_nan=False)


def test_reference_values_by_hand() -> None:
    z = np.array([[1.0, -2.0, 0.5, 3.0, -4.0, -1.0], [0.0, 0.0, -1.0, -0.5, 7.0, 7.5]])
    # k = 2: pairs (1, -2) (0.5, 3) (-4, -1) | (0, 0) (-1, -0.5) (7, 7.5)
    np.testing.assert_array_equal(maxout(z, 2), [[1.0, 3.0, -1.0], [0.0, -0.5, 7.5]])
    np.testing.assert_array_equal(maxout_winners(z, 2), [[0, 1, 1], [0, 1, 1]])
    # k = 3: triples (1, -2, 0.5) (3, -4, -1) | (0, 0, -1) (-0.5, 7, 7.5)
    np.testing.assert_array_equal(maxout(z, 3), [[1.0, 3.0], [0.0, 7.5]])
    # k = 1 is the identity
    np.testing.assert_array_equal(maxout(z, 1), z)
    g = maxout_backward(z, np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), 2)
    np.testing.assert_array_equal(
        g, [[1.0, 0.0, 0.0, 2.0, 0.0, 3.0], [4.0, 0.0, 0.0, 5.0, 0.0, 6.0]]
    )


@given(x=hnp.arrays(np.float64, st.integers(1, 20), elements=FINITE))
def test_maxout_of_z_and_0_is_relu(x: np.ndarray) -> None:
    pairs = np.stack([x, np.zeros_like(x)], axis=-1).reshape(-1)
    np.testing.assert_array_equal(maxout(pairs, 2), relukit.relu(x))


@given(
    x=hnp.arrays(np.float64, st.integers(1, 20), elements=FINITE),
    a=st.sampled_from([0.0, 0.01, 0.25, 0.5, 1.0]),
)
def test_maxout_of_z_and_a_z_is_leaky_relu_for_a_in_0_1(x: np.ndarray, a: float) -> None:
    pairs = np.stack([x, a * x], axis=-1).reshape(-1)
    np.testing.assert_array_equal(maxout(pairs, 2), relukit.leaky_relu(x, negative_slope=a))


def test_relu_as_maxout_takes_its_derivative_at_0_from_the_order_of_the_pieces() -> None:
    """A tie (z = 0 against the constant 0) goes to the first piece. With z first, the
    gradient that reaches z is 1 at z = 0 (ReLU'(0) = 1, unlike relu_derivative's 0); with
    the constant first it is 0, relu_derivative's value. Elsewhere the order does not
    matter."""
    z = np.array([-1.0, 0.0, 1.0])
    ones = np.ones_like(z)
    z_first = maxout_backward(np.stack([z, 0 * z], axis=-1).ravel(), ones, 2)[0::2]
    zero_first = maxout_backward(np.stack([0 * z, z], axis=-1).ravel(), ones, 2)[1::2]
    np.testing.assert_array_equal(z_first, [0.0, 1.0, 1.0])
    np.testing.assert_array_equal(zero_first, [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(zero_first, relukit.relu_derivative(z))


@given(
    z=hnp.arrays(np.float64, (3, 12), elements=st.floats(-10, 10), unique=True),
    k=st.sampled_from([1, 2, 3, 4, 6]),
    seed=st.integers(0, 2**16),
)
def test_the_gradient_is_the_central_difference_where_the_maximum_is_unique(
    z: np.ndarray, k: int, seed: int
) -> None:
    groups = np.sort(z.reshape(3, -1, k), axis=-1)
    if k > 1:
        assume(np.min(groups[..., -1] - groups[..., -2]) > 1e-3)  # unique with a margin
    weights = np.random.default_rng(seed).normal(size=(3, 12 // k))

    def loss(v: np.ndarray) -> float:
        return float(np.sum(weights * maxout(v, k)))

    grad = maxout_backward(z, weights, k)
    h = 1e-5
    for index in np.ndindex(z.shape):
        step = np.zeros_like(z)
        step[index] = h
        estimate = (loss(z + step) - loss(z - step)) / (2 * h)
        assert grad[index] == pytest.approx(estimate, abs=1e-8)


@given(z=hnp.arrays(np.float64, (2, 8), elements=FINITE), k=st.sampled_from([1, 2, 4, 8]))
def test_each_unit_passes_its_gradient_to_exactly_one_entry(z: np.ndarray, k: int) -> None:
    ones = np.ones((2, 8 // k))
    g = maxout_backward(z, ones, k).reshape(2, -1, k)
    np.testing.assert_array_equal(g.sum(axis=-1), ones)
    np.testing.assert_array_equal(
        np.take_along_axis(z.reshape(2, -1, k), maxout_winners(z, k)[..., None], axis=-1)[..., 0],
        maxout(z, k),
    )


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_dtypes_are_kept_and_integers_promoted(dtype: type) -> None:
    z = np.array([1.0, -2.0, 0.5, 3.0], dtype=dtype)
    assert maxout(z, 2).dtype == dtype
    assert maxout_backward(z, np.ones(2, dtype=dtype), 2).dtype == dtype
    assert maxout(np.array([1, 2]), 2).dtype == np.float64


def test_nan_in_a_group_gives_nan_and_wins_it() -> None:
    z = np.array([1.0, np.nan, 2.0, 3.0])
    out = maxout(z, 2)
    assert np.isnan(out[0])
    assert out[1] == 3.0
    np.testing.assert_array_equal(maxout_winners(z, 2), [1, 1])


@pytest.mark.parametrize(
    ("z", "k", "error", "message"),
    [
        (np.ones(6), 4, ValueError, "not a multiple of k = 4"),
        (np.ones(6), 0, ValueError, "positive integer; got 0"),
        (np.ones(6), 2.0, TypeError, "positive integer; got float"),
        (np.ones(6), True, TypeError, "positive integer; got bool"),
        (np.float64(1.0), 1, ValueError, "at least one axis"),
        (np.array([1 + 2j, 0]), 2, TypeError, "real line only"),
        ("12", 1, TypeError, "must be real numbers"),
    ],
)
def test_bad_input_raises_a_clear_error(z: Any, k: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        maxout(z, k)
    with pytest.raises(error, match=message):
        maxout_winners(z, k)


def test_a_gradient_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(ValueError, match=r"grad_output has shape \(3,\)"):
        maxout_backward(np.ones(4), np.ones(3), 2)
    with pytest.raises(TypeError, match="grad_output must be"):
        maxout_backward(np.ones(4), ["a", "b"], 2)
