r"""The rescaling symmetry of ReLU networks: rescale hidden units, path norms, balancing.

For a positively homogeneous activation :math:`f` (:math:`f(cz) = c f(z)` for :math:`c > 0`),
multiplying hidden unit :math:`j`'s incoming weights and bias by :math:`c_j > 0` and its
outgoing weights by :math:`1/c_j` leaves the network's function unchanged. The functions here
act on :class:`relukit.network.MLP`: :func:`rescale_units` applies the symmetry,
:func:`path_norm` measures a network in a way the symmetry cannot change, and :func:`balance`
returns the representative of a network's rescaling orbit with the smallest sum of squared
weights and biases.

Layer numbers follow :class:`~relukit.network.MLP`: hidden layer ``l`` (1 to ``depth - 1``)
has incoming weights ``W<l>`` (column ``j`` for unit ``j``), bias ``b<l>`` and outgoing
weights ``W<l+1>`` (row ``j``).
"""

from __future__ import annotations

import numpy as np

from relukit._validation import as_real_array, real_parameter
from relukit.network import MLP
from relukit.typing import ArrayLike

__all__ = ["HOMOGENEOUS", "balance", "path_norm", "rescale_units"]

#: The hidden-layer activations of :class:`~relukit.network.MLP` that are positively
#: homogeneous, :math:`f(cz) = c f(z)` for every :math:`c > 0`: ReLU, leaky ReLU (any slope)
#: and PReLU. ReLU6, ELU, SELU, GELU, SiLU, softplus, sigmoid and tanh are not.
HOMOGENEOUS: tuple[str, ...] = ("relu", "leaky_relu", "prelu")


def _check_net(net: MLP) -> None:
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a relukit.network.MLP; got {type(net).__name__}")


def _check_layer(net: MLP, layer: int) -> int:
    if isinstance(layer, (bool, np.bool_)) or not isinstance(layer, (int, np.integer)):
        raise TypeError(f"layer must be an integer; got {type(layer).__name__} {layer!r:.60}")
    hidden = net.depth - 1
    if not 1 <= layer <= hidden:
        if hidden == 0:
            raise ValueError("the network has no hidden layer, so no unit to rescale")
        raise ValueError(f"layer must be a hidden layer, 1 to {hidden}; got {layer}")
    name = net.activations[layer - 1]
    if name not in HOMOGENEOUS:
        raise ValueError(
            f"hidden layer {layer} uses {name!r}, which is not positively homogeneous "
            f"(f(cz) = c f(z) for c > 0), so rescaling would change the network's function; "
            f"the activations that are: {', '.join(HOMOGENEOUS)}"
        )
    return int(layer)


def _check_scales(scales: ArrayLike, width: int, dtype: np.dtype) -> np.ndarray:
    c64 = np.asarray(as_real_array(scales, "scales"), dtype=np.float64)
    if c64.ndim == 0:
        c64 = np.full(width, float(c64))
    if c64.shape != (width,):
        raise ValueError(f"scales must be one number or shape ({width},); got shape {c64.shape}")
    if not np.all(np.isfinite(c64)):
        raise ValueError("scales must be finite; got NaN or infinity")
    if not np.all(c64 > 0):
        raise ValueError(
            f"scales must be > 0 (f(cz) = c f(z) needs c > 0); got minimum {float(c64.min())}"
        )
    # Checked again in the network's dtype: 1e39 is finite in float64 but inf in float32, and
    # 1e-46 is positive in float64 but 0 in float32.
    with np.errstate(over="ignore", under="ignore"):
        c = c64.astype(dtype)
    if not np.all(np.isfinite(c)) or not np.all(c > 0):
        info = np.finfo(dtype)
        raise ValueError(
            f"scales must be finite and > 0 in the network's dtype {np.dtype(dtype).name} "
            f"(between {float(info.smallest_subnormal):g} and {float(info.max):g}); got "
            f"minimum {float(c64.min()):g} and maximum {float(c64.max()):g}"
        )
    return c


def rescale_units(net: MLP, layer: int, scales: ArrayLike) -> MLP:
    r"""A copy of ``net`` with hidden layer ``layer``'s units rescaled: the same function.

    Unit :math:`j`'s incoming weights and bias are multiplied by :math:`c_j`, its outgoing
    weights divided by it:

    .. math:: W_l[:, j] \to c_j W_l[:, j], \quad b_l[j] \to c_j b_l[j], \quad
       W_{l+1}[j, :] \to W_{l+1}[j, :] / c_j.

    Parameters
    ----------
    net : relukit.network.MLP
        The network; it is left unchanged.
    layer : int
        A hidden layer, 1 to ``net.depth - 1``, whose activation is positively homogeneous
        (one of :data:`HOMOGENEOUS`).
    scales : ArrayLike
        One factor :math:`c_j > 0` per unit of the layer (shape ``(net.sizes[layer],)``), or
        one number for all of them.

    Returns
    -------
    relukit.network.MLP
        A new network. In real arithmetic it computes the same function as ``net``. In
        floating point its outputs are bit for bit those of ``net`` when every :math:`c_j` is
        a power of two, both forward passes run the same sequence of floating-point
        operations (same order and grouping of sums, fused multiply-adds in the same places),
        and no operation, in the rescaled parameters or in either pass, overflows or has an
        exact nonzero result below the smallest normal number (which would round to a
        subnormal number or to 0); otherwise they are equal up to rounding.

    Raises
    ------
    TypeError
        If ``net`` is not an MLP, ``layer`` not an integer or ``scales`` not real numbers.
    ValueError
        If ``layer`` is not a hidden layer, its activation is not positively homogeneous,
        ``scales`` has the wrong shape or an entry that is not finite and > 0 (checked both as
        given and after conversion to the network's dtype, where ``1e39`` in float32 would
        become infinity), or a rescaled parameter overflows.

    Notes
    -----
    The symmetry is the one Neyshabur, Salakhutdinov and Srebro (2015, Path-SGD) call
    rescaling of a node. Multiplying by ``c`` and dividing by ``c`` are done in the
    network's dtype; PReLU's slopes are left as they are (PReLU is positively homogeneous
    for every slope).

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network import MLP
    >>> from relukit.symmetry import rescale_units
    >>> net = MLP([2, 3, 1], seed=0)
    >>> twin = rescale_units(net, 1, [4.0, 0.5, 2.0])
    >>> x = np.random.default_rng(1).normal(size=(5, 2))
    >>> same = net.predict(x).view(np.uint64) == twin.predict(x).view(np.uint64)
    >>> bool(same.all())  # powers of two: the same bits
    True
    >>> twin.params["W1"][:, 0] / net.params["W1"][:, 0]
    array([4., 4.])
    >>> rescale_units(net, 1, -1.0)
    Traceback (most recent call last):
      ...
    ValueError: scales must be > 0 (f(cz) = c f(z) needs c > 0); got minimum -1.0
    >>> small = MLP([2, 3, 1], seed=0, dtype="float32")  # 1e39: finite in float64, not here
    >>> rescale_units(small, 1, 1e39)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    ValueError: scales must be finite and > 0 in the network's dtype float32 ...
    """
    _check_net(net)
    layer = _check_layer(net, layer)
    c = _check_scales(scales, net.sizes[layer], np.dtype(net.dtype))
    result = net.copy()
    p = result.params
    with np.errstate(over="ignore"):
        p[f"W{layer}"] = p[f"W{layer}"] * c
        p[f"b{layer}"] = p[f"b{layer}"] * c
        p[f"W{layer + 1}"] = p[f"W{layer + 1}"] / c[:, None]
    if not all(np.all(np.isfinite(p[key])) for key in (f"W{layer}", f"b{layer}", f"W{layer + 1}")):
        raise ValueError(
            f"rescaling hidden layer {layer} by these scales overflows the network's dtype "
            f"{np.dtype(net.dtype).name}: a rescaled weight or bias is not finite"
        )
    return result


def path_norm(net: MLP, p: float = 2.0) -> float:
    r"""The :math:`\ell_p` path norm of a network, biases included as edges from a constant 1.

    .. math:: \phi_p(\theta) = \Bigl(\sum_{\text{paths } \pi} \prod_{e \in \pi}
       |w_e|^p\Bigr)^{1/p},

    the sum over every path that runs from an input, or from a bias, forward one layer at a
    time to an output; a bias :math:`b_l[j]` is the weight of an edge from a unit that
    always outputs 1 into unit :math:`j` of layer :math:`l`. Computed layer by layer:
    :math:`v_0 = \mathbf 1`, :math:`v_l = v_{l-1} |W_l|^p + |b_l|^p`,
    :math:`\phi_p = (\sum_k v_{L,k})^{1/p}`.

    Parameters
    ----------
    net : relukit.network.MLP
        The network. PReLU's slopes are not weights of edges and are not counted.
    p : float
        The exponent, :math:`p \ge 1` (finite).

    Returns
    -------
    float
        :math:`\phi_p`, computed in float64.

    Raises
    ------
    TypeError
        If ``net`` is not an MLP or ``p`` not a real number.
    ValueError
        If ``p`` is not finite or is below 1.

    Notes
    -----
    Neyshabur, Tomioka and Srebro (2015, COLT) define the path regulariser on a network
    given as a graph of weighted edges, and Neyshabur, Salakhutdinov and Srebro (2015,
    NeurIPS) optimise with respect to it (Path-SGD). Treating biases as edges from a
    constant unit is the convention of this function. Every path through a hidden unit uses
    exactly one of its incoming edges (a weight or its bias) and one of its outgoing edges,
    so :func:`rescale_units` leaves :math:`\phi_p` unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network import MLP
    >>> from relukit.symmetry import path_norm, rescale_units
    >>> net = MLP([1, 2, 1], seed=0)
    >>> net.params.update(W1=np.array([[1.0, 2.0]]), b1=np.array([0.0, 1.0]),
    ...                   W2=np.array([[3.0], [4.0]]), b2=np.array([5.0]))
    >>> path_norm(net, p=1)  # 1*3 + 2*4 + 1*4 (from b1) + 5 (b2)
    20.0
    >>> path_norm(net, p=2) ** 2  # 9 + 64 + 16 + 25
    114.0
    >>> path_norm(rescale_units(net, 1, [0.5, 8.0]), p=2) ** 2
    114.0
    """
    _check_net(net)
    exponent = real_parameter(p, "p")
    if exponent < 1:
        raise ValueError(f"p must be >= 1; got {exponent}")
    v = np.ones(net.sizes[0])
    for layer in range(1, net.depth + 1):
        w = np.abs(net.params[f"W{layer}"].astype(np.float64)) ** exponent
        b = np.abs(net.params[f"b{layer}"].astype(np.float64)) ** exponent
        v = v @ w + b
    return float(np.sum(v) ** (1.0 / exponent))


def balance(net: MLP, *, tol: float | None = None, max_sweeps: int = 10_000) -> MLP:
    r"""The rescaled copy of ``net`` with the smallest sum of squares, where one exists.

    Over all rescalings (one :math:`c_j > 0` per hidden unit) it minimises
    :math:`\sum_l \|W_l\|_F^2 + \|b_l\|^2`. When every hidden unit has a nonzero incoming
    weight or bias and a nonzero outgoing weight, the minimum exists and is unique, and at it
    every hidden unit is balanced:

    .. math:: \|W_l[:, j]\|^2 + b_l[j]^2 = \|W_{l+1}[j, :]\|^2.

    A unit whose incoming parameters or outgoing weights are all 0 has no such minimum (its
    share of the sum only tends to its infimum as :math:`c_j \to 0` or :math:`\infty`); it
    is left with :math:`c_j = 1`, unbalanced, and the other units are balanced given it.

    Parameters
    ----------
    net : relukit.network.MLP
        The network; left unchanged. Every hidden layer's activation must be positively
        homogeneous.
    tol : float or None
        Stop when every factor of a sweep is within ``tol`` of 1; by default 64 times the
        machine epsilon of the network's dtype.
    max_sweeps : int
        At most this many sweeps over the hidden layers.

    Returns
    -------
    relukit.network.MLP
        The rescaled network: the same function (up to rounding), every unit balanced except
        units with all-zero incoming parameters or all-zero outgoing weights.

    Raises
    ------
    TypeError
        If ``net`` is not an MLP.
    ValueError
        If an activation is not positively homogeneous, ``tol`` is not > 0, or the sweeps
        do not converge within ``max_sweeps``.

    Notes
    -----
    With :math:`u_j = \log c_j` the sum of squares is :math:`\sum_e w_e^2 e^{2(u_{head(e)} -
    u_{tail(e)})}` (with :math:`u = 0` at inputs, outputs and the constant bias unit), a
    convex function of :math:`u`, whose gradient in :math:`u_j` is twice unit :math:`j`'s
    incoming minus outgoing squared norm: a balanced network is a global minimum. It is
    strictly convex when every hidden unit has a nonzero incoming weight or bias (layer by
    layer, the exponents' coefficient vectors then span the space of :math:`u`), and it
    tends to infinity in every direction when every unit also has a nonzero outgoing weight:
    then the minimum exists, is unique, and the sweeps converge to it. Units of
    one layer do not interact, so each sweep balances one whole layer at a time with
    :math:`c_j = (\|\text{out}_j\|^2 / \|\text{in}_j\|^2)^{1/4}` (block coordinate descent).
    A unit whose incoming parameters or outgoing weights are all 0 is left as it is.
    For one hidden layer a single sweep is exact.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network import MLP
    >>> from relukit.symmetry import balance
    >>> net = MLP([1, 1, 1], seed=0)
    >>> net.params.update(W1=np.array([[3.0]]), b1=np.array([4.0]), W2=np.array([[20.0]]))
    >>> b = balance(net)  # |in| = 5, |out| = 20: c = 2
    >>> b.params["W1"], b.params["b1"], b.params["W2"]
    (array([[6.]]), array([8.]), array([[10.]]))
    """
    _check_net(net)
    default = 64 * float(np.finfo(net.dtype).eps)
    tolerance = default if tol is None else real_parameter(tol, "tol")
    if tolerance <= 0:
        raise ValueError(f"tol must be > 0; got {tolerance}")
    hidden = net.depth - 1
    for layer in range(1, hidden + 1):
        _check_layer(net, layer)
    result = net.copy()
    p = result.params
    for _ in range(max_sweeps):
        largest = 0.0
        for layer in range(1, hidden + 1):
            w_in, b, w_out = p[f"W{layer}"], p[f"b{layer}"], p[f"W{layer + 1}"]
            incoming = np.sum(w_in.astype(np.float64) ** 2, axis=0) + b.astype(np.float64) ** 2
            outgoing = np.sum(w_out.astype(np.float64) ** 2, axis=1)
            ok = (incoming > 0) & (outgoing > 0)
            c = np.ones_like(incoming)
            c[ok] = (outgoing[ok] / incoming[ok]) ** 0.25
            largest = max(largest, float(np.max(np.abs(c - 1))))
            cd = c.astype(result.dtype)
            p[f"W{layer}"] = w_in * cd
            p[f"b{layer}"] = b * cd
            p[f"W{layer + 1}"] = w_out / cd[:, None]
        if largest <= tolerance:
            return result
    raise ValueError(f"balancing did not converge to tol={tolerance} in {max_sweeps} sweeps")
