r"""Batch normalisation for the tiny network, in training mode, with its backward pass.

For a batch of pre-activations :math:`z` of shape ``(n, d)``, each unit (column) :math:`j` is
standardised with the statistics of the batch and then scaled and shifted by learned
parameters (Ioffe and Szegedy, 2015):

.. math:: \mu_j = \frac1n \sum_i z_{ij}, \qquad
   \sigma_j^2 = \frac1n \sum_i (z_{ij} - \mu_j)^2, \qquad
   \hat z_{ij} = \frac{z_{ij} - \mu_j}{\sqrt{\sigma_j^2 + \varepsilon}}, \qquad
   y_{ij} = \gamma_j \hat z_{ij} + \beta_j .

Only training mode is implemented: the statistics are always the current batch's. There are
no running averages and no inference mode, because the book's experiments only look at
networks on whole batches (at initialisation and while training); a network using this layer
gives outputs that depend on the other examples of the batch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from relukit._validation import as_float_array, real_parameter
from relukit.typing import ArrayLike

__all__ = ["BN_EPS", "BatchNormCache", "batch_norm_backward", "batch_norm_forward"]

#: The :math:`\varepsilon` added to the batch variance: PyTorch's default, 1e-5 (Keras: 1e-3).
BN_EPS = 1e-5


@dataclass(frozen=True)
class BatchNormCache:
    r"""What a batch-normalisation forward pass keeps for its backward pass.

    Attributes
    ----------
    normalised : numpy.ndarray
        :math:`\hat z`, shape ``(n, d)``: each column has mean 0 and variance
        :math:`\sigma_j^2 / (\sigma_j^2 + \varepsilon)`.
    inv_std : numpy.ndarray
        :math:`1 / \sqrt{\sigma_j^2 + \varepsilon}`, shape ``(d,)``.
    gamma : numpy.ndarray
        The scale :math:`\gamma` used, shape ``(d,)``.
    output : numpy.ndarray
        :math:`y = \gamma \hat z + \beta`, shape ``(n, d)``.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network.normalisation import batch_norm_forward
    >>> cache = batch_norm_forward(np.array([[1.0], [3.0]]), np.ones(1), np.zeros(1), eps=0.0)
    >>> cache.normalised.ravel().tolist(), cache.inv_std.tolist()
    ([-1.0, 1.0], [1.0])
    """

    normalised: np.ndarray
    inv_std: np.ndarray
    gamma: np.ndarray
    output: np.ndarray


def _check(z: ArrayLike, gamma: ArrayLike, beta: ArrayLike) -> tuple[np.ndarray, ...]:
    """The three arrays in ``z``'s dtype, or ValueError/TypeError for bad shapes or types."""
    zs = as_float_array(z, "z")
    if zs.ndim != 2 or zs.shape[0] < 2:
        raise ValueError(
            "batch normalisation needs a batch of shape (n, d) with n >= 2 (the statistics "
            f"of one example are not defined); got shape {zs.shape}"
        )
    out = [zs]
    for name, value in (("gamma", gamma), ("beta", beta)):
        arr = as_float_array(value, name)
        if arr.shape != (zs.shape[1],):
            raise ValueError(f"{name} must have shape ({zs.shape[1]},); got shape {arr.shape}")
        out.append(arr.astype(zs.dtype, copy=False))
    return tuple(out)


def batch_norm_forward(
    z: ArrayLike, gamma: ArrayLike, beta: ArrayLike, *, eps: float = BN_EPS
) -> BatchNormCache:
    r"""Batch-normalise ``z`` with the batch's own statistics, then scale and shift.

    .. math:: y_{ij} = \gamma_j \frac{z_{ij} - \mu_j}{\sqrt{\sigma_j^2 + \varepsilon}}
       + \beta_j

    with :math:`\mu_j` and :math:`\sigma_j^2` the mean and the (biased, divide-by-:math:`n`)
    variance of column :math:`j` over the batch.

    Parameters
    ----------
    z : ArrayLike
        Pre-activations, shape ``(n, d)`` with ``n >= 2``.
    gamma, beta : ArrayLike
        Scale and shift, shape ``(d,)``; cast to ``z``'s dtype.
    eps : float
        :math:`\varepsilon \ge 0`, added to the variance. Default :data:`BN_EPS`.

    Returns
    -------
    BatchNormCache
        The output and what the backward pass needs.

    Raises
    ------
    ValueError
        For a batch that is not two-dimensional or has fewer than two rows, ``gamma`` or
        ``beta`` of the wrong shape, or a negative ``eps``.
    TypeError
        For inputs that are not real numbers.

    Notes
    -----
    Training mode only (Ioffe and Szegedy, 2015, Algorithm 1): no running statistics are
    kept. The output does not depend on a constant added to a column of ``z`` (the mean
    removes it) and, for :math:`\varepsilon = 0`, not on a positive factor multiplying it.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network.normalisation import batch_norm_forward
    >>> z = np.array([[1.0, 10.0], [2.0, 10.0], [3.0, 40.0]])
    >>> y = batch_norm_forward(z, [2.0, 1.0], [0.5, 0.0], eps=0.0).output
    >>> bool(np.allclose(y.mean(axis=0), [0.5, 0.0])), bool(np.allclose(y.std(axis=0), [2, 1]))
    (True, True)
    >>> batch_norm_forward(np.ones((1, 2)), np.ones(2), np.zeros(2))
    Traceback (most recent call last):
      ...
    ValueError: batch normalisation needs a batch of shape (n, d) with n >= 2 ...
    """
    zs, g, b = _check(z, gamma, beta)
    e = real_parameter(eps, "eps")
    if e < 0:
        raise ValueError(f"eps must be >= 0; got {e}")
    centred = zs - zs.mean(axis=0)
    inv_std = 1.0 / np.sqrt((centred * centred).mean(axis=0) + zs.dtype.type(e))
    normalised = centred * inv_std
    return BatchNormCache(normalised, inv_std, g, g * normalised + b)


def batch_norm_backward(
    d_output: ArrayLike, cache: BatchNormCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Backpropagate :math:`\partial L / \partial y` through :func:`batch_norm_forward`.

    .. math:: \frac{\partial L}{\partial z_{ij}} = \frac{\gamma_j\, s_j}{n}\Bigl(n g_{ij}
       - \sum_k g_{kj} - \hat z_{ij} \sum_k g_{kj} \hat z_{kj}\Bigr), \qquad
       g = \frac{\partial L}{\partial y}, \quad s_j = \frac{1}{\sqrt{\sigma_j^2 +
       \varepsilon}},

    :math:`\partial L / \partial \gamma_j = \sum_i g_{ij} \hat z_{ij}` and
    :math:`\partial L / \partial \beta_j = \sum_i g_{ij}`.

    Parameters
    ----------
    d_output : ArrayLike
        :math:`\partial L / \partial y`, the shape of ``cache.output``.
    cache : BatchNormCache
        The forward pass.

    Returns
    -------
    tuple of numpy.ndarray
        :math:`\partial L / \partial z`, :math:`\partial L / \partial \gamma`,
        :math:`\partial L / \partial \beta`.

    Raises
    ------
    ValueError
        If ``d_output`` does not have the output's shape.

    Notes
    -----
    The gradient flows through the batch statistics too (every example's :math:`z` moves
    :math:`\mu` and :math:`\sigma`), as in Ioffe and Szegedy (2015). It is
    orthogonal, column by column, to the constant vector: moving a column by a constant
    changes nothing. With :math:`\varepsilon = 0` it is also orthogonal to :math:`\hat z`
    (scaling a column changes nothing); with :math:`\varepsilon > 0`,
    :math:`\sum_i \hat z_i \, \partial L / \partial z_i` is :math:`\varepsilon / (\sigma^2 +
    \varepsilon)` times :math:`\gamma \sum_i g_i \hat z_i / \sqrt{\sigma^2 + \varepsilon}`.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network.normalisation import batch_norm_backward, batch_norm_forward
    >>> cache = batch_norm_forward(np.array([[1.0], [2.0], [4.0]]), np.ones(1), np.zeros(1))
    >>> d_z, d_gamma, d_beta = batch_norm_backward(np.ones((3, 1)), cache)
    >>> bool(np.abs(d_z).max() < 1e-12), d_beta.tolist()  # a shift of y is a shift of z: no effect
    (True, [3.0])
    """
    g = as_float_array(d_output, "d_output")
    if g.shape != cache.output.shape:
        raise ValueError(f"d_output has shape {g.shape}; the output has {cache.output.shape}")
    g = g.astype(cache.output.dtype, copy=False)
    x_hat, n = cache.normalised, g.shape[0]
    d_beta = g.sum(axis=0)
    d_gamma = (g * x_hat).sum(axis=0)
    d_z = (cache.gamma * cache.inv_std / n) * (n * g - d_beta - x_hat * d_gamma)
    return d_z, d_gamma, d_beta
