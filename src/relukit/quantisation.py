r"""Uniform (affine) quantisation of activations to small integers, and back.

A real number :math:`x` is stored as an integer code :math:`q` with a scale :math:`s > 0` and
a zero point :math:`z` (the code of the real number 0):

.. math:: q = \operatorname{clip}\bigl(\operatorname{round}(x / s) + z,\ q_{\min},\ q_{\max}\bigr),
   \qquad \hat x = s\,(q - z),

with round-to-nearest, ties to even (:func:`numpy.rint`), and the code range of a ``bits``-bit
integer: :math:`[-2^{b-1}, 2^{b-1} - 1]` if signed, :math:`[0, 2^b - 1]` if not. The affine map
is that of TensorFlow Lite's 8-bit specification, ``real_value = (int8_value - zero_point) *
scale``; the tie rule is relukit's choice: TensorFlow Lite's reference kernels round halves away
from zero (``TfLiteRound``, which is ``std::round``). The two differ only at exact halves.
:func:`calibrate_scale` picks a per-tensor scale with zero point 0 from data. Nothing here
quantises weights or runs integer arithmetic: the book simulates quantisation by rounding a
network's activations and computing on in floating point.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from relukit._validation import as_float_array, as_real_array, real_parameter
from relukit.typing import ArrayLike

__all__ = ["calibrate_scale", "code_range", "dequantise", "quantise"]


def _check_bits(bits: Any) -> int:
    if isinstance(bits, (bool, np.bool_)) or not isinstance(bits, numbers.Integral):
        raise TypeError(f"bits must be an integer; got {type(bits).__name__} {bits!r:.60}")
    if not 2 <= int(bits) <= 16:
        raise ValueError(f"bits must be from 2 to 16; got {bits}")
    return int(bits)


def _check_signed(signed: Any) -> bool:
    if not isinstance(signed, (bool, np.bool_)):
        raise TypeError(f"signed must be True or False; got {type(signed).__name__} {signed!r:.60}")
    return bool(signed)


def _check_scale(scale: Any) -> float:
    s = real_parameter(scale, "scale")
    if s <= 0:
        raise ValueError(f"scale must be positive; got {s}")
    return s


def _integer(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {type(value).__name__} {value!r:.60}")
    return int(value)


def _check_zero_point(zero_point: Any, low: int, high: int) -> int:
    z = _integer(zero_point, "zero_point")
    if not low <= z <= high:
        raise ValueError(f"zero_point must be a code, from {low} to {high}; got {z}")
    return z


def code_range(bits: int = 8, signed: bool = False) -> tuple[int, int]:
    r"""The smallest and largest code of a ``bits``-bit integer.

    :math:`[-2^{b-1}, 2^{b-1} - 1]` for a signed integer (two's complement) and
    :math:`[0, 2^b - 1]` for an unsigned one.

    Parameters
    ----------
    bits : int
        The number of bits, 2 to 16.
    signed : bool
        Signed (``int8`` for 8 bits) or unsigned (``uint8``).

    Returns
    -------
    tuple of int
        ``(q_min, q_max)``.

    Raises
    ------
    TypeError
        If ``bits`` is not an integer or ``signed`` not a boolean.
    ValueError
        If ``bits`` is outside 2 to 16.

    Examples
    --------
    >>> from relukit.quantisation import code_range
    >>> code_range(8, signed=True), code_range(8, signed=False), code_range(4, signed=True)
    ((-128, 127), (0, 255), (-8, 7))
    """
    b = _check_bits(bits)
    if _check_signed(signed):
        return -(2 ** (b - 1)), 2 ** (b - 1) - 1
    return 0, 2**b - 1


def _code_dtype(bits: int, signed: bool) -> np.dtype:
    size = 8 if bits <= 8 else 16
    return np.dtype(f"{'int' if signed else 'uint'}{size}")


def quantise(
    x: ArrayLike,
    scale: float,
    *,
    zero_point: int = 0,
    bits: int = 8,
    signed: bool = False,
) -> np.ndarray:
    r"""Integer codes of ``x``: round to the nearest step, shift by the zero point, clip.

    .. math:: q = \operatorname{clip}\bigl(\operatorname{round}(x / s) + z,\ q_{\min},\
       q_{\max}\bigr)

    Parameters
    ----------
    x : ArrayLike
        Real numbers; NaN has no code.
    scale : float
        The step :math:`s > 0` between neighbouring codes' real values.
    zero_point : int
        The code :math:`z` of the real number 0; a code of the range.
    bits : int
        The number of bits, 2 to 16.
    signed : bool
        Codes of a signed integer (range :math:`[-2^{b-1}, 2^{b-1} - 1]`) or an unsigned
        one (:math:`[0, 2^b - 1]`).

    Returns
    -------
    numpy.ndarray
        The codes, of dtype ``int8``/``uint8`` for up to 8 bits, ``int16``/``uint16`` above.

    Raises
    ------
    TypeError
        If ``x`` is not real numbers, or a parameter has the wrong type.
    ValueError
        If ``x`` holds NaN, ``scale`` is not positive and finite, ``bits`` is outside 2 to 16,
        or ``zero_point`` is not a code of the range.

    Notes
    -----
    Rounding is to nearest with ties to even (:func:`numpy.rint`), relukit's choice;
    TensorFlow Lite's reference kernels round halves away from zero instead. Values beyond the
    range are clipped to its ends (:math:`\pm\infty` too). For ``x`` whose codes are not
    clipped, :math:`|s(q - z) - x| \le s/2` in exact arithmetic, up to the rounding of
    :math:`x/s` in floating point. The affine map is that of TensorFlow Lite's 8-bit
    quantisation specification (https://www.tensorflow.org/lite/performance/quantization_spec).

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.quantisation import quantise
    >>> quantise([0.0, 0.24, 0.26, 1.0, 9.0], 0.5, bits=4)
    array([ 0,  0,  1,  2, 15], dtype=uint8)
    >>> quantise([0.25, 0.75, -3.0], 0.5, zero_point=-8, bits=4, signed=True)
    array([-8, -6, -8], dtype=int8)
    """
    arr = as_float_array(x)
    s = _check_scale(scale)
    b = _check_bits(bits)
    sign = _check_signed(signed)
    low, high = code_range(b, sign)
    z = _check_zero_point(zero_point, low, high)
    if np.isnan(arr).any():
        raise ValueError("x contains NaN, which has no code")
    with np.errstate(over="ignore"):  # a huge x / s becomes inf, and is clipped
        steps = np.rint(arr.astype(np.float64) / s)
    codes: np.ndarray = np.clip(steps + z, low, high).astype(_code_dtype(b, sign))
    return codes


def dequantise(q: ArrayLike, scale: float, *, zero_point: int = 0) -> np.ndarray:
    r"""The real values :math:`s\,(q - z)` that integer codes stand for.

    Parameters
    ----------
    q : ArrayLike
        Integer codes.
    scale : float
        The step :math:`s > 0`.
    zero_point : int
        The code :math:`z` of the real number 0.

    Returns
    -------
    numpy.ndarray
        The values, float64, of the shape of ``q``.

    Raises
    ------
    TypeError
        If ``q`` is not of an integer dtype, or a parameter has the wrong type.
    ValueError
        If ``scale`` is not positive and finite.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.quantisation import dequantise
    >>> dequantise(np.array([0, 1, 255], dtype=np.uint8), 0.5)
    array([  0. ,   0.5, 127.5])
    >>> dequantise(np.array([-128, -127], dtype=np.int8), 0.5, zero_point=-128)
    array([0. , 0.5])
    """
    codes = as_real_array(q, "q")
    if codes.dtype.kind not in "iu":
        raise TypeError(f"q must be integer codes; got an array of dtype {codes.dtype}")
    s = _check_scale(scale)
    z = _integer(zero_point, "zero_point")
    return s * (codes.astype(np.float64) - float(z))


def calibrate_scale(
    x: ArrayLike, *, bits: int = 8, signed: bool = False, percentile: float = 100.0
) -> float:
    r"""A per-tensor scale with zero point 0 that maps a range of the data onto the codes.

    .. math:: s = \frac{m}{q_{\max}}, \qquad m = \text{the given percentile of }
       |x| \text{ (signed) or of } \max(x, 0) \text{ (unsigned)}

    so that :math:`m` gets the largest code, :math:`q_{\max} = 2^{b-1} - 1` (signed) or
    :math:`2^b - 1` (unsigned). The signed scheme is symmetric: with zero point 0 it codes
    :math:`[-m, m]`, and the code :math:`-2^{b-1}` is left unused. Unsigned codes with zero
    point 0 code :math:`[0, m]`: negative values all get the code 0, so they do not set the
    scale.

    Parameters
    ----------
    x : ArrayLike
        The calibration data, such as one layer's activations on a calibration set.
    bits : int
        The number of bits, 2 to 16.
    signed : bool
        For signed or unsigned codes.
    percentile : float
        Which percentile of :math:`|x|` (signed) or :math:`\max(x, 0)` (unsigned) gets the
        largest code, in (0, 100]; 100 is the maximum. A lower one clips the largest values,
        but gives the others a finer step.

    Returns
    -------
    float
        The scale :math:`s > 0`.

    Raises
    ------
    TypeError
        If ``x`` is not real numbers, or a parameter has the wrong type.
    ValueError
        If ``x`` is empty or holds NaN or infinities, the percentile is outside (0, 100], or
        it is 0 on the data (no scale maps 0 to the largest code).

    Examples
    --------
    >>> from relukit.quantisation import calibrate_scale
    >>> calibrate_scale([0.0, 1.0, 2.55], bits=8) == 2.55 / 255
    True
    >>> calibrate_scale([-1.27, 0.5], bits=8, signed=True) == 1.27 / 127
    True
    >>> calibrate_scale([-10.0, 2.55], bits=8) == 2.55 / 255  # unsigned: negatives ignored
    True
    """
    arr = as_float_array(x)
    b = _check_bits(bits)
    sign = _check_signed(signed)
    p = real_parameter(percentile, "percentile")
    if not 0 < p <= 100:
        raise ValueError(f"percentile must be in (0, 100]; got {p}")
    if arr.size == 0:
        raise ValueError("x is empty: there is nothing to calibrate on")
    if not np.isfinite(arr).all():
        raise ValueError("x must be finite to calibrate on")
    values = arr.astype(np.float64)
    magnitude = np.abs(values) if sign else np.maximum(values, 0.0)
    m = float(np.percentile(magnitude, p))
    if m == 0:
        what = "|x|" if sign else "max(x, 0)"
        raise ValueError(f"the {p:g}th percentile of {what} is 0: no scale maps it to a code")
    return m / code_range(b, sign)[1]
