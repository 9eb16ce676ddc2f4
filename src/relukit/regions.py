r"""Counting the linear regions of ReLU networks: hyperplane arrangements, pieces on a line.

One layer of :math:`n` ReLU units on :math:`\mathbb R^d` switches on :math:`n` hyperplanes; in
general position they cut space into :func:`general_position_regions` regions. Along a
segment, a ReLU network is affine between the points where some unit switches;
:func:`segment_breakpoints` finds those points layer by layer, :func:`count_pieces` and
:func:`count_linear_pieces` count the pieces of the pattern and of the output, and
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

__all__ = [
    "count_linear_pieces",
    "count_pieces",
    "general_position_regions",
    "sawtooth",
    "segment_breakpoints",
]


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
        The dimension of the space, at least 0; ``d = 0`` gives 1, the value that makes the
        recurrence below hold at ``d = 1``.

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
        A float64 ReLU network with sizes ``[1, 2, ..., 2, 1]``; every weight and bias is
        :math:`\pm` a power of two or 0, so on dyadic inputs it computes exactly.

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


#: Pre-activations within this many units of rounding (``eps`` times the sum of the
#: magnitudes of their terms) count as zero when a piece's pattern is read.
_ROUNDING = 64 * float(np.finfo(np.float64).eps)
#: Breakpoints closer than this fraction of the segment merge into one.
_GAP = 1e-13
#: Relative size below which two output slopes count as equal in :func:`count_linear_pieces`.
_SLOPE = 1e-9


def _pieces(
    net: MLP, start: ArrayLike, end: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cut ``[0, 1]`` layer by layer; return the cuts, and each piece's pattern and slopes.

    Returns ``cuts`` (sorted, from 0 to 1), the activation pattern on each piece (read at its
    midpoint, one row per piece), the output's slope in ``t`` on each piece, and the sum of the
    magnitudes of the terms of that slope (to tell a zero slope from rounding).
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
    cuts = np.array([0.0, 1.0])

    def forward(layers: int) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
        """Patterns of the first ``layers`` layers on each piece; value and slope after."""
        mid = 0.5 * (cuts[:-1] + cuts[1:])
        h, dh = p + mid[:, None] * v, np.broadcast_to(v, (mid.size, v.size))
        patterns = []
        for w, b in weights[:layers]:
            z, dz = h @ w + b, dh @ w
            size = _ROUNDING * (np.abs(h) @ np.abs(w) + np.abs(b))
            on = z > size  # read in the middle of a piece, so away from every root
            patterns.append(on)
            h, dh = np.where(on, z, 0.0), np.where(on, dz, 0.0)
        return patterns, mid, h, dh

    for layer in range(1, len(weights)):
        # On each piece, layers below `layer` keep one pattern, so layer `layer` is affine in t.
        patterns, mid, h, dh = forward(layer - 1)
        w, b = weights[layer - 1]
        z, dz = h @ w + b, dh @ w
        with np.errstate(divide="ignore", invalid="ignore"):
            roots = np.where(dz != 0, mid[:, None] - z / np.where(dz != 0, dz, 1.0), np.nan)
        inside = (roots > cuts[:-1, None]) & (roots < cuts[1:, None])
        new = np.unique(roots[inside])
        if new.size:
            # Merge roots closer than _GAP to a cut already there, or to each other.
            where = np.searchsorted(cuts, new)
            near = np.minimum(new - cuts[where - 1], cuts[where] - new) <= _GAP
            new = new[~near]
            new = new[np.diff(new, prepend=-1.0) > _GAP]
            cuts = np.sort(np.concatenate([cuts, new]))
    patterns, _, _, dh = forward(len(weights) - 1)
    w_out = weights[-1][0]
    slopes, size = dh @ w_out, np.abs(dh) @ np.abs(w_out)
    pattern = np.concatenate(patterns, axis=1) if patterns else np.zeros((cuts.size - 1, 0))
    return cuts, pattern.astype(bool), slopes, size


def segment_breakpoints(net: MLP, start: ArrayLike, end: ArrayLike) -> np.ndarray:
    r"""Where a ReLU network's activation pattern changes along a segment.

    Along :math:`x(t) = (1 - t)\,p + t\,q`, :math:`t \in [0, 1]`, the first layer's
    pre-activations are affine in :math:`t`, so their roots cut :math:`[0, 1]` into pieces on
    which the first layer's pattern is fixed. On each piece the second layer's
    pre-activations are affine; their roots inside it cut it further, and so on up the
    layers. Each root is :math:`m - z(m) / z'` for a piece's midpoint :math:`m`, and each
    piece's pattern is read at its midpoint, away from every root, so no decision is taken
    at a point where a unit is (nearly) zero.

    Parameters
    ----------
    net : MLP
        A relukit network with ReLU in every hidden layer (computed here in float64).
    start, end : ArrayLike
        The ends :math:`p` and :math:`q`, shape ``(sizes[0],)``, finite and distinct.

    Returns
    -------
    numpy.ndarray
        The sorted values :math:`0 < t_1 < \dots < t_k < 1` at which the pattern on the right
        differs from the pattern on the left, to floating-point accuracy. The segment has
        :math:`k + 1` *activation pieces*, on each of which the pattern is fixed and the
        network is affine. Several units switching at one point give one breakpoint; a unit
        that touches 0 and turns back without the pattern changing on either side gives none.

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
    The answer does not change when a layer is rescaled by :math:`c > 0`: nothing is
    compared with an absolute size. Two limits remain. Breakpoints closer than
    :math:`10^{-13}` of the segment merge into one, and so do breakpoints closer than a
    pre-activation's rounding (about :math:`10^{-14}` of the sum of the magnitudes of its
    terms) divided by its slope in :math:`t`. :func:`sawtooth` on :math:`[0, 1]`, whose
    weights are :math:`\pm` powers of two, is cut without rounding. The pieces are those of
    the activation pattern, which Hanin and Rolnick (2019, NeurIPS) call activation regions;
    the output can be affine across a breakpoint (:func:`count_linear_pieces`).

    Examples
    --------
    >>> from relukit.regions import sawtooth, segment_breakpoints
    >>> segment_breakpoints(sawtooth(2), [0.0], [1.0]).tolist()
    [0.25, 0.5, 0.75]
    """
    cuts, pattern, _, _ = _pieces(net, start, end)
    changes = np.any(pattern[1:] != pattern[:-1], axis=1)
    return cuts[1:-1][changes]


def count_pieces(net: MLP, start: ArrayLike, end: ArrayLike) -> int:
    r"""The number of activation pieces of a ReLU network along a segment.

    One more than the number of :func:`segment_breakpoints`: the pieces of positive length on
    which the activation pattern stays fixed, and so the network's output is affine.

    Parameters
    ----------
    net : MLP
        A relukit network with ReLU in every hidden layer.
    start, end : ArrayLike
        The ends of the segment, shape ``(sizes[0],)``, finite and distinct.

    Returns
    -------
    int
        The number of activation pieces, at least 1.

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
    layers below it. It bounds :func:`count_linear_pieces` from above.

    Examples
    --------
    >>> from relukit.regions import count_pieces, sawtooth
    >>> [count_pieces(sawtooth(depth), [0.0], [1.0]) for depth in (1, 2, 3, 10)]
    [2, 4, 8, 1024]
    """
    return int(segment_breakpoints(net, start, end).size) + 1


def count_linear_pieces(net: MLP, start: ArrayLike, end: ArrayLike) -> int:
    r"""The number of linear pieces of a ReLU network's output along a segment.

    The activation pieces of :func:`count_pieces`, with neighbours merged where the output's
    slope along the segment does not change: the largest intervals on which the output
    :math:`f(x(t))` is affine.

    Parameters
    ----------
    net : MLP
        A relukit network with ReLU in every hidden layer.
    start, end : ArrayLike
        The ends of the segment, shape ``(sizes[0],)``, finite and distinct.

    Returns
    -------
    int
        The number of linear pieces, at least 1 and at most :func:`count_pieces`.

    Raises
    ------
    TypeError
        As :func:`segment_breakpoints`.
    ValueError
        As :func:`segment_breakpoints`.

    Notes
    -----
    The output is continuous, so two neighbouring pieces with the same slope (every output
    coordinate's) are one affine piece. Slopes count as equal when they differ by at most
    :math:`10^{-9}` of the sum of the magnitudes of their terms. Montúfar et al. (2014) and
    Hanin and Rolnick (2019, ICML) count these pieces of the function.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network import MLP
    >>> from relukit.regions import count_linear_pieces, count_pieces
    >>> net = MLP([1, 2, 1], "relu")  # ReLU(x) + ReLU(x - 1), and a unit whose output is unused
    >>> net.params["W1"][...] = [[1.0, 1.0]]
    >>> net.params["b1"][...] = [0.0, -1.0]
    >>> net.params["W2"][...] = [[1.0], [0.0]]
    >>> count_pieces(net, [-1.0], [2.0]), count_linear_pieces(net, [-1.0], [2.0])
    (3, 2)
    """
    _, _, slopes, size = _pieces(net, start, end)
    jumps = np.abs(slopes[1:] - slopes[:-1]) > _SLOPE * (size[1:] + size[:-1])
    return int(np.count_nonzero(np.any(jumps, axis=1))) + 1
