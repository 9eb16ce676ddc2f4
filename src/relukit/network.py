r"""The tiny network: a multilayer perceptron in numpy, with backpropagation written out.

A network maps a batch ``x`` of shape ``(n, sizes[0])`` through hidden layers

.. math:: z_l = h_{l-1} W_l + b_l, \qquad h_l = f_l(z_l), \qquad h_0 = x,

and a last, linear layer :math:`z_L = h_{L-1} W_L + b_L` (logits for classification, values
for regression). Each hidden layer's activation :math:`f_l` is one of relukit's functions and
its derivative in the backward pass is relukit's ``*_derivative`` function, so the value used
for ReLU'(0) is the ``at_zero`` of :func:`relukit.relu_derivative`, chosen per run.

Every tensor of the forward and backward passes, and every parameter and optimiser state, has
the network's dtype (float16, float32 or float64). relukit evaluates float16 transcendental
functions in float32 and rounds back; numpy's float16 matrix product accumulates in float32
and rounds each result once; neither stores a wider tensor.

A run is reproducible bit for bit: the initial weights come from ``seed``, the order of the
mini-batches from :func:`train`'s own ``seed``, and nothing else is random.

Examples
--------
>>> import numpy as np
>>> from relukit.datasets import two_spirals
>>> from relukit.network import MLP, Adam, train
>>> x, y = two_spirals(200, seed=0)
>>> net = MLP([2, 32, 32, 2], "relu", seed=0)
>>> history = train(net, x, y, optimizer=Adam(0.01), epochs=100, batch_size=50)
>>> float(history.train_accuracy[0]), float(history.train_accuracy[-1])
(0.5, 1.0)
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

from relukit import activations as act
from relukit._validation import FLOAT_DTYPES, as_float_array, as_real_array, real_parameter

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "SGD",
    "Adam",
    "Gradients",
    "History",
    "Optimizer",
    "StepRecord",
    "Trace",
    "accuracy",
    "gradient_norms",
    "mean_squared_error",
    "softmax_cross_entropy",
    "train",
    "zero_fraction",
]

Init = Literal["he", "xavier"]
#: A dtype as a name (``"float32"``), a numpy type (``np.float32``) or a ``np.dtype``.
DType = str | type[Any] | np.dtype[Any]
LossName = Literal["cross_entropy", "mse"]

#: PReLU's initial slope, the value He et al. (2015) start from.
PRELU_INITIAL_SLOPE = 0.25


# Activations -------------------------------------------------------------------------------
#
# Each entry gives f(z) and f'(z) for a hidden layer. ``c`` is the run's ``at_zero``, ``a``
# the layer's negative slope (leaky ReLU's constant or PReLU's learned per-unit slopes).
# At a kink at 0 the derivative is taken at the point ``c`` of the way from the left-hand
# derivative to the right-hand one: for ReLU that is ReLU'(0) = c itself.


def _relu_d(z: np.ndarray, c: float, a: Any) -> np.ndarray:
    return np.asarray(act.relu_derivative(z, at_zero=c))


def _leaky_d(z: np.ndarray, c: float, a: Any) -> np.ndarray:
    return np.asarray(act.leaky_relu_derivative(z, a, at_zero=a + c * (1 - a)))


def _prelu(z: np.ndarray, a: Any) -> np.ndarray:
    return np.asarray(act.relu(z) + a * np.minimum(z, 0))


def _prelu_d(z: np.ndarray, c: float, a: Any) -> np.ndarray:
    step = np.asarray(act.relu_derivative(z, at_zero=c))  # 1, c or 0
    return np.asarray(step + a * (1 - step))  # 1, a + c (1 - a) or a


def _relu6_d(z: np.ndarray, c: float, a: Any) -> np.ndarray:
    d = np.asarray(act.relu6_derivative(z))  # relukit's convention: 0 at the kink at 6
    np.copyto(d, c, where=z == 0)
    return d


def _smooth(derivative: Callable[[np.ndarray], Any]) -> Callable[[np.ndarray, float, Any], Any]:
    return lambda z, c, a: np.asarray(derivative(z))


_FORWARD: dict[str, Callable[[np.ndarray, Any], Any]] = {
    "relu": lambda z, a: act.relu(z),
    "leaky_relu": lambda z, a: act.leaky_relu(z, a),
    "prelu": _prelu,
    "relu6": lambda z, a: act.relu6(z),
    "elu": lambda z, a: act.elu(z),
    "gelu": lambda z, a: act.gelu(z),
    "gelu_tanh": lambda z, a: act.gelu(z, approximate="tanh"),
    "silu": lambda z, a: act.silu(z),
    "softplus": lambda z, a: act.softplus(z),
    "sigmoid": lambda z, a: act.sigmoid(z),
    "tanh": lambda z, a: act.tanh(z),
}
_DERIVATIVE: dict[str, Callable[[np.ndarray, float, Any], Any]] = {
    "relu": _relu_d,
    "leaky_relu": _leaky_d,
    "prelu": _prelu_d,
    "relu6": _relu6_d,
    "elu": _smooth(act.elu_derivative),
    "gelu": _smooth(act.gelu_derivative),
    "gelu_tanh": _smooth(lambda z: act.gelu_derivative(z, approximate="tanh")),
    "silu": _smooth(act.silu_derivative),
    "softplus": _smooth(act.softplus_derivative),
    "sigmoid": _smooth(act.sigmoid_derivative),
    "tanh": _smooth(act.tanh_derivative),
}

#: The names a hidden layer's activation can take. They are relukit's functions, with
#: ``"gelu_tanh"`` for GELU's tanh form and ``"prelu"`` for leaky ReLU with a learned slope
#: per unit.
ACTIVATIONS: tuple[str, ...] = tuple(_FORWARD)


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


def _check_batch(x: npt.ArrayLike, width: int, dtype: np.dtype, name: str = "x") -> np.ndarray:
    arr = as_float_array(x, name)
    if arr.ndim != 2 or arr.shape[1] != width:
        raise ValueError(f"{name} must have shape (n, {width}); got shape {arr.shape}")
    return arr.astype(dtype, copy=False)


# The network ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trace:
    """What a forward pass computed, kept for the backward pass and for measurements.

    Attributes
    ----------
    inputs
        The batch, in the network's dtype, shape ``(n, sizes[0])``.
    pre_activations
        :math:`z_l` of each hidden layer, shape ``(n, sizes[l])``.
    activations
        :math:`h_l = f_l(z_l)` of each hidden layer.
    output
        :math:`z_L`, the last layer's output (logits or regression values).
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
    params
        The gradient of the loss for each parameter, keyed like :attr:`MLP.params`.
    pre_activations
        :math:`\\partial L / \\partial z_l` of each hidden layer, shape ``(n, sizes[l])``.
    """

    params: dict[str, np.ndarray]
    pre_activations: tuple[np.ndarray, ...]


class MLP:
    r"""A multilayer perceptron with a chosen activation, dtype and ReLU'(0) per run.

    Parameters
    ----------
    sizes
        Widths ``(inputs, hidden_1, ..., hidden_k, outputs)``; at least two entries.
    activation
        One name from :data:`ACTIVATIONS` for every hidden layer, or one name per hidden layer.
    init
        ``"he"``: weights drawn from :math:`\mathcal N(0, 2/\text{fan\_in})` (He et al., 2015);
        ``"xavier"``: from :math:`U(-r, r)`, :math:`r = \sqrt{6/(\text{fan\_in} +
        \text{fan\_out})}` (Glorot and Bengio, 2010). The last layer is initialised the same way.
    bias
        The value every hidden layer's bias starts at. The last layer's bias starts at 0.
    dtype
        float16, float32 or float64, for every parameter and every tensor of both passes.
    at_zero
        The derivative used at a kink at 0, as a point of the subdifferential: 0 takes the
        left-hand derivative, 1 the right-hand one. For ReLU it is ReLU'(0) itself (passed to
        :func:`relukit.relu_derivative`); for leaky ReLU and PReLU with slope ``a`` the value
        at 0 is ``a + at_zero * (1 - a)``. Smooth activations ignore it.
    seed
        Seed of the generator that draws the initial weights. Weights are drawn in float64 and
        rounded to ``dtype``, so the same seed gives the same network in every dtype up to
        that rounding.
    negative_slope
        Leaky ReLU's slope for negative input. PReLU's slopes start at 0.25.

    Attributes
    ----------
    params : dict[str, numpy.ndarray]
        ``"W1"``, ``"b1"``, ..., ``"WL"``, ``"bL"`` (layer ``l`` maps width ``sizes[l-1]`` to
        ``sizes[l]``; ``W`` has shape ``(fan_in, fan_out)``), and ``"a<l>"`` with one slope
        per unit for each PReLU layer ``l``. Optimisers update these arrays in place.

    Raises
    ------
    ValueError
        For an unknown activation, a wrong number of activations, sizes that are not positive
        integers, an unknown ``init``, an unsupported ``dtype``, or ``at_zero`` outside [0, 1].

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
        at_zero: float = 0.0,
        seed: int = 0,
        negative_slope: float = 0.01,
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
            if name not in _FORWARD:
                known = ", ".join(ACTIVATIONS)
                raise ValueError(f"unknown activation {name!r}; choose from {known}")
        if init not in ("he", "xavier"):
            raise ValueError(f"init must be 'he' or 'xavier'; got {init!r}")
        self.activations: tuple[str, ...] = tuple(names)
        self.dtype = _check_dtype(dtype)
        self.at_zero = _check_at_zero(at_zero)
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
    def depth(self) -> int:
        """The number of layers with weights (hidden layers plus the output layer)."""
        return len(self.sizes) - 1

    def copy(self) -> MLP:
        """An independent copy: same settings, parameters copied."""
        return copy.deepcopy(self)

    def _slope(self, layer: int) -> Any:
        name = self.activations[layer - 1]
        if name == "prelu":
            return self.params[f"a{layer}"]
        return self.negative_slope

    def forward(self, x: npt.ArrayLike) -> Trace:
        """Run a batch through the network and keep what the backward pass needs.

        Parameters
        ----------
        x
            Shape ``(n, sizes[0])``; converted to the network's dtype.

        Returns
        -------
        Trace

        Raises
        ------
        TypeError
            If ``x`` is not real numbers.
        ValueError
            If ``x`` does not have shape ``(n, sizes[0])``.
        """
        h = _check_batch(x, self.sizes[0], self.dtype)
        inputs = h
        pre: list[np.ndarray] = []
        post: list[np.ndarray] = []
        for layer in range(1, self.depth):
            z = h @ self.params[f"W{layer}"] + self.params[f"b{layer}"]
            h = np.asarray(_FORWARD[self.activations[layer - 1]](z, self._slope(layer)))
            pre.append(z)
            post.append(h)
        out = h @ self.params[f"W{self.depth}"] + self.params[f"b{self.depth}"]
        return Trace(inputs, tuple(pre), tuple(post), out)

    def predict(self, x: npt.ArrayLike) -> np.ndarray:
        """The network's output for a batch ``x`` of shape ``(n, sizes[0])``."""
        return self.forward(x).output

    def backward(
        self, trace: Trace, d_output: npt.ArrayLike, *, at_zero: float | None = None
    ) -> Gradients:
        r"""Backpropagate :math:`\partial L/\partial z_L` through the pass that ``trace`` recorded.

        Parameters
        ----------
        trace
            The forward pass of the batch, from :meth:`forward`.
        d_output
            The gradient of the loss for the output, shape of ``trace.output`` (a loss
            function returns it).
        at_zero
            Use this value at the kinks instead of the network's own ``at_zero`` (to compare
            conventions on the same pass).

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
        """
        c = self.at_zero if at_zero is None else _check_at_zero(at_zero)
        delta = as_real_array(d_output, "d_output")
        if delta.shape != trace.output.shape:
            raise ValueError(
                f"d_output has shape {delta.shape}; the output has shape {trace.output.shape}"
            )
        if delta.dtype != self.dtype:
            raise ValueError(f"d_output has dtype {delta.dtype}; the network's is {self.dtype}")
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
            delta = d_h * _DERIVATIVE[name](z, c, self._slope(layer - 1))
            if name == "prelu":
                grads[f"a{layer - 1}"] = (d_h * np.minimum(z, 0)).sum(axis=0)
            deltas.append(delta)
        ordered = {key: grads[key] for key in self.params}
        return Gradients(ordered, tuple(reversed(deltas)))

    def dead_units(self, x: npt.ArrayLike) -> list[np.ndarray]:
        """Which hidden units are never active on the data ``x``.

        A unit is dead on ``x`` if its pre-activation is at most 0 for every example: a ReLU
        unit then outputs 0 for all of them and, with ReLU'(0) = 0, passes no gradient.

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
            f"dtype={self.dtype.name!r}, at_zero={self.at_zero}, seed={self.seed})"
        )


def _check_at_zero(at_zero: float) -> float:
    c = real_parameter(at_zero, "at_zero")
    if not 0.0 <= c <= 1.0:
        raise ValueError(f"at_zero must be in [0, 1] (a point of the subdifferential); got {c}")
    return c


# Losses ------------------------------------------------------------------------------------


def softmax_cross_entropy(logits: np.ndarray, labels: npt.ArrayLike) -> tuple[float, np.ndarray]:
    r"""Mean softmax cross-entropy of a batch, and its gradient for the logits.

    .. math:: L = -\frac1n \sum_i \log \frac{e^{z_{i,y_i}}}{\sum_k e^{z_{i,k}}},
       \qquad \frac{\partial L}{\partial z_{i,k}} = \frac{\operatorname{softmax}(z_i)_k -
       [k = y_i]}{n}

    Parameters
    ----------
    logits
        Shape ``(n, classes)``, float16, float32 or float64.
    labels
        Integer class labels in ``[0, classes)``, shape ``(n,)``.

    Returns
    -------
    loss : float
        The mean loss (computed in the logits' dtype).
    gradient : numpy.ndarray
        Same shape and dtype as ``logits``.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network import softmax_cross_entropy
    >>> loss, grad = softmax_cross_entropy(np.zeros((2, 4)), [0, 3])
    >>> round(loss, 6) == round(float(np.log(4)), 6)
    True
    >>> grad[0]
    array([-0.375,  0.125,  0.125,  0.125])
    """
    z = as_float_array(logits, "logits")
    if z.ndim != 2:
        raise ValueError(f"logits must have shape (n, classes); got shape {z.shape}")
    y = _check_labels(labels, z.shape[0], z.shape[1])
    shifted = z - z.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    rows = np.arange(z.shape[0])
    loss = -float(np.mean(shifted[rows, y] - np.log(total[:, 0])))
    grad = exp / total
    grad[rows, y] -= 1
    grad /= z.shape[0]
    return loss, grad


def _check_labels(labels: npt.ArrayLike, n: int, classes: int) -> np.ndarray:
    y = as_real_array(labels, "labels")
    if y.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers; got dtype {y.dtype}")
    if y.shape != (n,):
        raise ValueError(f"labels must have shape ({n},); got shape {y.shape}")
    if y.size and (y.min() < 0 or y.max() >= classes):
        raise ValueError(
            f"labels must be in [0, {classes}); got values from {y.min()} to {y.max()}"
        )
    return y


def mean_squared_error(prediction: np.ndarray, target: npt.ArrayLike) -> tuple[float, np.ndarray]:
    r"""Mean squared error of a batch, and its gradient for the prediction.

    .. math:: L = \frac1m \sum_j (p_j - t_j)^2, \qquad
       \frac{\partial L}{\partial p_j} = \frac{2 (p_j - t_j)}{m},

    with ``m`` the number of entries.

    Parameters
    ----------
    prediction
        Shape ``(n, outputs)``.
    target
        The same shape, or ``(n,)`` when there is one output; converted to the prediction's
        dtype.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network import mean_squared_error
    >>> mean_squared_error(np.array([[1.0], [3.0]]), [0.0, 1.0])
    (2.5, array([[1.],
           [2.]]))
    """
    p = as_float_array(prediction, "prediction")
    t = as_float_array(target, "target").astype(p.dtype, copy=False)
    if t.ndim == 1 and p.ndim == 2 and p.shape[1] == 1:
        t = t[:, None]
    if t.shape != p.shape:
        raise ValueError(f"target has shape {t.shape}; the prediction has shape {p.shape}")
    diff = p - t
    return float(np.mean(diff * diff)), diff * 2 / diff.size


_LOSSES: dict[str, Callable[[np.ndarray, Any], tuple[float, np.ndarray]]] = {
    "cross_entropy": softmax_cross_entropy,
    "mse": mean_squared_error,
}


# Optimisers --------------------------------------------------------------------------------


class Optimizer(Protocol):
    """Anything with a ``step(params, grads)`` that updates ``params`` in place."""

    def step(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Update every array of ``params`` in place from ``grads`` (same keys)."""


class SGD:
    r"""Mini-batch stochastic gradient descent, with optional momentum.

    .. math:: v \leftarrow \mu v + g, \qquad \theta \leftarrow \theta - \eta v

    (PyTorch's form of momentum; :math:`\mu = 0` is plain SGD). The velocity has the
    parameters' dtype.

    Parameters
    ----------
    lr
        The learning rate :math:`\eta > 0`.
    momentum
        :math:`\mu \in [0, 1)`.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network import SGD
    >>> params = {"w": np.array([1.0])}
    >>> SGD(0.1).step(params, {"w": np.array([2.0])})
    >>> params["w"]
    array([0.8])
    """

    def __init__(self, lr: float, momentum: float = 0.0) -> None:
        self.lr = real_parameter(lr, "lr")
        self.momentum = real_parameter(momentum, "momentum")
        if self.lr <= 0:
            raise ValueError(f"lr must be positive; got {self.lr}")
        if not 0.0 <= self.momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1); got {self.momentum}")
        self.velocity: dict[str, np.ndarray] = {}

    def step(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Update every array of ``params`` in place."""
        for key, p in params.items():
            g = grads[key]
            if self.momentum:
                v = self.velocity.get(key)
                if v is None:
                    v = self.velocity[key] = g.copy()
                else:
                    v *= self.momentum
                    v += g
                g = v
            p -= self.lr * g


class Adam:
    r"""Adam (Kingma and Ba, 2015), with bias correction.

    .. math:: m \leftarrow \beta_1 m + (1-\beta_1) g, \quad
       v \leftarrow \beta_2 v + (1-\beta_2) g^2, \quad
       \theta \leftarrow \theta - \eta\,\frac{m / (1-\beta_1^t)}{\sqrt{v/(1-\beta_2^t)} +
       \varepsilon}

    The moments have the parameters' dtype.

    Parameters
    ----------
    lr, beta1, beta2, eps
        As in the formula. In float16, ``eps = 1e-8`` rounds to 0 (the smallest positive
        float16 is about 6e-8) and a zero gradient would give 0/0: :meth:`step` raises then;
        pass ``eps=1e-4``, as is usual for float16.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network import Adam
    >>> params = {"w": np.array([1.0, 1.0])}
    >>> Adam(0.1).step(params, {"w": np.array([5.0, -0.01])})
    >>> params["w"].round(6)  # the first step moves every parameter by about lr
    array([0.9, 1.1])
    """

    def __init__(
        self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
    ) -> None:
        self.lr = real_parameter(lr, "lr")
        self.beta1 = real_parameter(beta1, "beta1")
        self.beta2 = real_parameter(beta2, "beta2")
        self.eps = real_parameter(eps, "eps")
        if self.lr <= 0 or self.eps <= 0:
            raise ValueError("lr and eps must be positive")
        if not (0 <= self.beta1 < 1 and 0 <= self.beta2 < 1):
            raise ValueError("beta1 and beta2 must be in [0, 1)")
        self.t = 0
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}

    def step(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Update every array of ``params`` in place."""
        self.t += 1
        step = self.lr / (1 - self.beta1**self.t)  # lr with m's bias correction
        v_correction = 1 - self.beta2**self.t
        for key, p in params.items():
            if key not in self.m:
                if p.dtype.type(self.eps) == 0:
                    raise ValueError(f"eps={self.eps} is 0 in {p.dtype}; use eps=1e-4 or larger")
                self.m[key], self.v[key] = np.zeros_like(p), np.zeros_like(p)
            g, m, v = grads[key], self.m[key], self.v[key]
            m *= self.beta1
            m += (1 - self.beta1) * g
            v *= self.beta2
            v += (1 - self.beta2) * (g * g)
            denominator = np.sqrt(v / v_correction)
            denominator += self.eps
            p -= step * m / denominator


# Measurements ------------------------------------------------------------------------------


def zero_fraction(arrays: Iterable[np.ndarray]) -> list[float]:
    """The fraction of entries exactly equal to 0 (either sign) in each array.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network import zero_fraction
    >>> zero_fraction([np.array([0.0, -0.0, 1e-30, 2.0])])
    [0.5]
    """
    return [float(np.count_nonzero(a == 0) / a.size) if a.size else 0.0 for a in arrays]


def gradient_norms(grads: Gradients, parameter: str = "W") -> list[float]:
    """The Euclidean (Frobenius) norm of each layer's weight gradient, first layer first.

    Computed in float64, so a float16 gradient's norm neither overflows nor underflows.
    ``parameter="b"`` gives the bias gradients' norms instead.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network import MLP, gradient_norms, mean_squared_error
    >>> net = MLP([2, 4, 1], seed=0)
    >>> trace = net.forward(np.ones((3, 2)))
    >>> grads = net.backward(trace, mean_squared_error(trace.output, np.zeros(3))[1])
    >>> len(gradient_norms(grads))
    2
    """
    keys = sorted(
        (k for k in grads.params if k[0] == parameter and k[1:].isdigit()),
        key=lambda k: int(k[1:]),
    )
    return [float(np.linalg.norm(grads.params[k].astype(np.float64))) for k in keys]


def accuracy(net: MLP, x: npt.ArrayLike, labels: npt.ArrayLike) -> float:
    """The fraction of examples whose largest logit is their label."""
    out = net.predict(x)
    y = _check_labels(labels, out.shape[0], out.shape[1])
    return float(np.mean(np.argmax(out, axis=1) == y))


# Training ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepRecord:
    """What a hook sees after each step's backward pass, before the optimiser moves.

    Attributes
    ----------
    step, epoch
        Counted from 0.
    net
        The network (its parameters are those the pass used).
    trace, d_output, grads
        The forward pass of this mini-batch, the loss gradient for its output, and the
        backward pass. ``net.backward(trace, d_output, at_zero=...)`` recomputes the
        gradients with another convention.
    loss
        The mini-batch loss.
    """

    step: int
    epoch: int
    net: MLP
    trace: Trace
    d_output: np.ndarray
    grads: Gradients
    loss: float


Hook = Callable[[StepRecord], None]


@dataclass
class History:
    """What :func:`train` measured; one row per step or per evaluation.

    Attributes
    ----------
    loss
        Mini-batch loss per step, shape ``(steps,)``.
    exact_zeros
        Fraction of each hidden layer's pre-activations exactly 0 in the step's mini-batch,
        shape ``(steps, hidden layers)``.
    gradient_norm
        Norm of each layer's weight gradient per step, shape ``(steps, layers)``.
    train_loss, train_accuracy
        On the whole training set, before training and after each epoch: shape
        ``(epochs + 1,)`` (empty if ``evaluate=False``; accuracy NaN for regression).
    dead_units
        Number of dead units (:meth:`MLP.dead_units`) per hidden layer on the training set,
        at the same times: shape ``(epochs + 1, hidden layers)``.
    diverged
        True if training stopped early because the loss was not finite. Such a run has
        fewer rows than described above: its last evaluation row is taken mid-epoch, at the
        step that diverged (hooks were still called for that step), and NaN pre-activations
        do not count as dead.
    """

    loss: np.ndarray
    exact_zeros: np.ndarray
    gradient_norm: np.ndarray
    train_loss: np.ndarray
    train_accuracy: np.ndarray
    dead_units: np.ndarray
    diverged: bool = False
    steps_per_epoch: int = field(default=0)


def train(
    net: MLP,
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    optimizer: Optimizer,
    epochs: int,
    batch_size: int,
    loss: LossName = "cross_entropy",
    seed: int = 0,
    hooks: Sequence[Hook] = (),
    evaluate: bool = True,
) -> History:
    """Train ``net`` in place with mini-batches and return what was measured.

    Each epoch visits the examples in an order drawn from ``seed`` (a fresh permutation per
    epoch) in batches of ``batch_size`` (the last one may be smaller). Each step: forward,
    loss, backward, the hooks, then the optimiser's update.

    Parameters
    ----------
    net
        The network; its parameters are updated in place.
    x, y
        Training inputs ``(n, sizes[0])`` and labels ``(n,)`` (``"cross_entropy"``) or targets
        (``"mse"``).
    optimizer
        :class:`SGD`, :class:`Adam`, or anything with their ``step``.
    epochs, batch_size
        Positive integers.
    loss
        ``"cross_entropy"`` (softmax cross-entropy; the outputs are logits) or ``"mse"``.
    seed
        Seed of the generator that shuffles the examples.
    hooks
        Callables given a :class:`StepRecord` at every step.
    evaluate
        Measure loss, accuracy and dead units on the whole training set before training and
        after each epoch (one extra forward pass per epoch).

    Returns
    -------
    History

    Notes
    -----
    Overflow to infinity and NaN are possible in float16; they are not reported as numpy
    warnings. Training stops at the first step whose loss is not finite and
    ``History.diverged`` is then True.
    """
    if loss not in _LOSSES:
        raise ValueError(f"loss must be 'cross_entropy' or 'mse'; got {loss!r}")
    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive integer; got {value!r}")
    loss_fn = _LOSSES[loss]
    xs = _check_batch(x, net.sizes[0], net.dtype)
    n = xs.shape[0]
    ys = _check_targets(y, n, net, loss)
    rng = np.random.default_rng(seed)
    steps_per_epoch = -(-n // batch_size)

    losses: list[float] = []
    zeros: list[list[float]] = []
    norms: list[list[float]] = []
    evals: list[tuple[float, float, list[int]]] = []
    diverged = False
    step = 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if evaluate:
            evals.append(_evaluate(net, xs, ys, loss))
        for epoch in range(epochs):
            order = rng.permutation(n)
            for start in range(0, n, batch_size):
                batch = order[start : start + batch_size]
                trace = net.forward(xs[batch])
                batch_loss, d_output = loss_fn(trace.output, ys[batch])
                grads = net.backward(trace, d_output)
                losses.append(batch_loss)
                zeros.append(zero_fraction(trace.pre_activations))
                norms.append(gradient_norms(grads))
                if hooks:
                    record = StepRecord(step, epoch, net, trace, d_output, grads, batch_loss)
                    for hook in hooks:
                        hook(record)
                if not np.isfinite(batch_loss):
                    diverged = True
                    break
                optimizer.step(net.params, grads.params)
                step += 1
            if evaluate:
                evals.append(_evaluate(net, xs, ys, loss))
            if diverged:
                break

    hidden = len(net.sizes) - 2
    return History(
        loss=np.array(losses, dtype=np.float64),
        exact_zeros=np.array(zeros, dtype=np.float64).reshape(len(losses), hidden),
        gradient_norm=np.array(norms, dtype=np.float64).reshape(len(losses), net.depth),
        train_loss=np.array([e[0] for e in evals], dtype=np.float64),
        train_accuracy=np.array([e[1] for e in evals], dtype=np.float64),
        dead_units=np.array([e[2] for e in evals], dtype=np.int64).reshape(len(evals), hidden),
        diverged=diverged,
        steps_per_epoch=steps_per_epoch,
    )


def _check_targets(y: npt.ArrayLike, n: int, net: MLP, loss: str) -> np.ndarray:
    if loss == "cross_entropy":
        return _check_labels(y, n, net.sizes[-1])
    t = as_float_array(y, "y")
    if t.ndim == 1 and net.sizes[-1] == 1:
        t = t[:, None]
    if t.shape != (n, net.sizes[-1]):
        raise ValueError(f"y must have shape ({n}, {net.sizes[-1]}); got shape {t.shape}")
    return t.astype(net.dtype, copy=False)


def _evaluate(net: MLP, x: np.ndarray, y: np.ndarray, loss: str) -> tuple[float, float, list[int]]:
    trace = net.forward(x)
    value, _ = _LOSSES[loss](trace.output, y)
    acc = np.nan
    if loss == "cross_entropy":
        acc = float(np.mean(np.argmax(trace.output, axis=1) == y))
    dead = [int(np.count_nonzero(np.all(z <= 0, axis=0))) for z in trace.pre_activations]
    return value, acc, dead
