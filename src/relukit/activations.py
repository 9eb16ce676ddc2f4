r"""ReLU and its relatives, each with its derivative.

Every function is elementwise over anything array-like and goes through the input contract
of ``relukit._validation``: real input only, floating dtypes kept (float16 is computed in
float32 and rounded back, as PyTorch does on the CPU), NaN in gives NaN out, and the
infinities give the mathematical limits without a RuntimeWarning. A scalar in gives a numpy
scalar out.

Where a function has a kink, its derivative there is a convention, not a fact. The default is
the left-hand derivative: for ReLU that is 0, which PyTorch (2.13), JAX (0.10.2) and
TensorFlow (2.21) all return; for leaky ReLU and ELU it is what PyTorch returns (JAX's
``leaky_relu`` gives 1 at 0). ``at_zero=`` chooses another value. Bertoin et al. (2021) show
that the choice can change training in low precision.

References
----------
Bertoin, D., Bolte, J., Gerchinovitz, S. and Pauwels, E. (2021). Numerical influence of
ReLU'(0) on backpropagation. NeurIPS 34. https://arxiv.org/abs/2106.12915
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import special

from relukit._validation import (
    as_float_array,
    as_real_array,
    check_out,
    real_parameter,
    scalar_or_array,
)

__all__ = [
    "elu",
    "elu_derivative",
    "gelu",
    "gelu_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "relu",
    "relu6",
    "relu6_derivative",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "silu",
    "silu_derivative",
    "softplus",
    "softplus_derivative",
    "tanh",
    "tanh_derivative",
]

GeluApproximation = Literal["none", "tanh"]

# GELU's tanh approximation (Hendrycks and Gimpel, 2016), with PyTorch's constants.
_GELU_TANH_SCALE = float(np.sqrt(2.0 / np.pi))
_GELU_TANH_CUBIC = 0.044715
# Beyond this |x| every term of the tanh form has reached its limit in float64; clipping
# there keeps x**3 from overflowing without changing any result.
_GELU_TANH_CLIP = 1e4
_SQRT_2PI = float(np.sqrt(2.0 * np.pi))


def _working(x: npt.ArrayLike) -> tuple[np.ndarray, np.dtype]:
    """Return (x in the dtype to compute in, the dtype to return)."""
    arr = as_float_array(x)
    if arr.dtype == np.float16:
        return arr.astype(np.float32), arr.dtype
    return arr, arr.dtype


def _finish(result: np.ndarray, dtype: np.dtype) -> Any:
    return scalar_or_array(np.asarray(result).astype(dtype, copy=False))


def _set_limits(result: np.ndarray, x: np.ndarray, at_minus_inf: float, at_plus_inf: float) -> None:
    """Write the limits at -inf and +inf where a product such as inf * 0 gave NaN.

    The callers compute such products under ``np.errstate(invalid="ignore")``: at the
    infinities, and only there, the formula's inf * 0 is expected and replaced here.
    """
    np.copyto(result, at_minus_inf, where=x == -np.inf)
    np.copyto(result, at_plus_inf, where=x == np.inf)


def _heaviside(x: np.ndarray, at_zero: float) -> np.ndarray:
    """1 for x > 0, 0 for x < 0, ``at_zero`` at 0 and -0.0, NaN for NaN, in x's dtype.

    Comparing straight into a float buffer is as fast as the naive
    ``(x > 0).astype(x.dtype)`` and gives +0.0 at -0.0. It maps NaN to 0, so NaN is written
    back afterwards; NaN is rare, and one fast reduction tells whether that pass is needed.
    """
    h: np.ndarray = np.greater(x, 0, out=np.empty_like(x))
    if x.size and np.isnan(np.max(x)):
        np.copyto(h, x, where=np.isnan(x))
    if at_zero != 0.0:
        np.copyto(h, at_zero, where=x == 0)
    return h


# ReLU ---------------------------------------------------------------------------------------


def relu(x: npt.ArrayLike, out: np.ndarray | None = None) -> Any:
    r"""Rectified linear unit.

    .. math:: \operatorname{ReLU}(x) = \max(0, x)
       = \begin{cases} x & x > 0 \\ 0 & x \le 0 \end{cases}

    Parameters
    ----------
    x
        Real numbers. Floating and integer dtypes are both kept.
    out
        Optional array of ``x``'s shape to write the result into; ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy scalar
        ``max(0, x)`` elementwise: ``out`` if given.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the result.

    See Also
    --------
    relu_derivative, leaky_relu, relu6, softplus

    Examples
    --------
    >>> import numpy as np
    >>> from relukit import relu
    >>> relu(np.array([-2.0, 0.0, 3.5, -np.inf, np.inf, np.nan]))
    array([0. , 0. , 3.5, 0. , inf, nan])
    >>> relu(np.array([-3, 4], dtype=np.int8))
    array([0, 4], dtype=int8)
    """
    arr = as_real_array(x)
    if out is None:
        return np.maximum(arr, 0)
    np.maximum(arr, 0, out=check_out(out, arr.shape, arr.dtype))
    return out


def relu_derivative(x: npt.ArrayLike, at_zero: float = 0.0) -> Any:
    r"""Derivative of :func:`relu`, with a chosen value at the kink.

    .. math:: \operatorname{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ c & x = 0 \\ 0 & x < 0
       \end{cases}

    ReLU has no derivative at 0: the left-hand limit of its difference quotient is 0 and the
    right-hand one is 1. Any ``c`` in :math:`[0, 1]` (the subdifferential) is a valid
    subgradient there.

    Parameters
    ----------
    x
        Real numbers. Integers are promoted to float64.
    at_zero
        The value ``c`` returned at 0 (and -0.0). Default 0, the left-hand derivative.

    Returns
    -------
    numpy.ndarray or numpy scalar
        1.0, 0.0 or ``at_zero`` elementwise, NaN where ``x`` is NaN, in ``x``'s float dtype.

    Notes
    -----
    ``at_zero=0`` is what PyTorch (2.13), JAX (0.10.2) and TensorFlow (2.21) use; 0.5 and 1
    are the other common conventions. Bertoin et al. (2021) show that the choice changes
    training in float16 and float32 (https://arxiv.org/abs/2106.12915).

    Examples
    --------
    >>> from relukit import relu_derivative
    >>> relu_derivative([-1.0, -0.0, 0.0, 2.0, float("nan")])
    array([ 0.,  0.,  0.,  1., nan])
    >>> relu_derivative([-1.0, 0.0, 2.0], at_zero=0.5)
    array([0. , 0.5, 1. ])
    """
    c = real_parameter(at_zero, "at_zero")
    return scalar_or_array(_heaviside(as_float_array(x), c))


def relu6(x: npt.ArrayLike) -> Any:
    r"""ReLU clipped at 6: :math:`\min(\max(0, x), 6)`.

    Used in MobileNet-style networks because its range :math:`[0, 6]` suits low precision.

    Examples
    --------
    >>> from relukit import relu6
    >>> relu6([-1.0, 3.0, 8.0])
    array([0., 3., 6.])
    """
    arr = as_float_array(x)
    return scalar_or_array(np.clip(arr, 0, 6))


def relu6_derivative(x: npt.ArrayLike) -> Any:
    r"""Derivative of :func:`relu6`: 1 on :math:`(0, 6)`, 0 elsewhere, NaN for NaN.

    Notes
    -----
    At both kinks, 0 and 6, the value is 0, as in PyTorch's ``hardtanh_backward``
    (``torch/_decomp/decompositions.py``: 0 where ``x <= min_val`` or ``x >= max_val``) and
    ``jax.nn.relu6``. At 6 that is the right-hand derivative, not the left-hand one.

    Examples
    --------
    >>> from relukit import relu6_derivative
    >>> relu6_derivative([-1.0, 0.0, 3.0, 6.0, 8.0])
    array([0., 0., 1., 0., 0.])
    """
    arr = as_float_array(x)
    result = np.asarray((arr > 0) & (arr < 6)).astype(arr.dtype)
    np.copyto(result, arr, where=np.isnan(arr))
    return scalar_or_array(result)


# Leaky ReLU ---------------------------------------------------------------------------------


def leaky_relu(x: npt.ArrayLike, negative_slope: float = 0.01) -> Any:
    r"""Leaky ReLU (Maas et al., 2013): a small slope instead of 0 for negative input.

    .. math:: \operatorname{LeakyReLU}_a(x) = \begin{cases} x & x > 0 \\ a x & x \le 0
       \end{cases}

    With a learned ``a`` this is PReLU (He et al., 2015).

    Parameters
    ----------
    x
        Real numbers.
    negative_slope
        The slope ``a`` for ``x <= 0``. Default 0.01, as ``torch.nn.LeakyReLU`` and
        ``jax.nn.leaky_relu``; ``tf.nn.leaky_relu`` and ``keras.activations.leaky_relu`` use
        0.2, the Keras layer ``LeakyReLU`` 0.3 (see the variants chapter for versions).

    Examples
    --------
    >>> from relukit import leaky_relu
    >>> leaky_relu([-100.0, 0.0, 2.0])
    array([-1.,  0.,  2.])
    """
    a = real_parameter(negative_slope, "negative_slope")
    arr = as_float_array(x)
    if a == 0:  # plain ReLU; a * x would turn -inf into NaN
        return scalar_or_array(np.maximum(arr, 0))
    # Branch-free: for a <= 1 the larger of x and a*x is the right piece on both sides, for
    # a > 1 the smaller. np.where(x > 0, x, a * x) gives the same values but its inner loop
    # branches on the sign, which random signs make an order of magnitude slower.
    pick = np.maximum if a <= 1 else np.minimum
    return scalar_or_array(pick(arr, arr * a))


def leaky_relu_derivative(
    x: npt.ArrayLike, negative_slope: float = 0.01, at_zero: float | None = None
) -> Any:
    r"""Derivative of :func:`leaky_relu`: 1 for ``x > 0``, ``negative_slope`` for ``x < 0``.

    Parameters
    ----------
    x
        Real numbers.
    negative_slope
        The slope for ``x < 0``.
    at_zero
        The value at the kink 0. Default ``None`` means ``negative_slope``, the left-hand
        derivative, as PyTorch returns.

    Examples
    --------
    >>> from relukit import leaky_relu_derivative
    >>> leaky_relu_derivative([-2.0, 0.0, 2.0])
    array([0.01, 0.01, 1.  ])
    >>> leaky_relu_derivative([0.0], at_zero=1.0)
    array([1.])
    """
    a = real_parameter(negative_slope, "negative_slope")
    c = a if at_zero is None else real_parameter(at_zero, "at_zero")
    arr = as_float_array(x)
    result = np.where(arr > 0, arr.dtype.type(1), arr.dtype.type(a))
    np.copyto(result, c, where=arr == 0)
    np.copyto(result, arr, where=np.isnan(arr))
    return scalar_or_array(result)


# ELU ----------------------------------------------------------------------------------------


def elu(x: npt.ArrayLike, alpha: float = 1.0) -> Any:
    r"""Exponential linear unit (Clevert et al., 2015).

    .. math:: \operatorname{ELU}_\alpha(x) = \begin{cases} x & x > 0 \\
       \alpha\,(e^{x} - 1) & x \le 0 \end{cases}

    Its range is :math:`(-\alpha, \infty)`; it is continuously differentiable only when
    :math:`\alpha = 1`.

    Examples
    --------
    >>> from relukit import elu
    >>> elu([-float("inf"), 0.0, 2.0])
    array([-1.,  0.,  2.])
    """
    a = real_parameter(alpha, "alpha")
    arr, dtype = _working(x)
    # max(x, 0) + alpha * expm1(min(x, 0)): each term is 0 where the other piece applies, so
    # no branch on the sign is needed, and expm1 never sees a large positive x.
    return _finish(np.maximum(arr, 0) + a * np.expm1(np.minimum(arr, 0)), dtype)


def elu_derivative(x: npt.ArrayLike, alpha: float = 1.0) -> Any:
    r"""Derivative of :func:`elu`: 1 for ``x > 0``, :math:`\alpha e^x` for ``x <= 0``.

    Notes
    -----
    At 0 the value is ``alpha``, the left-hand derivative, as PyTorch returns. For
    :math:`\alpha = 1` both one-sided derivatives are 1 and ELU is differentiable there.

    Examples
    --------
    >>> from relukit import elu_derivative
    >>> elu_derivative([0.0], alpha=0.5)
    array([0.5])
    """
    a = real_parameter(alpha, "alpha")
    arr, dtype = _working(x)
    return _finish(np.where(arr > 0, 1, a * np.exp(np.minimum(arr, 0))), dtype)


# Sigmoid, tanh, softplus --------------------------------------------------------------------


def sigmoid(x: npt.ArrayLike) -> Any:
    r"""The logistic sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`.

    Notes
    -----
    For very negative ``x``, :math:`e^{-x}` overflows to ``inf`` and :math:`1/(1+\infty) = 0`
    is the correctly rounded result, so the formula is stable as written; the overflow is
    expected and not reported. It needs no cancellation-prone subtraction, so the relative
    error stays at rounding level for every finite input.

    Examples
    --------
    >>> from relukit import sigmoid
    >>> sigmoid([-float("inf"), 0.0, 1000.0])
    array([0. , 0.5, 1. ])
    """
    arr, dtype = _working(x)
    e = np.negative(arr, out=np.empty_like(arr))  # in place from here: each pass costs memory
    with np.errstate(over="ignore"):
        np.exp(e, out=e)
    np.add(e, 1, out=e)
    np.reciprocal(e, out=e)
    return _finish(e, dtype)


def sigmoid_derivative(x: npt.ArrayLike) -> Any:
    r"""Derivative of :func:`sigmoid`: :math:`\sigma(x)\,\sigma(-x)`.

    Computed as :math:`e^{-|x|} / (1 + e^{-|x|})^2`, which keeps full relative precision in
    both tails (the textbook :math:`\sigma(1-\sigma)` rounds to 0 beyond about ``x = 37``).

    Examples
    --------
    >>> from relukit import sigmoid_derivative
    >>> sigmoid_derivative([0.0, 40.0])
    array([2.50000000e-01, 4.24835426e-18])
    """
    arr, dtype = _working(x)
    e = np.exp(-np.abs(arr))
    return _finish(e / (1 + e) ** 2, dtype)


def tanh(x: npt.ArrayLike) -> Any:
    r"""Hyperbolic tangent, :math:`\tanh x = (e^x - e^{-x}) / (e^x + e^{-x})`.

    Examples
    --------
    >>> from relukit import tanh
    >>> tanh([-float("inf"), 0.0, 1.0])
    array([-1.        ,  0.        ,  0.76159416])
    """
    arr, dtype = _working(x)
    return _finish(np.tanh(arr), dtype)


def tanh_derivative(x: npt.ArrayLike) -> Any:
    r"""Derivative of :func:`tanh`: :math:`1 - \tanh^2 x = \operatorname{sech}^2 x`.

    Computed as :math:`4e^{-2|x|} / (1 + e^{-2|x|})^2`, precise in the tails where
    :math:`1 - \tanh^2 x` cancels to 0.

    Examples
    --------
    >>> from relukit import tanh_derivative
    >>> tanh_derivative([0.0, 1.0])
    array([1.        , 0.41997434])
    """
    arr, dtype = _working(x)
    with np.errstate(over="ignore"):  # 2|x| -> inf only makes exp(-inf) = 0: exact.
        e = np.exp(-2 * np.abs(arr))
    return _finish(4 * e / (1 + e) ** 2, dtype)


def softplus(x: npt.ArrayLike, beta: float = 1.0) -> Any:
    r"""Softplus, a smooth ReLU: :math:`\frac{1}{\beta}\log(1 + e^{\beta x})`.

    As :math:`\beta \to \infty` it converges to ReLU uniformly; the largest gap, at
    ``x = 0``, is :math:`\ln 2 / \beta`.

    Parameters
    ----------
    x
        Real numbers.
    beta
        Sharpness, a positive number. Default 1.

    Notes
    -----
    Computed as :math:`\max(x, 0) + \log(1 + e^{-\beta|x|})/\beta`, which neither overflows
    nor loses the small term.

    Examples
    --------
    >>> import math
    >>> from relukit import softplus
    >>> softplus([-float("inf"), 0.0, 3.0])
    array([0.        , 0.69314718, 3.04858735])
    >>> bool(softplus(0.0, beta=10.0) == math.log(2) / 10)
    True
    """
    b = real_parameter(beta, "beta")
    if b <= 0:
        raise ValueError(f"beta must be positive; got {b}")
    arr, dtype = _working(x)
    with np.errstate(over="ignore"):  # beta*|x| -> inf only makes exp(-inf) = 0: exact.
        tail = np.log1p(np.exp(-b * np.abs(arr))) / b
    return _finish(np.maximum(arr, 0) + tail, dtype)


def softplus_derivative(x: npt.ArrayLike, beta: float = 1.0) -> Any:
    r"""Derivative of :func:`softplus`: :math:`\sigma(\beta x)`.

    Examples
    --------
    >>> from relukit import softplus_derivative
    >>> softplus_derivative([0.0])
    array([0.5])
    """
    b = real_parameter(beta, "beta")
    if b <= 0:
        raise ValueError(f"beta must be positive; got {b}")
    arr, dtype = _working(x)
    with np.errstate(over="ignore"):  # beta*x -> +-inf gives sigmoid's exact limits.
        scaled = b * arr
    return _finish(sigmoid(scaled), dtype)


# SiLU and GELU ------------------------------------------------------------------------------


def silu(x: npt.ArrayLike) -> Any:
    r"""SiLU, also called Swish-1: :math:`x\,\sigma(x)`.

    Introduced as SiLU by Hendrycks and Gimpel (2016) and as Swish by Ramachandran et al.
    (2017). Not monotone: its minimum is :math:`-W(1/e) \approx -0.278` at
    :math:`x = -1 - W(1/e)`, with :math:`W` the Lambert W function.

    Examples
    --------
    >>> from relukit import silu
    >>> silu([-float("inf"), 0.0, 1.0])
    array([0.        , 0.        , 0.73105858])
    """
    arr, dtype = _working(x)
    with np.errstate(invalid="ignore"):
        result = np.asarray(arr * sigmoid(arr))
    _set_limits(result, arr, 0.0, np.inf)
    return _finish(result, dtype)


def silu_derivative(x: npt.ArrayLike) -> Any:
    r"""Derivative of :func:`silu`: :math:`\sigma(x)\,(1 + x\,\sigma(-x))`.

    Examples
    --------
    >>> from relukit import silu_derivative
    >>> silu_derivative([0.0, float("inf")])
    array([0.5, 1. ])
    """
    arr, dtype = _working(x)
    with np.errstate(invalid="ignore"):
        result = np.asarray(sigmoid(arr) * (1 + arr * sigmoid(-arr)))
    _set_limits(result, arr, 0.0, 1.0)
    return _finish(result, dtype)


def _check_approximate(approximate: str) -> None:
    if approximate not in ("none", "tanh"):
        raise ValueError(f"approximate must be 'none' or 'tanh'; got {approximate!r}")


def _gelu_tanh_argument(arr: np.ndarray) -> np.ndarray:
    """:math:`2u` with :math:`u = \\sqrt{2/\\pi}(x + 0.044715 x^3)`, so GELU = x sigmoid(2u)."""
    c = np.clip(arr, -_GELU_TANH_CLIP, _GELU_TANH_CLIP)
    # c * c * c, not c**3: numpy's float32 power is two orders of magnitude slower.
    return np.asarray(2 * _GELU_TANH_SCALE * (c + _GELU_TANH_CUBIC * (c * c * c)))


def gelu(x: npt.ArrayLike, approximate: GeluApproximation = "none") -> Any:
    r"""Gaussian error linear unit (Hendrycks and Gimpel, 2016): :math:`x\,\Phi(x)`.

    .. math:: \operatorname{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\left(1 +
       \operatorname{erf}\frac{x}{\sqrt 2}\right)

    Parameters
    ----------
    x
        Real numbers.
    approximate
        ``"none"`` for the exact form above, ``"tanh"`` for
        :math:`\frac{x}{2}\bigl(1 + \tanh\bigl(\sqrt{2/\pi}\,(x + 0.044715x^3)\bigr)\bigr)`,
        the same choice as ``torch.nn.functional.gelu``.

    Notes
    -----
    The tanh form is computed as :math:`x\,\sigma(2u)`, the same function, without the
    cancellation in :math:`1 + \tanh u` for negative ``x``. Not monotone: the exact GELU has
    its minimum, about -0.170, near ``x = -0.752``.

    Examples
    --------
    >>> from relukit import gelu
    >>> gelu([-1.0, 0.0, 1.0])
    array([-0.15865525,  0.        ,  0.84134475])
    >>> gelu([1.0], approximate="tanh")
    array([0.84119199])
    """
    _check_approximate(approximate)
    arr, dtype = _working(x)
    with np.errstate(invalid="ignore"):
        if approximate == "none":
            result = np.asarray(arr * special.ndtr(arr))
        else:
            result = np.asarray(arr * sigmoid(_gelu_tanh_argument(arr)))
    _set_limits(result, arr, 0.0, np.inf)
    return _finish(result, dtype)


def gelu_derivative(x: npt.ArrayLike, approximate: GeluApproximation = "none") -> Any:
    r"""Derivative of :func:`gelu`.

    Exact form: :math:`\Phi(x) + x\,\varphi(x)`, with :math:`\varphi` the standard normal
    density. Tanh form: the derivative of :math:`x\,\sigma(2u(x))`.

    Examples
    --------
    >>> from relukit import gelu_derivative
    >>> gelu_derivative([0.0, 1.0])
    array([0.5       , 1.08331547])
    """
    _check_approximate(approximate)
    arr, dtype = _working(x)
    if approximate == "none":
        bounded = np.clip(arr, -40, 40)  # the density is 0 in float64 long before; no overflow
        density = np.exp(-0.5 * bounded * bounded) / _SQRT_2PI
        with np.errstate(invalid="ignore"):
            result = np.asarray(special.ndtr(arr) + arr * density)
    else:
        two_u = _gelu_tanh_argument(arr)
        c = np.clip(arr, -_GELU_TANH_CLIP, _GELU_TANH_CLIP)
        du_dx = _GELU_TANH_SCALE * (1 + 3 * _GELU_TANH_CUBIC * c * c)
        s = sigmoid(two_u)
        # The clipped c, not x: beyond the clip s * sigmoid(-2u) is exactly 0, and x * 2
        # would overflow for |x| > max / 2 (then inf * 0 gave NaN for finite x).
        with np.errstate(invalid="ignore"):
            result = np.asarray(s + c * 2 * s * sigmoid(-two_u) * du_dx)
    _set_limits(result, arr, 0.0, 1.0)
    return _finish(result, dtype)
