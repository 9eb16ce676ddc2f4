"""relukit.calculus: difference quotients, one-sided limits, the subdifferential, continuity
and monotonicity checks, on functions whose answers are known in closed form."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relukit import Interval, relu, relu_derivative, sigmoid
from relukit.calculus import (
    DEFAULT_STEPS,
    central_difference,
    continuity_gaps,
    difference_quotient,
    is_continuous_at,
    monotonicity,
    one_sided_derivatives,
    relu_subdifferential,
)


def square(x: np.ndarray) -> np.ndarray:
    return np.asarray(x) ** 2


def cube(x: np.ndarray) -> np.ndarray:
    return np.asarray(x) ** 3


def test_default_steps_are_the_powers_of_ten_from_1e_1_to_1e_8() -> None:
    np.testing.assert_allclose(DEFAULT_STEPS, [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8])


# Difference quotients -----------------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 5, 20])
def test_difference_quotient_of_x_squared_at_1_is_2_plus_h(k: int) -> None:
    # ((1 + h)^2 - 1) / h = 2 + h, exact in floating point for h = 2^-k.
    h = 2.0**-k
    np.testing.assert_array_equal(difference_quotient(square, 1.0, [h, -h]), [2 + h, 2 - h])


def test_difference_quotient_of_relu_at_0_is_0_from_the_left_and_1_from_the_right() -> None:
    quotients = difference_quotient(relu, 0.0, [-0.1, -1e-8, 1e-8, 0.1])
    np.testing.assert_array_equal(quotients, [0.0, 0.0, 1.0, 1.0])
    assert not np.any(np.signbit(quotients))  # 0 / negative h is +0.0, not -0.0


def test_difference_quotient_rejects_h_0() -> None:
    with pytest.raises(ValueError, match="non-zero"):
        difference_quotient(relu, 0.0, [0.1, 0.0])


@given(x=st.floats(-100, 100))
def test_central_difference_of_x_cubed_is_3x_squared_plus_h_squared(x: float) -> None:
    # ((x + h)^3 - (x - h)^3) / 2h = 3x^2 + h^2 exactly; the rest is rounding: the cubes are
    # about |x|^3 each, each with relative error eps, divided by 2h.
    h = 1e-3
    rounding = 4 * np.finfo(float).eps * (abs(x) + h) ** 3 / (2 * h)
    assert float(central_difference(cube, x, h)) == pytest.approx(
        3 * x * x + h * h, abs=rounding + 1e-12
    )


def test_central_difference_across_relus_kink_averages_the_slopes() -> None:
    # At 1 the default h = 1e-6 is not exact in binary: (1 + h) - (1 - h) rounds, by 3e-11.
    np.testing.assert_allclose(central_difference(relu, [-1.0, 0.0, 1.0]), [0, 0.5, 1], atol=1e-10)
    np.testing.assert_array_equal(central_difference(relu, [-1.0, 0.0], h=2.0**-20), [0.0, 0.5])


def test_central_difference_is_elementwise_over_x() -> None:
    x = np.linspace(-2, 2, 9)
    np.testing.assert_allclose(central_difference(square, x), 2 * x, atol=1e-9)


@pytest.mark.parametrize("h", [0.0, -1e-3, math.nan, math.inf])
def test_central_difference_rejects_a_step_that_is_not_positive_and_finite(h: float) -> None:
    with pytest.raises(ValueError, match="h must be"):
        central_difference(square, 1.0, h)


# One-sided derivatives ----------------------------------------------------------------------


def test_one_sided_derivatives_of_relu_at_0_are_0_and_1() -> None:
    d = one_sided_derivatives(relu, 0.0)
    assert d.x == 0.0
    np.testing.assert_array_equal(d.steps, DEFAULT_STEPS)
    np.testing.assert_array_equal(d.left, np.zeros(8))
    np.testing.assert_array_equal(d.right, np.ones(8))
    assert (d.left_limit, d.right_limit) == (0.0, 1.0)
    assert not d.agree()


def test_one_sided_derivatives_of_relu_agree_away_from_0() -> None:
    for x in (-2.5, 1e-3, 3.0):
        assert one_sided_derivatives(relu, x).agree()


def test_one_sided_derivatives_of_the_absolute_value_at_0_are_minus_1_and_1() -> None:
    d = one_sided_derivatives(np.abs, 0.0)
    assert (d.left_limit, d.right_limit) == (-1.0, 1.0)
    assert not d.agree(tolerance=1.9)
    assert d.agree(tolerance=2.0)


def test_the_limits_are_the_quotients_at_the_smallest_step_in_any_order() -> None:
    # x^2 at 0: the right quotient is h, the left one -h: the limit estimate is +-min(h).
    d = one_sided_derivatives(square, 0.0, steps=[1e-3, 0.5, 1e-6, 0.1])
    assert d.right_limit == pytest.approx(1e-6)
    assert d.left_limit == pytest.approx(-1e-6)
    np.testing.assert_allclose(d.right, [1e-3, 0.5, 1e-6, 0.1])


@pytest.mark.parametrize("steps", [[], [0.1, 0.0], [-0.1], [math.nan], [math.inf], [[0.1, 0.01]]])
def test_one_sided_derivatives_reject_bad_steps(steps: list[float]) -> None:
    with pytest.raises(ValueError, match="steps"):
        one_sided_derivatives(relu, 0.0, steps=steps)


def test_a_single_step_is_accepted() -> None:
    d = one_sided_derivatives(relu, 0.0, steps=0.5)
    assert (d.left_limit, d.right_limit) == (0.0, 1.0)


# The subdifferential of ReLU ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "expected", "text"),
    [
        (-2.0, Interval.point(0.0), "{0}"),
        (-1e-300, Interval.point(0.0), "{0}"),
        (0.0, Interval(0.0, 1.0, low_closed=True, high_closed=True), "[0, 1]"),
        (-0.0, Interval(0.0, 1.0, low_closed=True, high_closed=True), "[0, 1]"),
        (1e-300, Interval.point(1.0), "{1}"),
        (3.0, Interval.point(1.0), "{1}"),
    ],
)
def test_relu_subdifferential(x: float, expected: Interval, text: str) -> None:
    result = relu_subdifferential(x)
    assert result == expected
    assert str(result) == text


# Multiples of 1/8 and 1/16: every product and sum below is exact, so the definition can be
# checked with >= and no tolerance.
SUPPORT_POINTS = np.arange(-80, 81) / 8  # -10 to 10, through every x drawn and through 0


@given(x=st.integers(-40, 40).map(lambda k: k / 8), g=st.integers(-8, 24).map(lambda k: k / 16))
def test_a_slope_is_in_the_subdifferential_iff_its_line_stays_below_relu(
    x: float, g: float
) -> None:
    # The definition: g is a subgradient at x iff relu(y) >= relu(x) + g (y - x) for all y.
    # ReLU is linear on each side of 0, so the grid (which holds x, 0 and points on both
    # sides of them) decides it.
    below = bool(np.all(relu(SUPPORT_POINTS) >= relu(x) + g * (SUPPORT_POINTS - x)))
    assert below == (g in relu_subdifferential(x))


def test_relu_subdifferential_rejects_non_real_points() -> None:
    with pytest.raises(TypeError):
        relu_subdifferential("0")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="finite"):
        relu_subdifferential(math.nan)


# Continuity ---------------------------------------------------------------------------------


def test_continuity_gaps_of_relu_at_0_are_the_steps() -> None:
    steps = [0.1, 0.01, 1e-5]
    np.testing.assert_allclose(continuity_gaps(relu, 0.0, steps), steps)


def test_continuity_gaps_of_relus_derivative_at_0_stay_1() -> None:
    np.testing.assert_array_equal(continuity_gaps(relu_derivative, 0.0), np.ones(8))
    half = continuity_gaps(lambda x: relu_derivative(x, at_zero=0.5), 0.0)
    np.testing.assert_array_equal(half, np.full(8, 0.5))


def test_relu_is_continuous_at_0_and_its_derivative_is_not() -> None:
    assert is_continuous_at(relu, 0.0)
    assert not is_continuous_at(relu_derivative, 0.0)
    assert not is_continuous_at(lambda x: relu_derivative(x, at_zero=0.5), 0.0)
    assert is_continuous_at(relu_derivative, 1.0)


def test_a_jump_smaller_than_the_tolerance_reads_as_continuous() -> None:
    def step(x: np.ndarray) -> np.ndarray:
        return np.where(np.asarray(x) > 0, 1e-9, 0.0)

    assert is_continuous_at(step, 0.0)
    assert not is_continuous_at(step, 0.0, tolerance=1e-10)


def test_continuity_is_judged_at_the_smallest_step_in_any_order() -> None:
    assert is_continuous_at(relu, 0.0, steps=[1e-8, 0.5])  # the gap at 0.5 is 0.5
    assert not is_continuous_at(relu, 0.0, steps=[0.5])


# Monotonicity -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (lambda x: np.asarray(x) * 2.0, "increasing"),
        (relu, "non-decreasing"),
        (lambda x: np.zeros_like(x), "non-decreasing"),
        (square, "neither"),
        (lambda x: -np.asarray(x), "neither"),
    ],
    ids=["2x", "relu", "constant", "x^2", "-x"],
)
def test_monotonicity_classifies_known_functions(f: object, expected: str) -> None:
    assert monotonicity(f, np.linspace(-3, 3, 61)) == expected  # type: ignore[arg-type]


def test_monotonicity_sorts_and_deduplicates_the_points() -> None:
    assert monotonicity(lambda x: np.asarray(x) * 2.0, [3.0, 1.0, 2.0, 2.0, -1.0]) == "increasing"


def test_monotonicity_reads_sigmoid_as_non_decreasing_where_float64_is_flat() -> None:
    # sigmoid(40) and sigmoid(41) both round to 1.0: the documented caveat, demonstrated.
    assert monotonicity(sigmoid, np.linspace(-5, 5, 101)) == "increasing"
    assert monotonicity(sigmoid, np.linspace(38, 45, 8)) == "non-decreasing"


@pytest.mark.parametrize("xs", [[1.0], [2.0, 2.0], [], [0.0, math.nan, 1.0]])
def test_monotonicity_needs_two_distinct_numbers_and_no_nan(xs: list[float]) -> None:
    with pytest.raises(ValueError, match="at least two"):
        monotonicity(relu, xs)
