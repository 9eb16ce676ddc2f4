r"""Training the tiny network, and what is measured while it trains.

:func:`relukit.network.train` runs mini-batch training and returns a
:class:`~relukit.network.History` of measurements; hooks see every step
(:class:`~relukit.network.StepRecord`). The measurements are also functions of their own:
:func:`~relukit.network.zero_fraction`, :func:`~relukit.network.gradient_norms`,
:func:`~relukit.network.accuracy`.

A run is reproducible bit for bit: the order of the mini-batches comes from ``seed``, and
nothing else is random.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from relukit._validation import as_float_array
from relukit.network.losses import LOSSES, LossName, _check_labels
from relukit.network.model import MLP, Gradients, Trace, _check_batch
from relukit.network.optimizers import Optimizer
from relukit.typing import ArrayLike

__all__ = [
    "History",
    "Hook",
    "StepRecord",
    "accuracy",
    "gradient_norms",
    "train",
    "zero_fraction",
]


# Measurements ------------------------------------------------------------------------------


def zero_fraction(arrays: Iterable[np.ndarray]) -> list[float]:
    """The fraction of entries exactly equal to 0 (either sign) in each array.

    Parameters
    ----------
    arrays : collections.abc.Iterable of numpy.ndarray
        The arrays, such as a trace's pre-activations.

    Returns
    -------
    list of float
        One fraction per array (0 for an empty one).

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

    Parameters
    ----------
    grads : Gradients
        A backward pass.
    parameter : str
        ``"W"`` for the weights, ``"b"`` for the biases.

    Returns
    -------
    list of float
        One norm per layer.

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


def accuracy(net: MLP, x: ArrayLike, labels: ArrayLike) -> float:
    """The fraction of examples whose largest logit is their label.

    Parameters
    ----------
    net : MLP
        A classifier.
    x : ArrayLike
        Inputs, shape ``(n, sizes[0])``.
    labels : ArrayLike
        Integer labels, shape ``(n,)``.

    Returns
    -------
    float
        The accuracy, in ``[0, 1]``.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network import MLP, accuracy
    >>> net = MLP([1, 2], seed=0)
    >>> net.params["W1"][:] = [[1.0, -1.0]]
    >>> accuracy(net, [[-1.0], [1.0], [2.0]], [1, 0, 1])
    0.6666666666666666
    """
    out = net.predict(x)
    y = _check_labels(labels, out.shape[0], out.shape[1])
    return float(np.mean(np.argmax(out, axis=1) == y))


# Training ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepRecord:
    """What a hook sees after each step's backward pass, before the optimiser moves.

    Attributes
    ----------
    step, epoch : int
        Counted from 0.
    net : MLP
        The network (its parameters are those the pass used).
    trace : Trace
        The forward pass of this mini-batch.
    d_output : numpy.ndarray
        The loss gradient for its output.
    grads : Gradients
        The backward pass. ``net.backward(trace, d_output, kink_position=...)`` recomputes
        the gradients with another convention.
    loss : float
        The mini-batch loss.

    Examples
    --------
    >>> from relukit.datasets import moons
    >>> from relukit.network import MLP, SGD, train
    >>> x, y = moons(8, seed=0)
    >>> seen = []
    >>> _ = train(MLP([2, 3, 2], seed=0), x, y, optimizer=SGD(0.1), epochs=2, batch_size=4,
    ...           hooks=[lambda record: seen.append((record.epoch, record.step))])
    >>> seen
    [(0, 0), (0, 1), (1, 2), (1, 3)]
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
    loss : numpy.ndarray
        Mini-batch loss per step, shape ``(steps,)``.
    exact_zeros : numpy.ndarray
        Fraction of each hidden layer's pre-activations exactly 0 in the step's mini-batch,
        shape ``(steps, hidden layers)``.
    gradient_norm : numpy.ndarray
        Norm of each layer's weight gradient per step, shape ``(steps, layers)``.
    train_loss, train_accuracy : numpy.ndarray
        On the whole training set, before training and after each epoch: shape
        ``(epochs + 1,)`` (empty if ``evaluate=False``; accuracy NaN for regression).
    dead_units : numpy.ndarray
        Number of dead units (:meth:`MLP.dead_units`) per hidden layer on the training set,
        at the same times: shape ``(epochs + 1, hidden layers)``.
    diverged : bool
        True if training stopped early because the loss was not finite. Such a run has
        fewer rows than described above: its last evaluation row is taken mid-epoch, at the
        step that diverged (hooks were still called for that step), and NaN pre-activations
        do not count as dead.
    steps_per_epoch : int
        Mini-batches per epoch.

    Examples
    --------
    >>> from relukit.datasets import moons
    >>> from relukit.network import MLP, SGD, train
    >>> x, y = moons(50, seed=0)
    >>> history = train(MLP([2, 4, 2], seed=0), x, y, optimizer=SGD(0.1), epochs=3,
    ...                 batch_size=16)
    >>> history.loss.shape, history.train_accuracy.shape, history.steps_per_epoch
    ((12,), (4,), 4)
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
    x: ArrayLike,
    y: ArrayLike,
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
    net : MLP
        The network; its parameters are updated in place.
    x, y : ArrayLike
        Training inputs ``(n, sizes[0])`` and labels ``(n,)`` (``"cross_entropy"``) or targets
        (``"mse"``).
    optimizer : Optimizer
        :class:`SGD`, :class:`Adam`, or anything with their ``step``.
    epochs, batch_size : int
        Positive integers.
    loss : str
        ``"cross_entropy"`` (softmax cross-entropy; the outputs are logits) or ``"mse"``.
    seed : int
        Seed of the generator that shuffles the examples.
    hooks : collections.abc.Sequence of collections.abc.Callable
        Callables given a :class:`StepRecord` at every step.
    evaluate : bool
        Measure loss, accuracy and dead units on the whole training set before training and
        after each epoch (one extra forward pass per epoch). Default: yes.

    Returns
    -------
    History
        What was measured, step by step and epoch by epoch.

    Raises
    ------
    ValueError
        For an unknown loss, counts that are not positive integers, or data of the wrong
        shape.

    Notes
    -----
    Overflow to infinity and NaN are possible in float16; they are not reported as numpy
    warnings. Training stops at the first step whose loss is not finite and
    ``History.diverged`` is then True.

    Examples
    --------
    >>> from relukit.datasets import two_spirals
    >>> from relukit.network import MLP, Adam, train
    >>> x, y = two_spirals(200, seed=0)
    >>> net = MLP([2, 32, 32, 2], "relu", seed=0)
    >>> history = train(net, x, y, optimizer=Adam(0.01), epochs=100, batch_size=50)
    >>> float(history.train_accuracy[0]), float(history.train_accuracy[-1])
    (0.5, 1.0)
    """
    _check_settings(loss, epochs, batch_size)
    xs = _check_batch(x, net.sizes[0], net.dtype)
    run = _Run(net, xs, _check_targets(y, xs.shape[0], net, loss), loss, optimizer, hooks)
    rng = np.random.default_rng(seed)
    diverged = False
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if evaluate:
            run.evaluate()
        for epoch in range(epochs):
            diverged = run.epoch(epoch, rng.permutation(xs.shape[0]), batch_size)
            if evaluate:
                run.evaluate()
            if diverged:
                break
    return run.history(diverged, steps_per_epoch=-(-xs.shape[0] // batch_size))


def _check_settings(loss: str, epochs: int, batch_size: int) -> None:
    """Raise ValueError for an unknown loss or a count that is not a positive integer."""
    if loss not in LOSSES:
        raise ValueError(f"loss must be 'cross_entropy' or 'mse'; got {loss!r}")
    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive integer; got {value!r}")


def _check_targets(y: ArrayLike, n: int, net: MLP, loss: str) -> np.ndarray:
    """Labels for cross-entropy, or targets of shape ``(n, outputs)`` in the network's dtype."""
    if loss == "cross_entropy":
        return _check_labels(y, n, net.sizes[-1])
    t = as_float_array(y, "y")
    if t.ndim == 1 and net.sizes[-1] == 1:
        t = t[:, None]
    if t.shape != (n, net.sizes[-1]):
        raise ValueError(f"y must have shape ({n}, {net.sizes[-1]}); got shape {t.shape}")
    return t.astype(net.dtype, copy=False)


@dataclass
class _Run:
    """One call of :func:`train`: its data and settings, and what it has measured so far."""

    net: MLP
    x: np.ndarray
    y: np.ndarray
    loss: str
    optimizer: Optimizer
    hooks: Sequence[Hook]
    losses: list[float] = field(default_factory=list)
    zeros: list[list[float]] = field(default_factory=list)
    norms: list[list[float]] = field(default_factory=list)
    evaluations: list[tuple[float, float, list[int]]] = field(default_factory=list)

    def epoch(self, epoch: int, order: np.ndarray, batch_size: int) -> bool:
        """Train one epoch on the examples in ``order``; True if it diverged."""
        for start in range(0, order.size, batch_size):
            if not self.step(epoch, order[start : start + batch_size]):
                return True
        return False

    def step(self, epoch: int, batch: np.ndarray) -> bool:
        """Forward, loss, backward, measurements, hooks; then the update if the loss is finite.

        Returns whether the loss was finite (if not, the parameters are left as they were).
        """
        trace = self.net.forward(self.x[batch])
        batch_loss, d_output = LOSSES[self.loss](trace.output, self.y[batch])
        grads = self.net.backward(trace, d_output)
        self.losses.append(batch_loss)
        self.zeros.append(zero_fraction(trace.pre_activations))
        self.norms.append(gradient_norms(grads))
        if self.hooks:
            step = len(self.losses) - 1  # every earlier step was finite and counted once
            record = StepRecord(step, epoch, self.net, trace, d_output, grads, batch_loss)
            for hook in self.hooks:
                hook(record)
        if not np.isfinite(batch_loss):
            return False
        self.optimizer.step(self.net.params, grads.params)
        return True

    def evaluate(self) -> None:
        """Measure loss, accuracy and dead units on the whole training set."""
        trace = self.net.forward(self.x)
        value, _ = LOSSES[self.loss](trace.output, self.y)
        acc = np.nan
        if self.loss == "cross_entropy":
            acc = float(np.mean(np.argmax(trace.output, axis=1) == self.y))
        dead = [int(np.count_nonzero(np.all(z <= 0, axis=0))) for z in trace.pre_activations]
        self.evaluations.append((value, acc, dead))

    def history(self, diverged: bool, steps_per_epoch: int) -> History:
        """Everything measured, as arrays."""
        hidden = len(self.net.sizes) - 2
        steps, evals = len(self.losses), self.evaluations
        return History(
            loss=np.array(self.losses, dtype=np.float64),
            exact_zeros=np.array(self.zeros, dtype=np.float64).reshape(steps, hidden),
            gradient_norm=np.array(self.norms, dtype=np.float64).reshape(steps, self.net.depth),
            train_loss=np.array([e[0] for e in evals], dtype=np.float64),
            train_accuracy=np.array([e[1] for e in evals], dtype=np.float64),
            dead_units=np.array([e[2] for e in evals], dtype=np.int64).reshape(len(evals), hidden),
            diverged=diverged,
            steps_per_epoch=steps_per_epoch,
        )
