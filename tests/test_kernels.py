"""relukit.kernels: the arc-cosine kernels and ReLU's correlation map, against values worked
out by hand, Monte Carlo estimates of the defining expectations, and their properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relukit.kernels import (
    COSINE_TOLERANCE,
    COSINE_ULPS,
    arccos_kernel,
    iterate_correlation_map,
    relu_correlation_map,
)

cosines = st.floats(-1.0, 1.0)
vectors = st.lists(st.floats(-10, 10), min_size=3, max_size=3).filter(
    lambda v: float(np.linalg.norm(v)) > 1e-3
)

# Reference values ---------------------------------------------------------------------------

# Unit vectors at angles 0, pi/2 and pi. By hand, from J_0 = pi - t, J_1 = sin t + (pi - t) cos t,
# J_2 = 3 sin t cos t + (pi - t)(1 + 2 cos^2 t), and k_n = J_n / pi for unit vectors:
#   t = 0:    k_0 = 1,   k_1 = 1,      k_2 = 3
#   t = pi/2: k_0 = 1/2, k_1 = 1/pi,   k_2 = 1/2
#   t = pi:   k_0 = 0,   k_1 = 0,      k_2 = 0
ANGLES = {"0": [1.0, 0.0], "pi/2": [0.0, 1.0], "pi": [-1.0, 0.0]}
BY_HAND = {
    0: {"0": 1.0, "pi/2": 0.5, "pi": 0.0},
    1: {"0": 1.0, "pi/2": 1 / math.pi, "pi": 0.0},
    2: {"0": 3.0, "pi/2": 0.5, "pi": 0.0},
}


@pytest.mark.parametrize("degree", [0, 1, 2])
@pytest.mark.parametrize("angle", ["0", "pi/2", "pi"])
def test_arccos_kernel_of_unit_vectors_at_0_right_angle_and_pi(degree: int, angle: str) -> None:
    value = float(arccos_kernel([1.0, 0.0], ANGLES[angle], degree=degree))
    assert value == pytest.approx(BY_HAND[degree][angle], abs=1e-15)


@pytest.mark.parametrize("degree", [0, 1, 2])
def test_arccos_kernel_scales_as_the_norms_to_the_power_degree(degree: int) -> None:
    x, y = np.array([1.0, 2.0, -0.5]), np.array([-0.3, 1.0, 2.0])
    assert float(arccos_kernel(2 * x, 3 * y, degree=degree)) == pytest.approx(
        6.0**degree * float(arccos_kernel(x, y, degree=degree))
    )


def test_relu_correlation_map_at_minus_1_0_and_1_is_0_one_over_pi_and_1() -> None:
    np.testing.assert_array_equal(relu_correlation_map([-1.0, 1.0]), [0.0, 1.0])
    assert float(relu_correlation_map(0.0)) == pytest.approx(1 / math.pi, abs=1e-16)
    # rho = 1/2: theta = pi/3, f = (sqrt(3)/2 + (2 pi/3)/2) / pi = sqrt(3)/(2 pi) + 1/3
    expected = math.sqrt(3) / (2 * math.pi) + 1 / 3
    assert float(relu_correlation_map(0.5)) == pytest.approx(expected, abs=1e-15)


def test_iterates_from_orthogonal_inputs() -> None:
    rows = iterate_correlation_map(0.0, 3)
    assert rows.shape == (4,)
    f1 = 1 / math.pi
    f2 = (math.sqrt(1 - f1**2) + (math.pi - math.acos(f1)) * f1) / math.pi
    np.testing.assert_allclose(rows[:3], [0.0, f1, f2], atol=1e-15)


# Monte Carlo: the defining expectations -----------------------------------------------------


@pytest.mark.parametrize("degree", [0, 1, 2])
def test_arccos_kernel_is_twice_the_gaussian_expectation(degree: int) -> None:
    # k_n(x, y) = 2 E[step(w.x) step(w.y) (w.x)^n (w.y)^n], w ~ N(0, I). 400,000 draws: the
    # tolerance is 5 standard errors of the mean (the largest, for degree 2, is about 0.008).
    rng = np.random.default_rng(2009)
    x, y = np.array([1.0, 0.5, -1.0]), np.array([0.2, -1.0, 0.7])
    w = rng.standard_normal((400_000, 3))
    u, v = w @ x, w @ y
    samples = 2 * (u > 0) * (v > 0) * (u * v) ** degree
    error = 5 * samples.std() / math.sqrt(len(samples))
    assert float(arccos_kernel(x, y, degree=degree)) == pytest.approx(samples.mean(), abs=error)


def test_correlation_map_is_the_cosine_of_a_wide_random_relu_layer() -> None:
    # Width 200,000, weights N(0, 1): the cosine of the outputs is within 0.01 of f(rho)
    # (its standard deviation is below 1/sqrt(width) = 0.0022).
    rng = np.random.default_rng(1)
    for rho in (-0.9, 0.0, 0.6):
        x = np.array([1.0, 0.0])
        y = np.array([rho, math.sqrt(1 - rho**2)])
        w = rng.standard_normal((200_000, 2))
        hx, hy = np.maximum(w @ x, 0), np.maximum(w @ y, 0)
        cosine = hx @ hy / (np.linalg.norm(hx) * np.linalg.norm(hy))
        assert float(relu_correlation_map(rho)) == pytest.approx(cosine, abs=0.01)


# Properties ---------------------------------------------------------------------------------


@given(x=vectors, y=vectors, degree=st.sampled_from([0, 1, 2]))
def test_arccos_kernel_is_symmetric(x: list[float], y: list[float], degree: int) -> None:
    assert float(arccos_kernel(x, y, degree=degree)) == pytest.approx(
        float(arccos_kernel(y, x, degree=degree)), rel=1e-12, abs=1e-12
    )


@given(x=vectors, y=vectors)
def test_normalised_degree_1_kernel_is_the_correlation_map(x: list[float], y: list[float]) -> None:
    k = float(arccos_kernel(x, y))
    normalised = k / math.sqrt(float(arccos_kernel(x, x)) * float(arccos_kernel(y, y)))
    rho = float(np.dot(x, y) / (np.linalg.norm(x) * np.linalg.norm(y)))
    assert normalised == pytest.approx(float(relu_correlation_map(rho, tolerance=1e-9)), abs=1e-9)


@given(rho=cosines)
def test_correlation_map_lies_in_0_1_and_above_the_diagonal(rho: float) -> None:
    value = float(relu_correlation_map(rho))
    assert 0.0 <= value <= 1.0
    # f(rho) > rho mathematically; in float64, within 1e-11 of 1 the gap is below an ulp and
    # f(rho) may round to one ulp below rho.
    assert value >= rho - 2**-52


@given(a=cosines, b=cosines)
def test_correlation_map_is_non_decreasing(a: float, b: float) -> None:
    lo, hi = min(a, b), max(a, b)
    assert float(relu_correlation_map(lo)) <= float(relu_correlation_map(hi))


@given(rho=cosines, depth=st.integers(0, 12))
def test_iterates_increase_and_stay_in_range(rho: float, depth: int) -> None:
    rows = iterate_correlation_map(rho, depth)
    assert rows.shape == (depth + 1,)
    assert np.all(np.diff(rows) >= -(2**-52))  # non-decreasing up to one ulp (see above)
    assert np.all(rows <= 1)


def test_correlation_map_keeps_the_dtype_and_shape() -> None:
    out = relu_correlation_map(np.zeros((2, 3), dtype=np.float32))
    assert out.dtype == np.float32
    assert out.shape == (2, 3)
    assert relu_correlation_map([0, 1]).dtype == np.float64  # integers promoted


def test_correlation_map_propagates_nan() -> None:
    assert np.isnan(relu_correlation_map(math.nan))


# The input contract -------------------------------------------------------------------------


def test_a_rounding_excess_within_the_tolerance_is_taken_for_1() -> None:
    assert float(relu_correlation_map(1 + COSINE_TOLERANCE / 2)) == 1.0
    assert float(relu_correlation_map(-1 - COSINE_TOLERANCE / 2)) == 0.0


def test_the_default_tolerance_follows_the_dtype() -> None:
    # A float32 cosine one ulp above 1 (1.0000001) is a rounding excess, and stays float32.
    one_ulp_above = np.float32(1) + np.finfo(np.float32).eps
    out = relu_correlation_map(np.array([one_ulp_above, -one_ulp_above]))
    np.testing.assert_array_equal(out, [1.0, 0.0])
    assert out.dtype == np.float32
    tolerance_32 = COSINE_ULPS * float(np.finfo(np.float32).eps)
    with pytest.raises(ValueError, match="rho must be a cosine"):
        relu_correlation_map(np.float32(1 + 4 * tolerance_32))
    # An explicit tolerance overrides the default.
    with pytest.raises(ValueError, match="rho must be a cosine"):
        relu_correlation_map(np.float32(1.0001), tolerance=1e-6)
    assert float(relu_correlation_map(np.float32(1.0001), tolerance=1e-3)) == 1.0


@pytest.mark.parametrize("rho", [1.001, -1.5, 1 + 2 * COSINE_TOLERANCE, math.inf])
def test_correlation_map_rejects_a_cosine_outside_minus_1_1(rho: float) -> None:
    with pytest.raises(ValueError, match="rho must be a cosine"):
        relu_correlation_map(rho)
    with pytest.raises(ValueError, match="rho must be a cosine"):
        iterate_correlation_map(rho, 2)


@pytest.mark.parametrize("tolerance", [-1e-3, math.nan, math.inf])
def test_correlation_map_rejects_a_bad_tolerance(tolerance: float) -> None:
    with pytest.raises(ValueError, match="tolerance"):
        relu_correlation_map(0.5, tolerance=tolerance)


@pytest.mark.parametrize("bad", ["0.5", None, 0.5j, True])
def test_correlation_map_rejects_what_is_not_a_real_number(bad: object) -> None:
    with pytest.raises(TypeError, match="rho must be"):
        relu_correlation_map(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("depth", [-1, 1.5, True])
def test_iterate_rejects_a_bad_depth(depth: object) -> None:
    with pytest.raises((TypeError, ValueError), match="depth"):
        iterate_correlation_map(0.5, depth)  # type: ignore[arg-type]


@pytest.mark.parametrize("degree", [3, -1, 1.0, True])
def test_arccos_kernel_rejects_a_degree_other_than_0_1_2(degree: object) -> None:
    with pytest.raises((TypeError, ValueError), match="degree"):
        arccos_kernel([1.0, 0.0], [0.0, 1.0], degree=degree)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        ([0.0, 0.0], [1.0, 0.0], "non-zero"),
        ([1.0, 0.0], [1.0, 0.0, 0.0], "lengths"),
        (1.0, [1.0], "vectors"),
        ([math.nan, 1.0], [1.0, 0.0], "finite"),
    ],
)
def test_arccos_kernel_rejects_bad_vectors(x: object, y: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        arccos_kernel(x, y)  # type: ignore[arg-type]


def test_arccos_kernel_rejects_complex_input() -> None:
    with pytest.raises(TypeError, match="x must be"):
        arccos_kernel([1j, 0.0], [1.0, 0.0])
