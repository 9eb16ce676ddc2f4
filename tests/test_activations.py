"""relukit.activations: values, derivatives, conventions at the kinks, limits, stability.

Reference values come from tests/reference/torch_reference.json, written once by
tests/reference/make_torch_reference.py (PyTorch 2.13 and mpmath; neither is needed here),
and, for hard-swish, Mish and squared ReLU, from tests/reference/exact_reference.json,
written by tests/reference/make_exact_reference.py (mpmath only, exact values only).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import integrate

import relukit
from relukit.calculus import central_difference, one_sided_derivatives

REFERENCE = json.loads((Path(__file__).parent / "reference" / "torch_reference.json").read_text())
EXACT_ONLY = json.loads((Path(__file__).parent / "reference" / "exact_reference.json").read_text())
POINTS = np.array(REFERENCE["points"])
POINTS_FLOAT32 = np.array(REFERENCE["points_float32"], dtype=np.float32)
EPS64 = float(np.finfo(np.float64).eps)
EPS32 = float(np.finfo(np.float32).eps)

# SELU's constants as Klambauer et al. (2017) publish them, rounded to float64; and their
# product, correctly rounded (the product of the two floats is one ulp below it).
SELU_ALPHA_DIGITS = "1.6732632423543772848170429916717"
SELU_SCALE_DIGITS = "1.0507009873554804934193349852946"
SELU_ALPHA = float(SELU_ALPHA_DIGITS)
SELU_SCALE = float(SELU_SCALE_DIGITS)
SELU_SCALE_ALPHA = 1.7580993408473768

# GELU's tanh form: u = sqrt(2/pi) (x + 0.044715 x^3).
GELU_BETA = math.sqrt(2 / math.pi)
GELU_KAPPA = 0.044715


def _case_id(case: dict[str, Any]) -> str:
    arguments = ",".join(f"{k}={v}" for k, v in case["kwargs"].items())
    return f"{case['function']}({arguments})"


def _pair(case: dict[str, Any]) -> tuple[Callable[..., Any], Callable[..., Any]]:
    name, kwargs = case["function"], case["kwargs"]
    return (
        partial(getattr(relukit, name), **kwargs),
        partial(getattr(relukit, f"{name}_derivative"), **kwargs),
    )


CASES = pytest.mark.parametrize("case", REFERENCE["cases"], ids=_case_id)
KINDS = pytest.mark.parametrize("kind", ["value", "derivative"])


def test_the_reference_covers_every_activation() -> None:
    covered = {case["function"] for case in REFERENCE["cases"] + EXACT_ONLY["cases"]}
    assert EXACT_ONLY["points"] == REFERENCE["points"]
    functions = {n for n in relukit.__all__ if n[0].islower() and not n.endswith("_derivative")}
    assert covered == functions
    assert REFERENCE["torch_version"].startswith("2.13.0")
    assert {0.0, 1.0, -1.0, 20.0, -20.0} <= set(REFERENCE["points"])
    assert any(math.copysign(1, p) < 0 and p == 0 for p in REFERENCE["points"])


# Exact values: mpmath at 60 digits, rounded once to float64 ---------------------------------

# relukit's float64 results are within a few ulp of the exact values (measured: at most
# 3.5e-16 relative, 1.6 ulp), with two stated exceptions that are limits of float64 rather
# than of relukit's formulas:
EXACT_RTOL = 1e-15  # about 4.5 ulp
EXACT_RTOL_FOR = {
    # scipy.special.ndtr, which the exact GELU uses, is good to about 3e-14 relative in the
    # far tail (measured at x = -20, where GELU is 5.5e-88).
    ("gelu", "none"): 1e-13,
    # GELU's tanh form is about exp(2u) for very negative x, with 2u = 603 at x = -20. The
    # constant sqrt(2/pi) in float64 (in relukit and PyTorch alike) is off by up to eps/2,
    # which moves exp(2u) by up to 603 * eps/2 = 6.7e-14 relative: the float64 function
    # itself differs that much from the exact one there.
    ("gelu", "tanh"): 1e-13,
}


def _exact_rtol(case: dict[str, Any]) -> float:
    key = (case["function"], case["kwargs"].get("approximate"))
    return EXACT_RTOL_FOR.get(key, EXACT_RTOL)


@CASES
@KINDS
def test_float64_matches_the_exact_value_to_a_few_ulp(case: dict[str, Any], kind: str) -> None:
    function = _pair(case)[kind == "derivative"]
    expected = np.array(case["exact"][kind])
    np.testing.assert_allclose(function(POINTS), expected, rtol=_exact_rtol(case), atol=0)


@CASES
@KINDS
def test_float32_matches_the_exact_value_within_1e_5(case: dict[str, Any], kind: str) -> None:
    function = _pair(case)[kind == "derivative"]
    result = function(POINTS_FLOAT32)
    assert result.dtype == np.float32
    expected = np.array(case["exact"][kind])
    # atol: exact values below float32's smallest normal number (GELU at -20 is 5.5e-88)
    # cannot be told from 0 in float32.
    np.testing.assert_allclose(result, expected, rtol=1e-5, atol=float(np.finfo(np.float32).tiny))


EXACT_CASES = pytest.mark.parametrize("case", EXACT_ONLY["cases"], ids=_case_id)


@EXACT_CASES
@KINDS
def test_float64_matches_the_exact_value_to_a_few_ulp_without_pytorch(
    case: dict[str, Any], kind: str
) -> None:
    """Hard-swish, Mish and squared ReLU, against mpmath alone (no PyTorch record)."""
    function = _pair(case)[kind == "derivative"]
    expected = np.array(case["exact"][kind])
    np.testing.assert_allclose(function(POINTS), expected, rtol=EXACT_RTOL, atol=0)


@EXACT_CASES
@KINDS
def test_float32_matches_the_exact_value_within_1e_5_without_pytorch(
    case: dict[str, Any], kind: str
) -> None:
    function = _pair(case)[kind == "derivative"]
    result = function(POINTS_FLOAT32)
    assert result.dtype == np.float32
    expected = np.array(case["exact"][kind])
    np.testing.assert_allclose(result, expected, rtol=1e-5, atol=float(np.finfo(np.float32).tiny))


# PyTorch ------------------------------------------------------------------------------------


def _no_cancellation(x: np.ndarray) -> np.ndarray:
    return np.zeros_like(x)


# PyTorch's absolute rounding error where its formula cancels and relukit's does not, in units
# of the dtype's eps, as a function of x. The comparison is |relukit - torch| <=
# rtol |torch| + eps * bound(x). The bounds come from the formulas PyTorch evaluates:
TORCH_CANCELLATION: dict[tuple[str, str | None, str], Callable[[np.ndarray], np.ndarray]] = {
    # sigmoid' = s (1 - s): s carries an absolute rounding error up to eps/2 and 1 - s keeps
    # it (1 - s is exact, by Sterbenz): so about eps absolute, e.g. 0 instead of 4e-18 at 40.
    ("sigmoid", None, "derivative"): lambda x: np.ones_like(x),
    # tanh' = 1 - t^2: t's eps/2 absolute error, doubled by the square, kept by 1 - t^2.
    ("tanh", None, "derivative"): lambda x: np.full_like(x, 2.0),
    # GELU = x/2 (1 + erf(x/sqrt 2)): 1 + erf keeps erf's eps/2 absolute error, times |x|/2;
    # GELU' = (1 + erf)/2 + x phi(x): the same eps/2 absolute error, halved.
    ("gelu", "none", "value"): np.abs,
    ("gelu", "none", "derivative"): lambda x: np.ones_like(x),
    # GELU (tanh) = x/2 (1 + tanh u): as above with tanh. Its derivative adds
    # x/2 (1 - tanh^2 u) u', whose 1 - tanh^2 u carries eps absolute error (see tanh').
    ("gelu", "tanh", "value"): np.abs,
    ("gelu", "tanh", "derivative"): lambda x: (
        1 + np.abs(x) * GELU_BETA * (1 + 3 * GELU_KAPPA * x * x)
    ),
}


def _torch_bound(case: dict[str, Any], kind: str) -> Callable[[np.ndarray], np.ndarray]:
    key = (case["function"], case["kwargs"].get("approximate"), kind)
    return TORCH_CANCELLATION.get(key, _no_cancellation)


@CASES
@KINDS
def test_float64_agrees_with_pytorch_within_1e_9(case: dict[str, Any], kind: str) -> None:
    function = _pair(case)[kind == "derivative"]
    expected = np.array(case["float64"][kind])
    atol = EPS64 * _torch_bound(case, kind)(POINTS)
    difference = np.abs(function(POINTS) - expected)
    assert np.all(difference <= 1e-9 * np.abs(expected) + atol), difference


@CASES
@KINDS
def test_float32_agrees_with_pytorch_within_1e_5(case: dict[str, Any], kind: str) -> None:
    function = _pair(case)[kind == "derivative"]
    expected = np.array(case["float32"][kind])
    result = function(POINTS_FLOAT32)
    assert result.dtype == np.float32
    atol = EPS32 * _torch_bound(case, kind)(POINTS_FLOAT32.astype(np.float64))
    difference = np.abs(result.astype(np.float64) - expected)
    assert np.all(difference <= 1e-5 * np.abs(expected) + atol), difference


def test_pytorch_differs_where_its_formula_cancels_so_the_allowance_is_needed() -> None:
    """The allowance above is not idle: these are PyTorch's rounded-away tails."""
    by_id = {_case_id(case): case for case in REFERENCE["cases"]}
    at_40 = REFERENCE["points"].index(40.0)
    sigmoid = by_id["sigmoid()"]
    assert sigmoid["float64"]["derivative"][at_40] == 0.0
    assert sigmoid["exact"]["derivative"][at_40] > 0
    assert relukit.sigmoid_derivative(40.0) == pytest.approx(math.exp(-40), rel=1e-15)


# The infinities and NaN: the mathematical limits, stated here ------------------------------

INF = math.inf
# name, keyword arguments, f(-inf), f(+inf), f'(-inf), f'(+inf)
LIMITS = [
    ("relu", {}, 0.0, INF, 0.0, 1.0),  # max(0, x)
    ("leaky_relu", {}, -INF, INF, 0.01, 1.0),  # a x for x < 0: slope a
    ("leaky_relu", {"negative_slope": 0.2}, -INF, INF, 0.2, 1.0),
    ("relu6", {}, 0.0, 6.0, 0.0, 0.0),  # clipped to [0, 6], flat outside
    ("elu", {}, -1.0, INF, 0.0, 1.0),  # alpha (e^x - 1) -> -alpha; alpha e^x -> 0
    ("elu", {"alpha": 0.5}, -0.5, INF, 0.0, 1.0),
    ("selu", {}, -SELU_SCALE_ALPHA, INF, 0.0, SELU_SCALE),  # lambda alpha (e^x - 1)
    ("softplus", {}, 0.0, INF, 0.0, 1.0),  # log(1 + e^x) -> 0 and ~x; sigma(x) -> 0, 1
    ("softplus", {"beta": 2.0}, 0.0, INF, 0.0, 1.0),
    ("sigmoid", {}, 0.0, 1.0, 0.0, 0.0),  # 1 / (1 + e^-x); sigma (1 - sigma) -> 0
    ("tanh", {}, -1.0, 1.0, 0.0, 0.0),  # sech^2 -> 0
    ("silu", {}, 0.0, INF, 0.0, 1.0),  # x sigma(x): x e^x -> 0; sigma (1 + x sigma(-x))
    ("gelu", {"approximate": "none"}, 0.0, INF, 0.0, 1.0),  # x Phi(x) -> 0; Phi + x phi
    ("gelu", {"approximate": "tanh"}, 0.0, INF, 0.0, 1.0),
    ("hardswish", {}, 0.0, INF, 0.0, 1.0),  # 0 left of -3, x right of 3
    ("mish", {}, 0.0, INF, 0.0, 1.0),  # x tanh(softplus x): x e^x -> 0; g + x sigma (1 - g^2)
    ("squared_relu", {}, 0.0, INF, 0.0, INF),  # max(0, x)^2, 2 max(0, x)
]


@pytest.mark.parametrize(
    ("name", "kwargs", "f_low", "f_high", "d_low", "d_high"),
    LIMITS,
    ids=[f"{row[0]}{row[1] or ''}" for row in LIMITS],
)
def test_infinities_give_the_limits_without_warnings(
    name: str, kwargs: dict[str, Any], f_low: float, f_high: float, d_low: float, d_high: float
) -> None:
    f = getattr(relukit, name)
    df = getattr(relukit, f"{name}_derivative")
    x = np.array([-INF, INF])
    # Underflow to 0 is the right answer here (e^-800 is 0 in float64), so it may happen.
    with np.errstate(all="raise", under="ignore"):
        values, slopes = f(x, **kwargs), df(x, **kwargs)
        scalar_values = [f(-INF, **kwargs), f(INF, **kwargs)]
    np.testing.assert_array_equal(values, [f_low, f_high])
    np.testing.assert_array_equal(slopes, [d_low, d_high])
    np.testing.assert_array_equal(scalar_values, [f_low, f_high])


def _all_functions() -> list[tuple[str, Callable[..., Any]]]:
    functions = [(n, getattr(relukit, n)) for n in relukit.__all__ if n[0].islower()]
    functions += [
        ("gelu(tanh)", partial(relukit.gelu, approximate="tanh")),
        ("gelu_derivative(tanh)", partial(relukit.gelu_derivative, approximate="tanh")),
        ("relu_derivative(at_zero=0.5)", partial(relukit.relu_derivative, at_zero=0.5)),
        ("leaky_relu_derivative(at_zero=1)", partial(relukit.leaky_relu_derivative, at_zero=1)),
        ("selu_derivative(at_zero=1)", partial(relukit.selu_derivative, at_zero=1)),
    ]
    return functions


ALL_FUNCTIONS = _all_functions()
EVERY_FUNCTION = pytest.mark.parametrize(
    "function", [f for _, f in ALL_FUNCTIONS], ids=[n for n, _ in ALL_FUNCTIONS]
)
FLOAT_DTYPES = pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])


@EVERY_FUNCTION
@FLOAT_DTYPES
def test_nan_in_gives_nan_out_in_place_and_nowhere_else(
    function: Callable[..., Any], dtype: type
) -> None:
    x = np.array([np.nan, -INF, -2.0, -0.0, 0.0, np.nan, 1.0, 6.0, INF, np.nan], dtype=dtype)
    with np.errstate(all="raise", under="ignore"):
        result = function(x)
        scalar = function(dtype(np.nan))
    np.testing.assert_array_equal(np.isnan(result), np.isnan(x))
    assert np.isnan(scalar)


# Derivatives at the kinks: the left-hand derivative unless at_zero= says otherwise ---------


@pytest.mark.parametrize("zero", [0.0, -0.0])
def test_relu_derivative_at_zero_is_0_by_default_and_at_zero_otherwise(zero: float) -> None:
    assert relukit.relu_derivative(zero) == 0.0
    assert relukit.relu_derivative(zero, at_zero=0.5) == 0.5
    assert relukit.relu_derivative(zero, at_zero=1) == 1.0
    assert relukit.relu_derivative(np.float32(zero), at_zero=0.5) == np.float32(0.5)


@pytest.mark.parametrize("zero", [0.0, -0.0])
def test_leaky_relu_derivative_at_zero_is_the_negative_slope_by_default(zero: float) -> None:
    assert relukit.leaky_relu_derivative(zero) == 0.01
    assert relukit.leaky_relu_derivative(zero, negative_slope=0.2) == 0.2
    assert relukit.leaky_relu_derivative(zero, negative_slope=0.2, at_zero=1.0) == 1.0
    assert relukit.leaky_relu_derivative(zero, at_zero=0.5) == 0.5


@pytest.mark.parametrize("zero", [0.0, -0.0])
@pytest.mark.parametrize("alpha", [1.0, 0.5, 2.0])
def test_elu_derivative_at_zero_is_alpha(zero: float, alpha: float) -> None:
    assert relukit.elu_derivative(zero, alpha=alpha) == alpha


def test_selu_uses_the_published_constants() -> None:
    exact_product = Fraction(SELU_ALPHA_DIGITS) * Fraction(SELU_SCALE_DIGITS)
    assert float(exact_product) == SELU_SCALE_ALPHA  # correctly rounded
    assert SELU_ALPHA * SELU_SCALE != SELU_SCALE_ALPHA  # the product of the floats is not
    assert relukit.selu(1.0) == SELU_SCALE
    assert relukit.selu_derivative(2.0) == SELU_SCALE
    assert relukit.selu(-INF) == -SELU_SCALE_ALPHA


@pytest.mark.parametrize("zero", [0.0, -0.0])
def test_selu_derivative_at_zero_is_lambda_alpha_by_default_and_at_zero_otherwise(
    zero: float,
) -> None:
    assert relukit.selu_derivative(zero) == SELU_SCALE_ALPHA
    assert relukit.selu_derivative(zero, at_zero=SELU_SCALE) == SELU_SCALE
    assert relukit.selu_derivative(zero, at_zero=0.5) == 0.5
    assert relukit.selu_derivative(np.float32(zero)) == np.float32(SELU_SCALE_ALPHA)


def test_selu_maps_a_standard_normal_input_to_mean_0_and_variance_1() -> None:
    """The property its constants were chosen for (Klambauer et al., 2017, eq. 4 and 5)."""

    def moment(k: int) -> float:
        def integrand(z: float) -> float:
            return float(relukit.selu(z)) ** k * math.exp(-z * z / 2) / math.sqrt(2 * math.pi)

        return sum(integrate.quad(integrand, a, b, epsabs=1e-14)[0] for a, b in PIECES)

    assert abs(moment(1)) < 1e-12
    assert moment(2) == pytest.approx(1.0, abs=1e-12)


PIECES = [(-math.inf, 0.0), (0.0, math.inf)]


def test_relu6_derivative_is_0_at_both_kinks_and_1_just_inside() -> None:
    inside = [np.nextafter(0.0, 1.0), np.nextafter(6.0, 0.0)]
    np.testing.assert_array_equal(relukit.relu6_derivative([-0.0, 0.0, 6.0]), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(relukit.relu6_derivative(inside), [1.0, 1.0])
    outside = [np.nextafter(0.0, -1.0), np.nextafter(6.0, 7.0)]
    np.testing.assert_array_equal(relukit.relu6_derivative(outside), [0.0, 0.0])


def test_at_zero_changes_only_the_value_at_zero() -> None:
    tiny = 5e-324  # the smallest subnormal: not zero
    x = [-1.0, -tiny, -0.0, 0.0, tiny, 1.0]
    np.testing.assert_array_equal(
        relukit.relu_derivative(x, at_zero=0.5), [0.0, 0.0, 0.5, 0.5, 1.0, 1.0]
    )
    np.testing.assert_array_equal(
        relukit.leaky_relu_derivative(x, at_zero=0.5), [0.01, 0.01, 0.5, 0.5, 1.0, 1.0]
    )


# (function, derivative, kink): the default derivative there is the left-hand one.
LEFT_HAND_KINKS = [
    ("relu", relukit.relu, relukit.relu_derivative, 0.0),
    ("leaky_relu", relukit.leaky_relu, relukit.leaky_relu_derivative, 0.0),
    (
        "leaky_relu(0.2)",
        partial(relukit.leaky_relu, negative_slope=0.2),
        partial(relukit.leaky_relu_derivative, negative_slope=0.2),
        0.0,
    ),
    (
        "elu(alpha=0.5)",
        partial(relukit.elu, alpha=0.5),
        partial(relukit.elu_derivative, alpha=0.5),
        0.0,
    ),
    (
        "elu(alpha=2)",
        partial(relukit.elu, alpha=2.0),
        partial(relukit.elu_derivative, alpha=2.0),
        0.0,
    ),
    ("relu6 at 0", relukit.relu6, relukit.relu6_derivative, 0.0),
    ("selu", relukit.selu, relukit.selu_derivative, 0.0),
]


@pytest.mark.parametrize(
    ("f", "df", "kink"), [row[1:] for row in LEFT_HAND_KINKS], ids=[r[0] for r in LEFT_HAND_KINKS]
)
def test_the_default_derivative_at_a_kink_is_the_left_hand_derivative(
    f: Callable[..., Any], df: Callable[..., Any], kink: float
) -> None:
    estimate = one_sided_derivatives(f, kink)
    assert not estimate.agree()
    assert df(kink) == pytest.approx(estimate.left_limit, abs=1e-6)


def test_relu6_derivative_at_6_is_the_right_hand_derivative_as_in_pytorch() -> None:
    estimate = one_sided_derivatives(relukit.relu6, 6.0)
    assert estimate.left_limit == pytest.approx(1.0)
    assert relukit.relu6_derivative(6.0) == estimate.right_limit == 0.0


# Derivatives against central differences, away from the kinks ------------------------------

# name, function, derivative, points the central difference must not straddle: the kinks,
# and where a higher derivative jumps
DIFFERENTIABLE = [
    ("relu", relukit.relu, relukit.relu_derivative, (0.0,)),
    ("leaky_relu", relukit.leaky_relu, relukit.leaky_relu_derivative, (0.0,)),
    (
        "leaky_relu(0.2)",
        partial(relukit.leaky_relu, negative_slope=0.2),
        partial(relukit.leaky_relu_derivative, negative_slope=0.2),
        (0.0,),
    ),
    ("relu6", relukit.relu6, relukit.relu6_derivative, (0.0, 6.0)),
    # ELU is differentiable at 0, but its second derivative jumps there (1 on the left, 0 on
    # the right), so the central difference is only O(h) accurate at 0: see the kink tests.
    ("elu", relukit.elu, relukit.elu_derivative, (0.0,)),
    (
        "elu(alpha=0.5)",
        partial(relukit.elu, alpha=0.5),
        partial(relukit.elu_derivative, alpha=0.5),
        (0.0,),
    ),
    ("selu", relukit.selu, relukit.selu_derivative, (0.0,)),
    ("softplus", relukit.softplus, relukit.softplus_derivative, ()),
    (
        "softplus(beta=3)",
        partial(relukit.softplus, beta=3.0),
        partial(relukit.softplus_derivative, beta=3.0),
        (),
    ),
    (
        "softplus(beta=0.5)",
        partial(relukit.softplus, beta=0.5),
        partial(relukit.softplus_derivative, beta=0.5),
        (),
    ),
    ("sigmoid", relukit.sigmoid, relukit.sigmoid_derivative, ()),
    ("tanh", relukit.tanh, relukit.tanh_derivative, ()),
    ("silu", relukit.silu, relukit.silu_derivative, ()),
    ("gelu", relukit.gelu, relukit.gelu_derivative, ()),
    (
        "gelu(tanh)",
        partial(relukit.gelu, approximate="tanh"),
        partial(relukit.gelu_derivative, approximate="tanh"),
        (),
    ),
    ("hardswish", relukit.hardswish, relukit.hardswish_derivative, (-3.0, 3.0)),
    ("mish", relukit.mish, relukit.mish_derivative, ()),
    # differentiable at 0, but the second derivative jumps there (0 to 2)
    ("squared_relu", relukit.squared_relu, relukit.squared_relu_derivative, (0.0,)),
]
STEP = 1e-5


@pytest.mark.parametrize(
    ("f", "df", "kinks"), [row[1:] for row in DIFFERENTIABLE], ids=[r[0] for r in DIFFERENTIABLE]
)
@given(x=st.floats(-30, 30))
def test_derivative_equals_the_central_difference_away_from_kinks(
    f: Callable[..., Any], df: Callable[..., Any], kinks: tuple[float, ...], x: float
) -> None:
    assume(all(abs(x - kink) > 10 * STEP for kink in kinks))
    # With h = 1e-5 the central difference errs by h^2 |f'''| / 6 < 1e-10 (|f'''| < 3 for
    # all of these) plus rounding of about eps |f| / h = 2e-11 |f|; 1e-9 max(1, |f|) is
    # ample and still catches any wrong derivative formula.
    estimate = float(central_difference(f, x, STEP))
    assert abs(df(x) - estimate) <= 1e-9 * max(1.0, abs(float(f(x))))


# Stability: every finite input, no overflow, no warning -------------------------------------

FINITE = st.floats(allow_nan=False, allow_infinity=False)


def _finite(function: Callable[..., Any], x: Any) -> Any:
    """Where the exact result is finite in x's dtype: everywhere, except for SELU, whose
    lambda x (lambda > 1) exceeds the largest float for the largest inputs and then rounds
    to inf (in float16 and float32 after computing in float32 or float64), and squared ReLU
    and its derivative (x^2 and 2x; in float16 from x = 256 and 32768 on)."""
    x = np.asarray(x)
    exact_of = {
        relukit.selu: lambda t: SELU_SCALE * np.maximum(t, 0),
        # the square beyond sqrt(max), twice x beyond max / 2: inf, correctly rounded
        relukit.squared_relu: lambda t: np.maximum(t, 0) ** 2,
        relukit.squared_relu_derivative: lambda t: 2 * np.maximum(t, 0),
    }
    if function not in exact_of:
        return np.ones(x.shape, dtype=bool)
    with np.errstate(over="ignore"):
        exact = exact_of[function](x.astype(np.float64)).astype(x.dtype)
    return np.isfinite(exact)


@EVERY_FUNCTION
@given(x=FINITE)
def test_every_finite_float64_gives_a_finite_result_without_warnings(
    function: Callable[..., Any], x: float
) -> None:
    with np.errstate(all="raise", under="ignore"):
        result = function(x)
    assert np.isfinite(result) == _finite(function, np.float64(x))


@pytest.mark.parametrize("beta", [0.5, 2.0, 100.0])
@given(x=FINITE)
def test_softplus_is_stable_for_every_finite_float64_and_beta(beta: float, x: float) -> None:
    with np.errstate(all="raise", under="ignore"):
        value = relukit.softplus(x, beta=beta)
        slope = relukit.softplus_derivative(x, beta=beta)
    assert np.isfinite(value)
    assert value >= max(x, 0.0)  # softplus lies above ReLU
    assert 0.0 <= slope <= 1.0


@EVERY_FUNCTION
@given(values=st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), max_size=8))
def test_every_finite_float32_gives_a_finite_float32_result(
    function: Callable[..., Any], values: list[float]
) -> None:
    x = np.array(values, dtype=np.float32)
    with np.errstate(all="raise", under="ignore"):
        result = function(x)
    assert result.dtype == np.float32
    np.testing.assert_array_equal(np.isfinite(result), _finite(function, x))


ALL_FINITE_FLOAT16 = np.arange(2**16, dtype=np.uint32).astype(np.uint16).view(np.float16)
ALL_FINITE_FLOAT16 = ALL_FINITE_FLOAT16[np.isfinite(ALL_FINITE_FLOAT16)]


@EVERY_FUNCTION
def test_every_finite_float16_gives_a_finite_float16_result(function: Callable[..., Any]) -> None:
    assert ALL_FINITE_FLOAT16.size == 63488  # all of them: 2^16 less the infinities and NaNs
    with np.errstate(all="raise", under="ignore"):
        result = function(ALL_FINITE_FLOAT16)
    assert result.dtype == np.float16
    np.testing.assert_array_equal(np.isfinite(result), _finite(function, ALL_FINITE_FLOAT16))


@EVERY_FUNCTION
def test_float16_results_are_the_float64_results_to_float16_precision(
    function: Callable[..., Any],
) -> None:
    x16 = np.linspace(-12, 12, 961).astype(np.float16)
    result = function(x16)
    assert result.dtype == np.float16
    # float16 has an 11-bit significand: rounding errs by at most 2^-11 relative; allow 2^-10
    # for the float32 computation before it, and a float16 subnormal's worth near 0.
    expected = function(x16.astype(np.float64))
    np.testing.assert_allclose(result, expected, rtol=2.0**-10, atol=2.0**-24)


# Precision in the tails, against the asymptotic forms --------------------------------------

TAIL = st.floats(40, 700)


@given(x=TAIL)
def test_sigmoid_and_its_derivative_keep_full_precision_in_the_tails(x: float) -> None:
    # sigma(-x) = e^-x / (1 + e^-x) and sigma'(x) = e^-|x| / (1 + e^-|x|)^2 both equal e^-|x|
    # to within e^-40 = 4e-18 relative when |x| >= 40: far below rounding.
    e = math.exp(-x)
    assert relukit.sigmoid(-x) == pytest.approx(e, rel=4 * EPS64)
    assert relukit.sigmoid_derivative(x) == pytest.approx(e, rel=4 * EPS64)
    assert relukit.sigmoid_derivative(-x) == pytest.approx(e, rel=4 * EPS64)


@given(x=st.floats(20, 350))
def test_tanh_derivative_keeps_full_precision_in_the_tails(x: float) -> None:
    # sech^2 x = 4 e^-2|x| / (1 + e^-2|x|)^2 = 4 e^-2|x| (1 + O(e^-40)); 1 - tanh^2 gives 0.
    e = 4 * math.exp(-2 * x)
    assert relukit.tanh_derivative(x) == pytest.approx(e, rel=4 * EPS64)
    assert relukit.tanh_derivative(-x) == pytest.approx(e, rel=4 * EPS64)


@given(x=TAIL)
def test_softplus_and_silu_keep_full_precision_in_the_tails(x: float) -> None:
    e = math.exp(-x)
    assert relukit.softplus(-x) == pytest.approx(e, rel=4 * EPS64)  # log(1 + e) = e (1 - e/2)
    assert relukit.softplus(x) == x  # x + log(1 + e^-x): the second term is below ulp(x)/2
    assert relukit.silu(-x) == pytest.approx(-x * e, rel=4 * EPS64)  # -x sigma(-x)
    # SiLU'(-x) = sigma(-x) (1 - x sigma(x)) = e^-x (1 - x) (1 + O(x e^-x)).
    assert relukit.silu_derivative(-x) == pytest.approx(e * (1 - x), rel=8 * EPS64)


@given(x=st.floats(-700, 700))
def test_sigmoid_derivative_is_sigmoid_times_sigmoid_of_minus_x(x: float) -> None:
    # sigma'(x) = sigma(x) sigma(-x): each factor is within an ulp or two of exact.
    product = relukit.sigmoid(x) * relukit.sigmoid(-x)
    assert relukit.sigmoid_derivative(x) == pytest.approx(product, rel=8 * EPS64, abs=1e-307)


# Identities between the activations ---------------------------------------------------------

MODERATE = st.floats(-50, 50)


@given(x=MODERATE)
def test_sigmoid_of_x_plus_sigmoid_of_minus_x_is_one(x: float) -> None:
    assert relukit.sigmoid(x) + relukit.sigmoid(-x) == pytest.approx(1.0, abs=2 * EPS64)


@given(x=MODERATE)
def test_tanh_is_a_rescaled_sigmoid(x: float) -> None:
    # tanh x = 2 sigma(2x) - 1
    assert relukit.tanh(x) == pytest.approx(2 * relukit.sigmoid(2 * x) - 1, abs=4 * EPS64)


@given(x=MODERATE)
def test_tanh_derivative_is_one_minus_tanh_squared(x: float) -> None:
    assert relukit.tanh_derivative(x) == pytest.approx(1 - relukit.tanh(x) ** 2, abs=4 * EPS64)


ODD_PART_IS_X = [
    ("softplus", relukit.softplus),  # log(1 + e^x) - log(1 + e^-x) = x
    ("softplus(beta=3)", partial(relukit.softplus, beta=3.0)),
    ("silu", relukit.silu),  # x sigma(x) + x sigma(-x) = x
    ("gelu", relukit.gelu),  # x Phi(x) + x Phi(-x) = x
    ("gelu(tanh)", partial(relukit.gelu, approximate="tanh")),  # u is odd in x
]


@pytest.mark.parametrize("f", [f for _, f in ODD_PART_IS_X], ids=[n for n, _ in ODD_PART_IS_X])
@given(x=st.floats(-1e6, 1e6))
def test_f_of_x_minus_f_of_minus_x_is_x(f: Callable[..., Any], x: float) -> None:
    a, b = float(f(x)), float(f(-x))
    # 4 eps relative to the terms, and one subnormal step: f(5e-324) = 5e-324 / 2 rounds.
    assert a - b == pytest.approx(x, abs=4 * EPS64 * (abs(a) + abs(b)) + 5e-324)


@given(x=st.floats(-1e6, 1e6), beta=st.sampled_from([0.25, 0.5, 2.0, 4.0]))
def test_softplus_with_beta_is_softplus_rescaled(x: float, beta: float) -> None:
    # log(1 + e^(beta x)) / beta; beta a power of two, so beta * x is exact.
    expected = relukit.softplus(beta * x) / beta
    assert relukit.softplus(x, beta=beta) == pytest.approx(expected, rel=4 * EPS64)


@given(x=st.floats(-700, 0), alpha=st.floats(0.01, 100))
def test_elu_scales_with_alpha_on_the_negative_side(x: float, alpha: float) -> None:
    assert relukit.elu(x, alpha=alpha) == pytest.approx(alpha * relukit.elu(x), rel=2 * EPS64)
    assert relukit.elu_derivative(x, alpha=alpha) == pytest.approx(
        alpha * relukit.elu_derivative(x), rel=2 * EPS64
    )


@given(x=st.floats(0, 1e300), alpha=st.floats(0.01, 100))
def test_elu_is_the_identity_on_the_positive_side(x: float, alpha: float) -> None:
    assert relukit.elu(x, alpha=alpha) == x
    assert relukit.elu_derivative(x, alpha=alpha) == (1.0 if x > 0 else alpha)


def test_gelu_tanh_approximates_gelu_to_three_decimals_but_is_not_it() -> None:
    x = np.linspace(-10, 10, 20001)
    gap = np.abs(relukit.gelu(x) - relukit.gelu(x, approximate="tanh"))
    assert gap.max() < 1e-3
    assert gap.max() > 1e-5
    slope_gap = np.abs(relukit.gelu_derivative(x) - relukit.gelu_derivative(x, approximate="tanh"))
    assert 1e-5 < slope_gap.max() < 1e-2


@EVERY_FUNCTION
def test_the_input_array_is_not_modified(function: Callable[..., Any]) -> None:
    x = np.array([-3.0, -0.0, 0.0, 0.5, 6.0, np.nan, np.inf])
    before = x.copy()
    function(x)
    np.testing.assert_array_equal(x, before)
    assert np.signbit(x[1])


@pytest.mark.parametrize("slope", [-0.5, 0.0, 0.01, 1.0, 3.0])
def test_leaky_relu_takes_the_right_piece_for_any_slope(slope: float) -> None:
    # relukit picks max(x, a*x) for a <= 1 and min(x, a*x) for a > 1; check both against
    # the definition, including the infinities (a = 0 is ReLU: 0 at -inf, not 0 * -inf).
    x = np.array([-np.inf, -2.5, -0.0, 0.0, 1e-300, 2.5, np.inf])
    expected = np.array([v if v > 0 else (0.0 if slope == 0 else slope * v) for v in x])
    np.testing.assert_array_equal(relukit.leaky_relu(x, negative_slope=slope), expected)
    assert np.isnan(relukit.leaky_relu(np.nan, negative_slope=slope))


# Hard-swish, Mish, squared ReLU ------------------------------------------------------------


def test_hardswish_derivative_takes_the_outer_pieces_at_its_kinks() -> None:
    """0 at -3 (left-hand) and 1 at 3 (right-hand): the values of x ReLU6'(x + 3)/6 +
    ReLU6(x + 3)/6 with ReLU6' = 0 at its kinks, as relukit's relu6_derivative and JAX's."""
    for kink, inner, outer in ((-3.0, -0.5, 0.0), (3.0, 1.5, 1.0)):
        estimate = one_sided_derivatives(relukit.hardswish, kink)
        sides = (estimate.left_limit, estimate.right_limit)
        inside, outside = (sides[1], sides[0]) if kink < 0 else (sides[0], sides[1])
        assert inside == pytest.approx(inner, abs=1e-6)
        assert outside == pytest.approx(outer, abs=1e-6)
        assert relukit.hardswish_derivative(kink) == outer
    composed = relukit.relu6(np.array([0.0, 6.0])) / 6 + np.array([-3.0, 3.0]) * (
        relukit.relu6_derivative(np.array([0.0, 6.0])) / 6
    )
    np.testing.assert_array_equal(composed, relukit.hardswish_derivative([-3.0, 3.0]))


@given(x=st.floats(-1e6, 1e6))
def test_hardswish_is_x_times_relu6_of_x_plus_3_over_6(x: float) -> None:
    expected = x * float(relukit.relu6(x + 3.0)) / 6
    assert relukit.hardswish(x) == pytest.approx(expected, rel=4 * EPS64, abs=5e-324)


@given(x=st.floats(-30, 30))
def test_mish_is_x_tanh_softplus(x: float) -> None:
    # softplus and tanh are both accurate to a few ulp here; their composition to about
    # 8 eps relative, plus an absolute error from tanh's of at most eps at large x.
    expected = x * math.tanh(float(relukit.softplus(x)))
    assert relukit.mish(x) == pytest.approx(expected, rel=8 * EPS64, abs=1e-300)


@given(x=st.floats(40, 700))
def test_mish_keeps_full_precision_in_the_left_tail(x: float) -> None:
    # tanh(softplus(-x)) = t (t + 2) / (t (t + 2) + 2) with t = e^-x: t (1 + O(t)).
    t = math.exp(-x)
    assert relukit.mish(-x) == pytest.approx(-x * t, rel=4 * EPS64)
    assert relukit.mish_derivative(-x) == pytest.approx(t * (1 - x), rel=8 * EPS64)


MISH_TAIL = EXACT_ONLY["mish_tail"]
TINY64 = float(np.finfo(np.float64).tiny)


@pytest.mark.parametrize("kind", ["value", "derivative"])
def test_mish_matches_mpmath_far_in_the_negative_tail(kind: str) -> None:
    """From -700.5 (relukit switches to (factor) e^x at -700) to -1000, through the
    subnormal range: within 4 ulp relative where the exact value is a normal number, and
    within one step of the subnormal grid (2**-1074) below that."""
    function = relukit.mish if kind == "value" else relukit.mish_derivative
    x = np.array(MISH_TAIL["points"])
    expected = np.array(MISH_TAIL[kind])
    result = function(x)
    assert np.all(np.signbit(result))  # negative, and -0.0 where it underflows
    normal = np.abs(expected) >= TINY64
    assert normal.sum() >= 5
    np.testing.assert_allclose(result[normal], expected[normal], rtol=4 * EPS64, atol=0)
    np.testing.assert_allclose(result[~normal], expected[~normal], rtol=0, atol=5e-324)
    assert np.count_nonzero(expected[~normal]) >= 8  # the check reaches true subnormals


def test_mish_minimum_is_where_its_derivative_vanishes() -> None:
    x_min, f_min = relukit.PROPERTIES["mish"].minimum  # type: ignore[misc]
    assert abs(float(relukit.mish_derivative(x_min))) < 1e-15
    assert float(relukit.mish(x_min)) == pytest.approx(f_min, rel=4 * EPS64)


@given(x=st.floats(-1e150, 1e150))
def test_squared_relu_is_relu_squared_and_its_derivative_twice_relu(x: float) -> None:
    r = float(relukit.relu(x))
    assert relukit.squared_relu(x) == r * r
    assert relukit.squared_relu_derivative(x) == 2 * r


def test_squared_relu_has_no_kink_but_a_jump_in_its_second_derivative() -> None:
    first = one_sided_derivatives(relukit.squared_relu, 0.0)
    assert abs(first.left_limit) < 1e-7
    assert abs(first.right_limit) < 1e-7
    second = one_sided_derivatives(relukit.squared_relu_derivative, 0.0)
    assert (second.left_limit, second.right_limit) == (0.0, pytest.approx(2.0))
