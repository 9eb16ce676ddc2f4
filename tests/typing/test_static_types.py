"""The static types of relukit's functions, checked by mypy --strict and again at run time.

`nox -s lint` runs mypy over this file (see [tool.mypy] in pyproject.toml): every
``assert_type`` must hold exactly (``Any`` is not ``numpy.float64``), and each
``# type: ignore[...]`` must still be needed (strict mode reports unused ones), so a function
whose result became ``Any`` again, or that started accepting what it should not, fails lint.
pytest runs the same lines, so each static type is also the type the call returns.
"""

from __future__ import annotations

from typing import assert_type

import numpy as np
import numpy.typing as npt

import relukit
from relukit.network import MLP

F16 = np.float16(0.5)
F32 = np.float32(0.5)
F64 = np.float64(0.5)
ARRAY32: npt.NDArray[np.float32] = np.array([-1.0, 0.5], dtype=np.float32)
ARRAY64: npt.NDArray[np.float64] = np.array([-1.0, 0.5])
INTS: npt.NDArray[np.int8] = np.array([-1, 2], dtype=np.int8)


def test_a_python_float_gives_a_float64() -> None:
    for value in (
        assert_type(relukit.sigmoid(0.5), np.float64),
        assert_type(relukit.elu(-1.0, alpha=0.5), np.float64),
        assert_type(relukit.selu_derivative(0.0), np.float64),
        assert_type(relukit.gelu(1.0, approximate="tanh"), np.float64),
        assert_type(relukit.relu(0.5), np.float64),
        assert_type(relukit.sigmoid(3), np.float64),  # an int is promoted
    ):
        assert type(value) is np.float64


def test_relu_keeps_a_python_int_as_int64() -> None:
    assert type(assert_type(relukit.relu(-3), np.int64)) is np.int64


def test_a_numpy_scalar_keeps_its_type() -> None:
    assert type(assert_type(relukit.tanh(F16), np.float16)) is np.float16
    assert type(assert_type(relukit.softplus(F32), np.float32)) is np.float32
    assert type(assert_type(relukit.relu_derivative(F64), np.float64)) is np.float64
    assert type(assert_type(relukit.relu(np.int8(3)), np.int8)) is np.int8
    assert type(assert_type(relukit.silu(np.int16(3)), np.float64)) is np.float64


def test_an_array_gives_an_array_or_for_0d_a_scalar() -> None:
    result32 = assert_type(relukit.leaky_relu(ARRAY32), npt.NDArray[np.float32] | np.float32)
    assert isinstance(result32, np.ndarray)
    assert result32.dtype == np.float32
    zero_d: npt.NDArray[np.float64] = np.array(0.5)
    scalar = assert_type(relukit.gelu(zero_d), npt.NDArray[np.float64] | np.float64)
    assert type(scalar) is np.float64
    ints = assert_type(relukit.relu(INTS), npt.NDArray[np.int8] | np.int8)
    assert isinstance(ints, np.ndarray)
    assert ints.dtype == np.int8
    promoted = assert_type(relukit.relu6(INTS), npt.NDArray[np.float64] | np.float64)
    assert isinstance(promoted, np.ndarray)
    assert promoted.dtype == np.float64


def test_a_list_gives_an_array() -> None:
    floats = assert_type(relukit.sigmoid_derivative([0.0, 1.0]), npt.NDArray[np.float64])
    assert isinstance(floats, np.ndarray)
    nested = assert_type(relukit.relu([[1.0], [-2.0]]), npt.NDArray[np.float64])
    assert nested.shape == (2, 1)
    ints = assert_type(relukit.relu([1, -2]), npt.NDArray[np.int64])
    assert ints.dtype == np.int64


def test_out_gives_the_buffer_back() -> None:
    buffer: npt.NDArray[np.float64] = np.empty(2)
    assert assert_type(relukit.relu(ARRAY64, out=buffer), npt.NDArray[np.float64]) is buffer
    assert assert_type(relukit.tanh(ARRAY64, out=buffer), npt.NDArray[np.float64]) is buffer
    assert assert_type(relukit.selu(ARRAY32, out=buffer), npt.NDArray[np.float64]) is buffer


def test_the_network_and_properties_are_typed() -> None:
    net = MLP([2, 3, 1], "relu", kink_position=0.5, seed=0)
    assert assert_type(net.kink_position, float) == 0.5
    assert isinstance(assert_type(net.predict(np.zeros((1, 2))), np.ndarray), np.ndarray)
    assert assert_type(relukit.PROPERTIES["selu"].zero_centred, bool)
    assert assert_type(relukit.__version__, str)


def wrong_uses_that_mypy_must_reject() -> None:
    """Never called: each line is a type error, and its ignore must stay needed."""
    text: str = relukit.sigmoid(1.0)  # type: ignore[assignment]
    relukit.elu(1.0, alpha="0.5")  # type: ignore[call-overload]
    relukit.softplus(1.0, betta=2.0)  # type: ignore[call-overload]
    relukit.relu(1.0, np.empty(()))  # type: ignore[call-overload]  # out= is keyword-only
    relukit.gelu(1.0, approximate="erf")  # type: ignore[call-overload]
    MLP([2, 1], kink_position="left")  # type: ignore[arg-type]
    del text
