"""The input contract, in one place: every public function of relukit goes through it.

Accepted: real numbers and anything array-like of them, with dtype float16, float32, float64
or any integer type. Floating dtypes are kept; integers are promoted to float64 by every
function except :func:`relukit.relu`, which keeps them. Everything else (complex numbers,
strings, ``None``, booleans, object arrays, long doubles) raises :class:`TypeError` naming
what was given, rather than being coerced into something meaningless.
"""

from __future__ import annotations

import numbers
from typing import Any, cast

import numpy as np

from relukit.typing import ArrayLike

__all__ = [
    "ACCEPTED",
    "FLOAT_DTYPES",
    "as_float_array",
    "as_real_array",
    "check_out",
    "real_parameter",
    "scalar_or_array",
]

FLOAT_DTYPES = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))
ACCEPTED = "real numbers or arrays of dtype float16, float32, float64 or an integer type"


def _describe(x: Any, arr: np.ndarray | None) -> str:
    if arr is None:
        return f"{type(x).__name__} {x!r:.60}"
    if arr.ndim == 0 and not isinstance(x, np.ndarray):
        return f"{type(x).__name__} {x!r:.60}"
    return f"array of dtype {arr.dtype}"


def as_real_array(x: ArrayLike, name: str = "x") -> np.ndarray:
    """Return ``x`` as an ndarray of a real floating or integer dtype, or raise TypeError.

    An ndarray of an accepted dtype is returned as is (no copy).

    Parameters
    ----------
    x : ArrayLike
        The input.
    name : str
        Its name in the error message.

    Returns
    -------
    numpy.ndarray
        ``x``, of dtype float16, float32, float64 or an integer type.

    Raises
    ------
    TypeError
        For anything else: complex numbers, strings, ``None``, booleans, objects, long
        doubles, ragged sequences. The message names what was given and what is accepted.

    Examples
    --------
    >>> from relukit._validation import as_real_array
    >>> as_real_array([1, -2]).dtype
    dtype('int64')
    >>> as_real_array(1j)
    Traceback (most recent call last):
      ...
    TypeError: x must be real numbers ...; got complex 1j: ... defined on the real line only
    """
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be {ACCEPTED}; got {_describe(x, None)}")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as error:  # ragged nested sequences, for example
        raise TypeError(f"{name} must be {ACCEPTED}; got {type(x).__name__} ({error})") from None
    kind = arr.dtype.kind
    if kind in "iu" or (kind == "f" and arr.dtype in FLOAT_DTYPES):
        return arr
    if kind == "b":
        reason = "booleans are not numbers here; convert with .astype(float) if you mean 0 and 1"
    elif kind == "c":
        reason = "ReLU and its relatives are defined on the real line only"
    elif kind == "f":
        reason = f"{arr.dtype} is not supported"
    else:
        reason = "it is not a real number"
    raise TypeError(f"{name} must be {ACCEPTED}; got {_describe(x, arr)}: {reason}")


def as_float_array(x: ArrayLike, name: str = "x") -> np.ndarray:
    """Like :func:`as_real_array`, with integers promoted to float64.

    Parameters
    ----------
    x : ArrayLike
        The input.
    name : str
        Its name in the error message.

    Returns
    -------
    numpy.ndarray
        ``x``, of dtype float16, float32 or float64.

    Raises
    ------
    TypeError
        As :func:`as_real_array`.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit._validation import as_float_array
    >>> as_float_array([1, -2]).dtype, as_float_array(np.float16(1)).dtype
    (dtype('float64'), dtype('float16'))
    """
    arr = as_real_array(x, name)
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    return arr


def real_parameter(value: Any, name: str, *, allow_nan: bool = False) -> float:
    """Return a parameter such as ``alpha`` as a Python float, or raise.

    A Python float (not a numpy scalar) keeps numpy's weak-scalar promotion, so a float32
    input stays float32 whatever the parameter's own type was.

    Parameters
    ----------
    value : numbers.Real
        The parameter: a real number other than a boolean.
    name : str
        Its name in the error message.
    allow_nan : bool
        Accept NaN.

    Returns
    -------
    float
        ``value`` as a Python float.

    Raises
    ------
    TypeError
        If ``value`` is not a real number.
    ValueError
        If it is infinite, or NaN and ``allow_nan`` is false.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit._validation import real_parameter
    >>> real_parameter(np.float32(0.5), "alpha")
    0.5
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__} {value!r:.60}")
    result = float(value)
    if not np.isfinite(result) and not (allow_nan and np.isnan(result)):
        raise ValueError(f"{name} must be finite; got {result}")
    return result


def check_out(out: Any, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """Check an ``out=`` buffer for a result of the given shape and dtype.

    It must be a writeable real ndarray of that shape, of a dtype that holds every value of
    the result exactly (a safe cast: float32 into float64 is fine, float64 into float32 is
    not).

    Parameters
    ----------
    out : numpy.ndarray
        The buffer.
    shape : tuple of int
        The result's shape.
    dtype : numpy.dtype
        The result's dtype.

    Returns
    -------
    numpy.ndarray
        ``out``.

    Raises
    ------
    TypeError
        If ``out`` is not an ndarray, or its dtype cannot hold the result exactly.
    ValueError
        If it is read-only or of another shape.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit._validation import check_out
    >>> check_out(np.empty(3), (3,), np.dtype(np.float32)).shape
    (3,)
    """
    if not isinstance(out, np.ndarray):
        raise TypeError(f"out must be a numpy array; got {type(out).__name__}")
    if not out.flags.writeable:
        raise ValueError("out is read-only")
    if out.shape != shape:
        raise ValueError(f"out has shape {out.shape}; the input has shape {shape}")
    if out.dtype.kind not in "iuf" or not np.can_cast(dtype, out.dtype, casting="safe"):
        raise TypeError(
            f"out has dtype {out.dtype}, which cannot hold a result of dtype {dtype} exactly"
        )
    return out


def scalar_or_array(result: np.ndarray) -> np.ndarray | np.generic:
    """Turn a 0-d result into a numpy scalar, as numpy's own functions do; arrays pass.

    Parameters
    ----------
    result : numpy.ndarray
        A function's result.

    Returns
    -------
    numpy.ndarray or numpy.generic
        The numpy scalar ``result[()]`` if ``result`` is 0-d, else ``result``.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit._validation import scalar_or_array
    >>> scalar_or_array(np.array(2.0)), scalar_or_array(np.array([2.0]))
    (np.float64(2.0), array([2.]))
    """
    if result.ndim == 0:
        return cast("np.generic", result[()])
    return result
