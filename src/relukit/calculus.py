r"""Numerical calculus for the book's arguments: quotients, limits, continuity, monotonicity.

Difference quotients, one-sided limits, the subdifferential of ReLU, and checks of continuity
and monotonicity.

These are evidence, not proof: a limit estimated over a shrinking sequence of steps ``h``
shows where the quotients are heading, and the book pairs each estimate with the proof.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from relukit._validation import as_float_array, real_parameter
from relukit.interval import Interval
from relukit.properties import Monotonicity
from relukit.typing import ArrayLike

__all__ = [
    "DEFAULT_STEPS",
    "OneSidedDerivatives",
    "central_difference",
    "continuity_gaps",
    "difference_quotient",
    "is_continuous_at",
    "monotonicity",
    "one_sided_derivatives",
    "relu_subdifferential",
]

Function = Callable[[np.ndarray], Any]

#: The steps h = 10^-1, 10^-2, ..., 10^-8 over which limits are estimated. They are powers of
#: ten, so at a point like 0 the steps themselves are the only rounding.
DEFAULT_STEPS: np.ndarray = 10.0 ** -np.arange(1, 9)


def _steps(steps: ArrayLike) -> np.ndarray:
    h = as_float_array(steps, "steps")
    h = np.atleast_1d(np.asarray(h, dtype=np.float64))
    if h.ndim != 1 or h.size == 0 or not np.all(np.isfinite(h)) or not np.all(h > 0):
        raise ValueError("steps must be a non-empty 1-d sequence of positive finite numbers")
    return h


def difference_quotient(f: Function, x: float, h: ArrayLike) -> np.ndarray:
    r"""The difference quotient :math:`\dfrac{f(x + h) - f(x)}{h}` for each step ``h``.

    Negative ``h`` gives the quotients from the left.

    Parameters
    ----------
    f : collections.abc.Callable
        A function of an array, such as :func:`relukit.relu`.
    x : float
        The point.
    h : ArrayLike
        The steps, non-zero.

    Returns
    -------
    numpy.ndarray
        One quotient per step, in float64.

    Raises
    ------
    ValueError
        If a step is 0.

    Examples
    --------
    >>> from relukit import relu
    >>> from relukit.calculus import difference_quotient
    >>> difference_quotient(relu, 0.0, [-0.1, -0.001, 0.001, 0.1])
    array([0., 0., 1., 1.])
    """
    x0 = real_parameter(x, "x")
    step = np.asarray(as_float_array(h, "h"), dtype=np.float64)
    if np.any(step == 0):
        raise ValueError("h must be non-zero: the quotient is undefined at h = 0")
    quotient = (np.asarray(f(x0 + step)) - np.asarray(f(np.asarray(x0)))) / step
    return np.asarray(quotient + 0.0)  # + 0.0 turns the -0.0 of 0 / (negative h) into 0.0


def central_difference(f: Function, x: ArrayLike, h: float = 1e-6) -> np.ndarray:
    r"""The central difference :math:`\dfrac{f(x + h) - f(x - h)}{2h}`, elementwise over ``x``.

    Its error is :math:`O(h^2)` where ``f`` is smooth near ``x``; across a kink it averages
    the two one-sided slopes.

    Parameters
    ----------
    f : collections.abc.Callable
        A function of an array.
    x : ArrayLike
        The points.
    h : float
        The step, positive.

    Returns
    -------
    numpy.ndarray
        The central difference at each point, in float64.

    Raises
    ------
    ValueError
        If ``h`` is not positive.

    Examples
    --------
    >>> from relukit import relu
    >>> from relukit.calculus import central_difference
    >>> central_difference(relu, [-1.0, 0.0, 1.0])
    array([0. , 0.5, 1. ])
    """
    step = real_parameter(h, "h")
    if step <= 0:
        raise ValueError(f"h must be positive; got {step}")
    points = np.asarray(as_float_array(x), dtype=np.float64)
    return np.asarray((np.asarray(f(points + step)) - np.asarray(f(points - step))) / (2 * step))


@dataclass(frozen=True)
class OneSidedDerivatives:
    """Difference quotients at one point from the left and from the right, step by step.

    Attributes
    ----------
    x
        The point.
    steps
        The positive step sizes ``h``, in the order given (normally shrinking).
    left
        :math:`(f(x - h) - f(x)) / (-h)` for each step.
    right
        :math:`(f(x + h) - f(x)) / h` for each step.

    Examples
    --------
    >>> from relukit import relu
    >>> from relukit.calculus import one_sided_derivatives
    >>> one_sided_derivatives(relu, 0.0, [0.1]).right
    array([1.])
    """

    x: float
    steps: np.ndarray
    left: np.ndarray
    right: np.ndarray

    @property
    def left_limit(self) -> float:
        """Estimate of the left-hand derivative, the quotient at the smallest step.

        Returns
        -------
        float
            The estimate.

        Examples
        --------
        >>> from relukit import relu
        >>> from relukit.calculus import one_sided_derivatives
        >>> one_sided_derivatives(relu, 0.0).left_limit
        0.0
        """
        return float(self.left[np.argmin(self.steps)])

    @property
    def right_limit(self) -> float:
        """Estimate of the right-hand derivative, the quotient at the smallest step.

        Returns
        -------
        float
            The estimate.

        Examples
        --------
        >>> from relukit import relu
        >>> from relukit.calculus import one_sided_derivatives
        >>> one_sided_derivatives(relu, 0.0).right_limit
        1.0
        """
        return float(self.right[np.argmin(self.steps)])

    def agree(self, tolerance: float = 1e-6) -> bool:
        """Whether the two one-sided estimates agree within ``tolerance``.

        Agreement is necessary for the derivative to exist at ``x``; numerically it is
        evidence, not proof.

        Parameters
        ----------
        tolerance : float
            The largest difference that counts as agreement.

        Returns
        -------
        bool
            Whether ``|left_limit - right_limit| <= tolerance``.

        Examples
        --------
        >>> from relukit import relu
        >>> from relukit.calculus import one_sided_derivatives
        >>> one_sided_derivatives(relu, 1.0).agree(), one_sided_derivatives(relu, 0.0).agree()
        (True, False)
        """
        return bool(abs(self.left_limit - self.right_limit) <= tolerance)


def one_sided_derivatives(
    f: Function, x: float, steps: ArrayLike = DEFAULT_STEPS
) -> OneSidedDerivatives:
    """Estimate the left-hand and right-hand derivatives of ``f`` at ``x``.

    Parameters
    ----------
    f : collections.abc.Callable
        A function of an array, such as :func:`relukit.relu`.
    x : float
        The point.
    steps : ArrayLike
        Positive step sizes, :math:`10^{-1}, ..., 10^{-8}` by default (:data:`DEFAULT_STEPS`).

    Returns
    -------
    OneSidedDerivatives
        The quotients from both sides, step by step.

    Raises
    ------
    ValueError
        If the steps are not positive finite numbers.

    Examples
    --------
    >>> from relukit import relu
    >>> from relukit.calculus import one_sided_derivatives
    >>> d = one_sided_derivatives(relu, 0.0)
    >>> d.left_limit, d.right_limit, d.agree()
    (0.0, 1.0, False)
    """
    h = _steps(steps)
    x0 = real_parameter(x, "x")
    return OneSidedDerivatives(
        x=x0,
        steps=h,
        left=difference_quotient(f, x0, -h),
        right=difference_quotient(f, x0, h),
    )


def relu_subdifferential(x: float) -> Interval:
    r"""The subdifferential of ReLU at ``x``.

    The slopes of all lines through :math:`(x, \operatorname{ReLU}(x))` that stay below the
    graph. It is :math:`\{0\}` for ``x < 0``, :math:`\{1\}` for ``x > 0`` and the whole interval
    :math:`[0, 1]` at the kink, which is why any value in ``[0, 1]`` is a valid choice
    for ``ReLU'(0)`` in subgradient descent.

    Parameters
    ----------
    x : float
        The point.

    Returns
    -------
    relukit.interval.Interval
        :math:`\{0\}`, :math:`[0, 1]` or :math:`\{1\}`.

    Examples
    --------
    >>> from relukit.calculus import relu_subdifferential
    >>> print(relu_subdifferential(-2.0), relu_subdifferential(0.0), relu_subdifferential(3.0))
    {0} [0, 1] {1}
    """
    x0 = real_parameter(x, "x")
    if x0 < 0:
        return Interval.point(0.0)
    if x0 > 0:
        return Interval.point(1.0)
    return Interval(0.0, 1.0, low_closed=True, high_closed=True)


def continuity_gaps(f: Function, x: float, steps: ArrayLike = DEFAULT_STEPS) -> np.ndarray:
    r"""For each step ``h``: :math:`\max(|f(x+h) - f(x)|, |f(x-h) - f(x)|)`.

    ``f`` is continuous at ``x`` exactly when these gaps go to 0 as ``h`` does.

    Parameters
    ----------
    f : collections.abc.Callable
        A function of an array.
    x : float
        The point.
    steps : ArrayLike
        Positive step sizes (:data:`DEFAULT_STEPS` by default).

    Returns
    -------
    numpy.ndarray
        The largest gap at each step.

    Examples
    --------
    >>> from relukit import relu
    >>> from relukit.calculus import continuity_gaps
    >>> continuity_gaps(relu, 0.0, [0.1, 0.01])
    array([0.1 , 0.01])
    """
    h = _steps(steps)
    x0 = real_parameter(x, "x")
    centre = np.asarray(f(np.asarray(x0)))
    right = np.abs(np.asarray(f(x0 + h)) - centre)
    left = np.abs(np.asarray(f(x0 - h)) - centre)
    return np.asarray(np.maximum(left, right))


def is_continuous_at(
    f: Function, x: float, steps: ArrayLike = DEFAULT_STEPS, tolerance: float = 1e-6
) -> bool:
    """Numerical evidence that ``f`` is continuous at ``x``.

    The gap (:func:`continuity_gaps`) at the smallest step must be within ``tolerance``.

    Parameters
    ----------
    f : collections.abc.Callable
        A function of an array.
    x : float
        The point.
    steps : ArrayLike
        Positive step sizes (:data:`DEFAULT_STEPS` by default).
    tolerance : float
        The largest gap that counts as continuous.

    Returns
    -------
    bool
        Whether the gap at the smallest step is within ``tolerance``.

    Examples
    --------
    >>> from relukit import relu, relu_derivative
    >>> from relukit.calculus import is_continuous_at
    >>> is_continuous_at(relu, 0.0), is_continuous_at(relu_derivative, 0.0)
    (True, False)
    """
    h = _steps(steps)
    gaps = continuity_gaps(f, x, h)
    return bool(gaps[np.argmin(h)] <= tolerance)


def monotonicity(f: Function, xs: ArrayLike) -> Monotonicity:
    """Classify ``f`` on the sample points ``xs``: increasing, non-decreasing, or neither.

    Only the samples are checked. On a grid where a function is flat in floating point
    (sigmoid beyond about 37 in float64, say) a strictly increasing function reads as
    non-decreasing; choose the points accordingly.

    Parameters
    ----------
    f : collections.abc.Callable
        A function of an array.
    xs : ArrayLike
        The sample points, at least two distinct ones, no NaN.

    Returns
    -------
    str
        Strictly increasing on the samples, non-decreasing, or neither.

    Raises
    ------
    ValueError
        For fewer than two distinct points, or NaN among them.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit import relu, leaky_relu, silu
    >>> from relukit.calculus import monotonicity
    >>> xs = np.linspace(-3, 3, 601)
    >>> monotonicity(relu, xs), monotonicity(leaky_relu, xs), monotonicity(silu, xs)
    ('non-decreasing', 'increasing', 'neither')
    """
    points = np.unique(np.asarray(as_float_array(xs, "xs"), dtype=np.float64))
    if points.size < 2 or np.isnan(points).any():
        raise ValueError("xs must hold at least two distinct numbers and no NaN")
    steps = np.diff(np.asarray(f(points), dtype=np.float64))
    if np.all(steps > 0):
        return "increasing"
    if np.all(steps >= 0):
        return "non-decreasing"
    return "neither"
