"""The input contract (relukit._validation), through every public function.

Real numbers and arrays of them in; floating dtypes kept, integers kept by relu and promoted
to float64 by everything else; numpy scalars for scalar input; everything non-real rejected
with a TypeError that names what was given and what is accepted.
"""

from __future__ import annotations

import datetime
import decimal
import fractions
import inspect
import math
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pytest

import relukit

FUNCTION_NAMES = [n for n in relukit.__all__ if n[0].islower()]
FUNCTIONS = [getattr(relukit, n) for n in FUNCTION_NAMES]
EVERY_FUNCTION = pytest.mark.parametrize("function", FUNCTIONS, ids=FUNCTION_NAMES)
NOT_RELU = pytest.mark.parametrize(
    "function",
    [f for n, f in zip(FUNCTION_NAMES, FUNCTIONS, strict=True) if n != "relu"],
    ids=[n for n in FUNCTION_NAMES if n != "relu"],
)
FLOAT_DTYPES = [np.float16, np.float32, np.float64]
INTEGER_DTYPES = [
    np.int8,
    np.int16,
    np.int32,
    np.int64,
    np.uint8,
    np.uint16,
    np.uint32,
    np.uint64,
]


def test_every_function_of_the_contract_is_public() -> None:
    expected = {
        f"{name}{suffix}"
        for name in (
            "relu",
            "leaky_relu",
            "elu",
            "selu",
            "softplus",
            "sigmoid",
            "tanh",
            "silu",
            "gelu",
            "hardswish",
            "mish",
            "squared_relu",
        )
        for suffix in ("", "_derivative")
    } | {"relu6", "relu6_derivative"}
    assert set(FUNCTION_NAMES) == expected
    assert {"Interval", "PROPERTIES"} <= set(relukit.__all__)
    for name in relukit.__all__:
        assert getattr(relukit, name) is not None


# Dtypes -------------------------------------------------------------------------------------


@EVERY_FUNCTION
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_a_floating_dtype_is_kept(function: Callable[..., Any], dtype: type) -> None:
    x = np.array([-2.0, 0.0, 0.5, 7.0], dtype=dtype)
    assert function(x).dtype == dtype
    assert function(x[:0]).dtype == dtype
    scalar = function(dtype(0.5))
    assert isinstance(scalar, np.generic)
    assert scalar.dtype == dtype


@pytest.mark.parametrize("dtype", INTEGER_DTYPES)
def test_relu_keeps_an_integer_dtype(dtype: type) -> None:
    info = np.iinfo(dtype)
    x = np.array([info.min, -1 if info.min < 0 else 0, 0, 1, info.max], dtype=dtype)
    result = relukit.relu(x)
    assert result.dtype == dtype
    assert result.tolist() == [0, 0, 0, 1, int(info.max)]
    assert relukit.relu(dtype(3)).dtype == dtype


@NOT_RELU
@pytest.mark.parametrize("dtype", INTEGER_DTYPES)
def test_other_functions_promote_integers_to_float64(
    function: Callable[..., Any], dtype: type
) -> None:
    x = np.array([0, 1, 3, 6, 100], dtype=dtype)
    result = function(x)
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, function(x.astype(np.float64)))
    assert function(dtype(3)).dtype == np.float64


@EVERY_FUNCTION
def test_python_numbers_give_numpy_scalars(function: Callable[..., Any]) -> None:
    for value in (0.5, -3, 0):
        result = function(value)
        assert isinstance(result, np.generic)
        assert result.shape == ()
    assert function(0.5).dtype == np.float64


def test_relu_of_a_python_int_is_an_integer() -> None:
    result = relukit.relu(-3)
    assert isinstance(result, np.integer)
    assert result == 0


@EVERY_FUNCTION
def test_a_0d_array_gives_a_numpy_scalar(function: Callable[..., Any]) -> None:
    result = function(np.array(0.5))
    assert isinstance(result, np.float64)


@EVERY_FUNCTION
@pytest.mark.parametrize(
    "x",
    [
        [0.5, -1.0, 2.0],
        (0.5, -1.0),
        [[1.0, -2.0, 3.0], [0.0, 4.0, -5.0]],
        np.zeros((2, 3, 4)),
        np.zeros((0,)),
        np.zeros((3, 0)),
        range(-3, 3),
    ],
    ids=["list", "tuple", "nested", "3d", "empty", "3x0", "range"],
)
def test_the_shape_is_kept_for_anything_array_like(function: Callable[..., Any], x: Any) -> None:
    result = function(x)
    assert isinstance(result, np.ndarray)
    assert result.shape == np.shape(x)


@EVERY_FUNCTION
def test_strided_and_fortran_ordered_input_gives_the_same_values(
    function: Callable[..., Any],
) -> None:
    base = np.linspace(-8, 8, 60).reshape(6, 10)
    np.testing.assert_array_equal(function(base[:, ::3]), function(base[:, ::3].copy()))
    np.testing.assert_array_equal(function(np.asfortranarray(base)), function(base))
    np.testing.assert_array_equal(function(base.T), function(base).T)


# Rejected input -----------------------------------------------------------------------------

# value, a word the message must use to name what was given
REJECTED = [
    (1j, "complex"),
    (np.complex64(1), "complex64"),
    (np.array([1.0 + 0j, 2.0]), "complex128"),
    ("1.0", "str"),
    (["1", "2"], "<U1"),
    (b"1", "bytes"),
    (None, "NoneType"),
    (True, "bool"),
    (np.bool_(False), "bool"),
    (np.array([True, False]), "bool"),
    ([True, False], "bool"),
    (np.array([1.0, 2.0], dtype=object), "object"),
    ([[1.0, 2.0], [3.0]], "list"),
    ([1.0, None], "object"),
    (decimal.Decimal("1.5"), "Decimal"),
    (fractions.Fraction(1, 2), "Fraction"),
    (np.array(["2024-01-01"], dtype="datetime64[D]"), "datetime64"),
    (datetime.timedelta(seconds=1), "timedelta"),
    ({1.0: 2.0}, "dict"),
]
if np.dtype(np.longdouble) != np.dtype(np.float64):  # x86-64 Linux: 80-bit extended
    REJECTED.append((np.array([1.0], dtype=np.longdouble), np.dtype(np.longdouble).name))


@EVERY_FUNCTION
@pytest.mark.parametrize(("value", "given"), REJECTED, ids=[g for _, g in REJECTED])
def test_non_real_input_raises_a_typeerror_naming_it(
    function: Callable[..., Any], value: Any, given: str
) -> None:
    with pytest.raises(TypeError) as raised:
        function(value)
    message = str(raised.value)
    assert given in message  # what was given
    assert "float16, float32, float64" in message  # and what is accepted
    assert "integer" in message


def test_the_message_gives_a_reason_for_complex_and_bool() -> None:
    with pytest.raises(TypeError, match="real line"):
        relukit.relu(np.array([1j]))
    with pytest.raises(TypeError, match=r"astype\(float\)"):
        relukit.sigmoid(np.array([True]))


# out= ---------------------------------------------------------------------------------------


@EVERY_FUNCTION
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_out_receives_the_result_and_is_returned(function: Callable[..., Any], dtype: type) -> None:
    x = np.array([[-1.5, 0.0, 2.5], [6.5, -0.0, np.nan]], dtype=dtype)
    out = np.full(x.shape, 123.0, dtype=dtype)
    result = function(x, out=out)
    assert result is out
    np.testing.assert_array_equal(out, function(x))
    np.testing.assert_array_equal(x[0], np.array([-1.5, 0.0, 2.5], dtype=dtype))


@EVERY_FUNCTION
def test_out_x_works_in_place(function: Callable[..., Any]) -> None:
    x = np.array([[-1.0, 2.0], [3.0, -4.0]], dtype=np.float32)
    expected = function(x)
    assert function(x, out=x) is x
    np.testing.assert_array_equal(x, expected)


@EVERY_FUNCTION
def test_out_takes_a_scalar_result_as_a_0d_array(function: Callable[..., Any]) -> None:
    out = np.empty(())
    assert function(0.5, out=out) is out
    assert out[()] == function(0.5)


@NOT_RELU
def test_out_of_a_wider_float_dtype_is_accepted(function: Callable[..., Any]) -> None:
    x = np.array([-1.0, 0.0, 1.0], dtype=np.float32)
    out = np.empty(3)
    function(x, out=out)
    np.testing.assert_array_equal(out, function(x).astype(np.float64))


def test_relu_out_accepts_array_like_input_and_wider_dtypes() -> None:
    out = np.empty(3)
    assert relukit.relu([-1, 0, 5], out=out) is out
    np.testing.assert_array_equal(out, [0.0, 0.0, 5.0])
    ints = np.empty(2, dtype=np.int64)
    relukit.relu(np.array([-7, 7], dtype=np.int8), out=ints)
    assert ints.tolist() == [0, 7]


BAD_OUT = [
    (np.empty(4), ValueError, "shape"),
    (np.empty((1, 3)), ValueError, "shape"),
    (np.empty(()), ValueError, "shape"),
    ([0.0, 0.0, 0.0], TypeError, "numpy array"),
    (np.empty(3, dtype=np.int64), TypeError, "cannot hold"),
    (np.empty(3, dtype=np.bool_), TypeError, "cannot hold"),
    (np.empty(3, dtype=np.float32), TypeError, "cannot hold"),
    (np.empty(3, dtype=np.complex128), TypeError, "cannot hold"),
]


@EVERY_FUNCTION
@pytest.mark.parametrize(
    ("out", "error", "message"),
    BAD_OUT,
    ids=["longer", "broadcastable", "0d", "list", "int-for-float", "bool", "narrower", "complex"],
)
def test_an_out_that_cannot_take_the_result_is_rejected(
    function: Callable[..., Any], out: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        function(np.array([-1.0, 0.0, 1.0]), out=out)


@EVERY_FUNCTION
def test_a_read_only_out_is_rejected(function: Callable[..., Any]) -> None:
    out = np.empty(3)
    out.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        function(np.array([-1.0, 0.0, 1.0]), out=out)


@EVERY_FUNCTION
def test_out_is_keyword_only(function: Callable[..., Any]) -> None:
    parameter = inspect.signature(function).parameters["out"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
    assert parameter.default is None


# Parameters ---------------------------------------------------------------------------------

BAD_PARAMETERS = [
    *[
        (f, {"alpha": value}, error)
        for f in ("elu", "elu_derivative")
        for value, error in [
            (math.nan, ValueError),
            (math.inf, ValueError),
            ("x", TypeError),
            (None, TypeError),
            (True, TypeError),
            (1j, TypeError),
            (np.array([1.0]), TypeError),
        ]
    ],
    *[
        (f, {"beta": value}, error)
        for f in ("softplus", "softplus_derivative")
        for value, error in [
            (0.0, ValueError),
            (-1.0, ValueError),
            (math.nan, ValueError),
            (math.inf, ValueError),
            ("2", TypeError),
            (None, TypeError),
        ]
    ],
    *[
        (f, {"approximate": value}, ValueError)
        for f in ("gelu", "gelu_derivative")
        for value in ["foo", "TANH", "", None, "erf"]
    ],
    *[
        (f, {"negative_slope": value}, error)
        for f in ("leaky_relu", "leaky_relu_derivative")
        for value, error in [("x", TypeError), (None, TypeError), (math.nan, ValueError)]
    ],
    *[
        (f, {"at_zero": value}, error)
        for f in ("relu_derivative", "leaky_relu_derivative", "selu_derivative")
        for value, error in [(math.nan, ValueError), ("0.5", TypeError), (False, TypeError)]
    ],
    ("relu_derivative", {"at_zero": None}, TypeError),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "error"),
    BAD_PARAMETERS,
    ids=[f"{n}-{k}" for n, k, _ in BAD_PARAMETERS],
)
def test_bad_parameters_raise(name: str, kwargs: dict[str, Any], error: type[Exception]) -> None:
    parameter = next(iter(kwargs))
    with pytest.raises(error, match=parameter):
        getattr(relukit, name)(np.array([-1.0, 0.0, 1.0]), **kwargs)


def test_numpy_scalar_parameters_do_not_widen_the_dtype() -> None:
    x16 = np.array([-1.0, 0.0, 1.0], dtype=np.float16)
    x32 = x16.astype(np.float32)
    assert relukit.elu(x16, alpha=np.float64(0.5)).dtype == np.float16
    assert relukit.leaky_relu(x32, negative_slope=np.float64(0.1)).dtype == np.float32
    assert relukit.leaky_relu_derivative(x16, negative_slope=np.float64(0.1)).dtype == np.float16
    assert relukit.softplus(x32, beta=np.float64(2.0)).dtype == np.float32
    assert relukit.relu_derivative(x16, at_zero=np.float64(0.5)).dtype == np.float16
    assert relukit.elu(x32, alpha=np.int64(2)).dtype == np.float32


def test_integer_and_numpy_parameters_are_accepted() -> None:
    assert relukit.elu(-1.0, alpha=2) == pytest.approx(2 * math.expm1(-1))
    assert relukit.softplus(0.0, beta=np.float32(2.0)) == pytest.approx(math.log(2) / 2)
    assert relukit.leaky_relu(-1.0, negative_slope=fractions.Fraction(1, 4)) == -0.25
    gelu = partial(relukit.gelu, approximate=np.str_("tanh"))
    assert gelu(1.0) == relukit.gelu(1.0, approximate="tanh")
