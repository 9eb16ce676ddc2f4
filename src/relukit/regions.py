r"""Counting the linear regions of ReLU networks: hyperplane arrangements, pieces on a line.

One layer of :math:`n` ReLU units on :math:`\mathbb R^d` switches on :math:`n` hyperplanes; in
general position they cut space into :func:`general_position_regions` regions. Along a
segment, a ReLU network is affine between the points where some unit switches;
:func:`segment_breakpoints` finds those points by walking the segment piece by piece, and
:func:`sawtooth` builds Telgarsky's network whose count doubles with every layer.
"""

from __future__ import annotations

import numbers
from math import comb
from typing import Any

import numpy as np

from relukit._validation import as_float_array
from relukit.network.model import MLP
from relukit.typing import ArrayLike

__all__ = ["count_pieces", "general_position_regions", "sawtooth", "segment_breakpoints"]

#: Relative size below which a pre-activation at a breakpoint counts as zero.
_ZERO = 1e-9


def _count(value: Any, name: str, minimum: int) -> int:
    """Return ``value`` as an int of at least ``minimum``, or raise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {type(value).__name__} {value!r:.60}")
    result = int(value)
    if result < minimum:
        raise ValueError(f"{name} must be at least {minimum}; got {result}")
    return result


def general_position_regions(n: int, d: int) -> int:
    r"""The number of regions of ``n`` hyperplanes in general position in :math:`\mathbb R^d`.

    .. math::

        r(n, d) = \sum_{i=0}^{d} \binom{n}{i},

    with :math:`\binom{n}{i} = 0` for :math:`i > n` (so :math:`r = 2^n` when :math:`n \le d`).

    Parameters
    ----------
    n : int
        The number of hyperplanes, at least 0.
    d : int
        The dimension of the space, at least 0.

    Returns
    -------
    int
        The number of regions, an exact Python integer.

    Raises
    ------
    TypeError
        If ``n`` or ``d`` is not an integer (booleans are refused).
    ValueError
        If ``n`` or ``d`` is negative.

    Notes
    -----
    General position: every :math:`k \le d` of the hyperplanes meet in a flat of dimension
    :math:`d - k`, and no :math:`d + 1` of them share a point. The count follows from the
    recurrence :math:`r(n, d) = r(n - 1, d) + r(n - 1, d - 1)` (the :math:`n`-th hyperplane is
    cut by the others into :math:`r(n - 1, d - 1)` pieces, and each piece splits one old
    region in two); it is the general-position case of Zaslavsky's theorem (Zaslavsky, 1975,
    *Facing up to arrangements*, Mem. AMS 154; Stanley, *An Introduction to Hyperplane
    Arrangements*, Theorem 2.5).

    Examples
    --------
    >>> from relukit.regions import general_position_regions
    >>> general_position_regions(3, 2)  # three lines in general position: 1 + 3 + 3
    7
    >>> general_position_regions(32, 2), general_position_regions(3, 5)
    (529, 8)
    """
    n = _count(n, "n", 0)
    d = _count(d, "d", 0)
    return sum(comb(n, i) for i in range(min(n, d) + 1))


def sawtooth(depth: int) -> MLP:
    r"""Build Telgarsky's sawtooth, the tent map composed ``depth`` times, as a ReLU network.

    The tent map :math:`t(x) = 2\,\mathrm{ReLU}(x) - 4\,\mathrm{ReLU}(x - 1/2)` maps
    :math:`[0, 1]` onto itself (up at slope 2, then down at slope -2). The network has
    ``depth`` hidden layers of 2 units; hidden layer :math:`l` computes
    :math:`\mathrm{ReLU}(y)` and :math:`\mathrm{ReLU}(y - 1/2)` of
    :math:`y = t^{\circ (l - 1)}(x)`, and the output is :math:`t^{\circ L}(x)`, which has
    :math:`2^L` linear pieces on :math:`[0, 1]`.

    Parameters
    ----------
    depth : int
        The number of hidden layers :math:`L`, at least 1.

    Returns
    -------
    MLP
        A float64 ReLU network with sizes ``[1, 2, ..., 2, 1]``; every weight and bias is a
        power of two or 0, so on dyadic inputs it computes exactly.

    Raises
    ------
    TypeError
        If ``depth`` is not an integer.
    ValueError
        If ``depth`` is less than 1.

    Notes
    -----
    Telgarsky (2016), *Benefits of depth in neural networks*, COLT, builds his deep
    networks from this map.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.regions import sawtooth
    >>> sawtooth(2).predict(np.array([[0.0], [0.125], [0.25], [0.5]])).ravel().tolist()
    [0.0, 0.5, 1.0, 0.0]
    """
    depth = _count(depth, "depth", 1)
    net = MLP([1] + [2] * depth + [1], "relu", dtype="float64")
    half = np.array([0.0, -0.5])
    net.params["W1"][...] = [[1.0, 1.0]]
    net.params["b1"][...] = half
    for layer in range(2, depth + 1):
        net.params[f"W{layer}"][...] = [[2.0, 2.0], [-4.0, -4.0]]
        net.params[f"b{layer}"][...] = half
    net.params[f"W{depth + 1}"][...] = [[2.0], [-4.0]]
    net.params[f"b{depth + 1}"][...] = 0.0
    return net


def _check_relu_net(net: Any) -> MLP:
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a relukit MLP; got {type(net).__name__}")
    others = sorted({name for name in net.activations if name != "relu"})
    if others:
        raise ValueError(f"net must use ReLU in every hidden layer; it uses {', '.join(others)}")
    return net


def _check_point(point: ArrayLike, width: int, name: str) -> np.ndarray:
    arr = as_float_array(point, name).astype(np.float64)
    if arr.shape != (width,):
        raise ValueError(f"{name} must have shape ({width},); got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite; got {arr.tolist()}")
    return arr


def _right_pattern(
    weights: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray, v: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """Each hidden layer's value, slope and on/off pattern just after the point ``x``.

    Along ``x + s v`` the pre-activations are affine in ``s`` while the pattern holds. A unit
    is on just after ``x`` if its pre-activation is positive there, or zero (to rounding)
    and rising.
    """
    h, dh = x, v
    values, slopes, patterns = [], [], []
    for w, b in weights[:-1]:
        z, dz = h @ w + b, dh @ w
        scale = _ZERO * (1.0 + np.abs(h) @ np.abs(w) + np.abs(b))
        zero = np.abs(z) <= scale
        on = np.where(zero, dz > 0, z > 0)
        values.append(z)
        slopes.append(dz)
        patterns.append(on)
        h, dh = np.where(on, z, 0.0), np.where(on, dz, 0.0)
    return values, slopes, patterns


def segment_breakpoints(net: MLP, start: ArrayLike, end: ArrayLike) -> np.ndarray:
    r"""Where a ReLU network's activation pattern changes along a segment, exactly.

    Along :math:`x(t) = (1 - t)\,p + t\,q`, :math:`t \in [0, 1]`, every pre-activation is
    affine in :math:`t` as long as the pattern of active units holds. The walk starts at
    :math:`t = 0` with the pattern just after it; on the current piece it computes each
    pre-activation's value and slope, so the next change is the smallest root ahead,
    :math:`t_0 - z_i(t_0) / z_i'`, taken over the units whose sign would change. There it
    finds the new pattern (a unit at zero is on if it is rising) and goes on to :math:`t = 1`.

    Parameters
    ----------
    net : MLP
        A relukit network with ReLU in every hidden layer (computed here in float64).
    start, end : ArrayLike
        The ends :math:`p` and :math:`q`, shape ``(sizes[0],)``, finite and distinct.

    Returns
    -------
    numpy.ndarray
        The sorted values :math:`0 < t_1 < \dots < t_k < 1` at which the pattern just after
        differs from the pattern just before. The segment has :math:`k + 1` pieces of
        positive length, on each of which the network is affine. Several units switching at
        one point give one breakpoint; a unit that touches 0 and turns back without the
        pattern changing on either side gives none.

    Raises
    ------
    TypeError
        If ``net`` is not an :class:`~relukit.network.MLP`, or the ends are not real
        numbers.
    ValueError
        If a hidden layer is not ReLU, or the ends have the wrong shape, are not finite, or
        are equal.

    Notes
    -----
    The roots are computed in closed form, so each breakpoint is exact up to the rounding of
    one division; a pre-activation within a relative :math:`10^{-9}` of zero at a breakpoint
    counts as zero there. :func:`sawtooth` on :math:`[0, 1]`, whose weights are powers of two,
    is walked without rounding. The pieces are those
    of the activation pattern (Hanin and Rolnick, 2019, count the same); the output can be
    affine across a breakpoint, for example where the switching unit's outgoing weights are 0.

    Examples
    --------
    >>> from relukit.regions import sawtooth, segment_breakpoints
    >>> segment_breakpoints(sawtooth(2), [0.0], [1.0]).tolist()
    [0.25, 0.5, 0.75]
    """
    net = _check_relu_net(net)
    p = _check_point(start, net.sizes[0], "start")
    q = _check_point(end, net.sizes[0], "end")
    if np.array_equal(p, q):
        raise ValueError("start and end must differ")
    weights = [
        (net.params[f"W{k}"].astype(np.float64), net.params[f"b{k}"].astype(np.float64))
        for k in range(1, net.depth + 1)
    ]
    v = q - p
    t0 = 0.0
    _, _, before = _right_pattern(weights, p, v)
    breakpoints: list[float] = []
    while True:
        values, slopes, _ = _right_pattern(weights, p + t0 * v, v)
        roots = []
        for z, dz, on in zip(values, slopes, before, strict=True):
            crossing = np.where(on, dz < 0, dz > 0)  # on and falling, or off and rising
            with np.errstate(divide="ignore", invalid="ignore"):
                ahead = np.where(crossing, -z / np.where(crossing, dz, 1.0), np.inf)
            roots.append(ahead)
        step = float(np.min(np.concatenate(roots))) if roots else np.inf
        t1 = t0 + max(step, 0.0)
        if not t1 < 1.0:
            break
        _, _, after = _right_pattern(weights, p + t1 * v, v)
        if any(not np.array_equal(a, b) for a, b in zip(after, before, strict=True)):
            breakpoints.append(t1)
        if t1 <= t0:  # rounding left no progress: step past by one ulp
            t1 = float(np.nextafter(t0, 2.0))
        t0, before = t1, after
    return np.array(breakpoints, dtype=np.float64)


def count_pieces(net: MLP, start: ArrayLike, end: ArrayLike) -> int:
    r"""The number of linear pieces of a ReLU network along a segment.

    One more than the number of :func:`segment_breakpoints`: the pieces of positive length on
    which the activation pattern, and so the network's output, stays fixed.

    Parameters
    ----------
    net : MLP
        A relukit network with ReLU in every hidden layer.
    start, end : ArrayLike
        The ends of the segment, shape ``(sizes[0],)``, finite and distinct.

    Returns
    -------
    int
        The number of pieces, at least 1.

    Raises
    ------
    TypeError
        As :func:`segment_breakpoints`.
    ValueError
        As :func:`segment_breakpoints`.

    Notes
    -----
    For one hidden layer and one input this is at most :math:`n + 1`; along any line
    through a network with widths :math:`n_1, \dots, n_L` it is at most
    :math:`\prod_l (n_l + 1)`, since each unit crosses zero at most once on each piece of the
    layers below it.

    Examples
    --------
    >>> from relukit.regions import count_pieces, sawtooth
    >>> [count_pieces(sawtooth(depth), [0.0], [1.0]) for depth in (1, 2, 3, 10)]
    [2, 4, 8, 1024]
    """
    return int(segment_breakpoints(net, start, end).size) + 1
