"""The registry of activations: each one declared once, everything else derived from it.

An activation is declared by one call of :func:`register`, in :mod:`relukit.activations`
beside the functions it names. From the registry come

- the public names: ``relukit.activations.__all__`` and ``relukit.__all__``;
- the declared properties, :data:`relukit.properties.PROPERTIES`;
- the activations a layer of :class:`relukit.network.MLP` can use, and their derivatives there;
- the figure colours, :data:`relukit.plotting.COLORS`.

Adding an activation is its two functions and one :func:`register` call, and its tests.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np

from relukit.interval import Interval

__all__ = [
    "REGISTRY",
    "Activation",
    "ActivationProperties",
    "Kink",
    "Monotonicity",
    "register",
]

#: How an activation is ordered (strictly increasing, non-decreasing, or neither).
Monotonicity = Literal["increasing", "non-decreasing", "neither"]

#: The derivative a hidden layer of the network uses: ``(z, kink_position, slope) -> f'(z)``,
#: with ``kink_position`` the point of the subdifferential used at a kink at 0 and ``slope``
#: the network's ``negative_slope``.
NetworkDerivative = Callable[[np.ndarray, float, float], np.ndarray]


@dataclass(frozen=True, kw_only=True)
class ActivationProperties:
    """What is true of one activation, with the functions it is true of.

    Attributes
    ----------
    name : str
        The display name.
    function : collections.abc.Callable
        The relukit function, with the default parameters.
    derivative : collections.abc.Callable
        Its derivative, with the default parameters.
    range : relukit.interval.Interval
        The image of the real line.
    continuous : bool
        Continuous on the whole real line.
    kinks : tuple of float
        The points where the function is not differentiable (the one-sided derivatives
        differ).
    smoothness : float
        The largest ``k`` for which the function is ``k`` times continuously differentiable:
        0 for a function with kinks, ``math.inf`` for a smooth one.
    monotonicity : str
        Strictly increasing, non-decreasing, or neither.
    zero_centred : bool
        Whether the mean output for a standard normal input is 0.
    minimum : tuple of float or None
        ``(x, f(x))`` of an attained global minimum where it is not a limit, else ``None``.
    parameters : collections.abc.Mapping
        The default parameters the properties hold for.

    Examples
    --------
    >>> from relukit import PROPERTIES
    >>> p = PROPERTIES["relu"]
    >>> print(p.name, p.range, p.kinks, p.monotonicity)
    ReLU [0, ∞) (0.0,) non-decreasing
    """

    name: str
    function: Callable[..., Any]
    derivative: Callable[..., Any]
    range: Interval
    continuous: bool
    kinks: tuple[float, ...]
    smoothness: float
    monotonicity: Monotonicity
    zero_centred: bool
    minimum: tuple[float, float] | None = None
    parameters: Mapping[str, object] = field(default_factory=dict)

    @property
    def differentiable(self) -> bool:
        """Differentiable at every real point.

        Returns
        -------
        bool
            True when there are no kinks.

        Examples
        --------
        >>> from relukit import PROPERTIES
        >>> PROPERTIES["relu"].differentiable, PROPERTIES["gelu"].differentiable
        (False, True)
        """
        return not self.kinks

    @property
    def smooth(self) -> bool:
        """Infinitely differentiable everywhere.

        Returns
        -------
        bool
            True when :attr:`smoothness` is infinite.

        Examples
        --------
        >>> from relukit import PROPERTIES
        >>> PROPERTIES["elu"].smooth, PROPERTIES["tanh"].smooth
        (False, True)
        """
        return math.isinf(self.smoothness)

    @property
    def bounded(self) -> bool:
        """Whether both ends of the range are finite.

        Returns
        -------
        bool
            Whether the range is bounded.

        Examples
        --------
        >>> from relukit import PROPERTIES
        >>> PROPERTIES["relu6"].bounded, PROPERTIES["relu"].bounded
        (True, False)
        """
        return self.range.bounded


@dataclass(frozen=True, kw_only=True)
class Kink:
    """A point where an activation is not differentiable, and relukit's convention there.

    Attributes
    ----------
    at : float
        The point.
    left, right : float
        The one-sided derivatives there (with the default parameters).
    value : float
        What the ``*_derivative`` function returns there by default: ``left`` or ``right``
        (relukit's convention: the left-hand one at 0).

    Examples
    --------
    >>> from relukit.registry import REGISTRY
    >>> REGISTRY["relu6"].kinks[1]
    Kink(at=6.0, left=1.0, right=0.0, value=0.0)
    """

    at: float
    left: float
    right: float
    value: float

    def __post_init__(self) -> None:
        """Check that the declared value is one of the two one-sided derivatives.

        Raises
        ------
        ValueError
            If it is neither, or the two one-sided derivatives agree (no kink).
        """
        if self.left == self.right:
            raise ValueError(f"at {self.at} both one-sided derivatives are {self.left}: no kink")
        if self.value not in (self.left, self.right):
            raise ValueError(f"value {self.value} at {self.at} is neither one-sided derivative")


@dataclass(frozen=True, kw_only=True)
class Activation:
    """One activation, declared once.

    Attributes
    ----------
    key : str
        Its key in :data:`REGISTRY`, :data:`relukit.properties.PROPERTIES` and
        :data:`relukit.plotting.COLORS`, and its name as a network activation: the relukit
        function's name, or that name and a variant (``"gelu_tanh"``).
    name : str
        The display name.
    function, derivative : collections.abc.Callable
        The relukit functions, with the default parameters (``functools.partial`` for a
        variant).
    range : relukit.interval.Interval
        The image of the real line.
    smoothness : float
        As in :class:`ActivationProperties`.
    monotonicity : str
        As in :class:`ActivationProperties`.
    zero_centred : bool
        As in :class:`ActivationProperties`.
    color : str
        Its colour in the book's figures.
    kinks : tuple of Kink
        Where it is not differentiable, and the derivative's value there.
    minimum : tuple of float or None
        As in :class:`ActivationProperties`.
    parameters : collections.abc.Mapping
        The default parameters the declaration holds for.
    frameworks : collections.abc.Mapping
        The name of the same function in other libraries (``{"PyTorch":
        "torch.nn.functional.relu", ...}``), among PyTorch, JAX, TensorFlow and Keras; the
        names only, no versions. A library in which no such function was found is left out
        (hard-swish and Mish in TensorFlow's ``tf.nn``, squared ReLU in all four).
    slope_parameter : str or None
        The keyword that receives a network's ``negative_slope`` (``"negative_slope"`` for
        leaky ReLU), or ``None``.
    network_derivative : collections.abc.Callable or None
        The derivative a network layer uses, ``(z, kink_position, slope) -> f'(z)``. By default
        it is derived: ``derivative(z)``, with the value at a kink at 0 taken at
        ``kink_position`` of the way from the left-hand derivative to the right-hand one.

    Examples
    --------
    >>> from relukit.registry import REGISTRY
    >>> selu = REGISTRY["selu"]
    >>> selu.name, selu.frameworks["PyTorch"], selu.color
    ('SELU', 'torch.nn.functional.selu', '#882255')
    """

    key: str
    name: str
    function: Callable[..., Any]
    derivative: Callable[..., Any]
    range: Interval
    smoothness: float
    monotonicity: Monotonicity
    zero_centred: bool
    color: str
    kinks: tuple[Kink, ...] = ()
    minimum: tuple[float, float] | None = None
    parameters: Mapping[str, object] = field(default_factory=dict)
    frameworks: Mapping[str, str] = field(default_factory=dict)
    slope_parameter: str | None = None
    network_derivative: NetworkDerivative | None = None

    @property
    def properties(self) -> ActivationProperties:
        """The declared properties, as :data:`relukit.properties.PROPERTIES` holds them.

        Returns
        -------
        ActivationProperties
            The declaration's properties, with ``continuous=True`` (every activation is).

        Examples
        --------
        >>> from relukit.registry import REGISTRY
        >>> REGISTRY["selu"].properties.zero_centred
        True
        """
        return ActivationProperties(
            name=self.name,
            function=self.function,
            derivative=self.derivative,
            range=self.range,
            continuous=True,
            kinks=tuple(k.at for k in self.kinks),
            smoothness=self.smoothness,
            monotonicity=self.monotonicity,
            zero_centred=self.zero_centred,
            minimum=self.minimum,
            parameters=self.parameters,
        )

    @property
    def public_names(self) -> tuple[str, ...]:
        """The names of its two functions, or ``()`` for a variant of another entry's.

        Returns
        -------
        tuple of str
            The function's and the derivative's names, as exported by relukit.

        Examples
        --------
        >>> from relukit.registry import REGISTRY
        >>> REGISTRY["selu"].public_names, REGISTRY["gelu_tanh"].public_names
        (('selu', 'selu_derivative'), ())
        """
        if not hasattr(self.function, "__name__"):  # a functools.partial: a variant
            return ()
        return (self.function.__name__, self.derivative.__name__)

    def network_forward(self, z: np.ndarray, slope: float) -> np.ndarray:
        """The activation of a network layer: ``function(z)``, with the network's slope.

        Parameters
        ----------
        z : numpy.ndarray
            Pre-activations.
        slope : float
            The network's ``negative_slope``, passed on if :attr:`slope_parameter` is set.

        Returns
        -------
        numpy.ndarray
            The activations, in ``z``'s dtype.

        Examples
        --------
        >>> import numpy as np
        >>> from relukit.registry import REGISTRY
        >>> REGISTRY["leaky_relu"].network_forward(np.array([-1.0, 2.0]), 0.25)
        array([-0.25,  2.  ])
        """
        if self.slope_parameter is None:
            return np.asarray(self.function(z))
        return np.asarray(self.function(z, **{self.slope_parameter: slope}))

    def network_backward(self, z: np.ndarray, kink_position: float, slope: float) -> np.ndarray:
        """The derivative a network layer uses, with ``kink_position`` at a kink at 0.

        Parameters
        ----------
        z : numpy.ndarray
            Pre-activations.
        kink_position : float
            In [0, 1]: the point of the subdifferential used at a kink at 0, 0 for the
            left-hand derivative and 1 for the right-hand one. Kinks elsewhere keep the
            derivative function's own convention.
        slope : float
            The network's ``negative_slope``.

        Returns
        -------
        numpy.ndarray
            The derivative, in ``z``'s dtype.

        Examples
        --------
        >>> import numpy as np
        >>> from relukit.registry import REGISTRY
        >>> REGISTRY["relu"].network_backward(np.array([-1.0, 0.0, 2.0]), 0.5, 0.01)
        array([0. , 0.5, 1. ])
        """
        if self.network_derivative is not None:
            return self.network_derivative(z, kink_position, slope)
        if self.slope_parameter is None:
            d = np.asarray(self.derivative(z))
        else:
            d = np.asarray(self.derivative(z, **{self.slope_parameter: slope}))
        for kink in self.kinks:
            if kink.at == 0.0:
                value = kink.left + kink_position * (kink.right - kink.left)
                np.copyto(d, value, where=z == 0)
        return d


_ENTRIES: dict[str, Activation] = {}

#: Every registered activation, by key, in the order of registration (read only).
REGISTRY: Mapping[str, Activation] = MappingProxyType(_ENTRIES)


def register(entry: Activation) -> Activation:
    """Add an activation to :data:`REGISTRY`.

    Parameters
    ----------
    entry : Activation
        The declaration.

    Returns
    -------
    Activation
        ``entry``, unchanged.

    Raises
    ------
    ValueError
        If its key is taken, or a network slope is named but no network derivative given
        while the function has a kink (the kink's one-sided derivatives would depend on the
        slope).

    Examples
    --------
    >>> from relukit.registry import REGISTRY, register
    >>> register(REGISTRY["relu"])
    Traceback (most recent call last):
      ...
    ValueError: an activation 'relu' is already registered
    """
    if entry.key in _ENTRIES:
        raise ValueError(f"an activation {entry.key!r} is already registered")
    if entry.slope_parameter and entry.kinks and entry.network_derivative is None:
        raise ValueError(f"{entry.key}: a slope-dependent kink needs a network_derivative")
    _ENTRIES[entry.key] = entry
    return entry


# The declarations live beside their functions: import them, so that the registry is complete
# whichever module is imported first (at the end, once every name above exists).
import relukit.activations  # noqa: E402, F401
