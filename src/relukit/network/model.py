r"""The tiny network's model: a multilayer perceptron, its forward and backward passes.

The activations a hidden layer can use are relukit's registered activations
(:data:`relukit.registry.REGISTRY`), with their derivatives, and PReLU, the network's own:
leaky ReLU with a slope learned per unit.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from relukit import activations as act
from relukit._validation import FLOAT_DTYPES, as_float_array, as_real_array, real_parameter
from relukit.registry import REGISTRY
from relukit.typing import ArrayLike

__all__ = ["ACTIVATIONS", "MLP", "PRELU_INITIAL_SLOPE", "DType", "Gradients", "Init", "Trace"]

#: How the weights are drawn, as He et al. (2015) or as Glorot and Bengio (2010).
Init = Literal["he", "xavier"]
#: A dtype as a name (``"float32"``), a numpy type (``np.float32``) or a ``np.dtype``.
DType = str | type[Any] | np.dtype[Any]

#: PReLU's initial slope, the value He et al. (2015) start from.
PRELU_INITIAL_SLOPE = 0.25


# Activations -------------------------------------------------------------------------------
#
# Each layer activation gives f(z, a) and f'(z, c, a), with ``c`` the run's kink position and
# ``a`` the layer's negative slope (leaky ReLU's constant or PReLU's learned per-unit slopes).
# The registered activations come from the registry; PReLU is the network's own.


def _prelu(z: np.ndarray, a: Any) -> np.ndarray:
    """PReLU with per-unit slopes ``a``: ``z`` for ``z > 0``, ``a * z`` otherwise."""
    return np.asarray(act.relu(z) + a * np.minimum(z, 0))


def _prelu_derivative(z: np.ndarray, c: float, a: Any) -> np.ndarray:
    """PReLU's derivative: 1, ``a + c (1 - a)`` at 0, or ``a``."""
    step = np.asarray(act.relu_derivative(z, at_zero=c))  # 1, c or 0
    return np.asarray(step + a * (1 - step))  # 1, a + c (1 - a) or a


_Forward = Callable[[np.ndarray, Any], np.ndarray]
_Derivative = Callable[[np.ndarray, float, Any], np.ndarray]
_LAYERS: dict[str, tuple[_Forward, _Derivative]] = {}
for _key, _entry in REGISTRY.items():
    _LAYERS[_key] = (_entry.network_forward, _entry.network_backward)
    if _key == "leaky_relu":  # PReLU beside its fixed-slope sibling
        _LAYERS["prelu"] = (_prelu, _prelu_derivative)

#: The names a hidden layer's activation can take, relukit's registered activations (keys of
#: :data:`relukit.registry.REGISTRY`, with ``"gelu_tanh"`` for GELU's tanh form), and
#: ``"prelu"`` for leaky ReLU with a learned slope per unit.
ACTIVATIONS: tuple[str, ...] = tuple(_LAYERS)


def _check_kink_position(kink_position: float, name: str = "kink_position") -> float:
    """Return the kink position as a float in [0, 1], or raise ValueError."""
    c = real_parameter(kink_position, name)
    if not 0.0 <= c <= 1.0:
        raise ValueError(f"{name} must be in [0, 1] (a point of the subdifferential); got {c}")
    return c


def _resolve_kink_position(kink_position: float | None, at_zero: float | None) -> float | None:
    """The kink position from the new keyword or, deprecated, the old one (not both)."""
    if at_zero is None:
        return kink_position
    warnings.warn(
        "the network's at_zero= is deprecated: use kink_position= (the same number, a point "
        "of the subdifferential; at_zero= keeps its meaning, a value, in the *_derivative "
        "functions)",
        DeprecationWarning,
        stacklevel=3,
    )
    if kink_position is not None:
        raise TypeError("give kink_position= or the deprecated at_zero=, not both")
    return _check_kink_position(at_zero, "at_zero")


def _check_dtype(dtype: DType) -> np.dtype:
    message = f"dtype must be float16, float32 or float64; got {dtype!r}"
    if dtype is None:  # np.dtype(None) would be float64
        raise ValueError(message)
    try:
        result = np.dtype(dtype)
    except TypeError:
        raise ValueError(message) from None
    if result not in FLOAT_DTYPES:
        raise ValueError(message)
    return result


def _check_batch(x: ArrayLike, width: int, dtype: np.dtype, name: str = "x") -> np.ndarray:
    arr = as_float_array(x, name)
    if arr.ndim != 2 or arr.shape[1] != width:
        raise ValueError(f"{name} must have shape (n, {width}); got shape {arr.shape}")
    return arr.astype(dtype, copy=False)


def _check_output_gradient(d_output: ArrayLike, output: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """The gradient of the loss in a network's output, checked against the output's shape and
    the network's dtype (ValueError)."""
    delta = as_real_array(d_output, "d_output")
    if delta.shape != output.shape:
        raise ValueError(f"d_output has shape {delta.shape}; the output has shape {output.shape}")
    if delta.dtype != dtype:
        raise ValueError(f"d_output has dtype {delta.dtype}; the network's is {dtype}")
    return delta


@dataclass(frozen=True)
class Trace:
    """What a forward pass computed, kept for the backward pass and for measurements.

    Attributes
    ----------
    inputs : numpy.ndarray
        The batch, in the network's dtype, shape ``(n, sizes[0])``.
    pre_activations : tuple of numpy.ndarray
        :math:`z_l` of each hidden layer, shape ``(n, sizes[l])``.
    activations : tuple of numpy.ndarray
        :math:`h_l = f_l(z_l)` of each hidden layer.
    output : numpy.ndarray
        :math:`z_L`, the last layer's output (logits or regression values).

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network import MLP
    >>> trace = MLP([2, 3, 1], seed=0).forward(np.ones((4, 2)))
    >>> trace.pre_activations[0].shape, trace.output.shape
    ((4, 3), (4, 1))
    """

    inputs: np.ndarray
    pre_activations: tuple[np.ndarray, ...]
    activations: tuple[np.ndarray, ...]
    output: np.ndarray


@dataclass(frozen=True)
class Gradients:
    """What a backward pass computed.

    Attributes
    ----------
    params : dict
        The gradient of the loss for each parameter, keyed like :attr:`MLP.params`.
    pre_activations : tuple of numpy.ndarray
        :math:`\\partial L / \\partial z_l` of each hidden layer, shape ``(n, sizes[l])``.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network import MLP
    >>> net = MLP([2, 3, 1], seed=0)
    >>> grads = net.backward(net.forward(np.ones((4, 2))), np.ones((4, 1)))
    >>> sorted(grads.params) == sorted(net.params)
    True
    """

    params: dict[str, np.ndarray]
    pre_activations: tuple[np.ndarray, ...]


class MLP:
    r"""A multilayer perceptron with a chosen activation, dtype and ReLU'(0) per run.

    Parameters
    ----------
    sizes : collections.abc.Sequence of int
        Widths ``(inputs, hidden_1, ..., hidden_k, outputs)``; at least two entries.
    activation : str or collections.abc.Sequence of str
        One name from :data:`~relukit.network.model.ACTIVATIONS` for every hidden layer, or one
        name per hidden layer.
    init : str
        ``"he"``: weights drawn from :math:`\mathcal N(0, 2/\text{fan\_in})` (He et al., 2015);
        ``"xavier"``: from :math:`U(-r, r)`, :math:`r = \sqrt{6/(\text{fan\_in} +
        \text{fan\_out})}` (Glorot and Bengio, 2010). The last layer is initialised the same way.
    bias : float
        The value every hidden layer's bias starts at. The last layer's bias starts at 0.
    dtype : str, type or numpy.dtype
        The dtype of every parameter and every tensor of both passes: float16, float32 or
        float64.
    kink_position : float or None
        The derivative used at a kink at 0, as a point of the subdifferential: 0 takes the
        left-hand derivative, 1 the right-hand one, and ``c`` the point ``c`` of the way from
        one to the other. For ReLU it is ReLU'(0) itself; for leaky ReLU and PReLU with slope
        ``a`` the value at 0 is ``a + kink_position * (1 - a)``; for SELU, :math:`\lambda\alpha
        + c (\lambda - \lambda\alpha)`. Smooth activations ignore it, and ReLU6 keeps 0 at its
        kink at 6. Default 0.
    seed : int
        Seed of the generator that draws the initial weights. Weights are drawn in float64 and
        rounded to ``dtype``, so the same seed gives the same network in every dtype up to
        that rounding.
    negative_slope : float
        Leaky ReLU's slope for negative input. PReLU's slopes start at 0.25.
    at_zero : float or None
        Deprecated: the old name of ``kink_position`` (it is a position, not a value; the
        ``*_derivative`` functions keep ``at_zero`` for a value). Gives a
        :class:`DeprecationWarning`.

    Attributes
    ----------
    params : dict
        Each parameter array by name: ``"W1"``, ``"b1"``, ..., ``"WL"``, ``"bL"`` (layer
        ``l`` maps width ``sizes[l-1]`` to ``sizes[l]``; ``W`` has shape ``(fan_in,
        fan_out)``), and ``"a<l>"`` with one slope per unit for each PReLU layer ``l``.
        Optimisers update these arrays in place.
    kink_position : float
        The point of the subdifferential used at kinks at 0, as passed or 0.

    Raises
    ------
    ValueError
        For an unknown activation, a wrong number of activations, sizes that are not positive
        integers, an unknown ``init``, an unsupported ``dtype``, or ``kink_position`` outside
        [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network import MLP
    >>> net = MLP([2, 3, 1], "relu", dtype="float32", seed=0)
    >>> sorted(net.params), net.params["W1"].dtype
    (['W1', 'W2', 'b1', 'b2'], dtype('float32'))
    >>> net.forward(np.zeros((4, 2))).output.shape
    (4, 1)
    >>> MLP([2, 3, 1], "rleu")
    Traceback (most recent call last):
      ...
    ValueError: unknown activation 'rleu'; choose from relu, leaky_relu, prelu, ...
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | Sequence[str] = "relu",
        *,
        init: Init = "he",
        bias: float = 0.0,
        dtype: DType = "float64",
        kink_position: float | None = None,
        seed: int = 0,
        negative_slope: float = 0.01,
        at_zero: float | None = None,
    ) -> None:
        self.sizes = tuple(sizes)
        if len(self.sizes) < 2 or not all(
            isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s > 0
            for s in self.sizes
        ):
            raise ValueError(f"sizes must be two or more positive integers; got {sizes!r}")
        self.sizes = tuple(int(s) for s in self.sizes)
        hidden = len(self.sizes) - 2
        names = [activation] * hidden if isinstance(activation, str) else list(activation)
        if len(names) != hidden:
            raise ValueError(f"{hidden} hidden layers need {hidden} activations; got {len(names)}")
        for name in names:
            if name not in _LAYERS:
                known = ", ".join(ACTIVATIONS)
                raise ValueError(f"unknown activation {name!r}; choose from {known}")
        if init not in ("he", "xavier"):
            raise ValueError(f"init must be 'he' or 'xavier'; got {init!r}")
        self.activations: tuple[str, ...] = tuple(names)
        self.dtype = _check_dtype(dtype)
        position = _resolve_kink_position(kink_position, at_zero)
        self.kink_position = 0.0 if position is None else _check_kink_position(position)
        self.negative_slope = real_parameter(negative_slope, "negative_slope")
        self.init = init
        self.seed = seed
        bias = real_parameter(bias, "bias")

        rng = np.random.default_rng(seed)
        self.params: dict[str, np.ndarray] = {}
        for layer, (fan_in, fan_out) in enumerate(
            zip(self.sizes, self.sizes[1:], strict=False), start=1
        ):
            if init == "he":
                w = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
            else:
                r = np.sqrt(6.0 / (fan_in + fan_out))
                w = rng.uniform(-r, r, size=(fan_in, fan_out))
            self.params[f"W{layer}"] = w.astype(self.dtype)
            b = bias if layer <= hidden else 0.0
            self.params[f"b{layer}"] = np.full(fan_out, b, dtype=self.dtype)
            if layer <= hidden and self.activations[layer - 1] == "prelu":
                self.params[f"a{layer}"] = np.full(fan_out, PRELU_INITIAL_SLOPE, self.dtype)

    @property
    def at_zero(self) -> float:
        """The old name of :attr:`kink_position`, deprecated.

        Returns
        -------
        float
            :attr:`kink_position`, with a :class:`DeprecationWarning`.

        Examples
        --------
        >>> import warnings
        >>> from relukit.network import MLP
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     MLP([2, 1], kink_position=0.5).at_zero
        0.5
        >>> caught[0].category.__name__
        'DeprecationWarning'
        """
        warnings.warn(
            "MLP.at_zero is deprecated: use MLP.kink_position",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.kink_position

    @property
    def depth(self) -> int:
        """The number of layers with weights (hidden layers plus the output layer).

        Returns
        -------
        int
            ``len(sizes) - 1``.

        Examples
        --------
        >>> from relukit.network import MLP
        >>> MLP([2, 8, 8, 1]).depth
        3
        """
        return len(self.sizes) - 1

    def copy(self) -> MLP:
        """An independent copy: same settings, parameters copied.

        Returns
        -------
        MLP
            The copy.

        Examples
        --------
        >>> from relukit.network import MLP
        >>> net = MLP([2, 1], seed=0)
        >>> twin = net.copy()
        >>> twin.params["W1"] += 1
        >>> bool((twin.params["W1"] == net.params["W1"]).any())
        False
        """
        return copy.deepcopy(self)

    def _slope(self, layer: int) -> Any:
        name = self.activations[layer - 1]
        if name == "prelu":
            return self.params[f"a{layer}"]
        return self.negative_slope

    def forward(self, x: ArrayLike) -> Trace:
        """Run a batch through the network and keep what the backward pass needs.

        Parameters
        ----------
        x : ArrayLike
            Shape ``(n, sizes[0])``; converted to the network's dtype.

        Returns
        -------
        Trace
            Every layer's pre-activations and activations, and the output.

        Raises
        ------
        TypeError
            If ``x`` is not real numbers.
        ValueError
            If ``x`` does not have shape ``(n, sizes[0])``.

        Examples
        --------
        >>> import numpy as np
        >>> from relukit.network import MLP
        >>> MLP([2, 3, 1], seed=0).forward(np.zeros((5, 2))).output.shape
        (5, 1)
        """
        h = _check_batch(x, self.sizes[0], self.dtype)
        inputs = h
        pre: list[np.ndarray] = []
        post: list[np.ndarray] = []
        for layer in range(1, self.depth):
            z = h @ self.params[f"W{layer}"] + self.params[f"b{layer}"]
            h = _LAYERS[self.activations[layer - 1]][0](z, self._slope(layer))
            pre.append(z)
            post.append(h)
        out = h @ self.params[f"W{self.depth}"] + self.params[f"b{self.depth}"]
        return Trace(inputs, tuple(pre), tuple(post), out)

    def predict(self, x: ArrayLike) -> np.ndarray:
        """The network's output for a batch.

        Parameters
        ----------
        x : ArrayLike
            Shape ``(n, sizes[0])``.

        Returns
        -------
        numpy.ndarray
            Shape ``(n, sizes[-1])``: logits or regression values.

        Examples
        --------
        >>> import numpy as np
        >>> from relukit.network import MLP
        >>> MLP([2, 3, 4], seed=0).predict(np.zeros((5, 2))).shape
        (5, 4)
        """
        return self.forward(x).output

    def backward(
        self,
        trace: Trace,
        d_output: ArrayLike,
        *,
        kink_position: float | None = None,
        at_zero: float | None = None,
    ) -> Gradients:
        r"""Backpropagate :math:`\partial L/\partial z_L` through the pass that ``trace`` recorded.

        Parameters
        ----------
        trace : Trace
            The forward pass of the batch, from :meth:`forward`.
        d_output : ArrayLike
            The gradient of the loss for the output, shape of ``trace.output`` (a loss
            function returns it).
        kink_position : float or None
            Use this point of the subdifferential at kinks at 0 instead of the network's own
            :attr:`kink_position` (to compare conventions on the same pass).
        at_zero : float or None
            Deprecated: the old name of ``kink_position``. Gives a :class:`DeprecationWarning`.

        Returns
        -------
        Gradients
            For every parameter, and for every hidden layer's pre-activations; all in the
            network's dtype.

        Notes
        -----
        For a hidden layer with input :math:`h_{l-1}` and :math:`\delta_l = \partial L /
        \partial z_l`: :math:`\partial L/\partial W_l = h_{l-1}^\top \delta_l`,
        :math:`\partial L/\partial b_l = \sum_i \delta_{l,i}`, and
        :math:`\delta_{l-1} = (\delta_l W_l^\top) \odot f_{l-1}'(z_{l-1})`. PReLU's slope
        gets :math:`\sum_i (\delta_l W_l^\top)_i \min(z_{l-1,i}, 0)`.

        Examples
        --------
        >>> import numpy as np
        >>> from relukit.network import MLP
        >>> net = MLP([2, 3, 1], "relu", seed=0)
        >>> trace = net.forward(np.zeros((4, 2)))  # every pre-activation exactly 0
        >>> left = net.backward(trace, np.ones((4, 1)), kink_position=0.0)
        >>> right = net.backward(trace, np.ones((4, 1)), kink_position=1.0)
        >>> float(np.abs(left.params["b1"]).sum()), float(np.abs(right.params["b1"]).sum()) > 0
        (0.0, True)
        """
        position = _resolve_kink_position(kink_position, at_zero)
        c = self.kink_position if position is None else _check_kink_position(position)
        delta = _check_output_gradient(d_output, trace.output, self.dtype)
        grads: dict[str, np.ndarray] = {}
        deltas: list[np.ndarray] = []
        for layer in range(self.depth, 0, -1):
            below = trace.activations[layer - 2] if layer > 1 else trace.inputs
            grads[f"W{layer}"] = below.T @ delta
            grads[f"b{layer}"] = delta.sum(axis=0)
            if layer == 1:
                break
            d_h = delta @ self.params[f"W{layer}"].T
            z = trace.pre_activations[layer - 2]
            name = self.activations[layer - 2]
            delta = d_h * _LAYERS[name][1](z, c, self._slope(layer - 1))
            if name == "prelu":
                grads[f"a{layer - 1}"] = (d_h * np.minimum(z, 0)).sum(axis=0)
            deltas.append(delta)
        ordered = {key: grads[key] for key in self.params}
        return Gradients(ordered, tuple(reversed(deltas)))

    def dead_units(self, x: ArrayLike) -> list[np.ndarray]:
        """Which hidden units are never active on the data ``x``.

        A unit is dead on ``x`` if its pre-activation is at most 0 for every example: a ReLU
        unit then outputs 0 for all of them and, with ReLU'(0) = 0, passes no gradient.

        Parameters
        ----------
        x : ArrayLike
            Shape ``(n, sizes[0])``.

        Returns
        -------
        list of numpy.ndarray
            One boolean mask per hidden layer.

        Examples
        --------
        >>> import numpy as np
        >>> from relukit.network import MLP
        >>> net = MLP([1, 2, 1], "relu", bias=-10.0, seed=0)
        >>> [mask.tolist() for mask in net.dead_units(np.linspace(-1, 1, 5)[:, None])]
        [[True, True]]
        """
        return [np.all(z <= 0, axis=0) for z in self.forward(x).pre_activations]

    def __repr__(self) -> str:
        return (
            f"MLP({list(self.sizes)}, {list(self.activations)}, init={self.init!r}, "
            f"dtype={self.dtype.name!r}, kink_position={self.kink_position}, seed={self.seed})"
        )
