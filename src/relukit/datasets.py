r"""Small data sets generated in code for the tiny network: nothing is downloaded.

Each function draws from ``numpy.random.default_rng(seed)``, so the same arguments give the
same arrays, bit for bit. Inputs are float64 of shape ``(n, d)``; the network converts them
to its own dtype.
"""

from __future__ import annotations

import numbers

import numpy as np

from relukit._validation import real_parameter

__all__ = ["moons", "regression_1d", "two_spirals"]


def _count(n: object, name: str = "n") -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or int(n) < 2:
        raise ValueError(f"{name} must be an integer of at least 2; got {n!r}")
    return int(n)


def _noise(noise: float) -> float:
    value = real_parameter(noise, "noise")
    if value < 0:
        raise ValueError(f"noise must be non-negative; got {value}")
    return value


def two_spirals(
    n: int, *, turns: float = 1.5, noise: float = 0.03, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    r"""Two interleaved spirals in the plane, one per class.

    Example ``i`` belongs to class ``i % 2``. Its radius is :math:`r = t` and its angle
    :math:`2\pi \cdot \text{turns} \cdot t + \pi k` for class ``k``, with ``t`` uniform on
    ``[0.1, 1]``; Gaussian noise of standard deviation ``noise`` is added to each coordinate.

    Parameters
    ----------
    n : int
        Number of examples (both classes together), at least 2.
    turns : float
        Turns per unit of radius: as ``t`` covers ``[0.1, 1]``, each spiral winds
        ``0.9 * turns`` times around the origin.
    noise : float
        Standard deviation of the noise added to each coordinate, non-negative.
    seed : int
        Seed of the generator.

    Returns
    -------
    x : numpy.ndarray
        Shape ``(n, 2)``, inside about ``[-1, 1]^2``.
    y : numpy.ndarray
        Labels 0 and 1, shape ``(n,)``, dtype int64.

    Raises
    ------
    ValueError
        For ``n`` below 2 or negative ``noise``.

    Examples
    --------
    >>> from relukit.datasets import two_spirals
    >>> x, y = two_spirals(6, seed=0)
    >>> x.shape, y.tolist()
    ((6, 2), [0, 1, 0, 1, 0, 1])
    >>> bool((two_spirals(6, seed=0)[0] == x).all())
    True
    """
    count = _count(n)
    sigma = _noise(noise)
    winds = real_parameter(turns, "turns")
    rng = np.random.default_rng(seed)
    y = np.arange(count, dtype=np.int64) % 2
    t = rng.uniform(0.1, 1.0, size=count)
    angle = 2 * np.pi * winds * t + np.pi * y
    x = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1)
    x += rng.normal(0.0, sigma, size=x.shape)
    return x, y


def moons(n: int, *, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    r"""Two interleaving half circles, one per class (like scikit-learn's ``make_moons``).

    Class 0 lies on :math:`(\cos\theta, \sin\theta)`, class 1 on :math:`(1 - \cos\theta,
    \tfrac12 - \sin\theta)`, :math:`\theta` uniform on :math:`[0, \pi]`; example ``i`` belongs
    to class ``i % 2``, and Gaussian noise of standard deviation ``noise`` is added.

    Parameters
    ----------
    n : int
        Number of examples (both classes together), at least 2.
    noise : float
        Standard deviation of the noise added to each coordinate, non-negative.
    seed : int
        Seed of the generator.

    Returns
    -------
    x : numpy.ndarray
        Shape ``(n, 2)``.
    y : numpy.ndarray
        Labels 0 and 1, shape ``(n,)``, dtype int64.

    Examples
    --------
    >>> from relukit.datasets import moons
    >>> x, y = moons(100, noise=0.0, seed=1)
    >>> bool(abs((x[y == 0] ** 2).sum(axis=1) - 1).max() < 1e-12)  # the unit circle
    True
    """
    count = _count(n)
    sigma = _noise(noise)
    rng = np.random.default_rng(seed)
    y = np.arange(count, dtype=np.int64) % 2
    theta = rng.uniform(0.0, np.pi, size=count)
    x = np.where(
        (y == 0)[:, None],
        np.stack([np.cos(theta), np.sin(theta)], axis=1),
        np.stack([1 - np.cos(theta), 0.5 - np.sin(theta)], axis=1),
    )
    x += rng.normal(0.0, sigma, size=x.shape)
    return x, y


def regression_1d(n: int, *, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    r"""A one-dimensional regression problem: :math:`y = \sin(2x) + 0.3x + \varepsilon`.

    ``x`` is uniform on :math:`[-3, 3]`, :math:`\varepsilon` Gaussian with standard
    deviation ``noise``.

    Parameters
    ----------
    n : int
        Number of examples, at least 2.
    noise : float
        Standard deviation of the noise added to ``y``, non-negative.
    seed : int
        Seed of the generator.

    Returns
    -------
    x : numpy.ndarray
        Shape ``(n, 1)``.
    y : numpy.ndarray
        Shape ``(n,)``.

    Examples
    --------
    >>> import numpy as np
    >>> from relukit.datasets import regression_1d
    >>> x, y = regression_1d(50, noise=0.0, seed=0)
    >>> bool(np.allclose(y, np.sin(2 * x[:, 0]) + 0.3 * x[:, 0]))
    True
    """
    count = _count(n)
    sigma = _noise(noise)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3.0, 3.0, size=(count, 1))
    y = np.sin(2 * x[:, 0]) + 0.3 * x[:, 0] + rng.normal(0.0, sigma, size=count)
    return x, y
