r"""Optimisers for the tiny network: each updates the parameters in place from their gradients.

An optimiser keeps its state (velocity, moments) in the parameters' dtype, keyed like
:attr:`relukit.network.MLP.params`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import numpy as np

from relukit._validation import real_parameter

__all__ = ["SGD", "Adam", "Optimizer"]


class Optimizer(Protocol):
    """Anything with a ``step(params, grads)`` that updates ``params`` in place.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.network import SGD, Optimizer
    >>> optimizer: Optimizer = SGD(0.1)
    >>> params = {"w": np.array([1.0])}
    >>> optimizer.step(params, {"w": np.array([1.0])})
    >>> params["w"]
    array([0.9])
    """

    def step(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Update every array of ``params`` in place from ``grads`` (same keys).

        Parameters
        ----------
        params : dict
            The parameter arrays by name, updated in place.
        grads : collections.abc.Mapping
            Their gradients, arrays with the same keys.

        Examples
        --------
        >>> import numpy as np
        >>> from relukit.network import Adam
        >>> params = {"w": np.array([1.0])}
        >>> Adam(0.1).step(params, {"w": np.array([3.0])})
        >>> params["w"].round(6)
        array([0.9])
        """


class SGD:
    r"""Mini-batch stochastic gradient descent, with optional momentum.

    .. math:: v \leftarrow \mu v + g, \qquad \theta \leftarrow \theta - \eta v

    (the learning rate applied after the momentum; :math:`\mu = 0` is plain SGD). The
    velocity has the parameters' dtype.

    Parameters
    ----------
    lr : float
        The learning rate :math:`\eta > 0`.
    momentum : float
        :math:`\mu \in [0, 1)`.

    Raises
    ------
    ValueError
        For ``lr <= 0`` or ``momentum`` outside ``[0, 1)``.

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
        """Update every array of ``params`` in place.

        Parameters
        ----------
        params : dict
            The parameter arrays by name, updated in place.
        grads : collections.abc.Mapping
            Their gradients, arrays with the same keys.

        Examples
        --------
        >>> import numpy as np
        >>> from relukit.network import SGD
        >>> params = {"w": np.array([1.0])}
        >>> SGD(0.5, momentum=0.5).step(params, {"w": np.array([1.0])})
        >>> params["w"]
        array([0.5])
        """
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
    lr : float
        The learning rate :math:`\eta > 0`.
    beta1, beta2 : float
        The moments' decay rates, in ``[0, 1)``.
    eps : float
        :math:`\varepsilon > 0`. In float16, ``eps = 1e-8`` rounds to 0 (the smallest
        positive float16 is about 6e-8) and a zero gradient would give 0/0: :meth:`step`
        raises then; pass ``eps=1e-4``, as is usual for float16.

    Raises
    ------
    ValueError
        For ``lr`` or ``eps`` not positive, or ``beta1`` or ``beta2`` outside ``[0, 1)``.

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
        """Update every array of ``params`` in place.

        Parameters
        ----------
        params : dict
            The parameter arrays by name, updated in place.
        grads : collections.abc.Mapping
            Their gradients, arrays with the same keys.

        Raises
        ------
        ValueError
            If ``eps`` is 0 in the parameters' dtype.

        Examples
        --------
        >>> import numpy as np
        >>> from relukit.network import Adam
        >>> params = {"w": np.array([1.0], dtype=np.float16)}
        >>> Adam(0.1).step(params, {"w": np.array([0.0], dtype=np.float16)})
        Traceback (most recent call last):
          ...
        ValueError: eps=1e-08 is 0 in float16; use eps=1e-4 or larger
        """
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
