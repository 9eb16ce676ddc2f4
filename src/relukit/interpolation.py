r"""Piecewise-linear interpolation as a ReLU network: knots and values in, an MLP out.

A continuous piecewise-linear function of one variable with knots :math:`t_0 < \dots < t_m`
and values :math:`v_j = f(t_j)` is, on the whole real line (extended by its end pieces),

.. math::

    f(x) = v_1 - s_0 \operatorname{ReLU}(t_1 - x) + s_1 \operatorname{ReLU}(x - t_1)
           + \sum_{i=2}^{m-1} (s_i - s_{i-1}) \operatorname{ReLU}(x - t_i),

with :math:`s_j = (v_{j+1} - v_j) / (t_{j+1} - t_j)` the slope of piece :math:`j`, for
:math:`m \ge 2`. The interior knots :math:`t_1, \dots, t_{m-1}` serve as the breakpoints
(:math:`k = m - 1`), so this is one hidden layer of :math:`m` ReLU units, one per interior knot
and one more for the first piece (more than needed if the slope does not change at some knot);
a single piece (:math:`m = 1`, an affine function) takes two. The book's chapter on
expressivity proves it and builds it with :func:`relu_interpolant`.
"""

from __future__ import annotations

import numpy as np

from relukit._validation import as_float_array
from relukit.network.model import MLP, DType
from relukit.typing import ArrayLike

__all__ = ["relu_interpolant"]


def relu_interpolant(knots: ArrayLike, values: ArrayLike, *, dtype: DType = "float64") -> MLP:
    r"""The one-hidden-layer ReLU network that interpolates ``values`` at ``knots``.

    With knots :math:`t_0 < \dots < t_m`, values :math:`v_j` and slopes
    :math:`s_j = (v_{j+1} - v_j)/(t_{j+1} - t_j)`, the network computes

    .. math::

        f(x) = v_a - s_0 \operatorname{ReLU}(t_a - x) + s_a \operatorname{ReLU}(x - t_a)
               + \sum_{i=a+1}^{m-1} (s_i - s_{i-1}) \operatorname{ReLU}(x - t_i),

    with the anchor :math:`a = 1` if there are interior knots (:math:`m \ge 2`) and
    :math:`a = 0` otherwise. It is the continuous piecewise-linear function through the points
    :math:`(t_j, v_j)`, affine between consecutive knots and continued beyond :math:`t_0` and
    :math:`t_m` by the first and last pieces. It has :math:`\max(m, 2)` hidden units: one per
    interior knot and one more (two for a single piece, an affine function).

    Parameters
    ----------
    knots : ArrayLike
        The knots :math:`t_0 < \dots < t_m`: a 1-d array of at least two finite, strictly
        increasing real numbers.
    values : ArrayLike
        The values :math:`v_j` at the knots: finite real numbers, as many as ``knots``.
    dtype : str, type or numpy.dtype
        The network's dtype (float16, float32 or float64). The weights are computed in float64
        and rounded to it.

    Returns
    -------
    relukit.network.MLP
        A network of sizes ``(1, max(m, 2), 1)`` with ReLU activation: ``net.predict(x)``
        for ``x`` of shape ``(n, 1)`` gives the interpolant at ``x``, shape ``(n, 1)``. Its
        first layer's weights are :math:`\pm 1`, so each pre-activation is a difference
        :math:`x - t_i` or :math:`t_a - x`, rounded once.

    Raises
    ------
    TypeError
        If ``knots`` or ``values`` are not real numbers.
    ValueError
        If they are not 1-d, differ in length, have fewer than two entries, are not finite,
        or the knots are not strictly increasing; or for an unsupported ``dtype``.

    Notes
    -----
    The construction is the one-dimensional case of the theorem that ReLU networks compute
    exactly the continuous piecewise-linear functions (Arora, Basu, Mianjy and Mukherjee,
    "Understanding Deep Neural Networks with Rectified Linear Units", ICLR 2018). Here
    :math:`m` intervals (at most :math:`m` pieces: fewer if neighbouring knots are collinear)
    take :math:`\max(m, 2)` units; Arora et al. prove at most :math:`p` and at least
    :math:`p - 1` units for :math:`p` pieces (their Theorem 2.2). The identity
    :math:`s_0 (x - t_a) = s_0 \operatorname{ReLU}(x - t_a) - s_0 \operatorname{ReLU}(t_a - x)`
    gives the first piece its slope; each later unit adds the change of slope at its knot.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.interpolation import relu_interpolant
    >>> net = relu_interpolant([-1.0, 0.0, 1.0], [1.0, 0.0, 1.0])  # |x| on [-1, 1]
    >>> net.sizes
    (1, 2, 1)
    >>> net.predict(np.array([[-3.0], [-0.5], [0.0], [2.0]])).ravel().tolist()
    [3.0, 0.5, 0.0, 2.0]
    >>> relu_interpolant([0.0, 0.0], [1.0, 2.0])
    Traceback (most recent call last):
      ...
    ValueError: knots must be strictly increasing; knots[0] = 0.0 >= knots[1] = 0.0
    """
    t = as_float_array(knots, "knots").astype(np.float64)
    v = as_float_array(values, "values").astype(np.float64)
    for name, arr in (("knots", t), ("values", v)):
        if arr.ndim != 1:
            raise ValueError(f"{name} must be 1-d; got shape {arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite")
    if t.size != v.size:
        raise ValueError(f"knots and values differ in length: {t.size} and {v.size}")
    if t.size < 2:
        raise ValueError(f"at least two knots are needed; got {t.size}")
    steps = np.diff(t)
    bad = np.flatnonzero(steps <= 0)
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"knots must be strictly increasing; knots[{i}] = {t[i]} >= knots[{i + 1}] = {t[i + 1]}"
        )
    slopes = np.diff(v) / steps
    m = t.size - 1
    a = 1 if m >= 2 else 0
    # Units: ReLU(t_a - x), ReLU(x - t_a), then ReLU(x - t_i) for i = a+1, ..., m-1.
    w_in = np.concatenate([[-1.0, 1.0], np.ones(m - 1 - a)])
    b_in = np.concatenate([[t[a], -t[a]], -t[a + 1 : m]]) + 0.0  # + 0.0: no -0.0
    w_out = np.concatenate([[-slopes[0], slopes[a]], np.diff(slopes)[a:]])
    net = MLP([1, w_in.size, 1], "relu", dtype=dtype)
    net.params["W1"][...] = w_in[None, :]
    net.params["b1"][...] = b_in
    net.params["W2"][...] = w_out[:, None]
    net.params["b2"][...] = v[a]
    return net
