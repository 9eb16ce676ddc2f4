r"""ReLU and its relatives, each with its derivative, each declared once in the registry.

Every function is elementwise over anything array-like and goes through the input contract
of ``relukit._validation``: real input only, floating dtypes kept (float16 is computed in
float32 and rounded back), NaN in gives NaN out, and the infinities give the mathematical
limits without a RuntimeWarning. A scalar or a 0-d array in gives a numpy scalar out; with
``out=`` the result is written into ``out``, which is returned.

Where a function has a kink, its derivative there is a convention, not a fact. relukit's is
the left-hand derivative at 0 (ReLU'(0) = 0); ReLU6's derivative is 0 at both of its kinks,
and hard-swish's takes the outer pieces' slopes at -3 and 3 (0 and 1).
``at_zero=`` chooses another value at 0 where a derivative offers it. Bertoin et al. (2021)
show that the choice can change training in low precision.

Each activation is declared once, by a :func:`relukit.registry.register` call beside its
functions: its name, functions, declared properties, kinks and the value of the derivative
there, figure colour and the names of the same function in other libraries. The public
names (``__all__``), :data:`relukit.properties.PROPERTIES`, the network's activations and
:data:`relukit.plotting.COLORS` are derived from those calls.

References
----------
Bertoin, D., Bolte, J., Gerchinovitz, S. and Pauwels, E. (2021). Numerical influence of
ReLU'(0) on backpropagation. NeurIPS 34. https://arxiv.org/abs/2106.12915
"""

from __future__ import annotations

import math
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
from scipy import special

from relukit._validation import (
    as_float_array,
    as_real_array,
    check_out,
    real_parameter,
    scalar_or_array,
)
from relukit.interval import Interval
from relukit.registry import REGISTRY, Activation, Kink, register
from relukit.typing import ArrayLike, GeluApproximation, RealArray
from relukit.typing import _elementwise as elementwise
from relukit.typing import _elementwise_keeping_integers as elementwise_keeping_integers

_INF = math.inf

# GELU's tanh approximation (Hendrycks and Gimpel, 2016), with PyTorch's constants.
_GELU_TANH_SCALE = float(np.sqrt(2.0 / np.pi))
_GELU_TANH_CUBIC = 0.044715
# Beyond this |x| every term of the tanh form has reached its limit in float64; clipping
# there keeps x**3 from overflowing without changing any result.
_GELU_TANH_CLIP = 1e4
_SQRT_2PI = float(np.sqrt(2.0 * np.pi))

# SELU's constants (Klambauer et al., 2017), as published to 32 digits and rounded to
#: float64: alpha = 1.6732632423543772848170429916717, lambda =
#: 1.0507009873554804934193349852946.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
# lambda * alpha of the published constants, correctly rounded (mpmath at 60 digits). The
# product of the two rounded floats, 1.7580993408473766, is one ulp below it.
_SELU_SCALE_ALPHA = 1.7580993408473768

# Minima (x, f(x)) of the non-monotone activations: x is the root of the exact derivative
# and f(x) the exact value there, each rounded to the nearest float64 (mpmath at 60 digits:
# tests/reference/make_exact_reference.py, checked by tests/test_properties.py). SiLU's has
# a closed form, -W(1/e); hard-swish's is exact: x(x + 3)/6 is least at x = -3/2. A function
# evaluated in float64 near its minimiser can land an ulp or two below the stored minimum
# (the tests allow 4 ulp there).
_SILU_MINIMUM = (-1.2784645427610737, -0.2784645427610738)
_GELU_MINIMUM = (-0.7517915246935645, -0.16997120747990366)
_GELU_TANH_MINIMUM = (-0.7524614220710163, -0.17004075057125406)
_HARDSWISH_MINIMUM = (-1.5, -0.375)
_MISH_MINIMUM = (-1.1924312145154952, -0.30884341301725043)
# Below this x, Mish's e^x is near or below the subnormal range, and Mish and its derivative
# are x e^x and (1 + x) e^x to a relative O(e^x) (below 1e-304): see _times_exp.
_MISH_TAIL = -700.0
# ln 2 split as in fdlibm: _LN2_HI has 21 trailing zero bits, so n * _LN2_HI is exact for
# |n| < 2**21; _LN2_LO is ln 2 - _LN2_HI.
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10


def _working(x: ArrayLike) -> tuple[np.ndarray, np.dtype]:
    """Return ``x`` in the dtype to compute in, and the dtype to return."""
    arr = as_float_array(x)
    if arr.dtype == np.float16:
        return arr.astype(np.float32), arr.dtype
    return arr, arr.dtype


def _finish(result: ArrayLike, dtype: np.dtype, out: np.ndarray | None) -> RealArray:
    """Round ``result`` to ``dtype``; write it into ``out`` and return that, if given."""
    # Rounding a float32 result beyond 65504 to float16 gives inf, the correctly rounded
    # value (SELU's lambda x for the largest float16 x): not an error.
    with np.errstate(over="ignore"):
        final = np.asarray(result).astype(dtype, copy=False)
    if out is None:
        return scalar_or_array(final)
    np.copyto(check_out(out, final.shape, final.dtype), final)
    return out


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


@elementwise_keeping_integers
def relu(x: ArrayLike, *, out: np.ndarray | None = None) -> RealArray:
    r"""Rectified linear unit.

    .. math:: \operatorname{ReLU}(x) = \max(0, x)
       = \begin{cases} x & x > 0 \\ 0 & x \le 0 \end{cases}

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Floating and integer dtypes are both kept.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        ``max(0, x)`` elementwise; a numpy scalar for scalar input, ``out`` if given.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``out`` of another shape or read-only.

    See Also
    --------
    relu_derivative, leaky_relu, relu6, softplus

    Notes
    -----
    ``out=`` computes straight into the buffer: no temporary array is allocated.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit import relu
    >>> relu(np.array([-2.0, 0.0, 3.5, -np.inf, np.inf, np.nan]))
    array([0. , 0. , 3.5, 0. , inf, nan])
    >>> relu(np.array([-3, 4], dtype=np.int8))
    array([0, 4], dtype=int8)
    >>> buffer = np.empty(2)
    >>> relu([-1.0, 2.0], out=buffer) is buffer
    True
    """
    arr = as_real_array(x)
    if out is None:
        return scalar_or_array(np.asarray(np.maximum(arr, 0)))
    np.maximum(arr, 0, out=check_out(out, arr.shape, arr.dtype))
    return out


@elementwise
def relu_derivative(
    x: ArrayLike, at_zero: float = 0.0, *, out: np.ndarray | None = None
) -> RealArray:
    r"""Derivative of :func:`relu`, with a chosen value at the kink.

    .. math:: \operatorname{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ c & x = 0 \\ 0 & x < 0
       \end{cases}

    ReLU has no derivative at 0: the left-hand limit of its difference quotient is 0 and the
    right-hand one is 1. Any ``c`` in :math:`[0, 1]` (the subdifferential) is a valid
    subgradient there.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    at_zero : float
        The value ``c`` returned at 0 (and -0.0). The default, 0, is the left-hand
        derivative.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        1.0, 0.0 or ``at_zero`` elementwise, NaN where ``x`` is NaN, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, a parameter that is not a real number,
        or an ``out`` that cannot hold the result.
    ValueError
        For an ``at_zero`` that is not finite, or an ``out`` of another shape or read-only.

    See Also
    --------
    relu, relukit.calculus.relu_subdifferential

    Notes
    -----
    relukit's default, 0, is the left-hand derivative; 0.5 and 1 are the other common
    conventions. Bertoin et al. (2021) show that the choice changes training in float16 and
    float32 (https://arxiv.org/abs/2106.12915).

    Examples
    --------
    >>> from relukit import relu_derivative
    >>> relu_derivative([-1.0, -0.0, 0.0, 2.0, float("nan")])
    array([ 0.,  0.,  0.,  1., nan])
    >>> relu_derivative([-1.0, 0.0, 2.0], at_zero=0.5)
    array([0. , 0.5, 1. ])
    """
    c = real_parameter(at_zero, "at_zero")
    arr = as_float_array(x)
    return _finish(_heaviside(arr, c), arr.dtype, out)


register(
    Activation(
        key="relu",
        name="ReLU",
        function=relu,
        derivative=relu_derivative,
        range=Interval(0.0, _INF, low_closed=True),
        kinks=(Kink(at=0.0, left=0.0, right=1.0, value=0.0),),
        smoothness=0,
        monotonicity="non-decreasing",
        zero_centred=False,
        color="#0072B2",
        frameworks={
            "PyTorch": "torch.nn.functional.relu",
            "JAX": "jax.nn.relu",
            "TensorFlow": "tf.nn.relu",
            "Keras": "keras.activations.relu",
        },
    )
)


# Leaky ReLU ---------------------------------------------------------------------------------


@elementwise
def leaky_relu(
    x: ArrayLike, negative_slope: float = 0.01, *, out: np.ndarray | None = None
) -> RealArray:
    r"""Leaky ReLU (Maas et al., 2013): a small slope instead of 0 for negative input.

    .. math:: \operatorname{LeakyReLU}_a(x) = \begin{cases} x & x > 0 \\ a x & x \le 0
       \end{cases}

    With a learned ``a`` this is PReLU (He et al., 2015).

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    negative_slope : float
        The slope ``a`` for ``x <= 0``, a finite real number.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        ``x`` where ``x > 0``, ``a * x`` elsewhere, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, a parameter that is not a real number,
        or an ``out`` that cannot hold the result.
    ValueError
        For a ``negative_slope`` that is not finite, or an ``out`` of another shape or
        read-only.

    See Also
    --------
    leaky_relu_derivative, relu, elu

    Examples
    --------
    >>> from relukit import leaky_relu
    >>> leaky_relu([-100.0, 0.0, 2.0])
    array([-1.,  0.,  2.])
    """
    a = real_parameter(negative_slope, "negative_slope")
    arr = as_float_array(x)
    if a == 0:  # plain ReLU; a * x would turn -inf into NaN
        return _finish(np.maximum(arr, 0), arr.dtype, out)
    # Branch-free: for a <= 1 the larger of x and a*x is the right piece on both sides, for
    # a > 1 the smaller. np.where(x > 0, x, a * x) gives the same values but its inner loop
    # branches on the sign, which random signs make an order of magnitude slower.
    pick = np.maximum if a <= 1 else np.minimum
    return _finish(pick(arr, arr * a), arr.dtype, out)


@elementwise
def leaky_relu_derivative(
    x: ArrayLike,
    negative_slope: float = 0.01,
    at_zero: float | None = None,
    *,
    out: np.ndarray | None = None,
) -> RealArray:
    r"""Derivative of :func:`leaky_relu`: 1 for ``x > 0``, ``negative_slope`` for ``x < 0``.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    negative_slope : float
        The slope for ``x < 0``.
    at_zero : float or None
        The value at the kink 0. The default, ``None``, means ``negative_slope``: the
        left-hand derivative.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        1, ``negative_slope`` or ``at_zero`` elementwise, NaN for NaN, in ``x``'s float
        dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, a parameter that is not a real number,
        or an ``out`` that cannot hold the result.
    ValueError
        For a ``negative_slope`` or ``at_zero`` that is not finite, or an ``out`` of another
        shape or read-only.

    See Also
    --------
    leaky_relu, relu_derivative

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
    return _finish(result, arr.dtype, out)


def _leaky_network_derivative(z: np.ndarray, kink_position: float, slope: float) -> np.ndarray:
    """Leaky ReLU's derivative in a network: the slope is the network's, and so is the kink's
    left-hand derivative, so the value at 0 is ``slope + kink_position * (1 - slope)``."""
    at_zero = slope + kink_position * (1 - slope)
    return np.asarray(leaky_relu_derivative(z, slope, at_zero=at_zero))


register(
    Activation(
        key="leaky_relu",
        name="Leaky ReLU",
        function=leaky_relu,
        derivative=leaky_relu_derivative,
        range=Interval(-_INF, _INF),
        kinks=(Kink(at=0.0, left=0.01, right=1.0, value=0.01),),
        smoothness=0,
        monotonicity="increasing",
        zero_centred=False,
        parameters={"negative_slope": 0.01},
        color="#E69F00",
        frameworks={
            "PyTorch": "torch.nn.functional.leaky_relu",
            "JAX": "jax.nn.leaky_relu",
            "TensorFlow": "tf.nn.leaky_relu",
            "Keras": "keras.activations.leaky_relu",
        },
        slope_parameter="negative_slope",
        network_derivative=_leaky_network_derivative,
    )
)


# ReLU6 --------------------------------------------------------------------------------------


@elementwise
def relu6(x: ArrayLike, *, out: np.ndarray | None = None) -> RealArray:
    r"""ReLU clipped at 6: :math:`\min(\max(0, x), 6)`.

    Used in MobileNet-style networks because its range :math:`[0, 6]` suits low precision.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        ``x`` clipped to ``[0, 6]``, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``out`` of another shape or read-only.

    See Also
    --------
    relu6_derivative, relu

    Examples
    --------
    >>> from relukit import relu6
    >>> relu6([-1.0, 3.0, 8.0])
    array([0., 3., 6.])
    """
    arr = as_float_array(x)
    return _finish(np.clip(arr, 0, 6), arr.dtype, out)


@elementwise
def relu6_derivative(x: ArrayLike, *, out: np.ndarray | None = None) -> RealArray:
    r"""Derivative of :func:`relu6`: 1 on :math:`(0, 6)`, 0 elsewhere, NaN for NaN.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        1.0 or 0.0 elementwise, NaN for NaN, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``out`` of another shape or read-only.

    See Also
    --------
    relu6, relu_derivative

    Notes
    -----
    At both kinks, 0 and 6, the value is 0: at 0 that is the left-hand derivative, at 6 the
    right-hand one.

    Examples
    --------
    >>> from relukit import relu6_derivative
    >>> relu6_derivative([-1.0, 0.0, 3.0, 6.0, 8.0])
    array([0., 0., 1., 0., 0.])
    """
    arr = as_float_array(x)
    result = np.asarray((arr > 0) & (arr < 6)).astype(arr.dtype)
    np.copyto(result, arr, where=np.isnan(arr))
    return _finish(result, arr.dtype, out)


register(
    Activation(
        key="relu6",
        name="ReLU6",
        function=relu6,
        derivative=relu6_derivative,
        range=Interval(0.0, 6.0, low_closed=True, high_closed=True),
        kinks=(
            Kink(at=0.0, left=0.0, right=1.0, value=0.0),
            Kink(at=6.0, left=1.0, right=0.0, value=0.0),
        ),
        smoothness=0,
        monotonicity="non-decreasing",
        zero_centred=False,
        color="#56B4E9",
        frameworks={
            "PyTorch": "torch.nn.functional.relu6",
            "JAX": "jax.nn.relu6",
            "TensorFlow": "tf.nn.relu6",
            "Keras": "keras.activations.relu6",
        },
    )
)


# ELU and SELU -------------------------------------------------------------------------------


@elementwise
def elu(x: ArrayLike, alpha: float = 1.0, *, out: np.ndarray | None = None) -> RealArray:
    r"""Exponential linear unit (Clevert et al., 2015).

    .. math:: \operatorname{ELU}_\alpha(x) = \begin{cases} x & x > 0 \\
       \alpha\,(e^{x} - 1) & x \le 0 \end{cases}

    Its range is :math:`(-\alpha, \infty)`; it is continuously differentiable only when
    :math:`\alpha = 1`.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    alpha : float
        The negative saturation value's magnitude, a finite real number.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        ELU elementwise, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, a parameter that is not a real number,
        or an ``out`` that cannot hold the result.
    ValueError
        For an ``alpha`` that is not finite, or an ``out`` of another shape or read-only.

    See Also
    --------
    elu_derivative, selu, leaky_relu

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
    return _finish(np.maximum(arr, 0) + a * np.expm1(np.minimum(arr, 0)), dtype, out)


@elementwise
def elu_derivative(x: ArrayLike, alpha: float = 1.0, *, out: np.ndarray | None = None) -> RealArray:
    r"""Derivative of :func:`elu`: 1 for ``x > 0``, :math:`\alpha e^x` for ``x <= 0``.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    alpha : float
        As in :func:`elu`.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        The derivative elementwise, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, a parameter that is not a real number,
        or an ``out`` that cannot hold the result.
    ValueError
        For an ``alpha`` that is not finite, or an ``out`` of another shape or read-only.

    See Also
    --------
    elu, selu_derivative

    Notes
    -----
    At 0 the value is ``alpha``, the left-hand derivative. For :math:`\alpha = 1` both
    one-sided derivatives are 1 and ELU is differentiable there.

    Examples
    --------
    >>> from relukit import elu_derivative
    >>> elu_derivative([0.0], alpha=0.5)
    array([0.5])
    """
    a = real_parameter(alpha, "alpha")
    arr, dtype = _working(x)
    return _finish(np.where(arr > 0, 1, a * np.exp(np.minimum(arr, 0))), dtype, out)


register(
    Activation(
        key="elu",
        name="ELU",
        function=elu,
        derivative=elu_derivative,
        range=Interval(-1.0, _INF),
        smoothness=1,
        monotonicity="increasing",
        zero_centred=False,
        parameters={"alpha": 1.0},
        color="#009E73",
        frameworks={
            "PyTorch": "torch.nn.functional.elu",
            "JAX": "jax.nn.elu",
            "TensorFlow": "tf.nn.elu",
            "Keras": "keras.activations.elu",
        },
    )
)


@elementwise
def selu(x: ArrayLike, *, out: np.ndarray | None = None) -> RealArray:
    r"""Scaled exponential linear unit (Klambauer et al., 2017).

    .. math:: \operatorname{SELU}(x) = \lambda \begin{cases} x & x > 0 \\
       \alpha\,(e^{x} - 1) & x \le 0 \end{cases}

    with the published constants :math:`\alpha \approx 1.6732632423543772848` and
    :math:`\lambda \approx 1.0507009873554804934` ,
    chosen so that a standard normal input gives an output of mean 0 and variance 1. Its
    range is :math:`(-\lambda\alpha, \infty)`. As :math:`\lambda > 1`, the largest finite
    inputs give ``inf``: their SELU exceeds the largest float.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        SELU elementwise, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``out`` of another shape or read-only.

    See Also
    --------
    selu_derivative, elu

    Notes
    -----
    Computed as :math:`\lambda \max(x, 0) + \lambda\alpha\,\operatorname{expm1}(\min(x,
    0))`, with :math:`\lambda\alpha` the correctly rounded product of the published
    constants.

    References
    ----------
    Klambauer, G., Unterthiner, T., Mayr, A. and Hochreiter, S. (2017). Self-normalizing
    neural networks. NeurIPS 30. https://arxiv.org/abs/1706.02515

    Examples
    --------
    >>> from relukit import selu
    >>> selu([-float("inf"), 0.0, 1.0])
    array([-1.75809934,  0.        ,  1.05070099])
    """
    arr, dtype = _working(x)
    # lambda x overflows only where the exact value exceeds the largest float: inf is then
    # the correctly rounded result (as for float16 beyond 65504 / lambda, once rounded back).
    with np.errstate(over="ignore"):
        positive = _SELU_SCALE * np.maximum(arr, 0)
    return _finish(positive + _SELU_SCALE_ALPHA * np.expm1(np.minimum(arr, 0)), dtype, out)


@elementwise
def selu_derivative(
    x: ArrayLike, at_zero: float | None = None, *, out: np.ndarray | None = None
) -> RealArray:
    r"""Derivative of :func:`selu`: :math:`\lambda` for ``x > 0``, :math:`\lambda\alpha e^x` below.

    SELU is not differentiable at 0: its left-hand derivative there is
    :math:`\lambda\alpha \approx 1.7581` and its right-hand one :math:`\lambda \approx
    1.0507`.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    at_zero : float or None
        The value at 0 (and -0.0). The default, ``None``, means :math:`\lambda\alpha`, the
        left-hand derivative, as for :func:`elu_derivative`.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        The derivative elementwise, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, a parameter that is not a real number,
        or an ``out`` that cannot hold the result.
    ValueError
        For an ``at_zero`` that is not finite, or an ``out`` of another shape or read-only.

    See Also
    --------
    selu, elu_derivative

    Examples
    --------
    >>> from relukit import selu_derivative
    >>> selu_derivative([-1.0, 0.0, 1.0])
    array([0.6467686 , 1.75809934, 1.05070099])
    >>> float(selu_derivative(0.0, at_zero=1.0507009873554805))
    1.0507009873554805
    """
    c = None if at_zero is None else real_parameter(at_zero, "at_zero")
    arr, dtype = _working(x)
    result = np.where(arr > 0, _SELU_SCALE, _SELU_SCALE_ALPHA * np.exp(np.minimum(arr, 0)))
    if c is not None:
        np.copyto(result, c, where=arr == 0)
    return _finish(result, dtype, out)


register(
    Activation(
        key="selu",
        name="SELU",
        function=selu,
        derivative=selu_derivative,
        range=Interval(-_SELU_SCALE_ALPHA, _INF),
        kinks=(Kink(at=0.0, left=_SELU_SCALE_ALPHA, right=_SELU_SCALE, value=_SELU_SCALE_ALPHA),),
        smoothness=0,
        monotonicity="increasing",
        # Its constants make E[SELU(Z)] = 0 and E[SELU(Z)^2] = 1 for Z ~ N(0, 1).
        zero_centred=True,
        color="#882255",
        frameworks={
            "PyTorch": "torch.nn.functional.selu",
            "JAX": "jax.nn.selu",
            "TensorFlow": "tf.nn.selu",
            "Keras": "keras.activations.selu",
        },
    )
)


# Softplus, sigmoid, tanh --------------------------------------------------------------------


def _check_beta(beta: float) -> float:
    """Return ``beta`` as a float, or raise if it is not a positive real number."""
    b = real_parameter(beta, "beta")
    if b <= 0:
        raise ValueError(f"beta must be positive; got {b}")
    return b


@elementwise
def softplus(x: ArrayLike, beta: float = 1.0, *, out: np.ndarray | None = None) -> RealArray:
    r"""Softplus, a smooth ReLU: :math:`\frac{1}{\beta}\log(1 + e^{\beta x})`.

    As :math:`\beta \to \infty` it converges to ReLU uniformly; the largest gap, at
    ``x = 0``, is :math:`\ln 2 / \beta`.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    beta : float
        Sharpness, a positive number.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        Softplus elementwise, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, a parameter that is not a real number,
        or an ``out`` that cannot hold the result.
    ValueError
        For a ``beta`` that is not positive and finite, or an ``out`` of another shape or
        read-only.

    See Also
    --------
    softplus_derivative, relu, sigmoid

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
    b = _check_beta(beta)
    arr, dtype = _working(x)
    with np.errstate(over="ignore"):  # beta*|x| -> inf only makes exp(-inf) = 0: exact.
        tail = np.log1p(np.exp(-b * np.abs(arr))) / b
    return _finish(np.maximum(arr, 0) + tail, dtype, out)


@elementwise
def softplus_derivative(
    x: ArrayLike, beta: float = 1.0, *, out: np.ndarray | None = None
) -> RealArray:
    r"""Derivative of :func:`softplus`: :math:`\sigma(\beta x)`.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    beta : float
        As in :func:`softplus`.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        The derivative elementwise, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, a parameter that is not a real number,
        or an ``out`` that cannot hold the result.
    ValueError
        For a ``beta`` that is not positive and finite, or an ``out`` of another shape or
        read-only.

    See Also
    --------
    softplus, sigmoid

    Examples
    --------
    >>> from relukit import softplus_derivative
    >>> softplus_derivative([0.0])
    array([0.5])
    """
    b = _check_beta(beta)
    arr, dtype = _working(x)
    with np.errstate(over="ignore"):  # beta*x -> +-inf gives sigmoid's exact limits.
        scaled = b * arr
    return _finish(sigmoid(scaled), dtype, out)


@elementwise
def sigmoid(x: ArrayLike, *, out: np.ndarray | None = None) -> RealArray:
    r"""The logistic sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        The sigmoid elementwise, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``out`` of another shape or read-only.

    See Also
    --------
    sigmoid_derivative, tanh, softplus

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
    return _finish(e, dtype, out)


@elementwise
def sigmoid_derivative(x: ArrayLike, *, out: np.ndarray | None = None) -> RealArray:
    r"""Derivative of :func:`sigmoid`: :math:`\sigma(x)\,\sigma(-x)`.

    Computed as :math:`e^{-|x|} / (1 + e^{-|x|})^2`, which keeps full relative precision in
    both tails (the textbook :math:`\sigma(1-\sigma)` rounds to 0 beyond about ``x = 37``).

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        The derivative elementwise, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``out`` of another shape or read-only.

    See Also
    --------
    sigmoid

    Examples
    --------
    >>> from relukit import sigmoid_derivative
    >>> sigmoid_derivative([0.0, 40.0])
    array([2.50000000e-01, 4.24835426e-18])
    """
    arr, dtype = _working(x)
    e = np.exp(-np.abs(arr))
    return _finish(e / (1 + e) ** 2, dtype, out)


@elementwise
def tanh(x: ArrayLike, *, out: np.ndarray | None = None) -> RealArray:
    r"""Hyperbolic tangent, :math:`\tanh x = (e^x - e^{-x}) / (e^x + e^{-x})`.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        ``tanh(x)`` elementwise, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``out`` of another shape or read-only.

    See Also
    --------
    tanh_derivative, sigmoid

    Examples
    --------
    >>> from relukit import tanh
    >>> tanh([-float("inf"), 0.0, 1.0])
    array([-1.        ,  0.        ,  0.76159416])
    """
    arr, dtype = _working(x)
    return _finish(np.tanh(arr), dtype, out)


@elementwise
def tanh_derivative(x: ArrayLike, *, out: np.ndarray | None = None) -> RealArray:
    r"""Derivative of :func:`tanh`: :math:`1 - \tanh^2 x = \operatorname{sech}^2 x`.

    Computed as :math:`4e^{-2|x|} / (1 + e^{-2|x|})^2`, precise in the tails where
    :math:`1 - \tanh^2 x` cancels to 0.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        The derivative elementwise, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``out`` of another shape or read-only.

    See Also
    --------
    tanh

    Examples
    --------
    >>> from relukit import tanh_derivative
    >>> tanh_derivative([0.0, 1.0])
    array([1.        , 0.41997434])
    """
    arr, dtype = _working(x)
    with np.errstate(over="ignore"):  # 2|x| -> inf only makes exp(-inf) = 0: exact.
        e = np.exp(-2 * np.abs(arr))
    return _finish(4 * e / (1 + e) ** 2, dtype, out)


register(
    Activation(
        key="softplus",
        name="Softplus",
        function=softplus,
        derivative=softplus_derivative,
        range=Interval(0.0, _INF),
        smoothness=_INF,
        monotonicity="increasing",
        zero_centred=False,
        parameters={"beta": 1.0},
        color="#CC79A7",
        frameworks={
            "PyTorch": "torch.nn.functional.softplus",
            "JAX": "jax.nn.softplus",
            "TensorFlow": "tf.nn.softplus",
            "Keras": "keras.activations.softplus",
        },
    )
)
register(
    Activation(
        key="sigmoid",
        name="Sigmoid",
        function=sigmoid,
        derivative=sigmoid_derivative,
        range=Interval(0.0, 1.0),
        smoothness=_INF,
        monotonicity="increasing",
        zero_centred=False,
        color="#D55E00",
        frameworks={
            "PyTorch": "torch.sigmoid",
            "JAX": "jax.nn.sigmoid",
            "TensorFlow": "tf.math.sigmoid",
            "Keras": "keras.activations.sigmoid",
        },
    )
)
register(
    Activation(
        key="tanh",
        name="Tanh",
        function=tanh,
        derivative=tanh_derivative,
        range=Interval(-1.0, 1.0),
        smoothness=_INF,
        monotonicity="increasing",
        zero_centred=True,
        color="#663311",  # not Okabe-Ito's yellow #F0E442: faint on white (relukit.plotting)
        frameworks={
            "PyTorch": "torch.tanh",
            "JAX": "jax.numpy.tanh",
            "TensorFlow": "tf.math.tanh",
            "Keras": "keras.activations.tanh",
        },
    )
)


# SiLU and GELU ------------------------------------------------------------------------------


@elementwise
def silu(x: ArrayLike, *, out: np.ndarray | None = None) -> RealArray:
    r"""SiLU, also called Swish-1: :math:`x\,\sigma(x)`.

    Introduced as SiLU by Hendrycks and Gimpel (2016) and as Swish by Ramachandran et al.
    (2017). Not monotone: its minimum is :math:`-W(1/e) \approx -0.278` at
    :math:`x = -1 - W(1/e)`, with :math:`W` the Lambert W function.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        SiLU elementwise, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``out`` of another shape or read-only.

    See Also
    --------
    silu_derivative, gelu, sigmoid

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
    return _finish(result, dtype, out)


@elementwise
def silu_derivative(x: ArrayLike, *, out: np.ndarray | None = None) -> RealArray:
    r"""Derivative of :func:`silu`: :math:`\sigma(x)\,(1 + x\,\sigma(-x))`.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        The derivative elementwise, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``out`` of another shape or read-only.

    See Also
    --------
    silu

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
    return _finish(result, dtype, out)


register(
    Activation(
        key="silu",
        name="SiLU / Swish",
        function=silu,
        derivative=silu_derivative,
        range=Interval(_SILU_MINIMUM[1], _INF, low_closed=True),
        smoothness=_INF,
        monotonicity="neither",
        zero_centred=False,
        minimum=_SILU_MINIMUM,
        color="#000000",
        frameworks={
            "PyTorch": "torch.nn.functional.silu",
            "JAX": "jax.nn.silu",
            "TensorFlow": "tf.nn.silu",
            "Keras": "keras.activations.silu",
        },
    )
)


def _check_approximate(approximate: str) -> None:
    """Raise ValueError unless ``approximate`` is ``"none"`` or ``"tanh"``."""
    if approximate not in ("none", "tanh"):
        raise ValueError(f"approximate must be 'none' or 'tanh'; got {approximate!r}")


def _gelu_tanh_argument(arr: np.ndarray) -> np.ndarray:
    """:math:`2u` with :math:`u = \\sqrt{2/\\pi}(x + 0.044715 x^3)`, so GELU = x sigmoid(2u)."""
    c = np.clip(arr, -_GELU_TANH_CLIP, _GELU_TANH_CLIP)
    # c * c * c, not c**3: numpy's float32 power is two orders of magnitude slower.
    return np.asarray(2 * _GELU_TANH_SCALE * (c + _GELU_TANH_CUBIC * (c * c * c)))


@elementwise
def gelu(
    x: ArrayLike, approximate: GeluApproximation = "none", *, out: np.ndarray | None = None
) -> RealArray:
    r"""Gaussian error linear unit (Hendrycks and Gimpel, 2016): :math:`x\,\Phi(x)`.

    .. math:: \operatorname{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\left(1 +
       \operatorname{erf}\frac{x}{\sqrt 2}\right)

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    approximate : str
        ``"none"`` for the exact form above, ``"tanh"`` for
        :math:`\frac{x}{2}\bigl(1 + \tanh\bigl(\sqrt{2/\pi}\,(x + 0.044715x^3)\bigr)\bigr)`.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        GELU elementwise, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``approximate`` other than ``"none"`` and ``"tanh"``, or an ``out`` of
        another shape or read-only.

    See Also
    --------
    gelu_derivative, silu

    Notes
    -----
    The exact form uses ``scipy.special.ndtr`` for :math:`\Phi`. The tanh form is
    computed as :math:`x\,\sigma(2u)`, the same function, without the cancellation in
    :math:`1 + \tanh u` for negative ``x``. Not monotone: the exact GELU has its minimum,
    about -0.170, near ``x = -0.752``.

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
    return _finish(result, dtype, out)


@elementwise
def gelu_derivative(
    x: ArrayLike, approximate: GeluApproximation = "none", *, out: np.ndarray | None = None
) -> RealArray:
    r"""Derivative of :func:`gelu`.

    Exact form: :math:`\Phi(x) + x\,\varphi(x)`, with :math:`\varphi` the standard normal
    density. Tanh form: the derivative of :math:`x\,\sigma(2u(x))`.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    approximate : str
        As in :func:`gelu`.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        The derivative elementwise, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``approximate`` other than ``"none"`` and ``"tanh"``, or an ``out`` of
        another shape or read-only.

    See Also
    --------
    gelu, silu_derivative

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
    return _finish(result, dtype, out)


register(
    Activation(
        key="gelu",
        name="GELU",
        function=gelu,
        derivative=gelu_derivative,
        range=Interval(_GELU_MINIMUM[1], _INF, low_closed=True),
        smoothness=_INF,
        monotonicity="neither",
        zero_centred=False,
        minimum=_GELU_MINIMUM,
        parameters={"approximate": "none"},
        color="#999999",
        frameworks={
            "PyTorch": "torch.nn.functional.gelu(approximate='none')",
            "JAX": "jax.nn.gelu(approximate=False)",
            "TensorFlow": "tf.nn.gelu(approximate=False)",
            "Keras": "keras.activations.gelu(approximate=False)",
        },
    )
)
register(
    Activation(
        key="gelu_tanh",
        name="GELU (tanh)",
        function=partial(gelu, approximate="tanh"),
        derivative=partial(gelu_derivative, approximate="tanh"),
        range=Interval(_GELU_TANH_MINIMUM[1], _INF, low_closed=True),
        smoothness=_INF,
        monotonicity="neither",
        zero_centred=False,
        minimum=_GELU_TANH_MINIMUM,
        parameters={"approximate": "tanh"},
        color="#666666",
        frameworks={
            "PyTorch": "torch.nn.functional.gelu(approximate='tanh')",
            "JAX": "jax.nn.gelu(approximate=True)",
            "TensorFlow": "tf.nn.gelu(approximate=True)",
            "Keras": "keras.activations.gelu(approximate=True)",
        },
    )
)


# Hard-swish, Mish and squared ReLU ----------------------------------------------------------


@elementwise
def hardswish(x: ArrayLike, *, out: np.ndarray | None = None) -> RealArray:
    r"""Hard-swish (Howard et al., 2019): :math:`x\,\operatorname{ReLU6}(x + 3)/6`.

    .. math:: \operatorname{hardswish}(x) = \begin{cases} 0 & x \le -3 \\
       x(x + 3)/6 & -3 < x < 3 \\ x & x \ge 3 \end{cases}

    A piecewise-polynomial stand-in for :func:`silu`, with no exponential.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        Hard-swish elementwise, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``out`` of another shape or read-only.

    See Also
    --------
    hardswish_derivative, silu, relu6

    Notes
    -----
    Introduced for MobileNetV3 by Howard et al. (2019), "Searching for MobileNetV3", ICCV,
    https://arxiv.org/abs/1905.02244. Computed as :math:`x \cdot (\operatorname{ReLU6}(x + 3)/6)`,
    a factor in :math:`[0, 1]`, so that no finite input overflows. Not monotone: its minimum
    is :math:`-3/8` at :math:`x = -3/2`.

    Examples
    --------
    >>> from relukit import hardswish
    >>> hardswish([-4.0, -1.5, 0.0, 1.0, 3.0])
    array([-0.        , -0.375     ,  0.        ,  0.66666667,  3.        ])
    """
    arr, dtype = _working(x)
    with np.errstate(invalid="ignore"):
        result = np.asarray(arr * (np.clip(arr + 3, 0, 6) / 6))
    _set_limits(result, arr, 0.0, np.inf)
    return _finish(result, dtype, out)


@elementwise
def hardswish_derivative(x: ArrayLike, *, out: np.ndarray | None = None) -> RealArray:
    r"""Derivative of :func:`hardswish`, with the outer pieces' slopes at its kinks.

    .. math:: \operatorname{hardswish}'(x) = \begin{cases} 0 & x < -3 \\
       (2x + 3)/6 & -3 < x < 3 \\ 1 & x > 3 \end{cases}

    At the kinks the one-sided derivatives are 0 and :math:`-1/2` (at -3), and
    :math:`3/2` and 1 (at 3). relukit returns the outer piece's value, 0 at -3 and 1 at 3:
    the product rule with ReLU6's derivative taken as 0 at its kinks (relukit's convention
    for :func:`relu6_derivative`, and JAX's).

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        The derivative elementwise, NaN for NaN, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``out`` of another shape or read-only.

    See Also
    --------
    hardswish, relu6_derivative

    Notes
    -----
    The kinks are at -3 and 3, not at 0, so there is no ``at_zero=``; at 0 the derivative
    is 1/2, as SiLU's.

    Examples
    --------
    >>> from relukit import hardswish_derivative
    >>> hardswish_derivative([-3.0, 0.0, 1.5, 3.0])
    array([0. , 0.5, 1. , 1. ])
    """
    arr, dtype = _working(x)
    inner = np.clip(arr, -3, 3)  # no overflow in 2x; NaN stays NaN
    result = np.asarray((2 * inner + 3) / 6)
    np.copyto(result, 0.0, where=arr <= -3)
    np.copyto(result, 1.0, where=arr >= 3)
    return _finish(result, dtype, out)


register(
    Activation(
        key="hardswish",
        name="Hard-swish",
        function=hardswish,
        derivative=hardswish_derivative,
        range=Interval(_HARDSWISH_MINIMUM[1], _INF, low_closed=True),
        kinks=(
            Kink(at=-3.0, left=0.0, right=-0.5, value=0.0),
            Kink(at=3.0, left=1.5, right=1.0, value=1.0),
        ),
        smoothness=0,
        monotonicity="neither",
        zero_centred=False,
        minimum=_HARDSWISH_MINIMUM,
        color="#44AA99",
        frameworks={
            "PyTorch": "torch.nn.functional.hardswish",
            "JAX": "jax.nn.hard_silu",
            "Keras": "keras.activations.hard_silu",
        },
    )
)


def _times_exp(factor: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``factor * e**x`` in float64 for ``-800 <= x <= 0``, rounded to the subnormal grid once.

    ``factor * np.exp(x)`` rounds ``e**x`` onto the subnormal grid first and then multiplies
    that error by ``factor``; ``-np.exp(x + np.log(-factor))`` rounds the exponent (an error
    of about 700 eps, so 1e-13 relative). Here ``e**x = 2**n e**r`` with ``|r| <= ln(2)/2``
    (``r`` by Cody and Waite's split of ln 2), ``factor * e**r`` is a normal number to about
    2 ulp, and :func:`numpy.ldexp` scales it by ``2**n`` with one rounding.
    """
    n = np.rint(x / _LN2_HI)
    r = (x - n * _LN2_HI) - n * _LN2_LO
    return np.asarray(np.ldexp(factor * np.exp(r), n.astype(np.int32)))


def _tanh_softplus(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:math:`g = \\tanh(\\operatorname{softplus}(x))` and :math:`1 - g`, both to full precision.

    With :math:`e = e^{x}`, :math:`g = e(e + 2)/(e(e + 2) + 2)`. For :math:`x \\le 0` this is
    evaluated as written with :math:`t = e^{-|x|} = e`; for :math:`x > 0` it is rewritten in
    :math:`t = e^{-x}` as :math:`(1 + 2t)/(1 + 2t + 2t^2)`, so nothing overflows, and
    :math:`1 - g` is a quotient too (no cancellation).
    """
    t = np.exp(-np.abs(arr))
    positive = arr > 0
    u = t * (t + 2)
    numerator = np.where(positive, 1 + 2 * t, u)
    rest = np.where(positive, 2 * t * t, 2.0)
    denominator = numerator + rest
    return np.asarray(numerator / denominator), np.asarray(rest / denominator)


@elementwise
def mish(x: ArrayLike, *, out: np.ndarray | None = None) -> RealArray:
    r"""Mish (Misra, 2020): :math:`x\,\tanh(\operatorname{softplus}(x))`.

    .. math:: \operatorname{Mish}(x) = x \tanh\bigl(\ln(1 + e^{x})\bigr)

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        Mish elementwise, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``out`` of another shape or read-only.

    See Also
    --------
    mish_derivative, silu, softplus

    Notes
    -----
    Misra (2020), "Mish: A Self Regularized Non-Monotonic Activation Function", BMVC 2020,
    https://arxiv.org/abs/1908.08681. :math:`\tanh(\operatorname{softplus}(x))` is
    evaluated as a rational function of :math:`e^{-|x|}`; in float64 the result is within a few
    ulp of the exact value. Below :math:`x = -700`, where :math:`e^{x}` approaches the
    subnormal range and the product would lose digits, :math:`x e^{x}` (equal to Mish to a
    relative :math:`O(e^{x})`) is computed as :math:`x e^{r}` scaled by :math:`2^{n}`, with
    :math:`x = n \ln 2 + r`, so a subnormal result is rounded once. Not monotone: its
    minimum is about -0.3088, near :math:`x = -1.1924`.

    Examples
    --------
    >>> from relukit import mish
    >>> mish([-1.0, 0.0, 1.0])
    array([-0.30340146,  0.        ,  0.86509839])
    """
    arr, dtype = _working(x)
    g, _ = _tanh_softplus(arr)
    with np.errstate(invalid="ignore"):
        result = np.asarray(arr * g)
    tail = arr < _MISH_TAIL
    if np.any(tail):
        x = np.maximum(arr[tail].astype(np.float64), -800.0)  # x e^x < 1e-345 below -800
        result[tail] = _times_exp(x, x)
    _set_limits(result, arr, 0.0, np.inf)
    return _finish(result, dtype, out)


@elementwise
def mish_derivative(x: ArrayLike, *, out: np.ndarray | None = None) -> RealArray:
    r"""Derivative of :func:`mish`: :math:`g + x\,\sigma(x)\,(1 - g^2)`.

    Here :math:`g = \tanh(\operatorname{softplus}(x))`.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        The derivative elementwise, in ``x``'s float dtype.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``out`` of another shape or read-only.

    See Also
    --------
    mish

    Notes
    -----
    The formula follows from :math:`\frac{d}{dx}\operatorname{softplus}(x) = \sigma(x)` and
    :math:`\tanh' = 1 - \tanh^2` by the chain and product rules. :math:`1 - g^2` is computed
    as :math:`(1 - g)(1 + g)`, from a precise :math:`1 - g` (no cancellation). Below
    :math:`x = -700` it is computed as :math:`(1 + x)e^{x}`, which it equals to a relative
    :math:`O(e^{x})`, in the same way as :func:`mish`'s tail.

    Examples
    --------
    >>> from relukit import mish_derivative
    >>> mish_derivative([0.0, 1.0])
    array([0.6       , 1.04903622])
    """
    arr, dtype = _working(x)
    g, one_minus_g = _tanh_softplus(arr)
    with np.errstate(invalid="ignore"):
        result = np.asarray(g + arr * sigmoid(arr) * (one_minus_g * (1 + g)))
    tail = arr < _MISH_TAIL
    if np.any(tail):
        x = np.maximum(arr[tail].astype(np.float64), -800.0)
        result[tail] = _times_exp(1 + x, x)  # 1 + x is exact for x in [-800, -700]
    _set_limits(result, arr, 0.0, 1.0)
    return _finish(result, dtype, out)


register(
    Activation(
        key="mish",
        name="Mish",
        function=mish,
        derivative=mish_derivative,
        range=Interval(_MISH_MINIMUM[1], _INF, low_closed=True),
        smoothness=_INF,
        monotonicity="neither",
        zero_centred=False,
        minimum=_MISH_MINIMUM,
        color="#AA4499",
        frameworks={
            "PyTorch": "torch.nn.functional.mish",
            "JAX": "jax.nn.mish",
            "Keras": "keras.activations.mish",
        },
    )
)


@elementwise
def squared_relu(x: ArrayLike, *, out: np.ndarray | None = None) -> RealArray:
    r"""Squared ReLU (So et al., 2021): :math:`\operatorname{ReLU}(x)^2`.

    .. math:: \operatorname{ReLU}(x)^2 = \begin{cases} x^2 & x > 0 \\ 0 & x \le 0 \end{cases}

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        :math:`\max(0, x)^2` elementwise, in ``x``'s float dtype; ``inf`` where the square
        exceeds the dtype's largest number (the correctly rounded result).

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``out`` of another shape or read-only.

    See Also
    --------
    squared_relu_derivative, relu

    Notes
    -----
    The feed-forward activation of Primer: So et al. (2021), "Primer: Searching for Efficient
    Transformers for Language Modeling", NeurIPS 34, https://arxiv.org/abs/2109.08668.
    Differentiable everywhere (both one-sided derivatives at 0 are 0), but its second
    derivative jumps from 0 to 2 there: :math:`C^1`, not :math:`C^2`.

    Examples
    --------
    >>> from relukit import squared_relu
    >>> squared_relu([-2.0, 0.0, 3.0])
    array([0., 0., 9.])
    """
    arr, dtype = _working(x)
    positive = np.maximum(arr, 0)
    with np.errstate(over="ignore"):  # beyond sqrt(max) the square is inf: correctly rounded
        result = np.asarray(positive * positive)
    return _finish(result, dtype, out)


@elementwise
def squared_relu_derivative(x: ArrayLike, *, out: np.ndarray | None = None) -> RealArray:
    r"""Derivative of :func:`squared_relu`: :math:`2\max(0, x)`.

    Parameters
    ----------
    x : ArrayLike
        Real numbers. Integers are promoted to float64.
    out : numpy.ndarray or None
        An array of ``x``'s shape to write the result into, of a dtype that holds the
        result's exactly; it is returned. ``out=x`` works in place.

    Returns
    -------
    numpy.ndarray or numpy.generic
        The derivative elementwise, in ``x``'s float dtype; ``inf`` beyond half the dtype's
        largest number.

    Raises
    ------
    TypeError
        For complex, string, boolean or object input, or an ``out`` that cannot hold the
        result.
    ValueError
        For an ``out`` of another shape or read-only.

    See Also
    --------
    squared_relu

    Notes
    -----
    No kink, so no convention and no ``at_zero=``: the derivative at 0 is 0 from both sides.

    Examples
    --------
    >>> from relukit import squared_relu_derivative
    >>> squared_relu_derivative([-1.0, 0.0, 2.5])
    array([0., 0., 5.])
    """
    arr, dtype = _working(x)
    with np.errstate(over="ignore"):
        result = np.asarray(2 * np.maximum(arr, 0))
    return _finish(result, dtype, out)


register(
    Activation(
        key="squared_relu",
        name="Squared ReLU",
        function=squared_relu,
        derivative=squared_relu_derivative,
        range=Interval(0.0, _INF, low_closed=True),
        smoothness=1,
        monotonicity="non-decreasing",
        zero_centred=False,
        color="#DDAA33",
    )
)

# The public names: each registered activation's two functions, in registration order.
# Hidden from type checkers, which cannot evaluate it: they see every public function of
# this module, the same names.
if not TYPE_CHECKING:
    __all__ = [name for e in REGISTRY.values() for name in e.public_names]
