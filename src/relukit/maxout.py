r"""Maxout (Goodfellow et al., 2013): the largest of each group of ``k`` pre-activations.

.. math:: \operatorname{maxout}_k(z)_j = \max_{0 \le i < k} z_{jk + i}

Maxout is not elementwise: a unit reads ``k`` pre-activations and returns one number, so it
cannot be declared in :data:`relukit.registry.REGISTRY`, whose entries map each number to
one number. It lives here, over groups of ``k`` consecutive entries of the last axis.

Its gradient sends each unit's incoming gradient to the entry that won its group. Where
several entries tie for the maximum, relukit's rule gives it to the first of them (the
lowest index, as :func:`numpy.argmax` picks). The rule depends on the order of the pieces:
ReLU written as the maxout of ``(z, 0)``, z first, gets the derivative 1 at ``z = 0``,
unlike :func:`relukit.relu_derivative`'s 0; written as ``(0, z)`` it gets 0. For
continuous pre-activations a tie has probability 0; ties do happen when pieces coincide:
inputs that are exactly 0 (padding, dropped-out or dead units) meeting equal biases,
identical initial weights, or low-precision arithmetic.

References
----------
Goodfellow, I. J., Warde-Farley, D., Mirza, M., Courville, A. and Bengio, Y. (2013).
Maxout networks. ICML 2013, PMLR 28. https://arxiv.org/abs/1302.4389
"""

from __future__ import annotations

import numbers

import numpy as np

from relukit._validation import as_float_array
from relukit.typing import ArrayLike

__all__ = ["maxout", "maxout_backward", "maxout_winners"]


def _groups(z: ArrayLike, k: object, name: str = "z") -> np.ndarray:
    """``z`` as a float array of shape ``(..., n // k, k)``, after checking ``z`` and ``k``."""
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, numbers.Integral):
        raise TypeError(f"k must be a positive integer; got {type(k).__name__} {k!r:.60}")
    size = int(k)
    if size < 1:
        raise ValueError(f"k must be a positive integer; got {size}")
    arr = as_float_array(z, name)
    if arr.ndim == 0:
        raise ValueError(f"{name} must have at least one axis, the one grouped into units")
    n = arr.shape[-1]
    if n % size:
        raise ValueError(f"the last axis of {name} has length {n}, not a multiple of k = {size}")
    return arr.reshape(*arr.shape[:-1], n // size, size)


def maxout(z: ArrayLike, k: int) -> np.ndarray:
    r"""The maximum of each group of ``k`` consecutive entries along the last axis.

    .. math:: \operatorname{maxout}_k(z)_j = \max(z_{jk}, \dots, z_{jk + k - 1})

    Parameters
    ----------
    z : ArrayLike
        Pre-activations, real, with a last axis of length ``n``, a multiple of ``k``:
        ``k`` affine pieces for each of ``n // k`` units. Integers are promoted to float64.
    k : int
        The number of pieces per unit, a positive integer.

    Returns
    -------
    numpy.ndarray
        Shape ``(..., n // k)``, in ``z``'s float dtype. NaN in a group gives NaN.

    Raises
    ------
    TypeError
        For input that is not real numbers, or a ``k`` that is not an integer.
    ValueError
        For ``k < 1``, a 0-d ``z``, or a last axis whose length is not a multiple of ``k``.

    See Also
    --------
    maxout_backward, maxout_winners, relukit.relu

    Notes
    -----
    With ``k = 2`` and the second piece of every unit fixed at 0, maxout is ReLU; with the
    second piece ``a`` times the first (``0 <= a <= 1``), it is leaky ReLU. A maxout layer
    needs ``k`` times the weights of an elementwise layer with as many units.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.maxout import maxout
    >>> maxout(np.array([[1.0, -2.0, 0.5, 3.0]]), k=2)
    array([[1., 3.]])
    >>> z = np.array([-1.5, 0.0, 2.0, 0.0])   # (z, 0) pairs: ReLU of -1.5 and 2
    >>> maxout(z, 2)
    array([0., 2.])
    """
    return np.asarray(np.max(_groups(z, k), axis=-1))


def maxout_winners(z: ArrayLike, k: int) -> np.ndarray:
    """The index within its group of the entry each unit outputs: the first maximum.

    Parameters
    ----------
    z : ArrayLike
        Pre-activations, as for :func:`maxout`.
    k : int
        The number of pieces per unit.

    Returns
    -------
    numpy.ndarray
        Integers in ``[0, k)``, shape ``(..., n // k)``. A tie goes to the lowest index; a
        NaN in a group wins it (the first NaN).

    Raises
    ------
    TypeError
        As :func:`maxout`.
    ValueError
        As :func:`maxout`.

    See Also
    --------
    maxout, maxout_backward

    Examples
    --------
    >>> from relukit.maxout import maxout_winners
    >>> maxout_winners([1.0, 3.0, 2.0, 2.0], k=2)   # the tie (2, 2) goes to index 0
    array([1, 0])
    """
    return np.asarray(np.argmax(_groups(z, k), axis=-1))


def maxout_backward(z: ArrayLike, grad_output: ArrayLike, k: int) -> np.ndarray:
    r"""The gradient of a loss with respect to ``z``, given its gradient at the outputs.

    .. math:: \frac{\partial L}{\partial z_{jk + i}} = \begin{cases}
       \partial L / \partial y_j & i = w_j \\ 0 & \text{otherwise} \end{cases}

    with :math:`w_j` the winner of group :math:`j` (:func:`maxout_winners`).

    Parameters
    ----------
    z : ArrayLike
        The pre-activations of the forward pass, as for :func:`maxout`.
    grad_output : ArrayLike
        :math:`\partial L / \partial y`, of shape ``(..., n // k)``.
    k : int
        The number of pieces per unit.

    Returns
    -------
    numpy.ndarray
        Shape of ``z``, in the dtype numpy gives ``z`` and ``grad_output`` together: each
        incoming gradient at its group's winner, 0 elsewhere.

    Raises
    ------
    TypeError
        As :func:`maxout`, and for a ``grad_output`` that is not real numbers.
    ValueError
        As :func:`maxout`, and for a ``grad_output`` of another shape than the output's.

    See Also
    --------
    maxout, maxout_winners

    Notes
    -----
    Where the maximum is unique, maxout is differentiable and this is its gradient. At a
    tie it is one element of the subdifferential, the one that credits the first of the
    tied entries (relukit's rule, stated in the module's docstring, with what it means for
    ReLU written as a maxout).

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.maxout import maxout_backward
    >>> maxout_backward(np.array([1.0, 3.0, 2.0, 2.0]), np.array([10.0, 20.0]), k=2)
    array([ 0., 10., 20.,  0.])
    """
    groups = _groups(z, k)
    grad = as_float_array(grad_output, "grad_output")
    if grad.shape != groups.shape[:-1]:
        raise ValueError(
            f"grad_output has shape {grad.shape}; the output of maxout has shape "
            f"{groups.shape[:-1]}"
        )
    winners = np.argmax(groups, axis=-1)
    result = np.zeros(groups.shape, dtype=np.result_type(groups.dtype, grad.dtype))
    np.put_along_axis(result, winners[..., None], grad[..., None], axis=-1)
    return result.reshape(*groups.shape[:-2], -1)
