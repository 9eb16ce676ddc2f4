r"""Wide random ReLU layers: the arc-cosine kernels and the correlation map they induce.

For :math:`w \sim \mathcal N(0, I_d)` and non-zero :math:`x, y \in \mathbb R^d` at angle
:math:`\theta`, Cho and Saul's arc-cosine kernel of degree :math:`n` is

.. math::

    k_n(x, y) = 2\, E\bigl[\Theta(w \cdot x)\, \Theta(w \cdot y)\, (w \cdot x)^n (w \cdot y)^n\bigr]
              = \frac1\pi \|x\|^n \|y\|^n J_n(\theta),

with :math:`\Theta` the unit step, :math:`J_0 = \pi - \theta`,
:math:`J_1 = \sin\theta + (\pi - \theta)\cos\theta` and
:math:`J_2 = 3 \sin\theta \cos\theta + (\pi - \theta)(1 + 2\cos^2\theta)`. Degree 1 is
ReLU's: :math:`E[\operatorname{ReLU}(w \cdot x) \operatorname{ReLU}(w \cdot y)] = k_1(x, y) / 2`.
Normalised by its values at :math:`x = y`, it maps the cosine :math:`\rho` of two inputs of a
wide random ReLU layer (biases 0) to the cosine of its outputs, :func:`relu_correlation_map`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from relukit._validation import as_float_array, real_parameter
from relukit.typing import ArrayLike

__all__ = [
    "COSINE_TOLERANCE",
    "COSINE_ULPS",
    "arccos_kernel",
    "iterate_correlation_map",
    "relu_correlation_map",
]

#: The rounding excess beyond ±1 that a float64 cosine may have and still be taken for ±1. A
#: cosine computed as the dot product of two normalised float64 vectors of a few thousand
#: coordinates can exceed 1 by rounding: the dot product alone by up to (coordinates) times
#: 2**-53, 4.5e-13 for 4096 coordinates, and the normalisations add as much again, a few times
#: 1e-13 in all. For lower precisions the default tolerance is ``COSINE_ULPS`` times the
#: dtype's machine epsilon instead (1.9e-6 for float32), whichever is larger.
COSINE_TOLERANCE: float = 1e-12

#: The default tolerance in units of the dtype's machine epsilon, for dtypes coarser than
#: float64 (see :data:`COSINE_TOLERANCE`).
COSINE_ULPS: int = 16


def _angular_part(cos: np.ndarray, degree: int) -> np.ndarray:
    """Cho and Saul's :math:`J_n(\\theta)` for n = 0, 1, 2, from :math:`\\cos\\theta` in [-1, 1].

    The sine is :math:`\\sqrt{(1 - \\cos\\theta)(1 + \\cos\\theta)}`, exactly 0 at
    :math:`\\theta = 0` and :math:`\\pi` (where :math:`\\sin(\\arccos(-1))` is 1.2e-16).
    """
    theta = np.arccos(cos)
    sin = np.sqrt((1 - cos) * (1 + cos))
    if degree == 0:
        return np.asarray(np.pi - theta)
    if degree == 1:
        return np.asarray(sin + (np.pi - theta) * cos)
    return np.asarray(3 * sin * cos + (np.pi - theta) * (1 + 2 * cos**2))


def _tolerance(tolerance: float | None, dtype: np.dtype[Any]) -> float:
    """The tolerance to use: ``tolerance`` checked, or the dtype's default if it is None."""
    if tolerance is None:
        return max(COSINE_TOLERANCE, COSINE_ULPS * float(np.finfo(dtype).eps))
    tol = real_parameter(tolerance, "tolerance")
    if tol < 0:
        raise ValueError(f"tolerance must be non-negative; got {tol}")
    return tol


def _check_cosine(rho: ArrayLike, tolerance: float | None) -> np.ndarray:
    """A cosine array in [-1, 1]: a rounding excess up to the tolerance is clipped, NaN kept."""
    arr = as_float_array(rho, "rho")
    tol = _tolerance(tolerance, arr.dtype)
    outside = np.abs(arr) > 1 + tol  # False for NaN
    if np.any(outside):
        worst = float(np.abs(arr[outside]).max())
        raise ValueError(
            f"rho must be a cosine, in [-1, 1] (up to a rounding excess of {tol:g}); "
            f"got a value of absolute value {worst!r}"
        )
    return np.asarray(np.clip(arr, -1, 1))


def arccos_kernel(x: ArrayLike, y: ArrayLike, degree: int = 1) -> np.ndarray:
    r"""Cho and Saul's arc-cosine kernel :math:`k_n(x, y)` of degree 0, 1 or 2.

    .. math::

        k_n(x, y) = \frac1\pi \|x\|^n \|y\|^n J_n(\theta), \qquad
        \cos\theta = \frac{x \cdot y}{\|x\| \|y\|},

    with :math:`J_0 = \pi - \theta`, :math:`J_1 = \sin\theta + (\pi - \theta)\cos\theta`,
    :math:`J_2 = 3 \sin\theta \cos\theta + (\pi - \theta)(1 + 2\cos^2\theta)`.

    Parameters
    ----------
    x, y : ArrayLike
        Vectors along the last axis, shapes ``(..., d)`` that broadcast against each other;
        no vector may be 0.
    degree : int
        0 (the unit step), 1 (ReLU) or 2 (squared ReLU).

    Returns
    -------
    numpy.ndarray
        :math:`k_n` for each pair of vectors, of the broadcast shape without the last axis, in
        the inputs' floating dtype (float64 for integers).

    Raises
    ------
    TypeError
        If ``x`` or ``y`` is not real, or ``degree`` is not an integer.
    ValueError
        If ``degree`` is not 0, 1 or 2, an array has no axis, the lengths of the vectors
        differ, a vector is 0 (its angle is undefined), or an entry is not finite.

    Notes
    -----
    Cho and Saul (2009) define :math:`k_n(x, y) = 2 \int \Theta(w \cdot x) \Theta(w \cdot y)
    (w \cdot x)^n (w \cdot y)^n \, \mathcal N(w; 0, I)\, dw`, with a factor 2 in front, and
    derive the closed form above. So for :math:`w \sim \mathcal N(0, I)` the expectation
    :math:`E[\operatorname{ReLU}(w \cdot x)\operatorname{ReLU}(w \cdot y)]` is
    :math:`k_1(x, y) / 2`, and the probability that :math:`w \cdot x > 0` and
    :math:`w \cdot y > 0` is :math:`k_0(x, y) / 2`. The cosine is computed from the
    normalised vectors and clipped to [-1, 1] against rounding.

    Examples
    --------
    >>> from relukit.kernels import arccos_kernel
    >>> x, y = [1.0, 0.0], [0.0, 2.0]  # orthogonal: theta = pi/2, J_1 = 1
    >>> print(round(float(arccos_kernel(x, y)), 6), round(2 / np.pi, 6))
    0.63662 0.63662
    >>> arccos_kernel([[1.0, 0.0], [-1.0, 0.0]], [1.0, 0.0], degree=0)  # theta = 0, pi
    array([1., 0.])
    """
    if isinstance(degree, (bool, np.bool_)) or not isinstance(degree, (int, np.integer)):
        raise TypeError(f"degree must be an integer; got {type(degree).__name__} {degree!r:.60}")
    if degree not in (0, 1, 2):
        raise ValueError(f"degree must be 0, 1 or 2; got {degree}")
    a, b = as_float_array(x, "x"), as_float_array(y, "y")
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("x and y must be vectors (or arrays of vectors along the last axis)")
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"x and y have vectors of lengths {a.shape[-1]} and {b.shape[-1]}")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("x and y must be finite")
    dtype = np.result_type(a, b)
    norm_a = np.linalg.norm(a.astype(np.float64), axis=-1, keepdims=True)
    norm_b = np.linalg.norm(b.astype(np.float64), axis=-1, keepdims=True)
    if np.any(norm_a == 0) or np.any(norm_b == 0):
        raise ValueError("x and y must be non-zero vectors: the angle to 0 is undefined")
    cos = np.clip(np.sum((a / norm_a) * (b / norm_b), axis=-1), -1, 1)
    scale = (norm_a[..., 0] * norm_b[..., 0]) ** degree
    return np.asarray(scale * _angular_part(cos, degree) / np.pi, dtype=dtype)


def relu_correlation_map(rho: ArrayLike, *, tolerance: float | None = None) -> np.ndarray:
    r"""The cosine after a wide random ReLU layer, from the cosine :math:`\rho` before it.

    .. math::

        f(\rho) = \frac{k_1(x, y)}{\sqrt{k_1(x, x)\, k_1(y, y)}}
                = \frac{\sin\theta + (\pi - \theta)\rho}{\pi}, \qquad \theta = \arccos\rho.

    :math:`f(-1) = 0`, :math:`f(0) = 1/\pi`, :math:`f(1) = 1`, and mathematically
    :math:`f(\rho) > \rho` for :math:`\rho < 1`; in floating point :math:`f(\rho) \ge \rho` up
    to one ulp (for :math:`1 - \rho` below about 1e-11 the gap :math:`f(\rho) - \rho`, of order
    :math:`(1 - \rho)^{3/2}`, is smaller than an ulp and may round to one ulp below).

    Parameters
    ----------
    rho : ArrayLike
        Cosines, in [-1, 1]; NaN gives NaN.
    tolerance : float or None
        Values up to this far outside [-1, 1] are taken for ±1 (a rounding excess); further
        out they are an error. None (the default) takes :data:`COSINE_TOLERANCE` (1e-12) or
        ``COSINE_ULPS`` times the machine epsilon of ``rho``'s dtype, whichever is larger.

    Returns
    -------
    numpy.ndarray
        :math:`f(\rho)`, elementwise, in the input's floating dtype (float64 for integers).

    Raises
    ------
    TypeError
        If ``rho`` is not real.
    ValueError
        If a value lies further than ``tolerance`` outside [-1, 1], or ``tolerance`` is
        negative or not finite.

    Notes
    -----
    For i.i.d. zero-mean Gaussian weights of any variance and biases 0, the cosine between a layer's
    outputs for two inputs tends to :math:`f(\rho)` as the layer's width tends to infinity
    (the kernel of Cho and Saul, 2009, normalised; the norms cancel). The book's chapter
    "Wide random layers" proves it.

    Examples
    --------
    >>> from relukit.kernels import relu_correlation_map
    >>> relu_correlation_map([-1.0, 1.0])
    array([0., 1.])
    >>> print(round(float(relu_correlation_map(0.0)), 6), round(1 / np.pi, 6))
    0.31831 0.31831
    """
    r = _check_cosine(rho, tolerance)
    return np.asarray(_angular_part(r, 1) / np.pi, dtype=r.dtype)


def iterate_correlation_map(
    rho: ArrayLike, depth: int, *, tolerance: float | None = None
) -> np.ndarray:
    r"""The cosines :math:`\rho, f(\rho), f(f(\rho)), \ldots` through ``depth`` wide layers.

    Parameters
    ----------
    rho : ArrayLike
        The cosines of the inputs, in [-1, 1] (see :func:`relu_correlation_map`).
    depth : int
        The number of layers, at least 0.
    tolerance : float or None
        As in :func:`relu_correlation_map`, for ``rho``.

    Returns
    -------
    numpy.ndarray
        Shape ``(depth + 1, *rho.shape)``: row :math:`l` is :math:`f^{l}(\rho)`, the cosine
        after :math:`l` layers (row 0 is ``rho``, clipped to [-1, 1]).

    Raises
    ------
    TypeError
        If ``rho`` is not real or ``depth`` is not an integer.
    ValueError
        As :func:`relu_correlation_map`, or if ``depth`` is negative.

    Examples
    --------
    >>> from relukit.kernels import iterate_correlation_map
    >>> iterate_correlation_map([0.0, 1.0], 2).round(4)  # from orthogonal inputs: 1/pi, ...
    array([[0.    , 1.    ],
           [0.3183, 1.    ],
           [0.4937, 1.    ]])
    """
    if isinstance(depth, (bool, np.bool_)) or not isinstance(depth, (int, np.integer)):
        raise TypeError(f"depth must be an integer; got {type(depth).__name__} {depth!r:.60}")
    if depth < 0:
        raise ValueError(f"depth must be at least 0; got {depth}")
    current = _check_cosine(rho, tolerance)
    rows = [current]
    for _ in range(int(depth)):  # a loop over layers, each a whole-array step
        current = relu_correlation_map(current, tolerance=0.0)
        rows.append(current)
    return np.stack(rows)
