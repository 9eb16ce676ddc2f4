r"""Loss functions for the tiny network: each returns the mean loss of a batch and its gradient.

Both take the network's output first and return ``(loss, gradient)``; the gradient has the
output's shape and dtype, ready for :meth:`relukit.network.MLP.backward`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from relukit._validation import as_float_array, as_real_array
from relukit.typing import ArrayLike

__all__ = ["LOSSES", "LossName", "mean_squared_error", "softmax_cross_entropy"]

#: The names of the losses :func:`relukit.network.train` accepts.
LossName = Literal["cross_entropy", "mse"]


def softmax_cross_entropy(logits: np.ndarray, labels: ArrayLike) -> tuple[float, np.ndarray]:
    r"""Mean softmax cross-entropy of a batch, and its gradient for the logits.

    .. math:: L = -\frac1n \sum_i \log \frac{e^{z_{i,y_i}}}{\sum_k e^{z_{i,k}}},
       \qquad \frac{\partial L}{\partial z_{i,k}} = \frac{\operatorname{softmax}(z_i)_k -
       [k = y_i]}{n}

    Parameters
    ----------
    logits : numpy.ndarray
        Shape ``(n, classes)``, float16, float32 or float64.
    labels : ArrayLike
        Integer class labels in ``[0, classes)``, shape ``(n,)``.

    Returns
    -------
    loss : float
        The mean loss (computed in the logits' dtype).
    gradient : numpy.ndarray
        Same shape and dtype as ``logits``.

    Raises
    ------
    TypeError
        For logits that are not real numbers, or labels that are not integers.
    ValueError
        For logits that are not 2-d, or labels of another shape or outside
        ``[0, classes)``.

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


def _check_labels(labels: ArrayLike, n: int, classes: int) -> np.ndarray:
    """Return class labels as an integer array of shape ``(n,)`` in ``[0, classes)``, or raise.

    Parameters
    ----------
    labels : ArrayLike
        The labels.
    n : int
        The number of examples.
    classes : int
        The number of classes.

    Returns
    -------
    numpy.ndarray
        ``labels`` as an integer array.

    Raises
    ------
    TypeError
        If the labels are not integers.
    ValueError
        If they have another shape, or a value outside ``[0, classes)``.
    """
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


def mean_squared_error(prediction: np.ndarray, target: ArrayLike) -> tuple[float, np.ndarray]:
    r"""Mean squared error of a batch, and its gradient for the prediction.

    .. math:: L = \frac1m \sum_j (p_j - t_j)^2, \qquad
       \frac{\partial L}{\partial p_j} = \frac{2 (p_j - t_j)}{m},

    with ``m`` the number of entries.

    Parameters
    ----------
    prediction : numpy.ndarray
        Shape ``(n, outputs)``.
    target : ArrayLike
        The same shape, or ``(n,)`` when there is one output; converted to the prediction's
        dtype.

    Returns
    -------
    loss : float
        The mean squared error.
    gradient : numpy.ndarray
        Same shape and dtype as ``prediction``.

    Raises
    ------
    ValueError
        If ``target`` does not have the prediction's shape.

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


#: Each loss by the name :func:`relukit.network.train` knows it by.
LOSSES: dict[str, Callable[[np.ndarray, Any], tuple[float, np.ndarray]]] = {
    "cross_entropy": softmax_cross_entropy,
    "mse": mean_squared_error,
}
