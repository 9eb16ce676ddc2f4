r"""A residual ReLU network, with optional batch normalisation, and its backward pass.

A stem maps the input to the width :math:`w`, ``blocks`` blocks of two weight layers each
follow, and a linear head gives the output:

.. math:: h_0 = \operatorname{ReLU}(N_1(x W_1 + b_1)), \qquad h_k = B_k(h_{k-1}), \qquad
   \text{output} = h_K W_{2K+2} + b_{2K+2},

with :math:`N` a batch normalisation (:mod:`relukit.network.normalisation`) or the identity.
Block :math:`k` has weights :math:`W_a = W_{2k}`, :math:`W_b = W_{2k+1}` and, with ``s`` the
skip connection (:math:`h` with ``skip=True``, 0 without), one of two orders:

* ``"post"``, as in the original residual networks (He, Zhang, Ren and Sun, 2016): weight,
  normalisation, ReLU; the sum, then ReLU,

  .. math:: B_k(h) = \operatorname{ReLU}\bigl(s + N_{2k+1}(\operatorname{ReLU}(N_{2k}(h W_a
     + b_a)) W_b + b_b)\bigr);

* ``"pre"``, pre-activation (He, Zhang, Ren and Sun, 2016, "Identity mappings"):
  normalisation, ReLU, weight, and nothing after the sum,

  .. math:: B_k(h) = s + \operatorname{ReLU}(N_{2k+1}(\operatorname{ReLU}(N_{2k}(h)) W_a
     + b_a)) W_b + b_b .

Without skip connections and normalisation, ``"post"`` is a plain ReLU multilayer perceptron
with :math:`2K+1` hidden layers, and with the same seed it *is* :class:`~relukit.network.MLP`
of those sizes (same weights, same outputs, same gradients). The network has the attributes
and methods :func:`~relukit.network.train` uses (``sizes``, ``depth``, ``dtype``, ``params``,
``forward``, ``backward``), so it trains the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from relukit import activations as act
from relukit._validation import real_parameter
from relukit.network.model import (
    DType,
    Gradients,
    Trace,
    _check_batch,
    _check_dtype,
    _check_kink_position,
    _check_output_gradient,
)
from relukit.network.normalisation import (
    BN_EPS,
    BatchNormCache,
    batch_norm_backward,
    batch_norm_forward,
)
from relukit.typing import ArrayLike

__all__ = ["Order", "ResidualGradients", "ResidualMLP", "ResidualTrace"]

#: The order of a block's layers, ``"post"`` (weight, normalisation, ReLU, and a ReLU after
#: the sum) or ``"pre"`` (normalisation, ReLU, weight, and nothing after the sum).
Order = Literal["post", "pre"]


@dataclass(frozen=True)
class ResidualTrace(Trace):
    """What a forward pass of :class:`ResidualMLP` computed.

    Attributes
    ----------
    inputs, output : numpy.ndarray
        As in :class:`~relukit.network.Trace`.
    pre_activations : tuple of numpy.ndarray
        The input of every ReLU, in the order computed: the stem's, then two per block;
        ``2 * blocks + 1`` arrays of shape ``(n, width)``.
    activations : tuple of numpy.ndarray
        The output of every ReLU, in the same order.
    blocks : tuple of numpy.ndarray
        :math:`h_0` (the stem's output) and each block's output :math:`h_k`.
    caches : tuple
        Each normalisation's :class:`~relukit.network.normalisation.BatchNormCache` (or
        ``None`` without normalisation), in the order of the ReLUs.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network.residual import ResidualMLP
    >>> trace = ResidualMLP(2, 4, 3, 1, seed=0).forward(np.ones((5, 2)))
    >>> len(trace.pre_activations), len(trace.blocks)
    (7, 4)
    """

    blocks: tuple[np.ndarray, ...]
    caches: tuple[BatchNormCache | None, ...]


@dataclass(frozen=True)
class ResidualGradients(Gradients):
    r"""What a backward pass of :class:`ResidualMLP` computed.

    Attributes
    ----------
    params : dict
        The gradient for each parameter, keyed like :attr:`ResidualMLP.params`.
    pre_activations : tuple of numpy.ndarray
        :math:`\partial L / \partial z` for the input :math:`z` of every ReLU.
    inputs : numpy.ndarray
        :math:`\partial L / \partial x`, the gradient for the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network.residual import ResidualMLP
    >>> net = ResidualMLP(2, 4, 1, 1, seed=0)
    >>> grads = net.backward(net.forward(np.ones((3, 2))), np.ones((3, 1)))
    >>> grads.inputs.shape, sorted(grads.params) == sorted(net.params)
    ((3, 2), True)
    """

    inputs: np.ndarray


def _check_counts(**counts: int) -> None:
    """Raise ValueError unless every count is an integer, positive (``blocks``: >= 0)."""
    for name, value in counts.items():
        least = 0 if name == "blocks" else 1
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < least:
            kind = "a non-negative" if least == 0 else "a positive"
            raise ValueError(f"{name} must be {kind} integer; got {value!r}")


class ResidualMLP:
    r"""A ReLU network of residual blocks, with optional batch normalisation.

    Parameters
    ----------
    inputs, width : int
        The input width; the width of the stem and of every block.
    blocks : int
        The number of blocks :math:`K \ge 0`, each with two weight layers; with the stem
        and the head the network has :math:`2K + 2` weight layers.
    outputs : int
        The output width.
    skip : bool
        Add the block's input to its branch (a residual network); ``False`` gives a plain
        network of the same layers. Default True.
    norm : bool
        Batch-normalise before every ReLU, in training mode (the batch's statistics), with
        :math:`\gamma` starting at 1 and :math:`\beta` at 0. Default False.
    order : str
        ``"post"`` or ``"pre"``, see the module's description. Default ``"post"``.
    zero_init : bool
        Start each block's branch at 0: the last normalisation's :math:`\gamma` for
        ``"post"`` with ``norm`` (as Goyal et al., 2017), otherwise the branch's last weight
        matrix :math:`W_b` and bias :math:`b_b` (closest to SkipInit, De and Smith, 2020,
        whose scalar on each branch starts small; Fixup, Zhang, Dauphin and Ma, 2019, also
        zero-initialises the classification layer, rescales the other branch layers and adds
        scalar biases and multipliers, none of which relukit does). Default False.
    bias : float
        The value every hidden bias starts at; the head's starts at 0.
    dtype : str, type or numpy.dtype
        The dtype of every parameter and tensor: float16, float32 or float64.
    kink_position : float or None
        ReLU'(0) in the backward pass, in [0, 1]; default 0.
    eps : float
        The normalisations' :math:`\varepsilon`, default
        :data:`~relukit.network.normalisation.BN_EPS`.
    seed : int
        Seed of the generator that draws the weights, :math:`\mathcal N(0, 2/\text{fan-in})`
        (He et al., 2015), in the order ``W1``, ``W2``, ... as :class:`~relukit.network.MLP`
        draws them.

    Attributes
    ----------
    params : dict
        ``"W<l>"`` (shape ``(fan_in, fan_out)``) and ``"b<l>"`` for the weight layers
        :math:`l = 1, \dots, 2K+2`; with ``norm``, ``"gamma<r>"`` and ``"beta<r>"`` for the
        normalisation before ReLU :math:`r = 1, \dots, 2K+1`. Optimisers update them in place.
    sizes : tuple of int
        ``(inputs, width, ..., width, outputs)`` with one ``width`` per ReLU, as an
        :class:`~relukit.network.MLP` of the same depth would have.
    depth : int
        The number of weight layers, :math:`2K + 2`.

    Raises
    ------
    ValueError
        For widths that are not positive integers, a negative number of blocks, an unknown
        order, an unsupported dtype, ``kink_position`` outside [0, 1] or a negative ``eps``.

    Notes
    -----
    The normalisation has no inference mode: every pass uses the batch's own statistics, so
    a network with ``norm=True`` needs batches of at least two examples.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network import MLP
    >>> from relukit.network.residual import ResidualMLP
    >>> x = np.random.default_rng(0).standard_normal((8, 3))
    >>> plain = ResidualMLP(3, 5, 2, 1, skip=False, seed=1)
    >>> bool(np.allclose(plain.predict(x), MLP([3, 5, 5, 5, 5, 5, 1], seed=1).predict(x)))
    True
    >>> branchless = ResidualMLP(3, 5, 2, 1, order="pre", zero_init=True, seed=1)
    >>> trace = branchless.forward(x)  # every branch starts at 0: each block is the identity
    >>> bool(np.array_equal(trace.blocks[0], trace.blocks[-1]))
    True
    """

    def __init__(
        self,
        inputs: int,
        width: int,
        blocks: int,
        outputs: int,
        *,
        skip: bool = True,
        norm: bool = False,
        order: Order = "post",
        zero_init: bool = False,
        bias: float = 0.0,
        dtype: DType = "float64",
        kink_position: float | None = None,
        eps: float = BN_EPS,
        seed: int = 0,
    ) -> None:
        _check_counts(inputs=inputs, width=width, blocks=blocks, outputs=outputs)
        if order not in ("post", "pre"):
            raise ValueError(f"order must be 'post' or 'pre'; got {order!r}")
        self.blocks, self.width = int(blocks), int(width)
        self.skip, self.norm, self.order, self.zero_init = bool(skip), bool(norm), order, zero_init
        self.dtype = _check_dtype(dtype)
        self.kink_position = 0.0 if kink_position is None else _check_kink_position(kink_position)
        self.eps = real_parameter(eps, "eps")
        if self.eps < 0:
            raise ValueError(f"eps must be >= 0; got {self.eps}")
        self.seed = seed
        start = real_parameter(bias, "bias")
        self.sizes = (int(inputs),) + (self.width,) * (2 * self.blocks + 1) + (int(outputs),)
        self.depth = 2 * self.blocks + 2

        self.params: dict[str, np.ndarray] = {}
        self._initialise(start)

    def _initialise(self, bias: float) -> None:
        """Draw the weights as :class:`~relukit.network.MLP` does; then normalisations, zeros."""
        rng = np.random.default_rng(self.seed)
        for layer, (fan_in, fan_out) in enumerate(
            zip(self.sizes, self.sizes[1:], strict=False), start=1
        ):
            w = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
            self.params[f"W{layer}"] = w.astype(self.dtype)
            b = bias if layer < self.depth else 0.0
            self.params[f"b{layer}"] = np.full(fan_out, b, dtype=self.dtype)
        if self.norm:
            for r in range(1, self.depth):
                self.params[f"gamma{r}"] = np.ones(self.width, dtype=self.dtype)
                self.params[f"beta{r}"] = np.zeros(self.width, dtype=self.dtype)
        if self.zero_init:
            for k in range(1, self.blocks + 1):
                if self.norm and self.order == "post":
                    self.params[f"gamma{2 * k + 1}"][:] = 0
                else:
                    self.params[f"W{2 * k + 1}"][:] = 0
                    self.params[f"b{2 * k + 1}"][:] = 0

    # The pieces ------------------------------------------------------------------------

    def _normalise(self, r: int, z: np.ndarray) -> tuple[np.ndarray, BatchNormCache | None]:
        """Normalisation ``r`` of ``z`` (or ``z`` itself), with its cache."""
        if not self.norm:
            return z, None
        cache = batch_norm_forward(
            z, self.params[f"gamma{r}"], self.params[f"beta{r}"], eps=self.eps
        )
        return cache.output, cache

    def _linear(self, layer: int, h: np.ndarray) -> np.ndarray:
        """Weight layer ``layer`` applied to ``h``."""
        return np.asarray(h @ self.params[f"W{layer}"] + self.params[f"b{layer}"])

    def forward(self, x: ArrayLike) -> ResidualTrace:
        """Run a batch through the network and keep what the backward pass needs.

        Parameters
        ----------
        x : ArrayLike
            Shape ``(n, inputs)``; ``n >= 2`` with normalisation.

        Returns
        -------
        ResidualTrace
            Every ReLU's input and output, every block's output, the output.

        Raises
        ------
        ValueError
            For a batch of the wrong shape (or of one example, with normalisation).
        TypeError
            For a batch that is not real numbers.

        Examples
        --------
        >>> import numpy as np
        >>> from relukit.network.residual import ResidualMLP
        >>> ResidualMLP(2, 3, 1, 4, norm=True, seed=0).forward(np.ones((5, 2))).output.shape
        (5, 4)
        """
        inputs = _check_batch(x, self.sizes[0], self.dtype)
        if self.norm and inputs.shape[0] < 2:
            raise ValueError("a network with batch normalisation needs batches of n >= 2")
        pre: list[np.ndarray] = []
        post: list[np.ndarray] = []
        caches: list[BatchNormCache | None] = []

        def _rectify(r: int, z: np.ndarray) -> np.ndarray:
            z, cache = self._normalise(r, z)
            caches.append(cache)
            pre.append(z)
            post.append(np.asarray(act.relu(z)))
            return post[-1]

        h = _rectify(1, self._linear(1, inputs))
        outs = [h]
        for k in range(1, self.blocks + 1):
            a, b = 2 * k, 2 * k + 1
            if self.order == "post":
                branch = self._linear(b, _rectify(a, self._linear(a, h)))
                branch, cache = self._normalise(b, branch)
                caches.append(cache)
                total = h + branch if self.skip else branch
                pre.append(total)
                post.append(np.asarray(act.relu(total)))
                h = post[-1]
            else:
                branch = self._linear(b, _rectify(b, self._linear(a, _rectify(a, h))))
                h = h + branch if self.skip else branch
            outs.append(h)
        output = self._linear(self.depth, h)
        return ResidualTrace(inputs, tuple(pre), tuple(post), output, tuple(outs), tuple(caches))

    def predict(self, x: ArrayLike) -> np.ndarray:
        """The network's output for a batch.

        Parameters
        ----------
        x : ArrayLike
            Shape ``(n, inputs)``.

        Returns
        -------
        numpy.ndarray
            Shape ``(n, outputs)``.

        Examples
        --------
        >>> import numpy as np
        >>> from relukit.network.residual import ResidualMLP
        >>> ResidualMLP(2, 3, 2, 4, seed=0).predict(np.zeros((5, 2))).shape
        (5, 4)
        """
        return self.forward(x).output

    def backward(
        self, trace: ResidualTrace, d_output: ArrayLike, *, kink_position: float | None = None
    ) -> ResidualGradients:
        r"""Backpropagate :math:`\partial L / \partial\,\text{output}` through ``trace``'s pass.

        Parameters
        ----------
        trace : ResidualTrace
            The forward pass, from :meth:`forward`.
        d_output : ArrayLike
            The gradient of the loss for the output, the output's shape and the network's
            dtype.
        kink_position : float or None
            ReLU'(0) for this pass instead of the network's own.

        Returns
        -------
        ResidualGradients
            For every parameter, every ReLU's input, and the batch.

        Raises
        ------
        ValueError
            For ``d_output`` of the wrong shape or dtype, or ``kink_position`` outside [0, 1].

        Notes
        -----
        A skip connection adds the gradient that reaches a block's output to the one that
        comes back through its branch: :math:`\partial L/\partial h_{k-1} = \partial
        L/\partial h_k + (\text{branch})`, for ``"pre"``; for ``"post"`` the same holds for
        the gradient of the sum, after the ReLU's derivative. Every ReLU uses ReLU'(0) =
        ``kink_position``; the normalisations use
        :func:`~relukit.network.normalisation.batch_norm_backward`.

        Examples
        --------
        >>> import numpy as np
        >>> from relukit.network.residual import ResidualMLP
        >>> net = ResidualMLP(2, 3, 2, 1, order="pre", zero_init=True, seed=0)
        >>> trace = net.forward(np.ones((4, 2)))
        >>> grads = net.backward(trace, np.ones((4, 1)))
        >>> float(np.abs(grads.params["W2"]).max())  # behind a zero W3, no gradient
        0.0
        """
        c = self.kink_position if kink_position is None else _check_kink_position(kink_position)
        delta = _check_output_gradient(d_output, trace.output, self.dtype)
        grads: dict[str, np.ndarray] = {}
        deltas: dict[int, np.ndarray] = {}

        def _through_relu(r: int, d_h: np.ndarray) -> np.ndarray:
            # from the gradient of ReLU r's output to that of its normalisation's input
            d_z = d_h * np.asarray(act.relu_derivative(trace.pre_activations[r - 1], c))
            deltas[r] = d_z
            return _through_norm(r, d_z)

        def _through_norm(r: int, d_y: np.ndarray) -> np.ndarray:
            cache = trace.caches[r - 1]
            if cache is None:
                return d_y
            d_z, grads[f"gamma{r}"], grads[f"beta{r}"] = batch_norm_backward(d_y, cache)
            return d_z

        def _through_linear(layer: int, below: np.ndarray, d_u: np.ndarray) -> np.ndarray:
            grads[f"W{layer}"] = below.T @ d_u
            grads[f"b{layer}"] = d_u.sum(axis=0)
            return np.asarray(d_u @ self.params[f"W{layer}"].T)

        d_h = _through_linear(self.depth, trace.blocks[-1], delta)
        for k in range(self.blocks, 0, -1):
            a, b = 2 * k, 2 * k + 1
            h = trace.blocks[k - 1]
            if self.order == "post":
                d_sum = d_h * np.asarray(act.relu_derivative(trace.pre_activations[b - 1], c))
                deltas[b] = d_sum
                d_branch = _through_norm(b, d_sum)
                d_a = _through_linear(b, trace.activations[a - 1], d_branch)
                d_below = _through_linear(a, h, _through_relu(a, d_a))
                d_h = d_below + d_sum if self.skip else d_below
            else:
                d_a2 = _through_linear(b, trace.activations[b - 1], d_h)
                d_a1 = _through_linear(a, trace.activations[a - 1], _through_relu(b, d_a2))
                d_below = _through_relu(a, d_a1)
                d_h = d_below + d_h if self.skip else d_below
        d_x = _through_linear(1, trace.inputs, _through_relu(1, d_h))
        ordered = {key: grads[key] for key in self.params}
        return ResidualGradients(ordered, tuple(deltas[r] for r in range(1, self.depth)), d_x)

    def dead_units(self, x: ArrayLike) -> list[np.ndarray]:
        """Which units are never active on the data ``x`` (the whole of it is one batch).

        Parameters
        ----------
        x : ArrayLike
            Shape ``(n, inputs)``.

        Returns
        -------
        list of numpy.ndarray
            For every ReLU, a boolean mask of its units whose input is at most 0 for every
            example.

        Examples
        --------
        >>> import numpy as np
        >>> from relukit.network.residual import ResidualMLP
        >>> net = ResidualMLP(1, 2, 0, 1, skip=False, bias=-10.0, seed=0)
        >>> [mask.tolist() for mask in net.dead_units(np.linspace(-1, 1, 5)[:, None])]
        [[True, True]]
        """
        return [np.all(z <= 0, axis=0) for z in self.forward(x).pre_activations]

    def __repr__(self) -> str:
        return (
            f"ResidualMLP({self.sizes[0]}, {self.width}, {self.blocks}, {self.sizes[-1]}, "
            f"skip={self.skip}, norm={self.norm}, order={self.order!r}, "
            f"zero_init={self.zero_init}, dtype={self.dtype.name!r}, seed={self.seed})"
        )
