"""ReLU's algebra, property by property, over all finite floats (relukit.activations.relu).

Each identity below holds exactly in floating point, not just approximately: the comment
beside it says why, so an equality test is the right one.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from relukit import leaky_relu, relu, relu6, relu_derivative

FINITE = st.floats(allow_nan=False, allow_infinity=False)
FLOAT_ARRAYS = hnp.arrays(
    st.sampled_from([np.float16, np.float32, np.float64]),
    hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5),
    elements={"allow_nan": False, "allow_infinity": False},
)


@given(x=FINITE)
def test_relu_is_x_for_positive_x_and_0_otherwise(x: float) -> None:
    assert relu(x) == (x if x > 0 else 0.0)


@given(x=FLOAT_ARRAYS)
def test_relu_is_nonnegative(x: np.ndarray) -> None:
    assert np.all(relu(x) >= 0)


@given(x=FLOAT_ARRAYS)
def test_relu_is_idempotent(x: np.ndarray) -> None:
    once = relu(x)
    np.testing.assert_array_equal(relu(once), once)


@given(x=FLOAT_ARRAYS)
def test_relu_of_x_minus_relu_of_minus_x_is_x(x: np.ndarray) -> None:
    # One of the two terms is 0, so the subtraction is exact.
    np.testing.assert_array_equal(relu(x) - relu(-x), x)


@given(x=FLOAT_ARRAYS)
def test_relu_of_x_plus_relu_of_minus_x_is_the_absolute_value(x: np.ndarray) -> None:
    np.testing.assert_array_equal(relu(x) + relu(-x), np.abs(x))


@given(x=FINITE, a=st.floats(min_value=0, allow_infinity=False))
def test_relu_is_positively_homogeneous(x: float, a: float) -> None:
    # relu(a x) == a relu(x) for a >= 0, exactly even with rounding: for x > 0 both sides are
    # the same rounded product fl(a x) (inf if it overflows, 0 if it underflows); for x <= 0
    # fl(a x) <= 0, so the left side is 0, and so is a * 0 on the right.
    with np.errstate(over="ignore", under="ignore"):
        ax = np.float64(a) * np.float64(x)
        assert relu(ax) == np.float64(a) * relu(x)


@given(x=st.floats(-1e280, 1e280), k=st.integers(-60, 60))
def test_relu_commutes_with_scaling_by_a_power_of_two(x: float, k: int) -> None:
    # A power of two scales without rounding while the result stays normal (|x| in
    # [1e-280, 1e280] and |k| <= 60 keep 2^k x between 1e-298 and 1.2e298): 2^k x is exact.
    scale = 2.0**k
    x = x if abs(x) > 1e-280 else 0.0  # keep 2^k x out of the subnormal range
    assert relu(scale * x) == scale * relu(x)
    assert relu(scale * x) / scale == relu(x)


@given(x=FINITE, y=FINITE)
def test_relu_is_monotone_non_decreasing(x: float, y: float) -> None:
    low, high = min(x, y), max(x, y)
    assert relu(low) <= relu(high)


@given(x=hnp.arrays(np.float64, st.integers(0, 50), elements=FINITE))
def test_relu_maps_sorted_arrays_to_sorted_arrays(x: np.ndarray) -> None:
    values = relu(np.sort(x))
    assert np.all(np.diff(values) >= 0)


@given(x=FINITE)
def test_relu_is_x_times_its_derivative(x: float) -> None:
    # Euler's identity for a function homogeneous of degree 1: relu(x) = x relu'(x). Exact:
    # the derivative is 0 or 1 (0 at x = 0, so either convention gives 0 there).
    assert relu(x) == x * relu_derivative(x)
    assert relu(x) == x * relu_derivative(x, at_zero=0.5)


@given(x=FINITE, slope=st.floats(0, 1))
def test_leaky_relu_is_relu_minus_slope_times_relu_of_minus_x(x: float, slope: float) -> None:
    # For x <= 0: -(slope * -x) == slope * x exactly (rounding is symmetric); for x > 0: x.
    assert leaky_relu(x, negative_slope=slope) == relu(x) - slope * relu(-x)


@given(x=FLOAT_ARRAYS)
def test_leaky_relu_with_slope_0_is_relu(x: np.ndarray) -> None:
    np.testing.assert_array_equal(leaky_relu(x, negative_slope=0.0), relu(x))


@given(x=FLOAT_ARRAYS)
def test_relu6_is_relu_capped_at_6(x: np.ndarray) -> None:
    np.testing.assert_array_equal(relu6(x), np.minimum(relu(x), 6))


@given(
    x=hnp.arrays(
        st.sampled_from([np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint32]),
        st.integers(0, 20),
    )
)
def test_relu_on_integers_keeps_the_dtype_and_zeroes_the_negatives(x: np.ndarray) -> None:
    result = relu(x)
    assert result.dtype == x.dtype
    np.testing.assert_array_equal(result, np.where(x > 0, x, 0))
