"""relukit.properties: every declared property of every activation, checked numerically.

The book renders its comparison table from PROPERTIES; these tests recompute each entry from
the functions themselves, so the table cannot say what the code does not do.
"""

from __future__ import annotations

import inspect
import itertools
import json
import math
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, special

import relukit
from relukit import PROPERTIES
from relukit.calculus import is_continuous_at, monotonicity, one_sided_derivatives
from relukit.properties import SILU_MINIMUM, ActivationProperties

NAMES = list(PROPERTIES)
EVERY_ACTIVATION = pytest.mark.parametrize("name", NAMES)

# A wide grid, and beyond it the far ends of float64.
WIDE = np.concatenate([[-1e300, -1e10, -1e3], np.linspace(-50, 50, 100_001), [1e3, 1e10, 1e300]])
# Moderate inputs, where no value rounds onto an open end of a range (tanh(20) == 1.0 and
# elu(-40) == -1.0 in float64, although neither end is attained).
MODERATE = np.linspace(-15, 15, 30_001)
# Points away from every declared kink, for checks that need smoothness around them.
SMOOTH_POINTS = [p for p in np.arange(-8.0, 8.25, 0.25) if p not in (0.0, 6.0)]
SMOOTH_POINTS += [-math.pi, -1 / 3, math.e, 1.2784645427610738]
# The exact minima (mpmath at 60 digits, rounded to nearest), written by
# tests/reference/make_exact_reference.py.
EXACT_MINIMA = json.loads(
    (Path(__file__).parent / "reference" / "exact_reference.json").read_text()
)["minima"]


def _ulps(value: float, count: int) -> float:
    return count * float(np.spacing(abs(value)))


def _end_tolerance(p: ActivationProperties) -> float:
    """Slack at a closed low end that is an irrational minimum (SiLU's is -W(1/e)): float64
    evaluation near the minimiser can land an ulp or two below the exact minimum."""
    return _ulps(p.range.low, 4) if p.minimum is not None else 0.0


def test_properties_cover_every_activation_with_relukits_functions() -> None:
    activations = sorted(n for n in relukit.__all__ if n[0].islower() and "derivative" not in n)
    assert sorted(NAMES) == sorted([*activations, "gelu_tanh"])
    for name, p in PROPERTIES.items():
        if name == "gelu_tanh":
            assert p.function.func is relukit.gelu
            assert p.derivative.func is relukit.gelu_derivative
            assert p.function.keywords == p.derivative.keywords == {"approximate": "tanh"}
        else:
            assert p.function is getattr(relukit, name)
            assert p.derivative is getattr(relukit, f"{name}_derivative")


@EVERY_ACTIVATION
def test_declared_parameters_are_the_functions_defaults(name: str) -> None:
    p = PROPERTIES[name]
    function = p.function
    if isinstance(function, partial):
        assert dict(p.parameters) == function.keywords
        return
    defaults = {
        k: v.default
        for k, v in inspect.signature(function).parameters.items()
        if v.default is not inspect.Parameter.empty and k != "out"
    }
    assert dict(p.parameters) == defaults


# Range --------------------------------------------------------------------------------------


@EVERY_ACTIVATION
def test_values_lie_in_the_closure_of_the_declared_range(name: str) -> None:
    p = PROPERTIES[name]
    values = p.function(WIDE)
    slack = _end_tolerance(p)
    # Closed: far out, rounding may land on an open end (tanh(50) == 1.0 in float64).
    assert np.all(values >= p.range.low - slack)
    assert np.all(values <= p.range.high)


@EVERY_ACTIVATION
def test_values_on_moderate_inputs_lie_inside_the_declared_range(name: str) -> None:
    p = PROPERTIES[name]
    values = p.function(MODERATE)
    slack = _end_tolerance(p)
    near_minimum = np.abs(values - p.range.low) <= slack
    assert np.all(p.range.contains(values) | near_minimum)


CLOSED_ENDS = [
    (name, end)
    for name, p in PROPERTIES.items()
    for end, closed in (("low", p.range.low_closed), ("high", p.range.high_closed))
    if closed
]
OPEN_FINITE_ENDS = [
    (name, end)
    for name, p in PROPERTIES.items()
    for end, closed, value in (
        ("low", p.range.low_closed, p.range.low),
        ("high", p.range.high_closed, p.range.high),
    )
    if not closed and math.isfinite(value)
]
INFINITE_ENDS = [
    (name, end)
    for name, p in PROPERTIES.items()
    for end, value in (("low", p.range.low), ("high", p.range.high))
    if math.isinf(value)
]


@pytest.mark.parametrize(("name", "end"), CLOSED_ENDS)
def test_a_closed_end_of_the_range_is_attained(name: str, end: str) -> None:
    p = PROPERTIES[name]
    bound = getattr(p.range, end)
    # On moderate inputs: far out, rounding "attains" open ends too (sigmoid(40) == 1.0).
    candidates = list(p.function(MODERATE))
    if p.minimum is not None:
        candidates.append(p.function(p.minimum[0]))
    closest = min(abs(float(v) - bound) for v in candidates)
    assert closest <= _end_tolerance(p)


@pytest.mark.parametrize(("name", "end"), OPEN_FINITE_ENDS)
def test_an_open_end_of_the_range_is_approached_but_not_attained(name: str, end: str) -> None:
    p = PROPERTIES[name]
    bound = getattr(p.range, end)
    direction = -1.0 if end == "low" else 1.0
    xs = direction * np.arange(1.0, 16.0)  # 1, 2, ..., 15 towards the end
    values = p.function(xs)
    gaps = np.abs(values - bound)
    assert np.all(gaps > 0)  # not attained
    assert np.all(np.diff(gaps) < 0)  # ever closer
    assert gaps[-1] < 1e-6  # and close: within 1e-6 at |x| = 15


@pytest.mark.parametrize(("name", "end"), INFINITE_ENDS)
def test_an_unbounded_end_of_the_range_is_exceeded_by_every_bound(name: str, end: str) -> None:
    p = PROPERTIES[name]
    direction = -1.0 if end == "low" else 1.0
    xs = direction * 10.0 ** np.arange(1, 302, 20)  # 10, 1e21, ..., 1e301
    values = direction * p.function(xs)  # made increasing
    # Squared ReLU's square exceeds float64 beyond 1.3e154: inf there, correctly rounded.
    finite = np.isfinite(values)
    assert np.all(values[~finite] == math.inf)
    assert np.all(np.diff(finite.astype(int)) <= 0)
    assert np.all(np.diff(values[finite]) > 0)
    assert values[-1] > 1e290  # |f(1e301)| is at least 0.01 * 1e301 for all of these
    assert p.function(direction * math.inf) == direction * math.inf


@EVERY_ACTIVATION
def test_boundedness_follows_from_the_range(name: str) -> None:
    p = PROPERTIES[name]
    values = np.abs(p.function(np.array([-1e300, 1e300])))
    assert p.bounded == bool(np.all(values < 1e300))


# Continuity and kinks -----------------------------------------------------------------------


@EVERY_ACTIVATION
def test_declared_continuous_at_its_kinks_and_at_6(name: str) -> None:
    p = PROPERTIES[name]
    assert p.continuous
    for x in (*p.kinks, 0.0, 6.0):
        assert is_continuous_at(p.function, x)


@EVERY_ACTIVATION
@settings(max_examples=30)
@given(x=st.floats(-20, 20))
def test_declared_continuous_at_random_points(name: str, x: float) -> None:
    assert is_continuous_at(PROPERTIES[name].function, x)


KINKS = [(name, kink) for name, p in PROPERTIES.items() for kink in p.kinks]


@pytest.mark.parametrize(("name", "kink"), KINKS)
def test_one_sided_derivatives_differ_at_a_declared_kink(name: str, kink: float) -> None:
    estimate = one_sided_derivatives(PROPERTIES[name].function, kink)
    assert not estimate.agree()
    assert abs(estimate.left_limit - estimate.right_limit) > 1e-3


@EVERY_ACTIVATION
def test_one_sided_derivatives_agree_away_from_the_declared_kinks(name: str) -> None:
    p = PROPERTIES[name]
    points = [x for x in [*SMOOTH_POINTS, 0.0, 6.0] if x not in p.kinks]
    for x in points:
        # The quotient at the smallest step (1e-8) carries a rounding error of about
        # eps |f(x)| / 1e-8 = 2e-8 |f(x)|: that of squared ReLU (64 at x = 8) needs the slack.
        tolerance = max(1e-6, 1e-7 * abs(float(p.function(x))))
        assert one_sided_derivatives(p.function, x).agree(tolerance), x


@EVERY_ACTIVATION
def test_differentiable_means_no_kinks(name: str) -> None:
    p = PROPERTIES[name]
    assert p.differentiable == (not p.kinks)


# Smoothness ---------------------------------------------------------------------------------


@EVERY_ACTIVATION
def test_smoothness_is_0_exactly_when_there_are_kinks(name: str) -> None:
    p = PROPERTIES[name]
    assert (p.smoothness == 0) == bool(p.kinks)
    assert p.smoothness in (0, 1, math.inf)
    assert p.smooth == (p.smoothness == math.inf)


@pytest.mark.parametrize(("name", "kink"), KINKS)
def test_at_a_kink_the_derivative_jumps(name: str, kink: float) -> None:
    assert not is_continuous_at(PROPERTIES[name].derivative, kink)


C1 = [name for name, p in PROPERTIES.items() if p.smoothness >= 1]


@pytest.mark.parametrize("name", C1)
def test_smoothness_at_least_1_means_the_derivative_is_continuous(name: str) -> None:
    derivative = PROPERTIES[name].derivative
    for x in [*SMOOTH_POINTS, 0.0, 6.0]:
        assert is_continuous_at(derivative, x), x


@pytest.mark.parametrize("name", [n for n, p in PROPERTIES.items() if p.smoothness == 1])
def test_smoothness_1_means_the_derivative_has_a_kink(name: str) -> None:
    derivative = PROPERTIES[name].derivative
    kinked = [
        x for x in [*SMOOTH_POINTS, 0.0, 6.0] if not one_sided_derivatives(derivative, x).agree()
    ]
    assert kinked  # ELU with alpha = 1: its second derivative is 1 left of 0 and 0 right of it
    assert 0.0 in kinked


@pytest.mark.parametrize("name", [n for n, p in PROPERTIES.items() if p.smooth])
def test_smoothness_inf_means_the_derivative_has_no_kink(name: str) -> None:
    derivative = PROPERTIES[name].derivative
    for x in [*SMOOTH_POINTS, 0.0, 6.0]:
        assert one_sided_derivatives(derivative, x).agree(), x


# Monotonicity -------------------------------------------------------------------------------

# Floating point is not flat here: the smallest step of every increasing function on this
# grid (tanh at 10: sech^2(10) * 0.01 = 8e-11) is far above an ulp of its value (2e-16).
MONOTONICITY_GRID = np.linspace(-10, 10, 2001)


@EVERY_ACTIVATION
def test_declared_monotonicity_holds_on_a_grid(name: str) -> None:
    p = PROPERTIES[name]
    assert monotonicity(p.function, MONOTONICITY_GRID) == p.monotonicity


@EVERY_ACTIVATION
def test_declared_monotonicity_agrees_with_the_sign_of_the_derivative(name: str) -> None:
    p = PROPERTIES[name]
    slopes = p.derivative(MONOTONICITY_GRID)
    expected = {"increasing": np.all(slopes > 0), "non-decreasing": np.all(slopes >= 0)}
    if p.monotonicity == "neither":
        assert np.any(slopes < 0)
    else:
        assert expected[p.monotonicity]


# Zero-centred: E[f(Z)] for Z ~ N(0, 1) -------------------------------------------------------


def _mean_under_standard_normal(f: Callable[..., Any], breakpoints: tuple[float, ...]) -> float:
    """E[f(Z)] by quadrature, split at the kinks so each piece is smooth."""

    def integrand(z: float) -> float:
        return float(f(z)) * math.exp(-z * z / 2) / math.sqrt(2 * math.pi)

    edges = [-math.inf, *sorted({0.0, *breakpoints}), math.inf]
    return sum(integrate.quad(integrand, a, b)[0] for a, b in itertools.pairwise(edges))


@EVERY_ACTIVATION
def test_zero_centred_is_a_mean_of_0_under_standard_normal_input(name: str) -> None:
    p = PROPERTIES[name]
    mean = _mean_under_standard_normal(p.function, p.kinks)
    if p.zero_centred:
        assert abs(mean) < 1e-10
    else:
        assert abs(mean) > 0.01  # clearly not 0: the smallest here is ELU's, about 0.16


def test_the_quadrature_reproduces_known_means() -> None:
    # E[ReLU(Z)] = E[Z; Z > 0] = phi(0) = 1/sqrt(2 pi)
    relu_mean = _mean_under_standard_normal(relukit.relu, (0.0,))
    assert relu_mean == pytest.approx(1 / math.sqrt(2 * math.pi), rel=1e-10)
    # E[GELU(Z)] = E[Z Phi(Z)] = E[phi(Z)] (Stein) = 1 / (2 sqrt(pi))
    gelu_mean = _mean_under_standard_normal(relukit.gelu, ())
    assert gelu_mean == pytest.approx(1 / (2 * math.sqrt(math.pi)), rel=1e-10)
    # E[sigmoid(Z)] = 1/2, by the symmetry sigmoid(-z) = 1 - sigmoid(z)
    assert _mean_under_standard_normal(relukit.sigmoid, ()) == pytest.approx(0.5, rel=1e-10)


# Minima -------------------------------------------------------------------------------------

WITH_MINIMUM = [name for name, p in PROPERTIES.items() if p.minimum is not None]


def test_the_non_monotone_activations_declare_their_minimum() -> None:
    neither = {name for name, p in PROPERTIES.items() if p.monotonicity == "neither"}
    assert neither == set(WITH_MINIMUM) == {"silu", "gelu", "gelu_tanh", "hardswish", "mish"}


@pytest.mark.parametrize("name", WITH_MINIMUM)
def test_declared_minimum_is_the_one_scipy_finds(name: str) -> None:
    p = PROPERTIES[name]
    assert p.minimum is not None
    x_min, f_min = p.minimum
    found = optimize.minimize_scalar(
        lambda x: float(p.function(x)),
        bounds=(-3.0, 0.0),
        method="bounded",
        options={"xatol": 1e-10},
    )
    assert found.success
    # The function is flat at its minimum, so its minimiser is only determined to about
    # sqrt(eps) in float64; its value to an ulp or two.
    assert found.x == pytest.approx(x_min, abs=1e-6)
    assert found.fun == pytest.approx(f_min, abs=_ulps(f_min, 4))
    assert float(p.function(x_min)) == pytest.approx(f_min, abs=_ulps(f_min, 4))


@pytest.mark.parametrize("name", WITH_MINIMUM)
def test_declared_minimum_is_the_exact_one_rounded_to_the_nearest_double(name: str) -> None:
    """Both numbers equal tests/reference/exact_reference.json's: the root of the exact
    derivative and the exact value there (mpmath, 60 digits), each rounded to nearest.

    relukit's float64 function at that point is then within 4 ulp of the stored minimum:
    the point is the exact minimiser to half an ulp, and f is flat there."""
    p = PROPERTIES[name]
    assert p.minimum is not None
    assert list(p.minimum) == EXACT_MINIMA[name]
    x_min, f_min = p.minimum
    assert float(p.function(x_min)) == pytest.approx(f_min, rel=0, abs=_ulps(f_min, 4))


def test_silu_and_hardswish_minima_match_their_closed_forms() -> None:
    """The mpmath record agrees with -1 - W(1/e), -W(1/e) and with (-3/2, -3/8)."""
    w = float(special.lambertw(1 / math.e).real)
    assert EXACT_MINIMA["silu"] == pytest.approx([-1 - w, -w], rel=2 * float(np.finfo(float).eps))
    assert EXACT_MINIMA["hardswish"] == [-1.5, -0.375]


@pytest.mark.parametrize("name", WITH_MINIMUM)
def test_declared_minimiser_is_the_root_of_the_derivative_to_1e_8(name: str) -> None:
    """Where relukit's f' = 0, found by bracketing its sign change.

    f is flat at its minimum, so float64 fixes the root of f' only to about 1e-9 (GELU's
    tanh form is -1.2e-9 at a point 3e-9 away); 1e-8 allows that.
    """
    p = PROPERTIES[name]
    assert p.minimum is not None
    x_min, f_min = p.minimum
    root = optimize.brentq(lambda x: float(p.derivative(x)), -2.0, -0.5, xtol=1e-15)
    assert x_min == pytest.approx(root, abs=1e-8)
    assert float(p.function(root)) == pytest.approx(f_min, abs=_ulps(f_min, 4))


@pytest.mark.parametrize("name", WITH_MINIMUM)
def test_declared_minimum_is_global_and_the_low_end_of_the_range(name: str) -> None:
    p = PROPERTIES[name]
    assert p.minimum is not None
    assert p.range.low == p.minimum[1]
    assert p.range.low_closed
    assert np.min(p.function(WIDE)) >= p.minimum[1] - _ulps(p.minimum[1], 4)


def test_silu_minimum_is_minus_lambert_w_of_1_over_e() -> None:
    # SiLU'(x) = sigma(x) (1 + x sigma(-x)) = 0  <=>  (-1 - x) e^(-1 - x) = 1/e
    # <=>  -1 - x = W(1/e): x = -1 - W(1/e), and SiLU(x) = x sigma(x) = -W(1/e).
    w = float(special.lambertw(1 / math.e).real)
    assert w == pytest.approx(0.2784645427610738, rel=1e-15)
    exact = (-1 - w, -w)
    assert pytest.approx(exact, rel=2 * float(np.finfo(float).eps)) == SILU_MINIMUM
    assert PROPERTIES["silu"].minimum == SILU_MINIMUM
