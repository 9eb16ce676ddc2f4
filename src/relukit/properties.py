"""The mathematical properties each activation declares, as data.

The book renders its comparison table from :data:`PROPERTIES`, and the tests check every
declared property numerically against the functions themselves, so the table cannot
disagree with the code it describes. Properties are for the default parameters.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from types import MappingProxyType
from typing import Any, Literal

from relukit import activations as act
from relukit.interval import Interval

__all__ = ["PROPERTIES", "ActivationProperties", "Monotonicity"]

Monotonicity = Literal["increasing", "non-decreasing", "neither"]

INF = math.inf
# Minima of the non-monotone activations, found by minimising the functions themselves
# (tests/test_properties.py recomputes them). SiLU's has a closed form: -W(1/e).
SILU_MINIMUM = (-1.2784645427610738, -0.2784645427610738)
GELU_MINIMUM = (-0.7517915248767215, -0.16997120747990369)
GELU_TANH_MINIMUM = (-0.7524614249147059, -0.1700407505712541)


@dataclass(frozen=True, kw_only=True)
class ActivationProperties:
    """What is true of one activation, with the functions it is true of.

    Attributes
    ----------
    name
        The display name.
    function, derivative
        The relukit functions, with the default parameters.
    range
        The image of the real line.
    continuous
        Continuous on the whole real line.
    kinks
        The points where the function is not differentiable (the one-sided derivatives differ).
    smoothness
        The largest ``k`` for which the function is ``k`` times continuously differentiable:
        0 for a function with kinks, ``math.inf`` for a smooth one.
    monotonicity
        ``"increasing"`` (strictly), ``"non-decreasing"``, or ``"neither"``.
    zero_centred
        Whether the mean output for a standard normal input is 0.
    minimum
        ``(x, f(x))`` of an attained global minimum where it is not a limit, else ``None``.
    parameters
        The default parameters the properties hold for.
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
        """Differentiable at every real point."""
        return not self.kinks

    @property
    def smooth(self) -> bool:
        """Infinitely differentiable everywhere."""
        return math.isinf(self.smoothness)

    @property
    def bounded(self) -> bool:
        return self.range.bounded


_ALL = [
    ActivationProperties(
        name="ReLU",
        function=act.relu,
        derivative=act.relu_derivative,
        range=Interval(0.0, INF, low_closed=True),
        continuous=True,
        kinks=(0.0,),
        smoothness=0,
        monotonicity="non-decreasing",
        zero_centred=False,
    ),
    ActivationProperties(
        name="Leaky ReLU",
        function=act.leaky_relu,
        derivative=act.leaky_relu_derivative,
        range=Interval(-INF, INF),
        continuous=True,
        kinks=(0.0,),
        smoothness=0,
        monotonicity="increasing",
        zero_centred=False,
        parameters={"negative_slope": 0.01},
    ),
    ActivationProperties(
        name="ReLU6",
        function=act.relu6,
        derivative=act.relu6_derivative,
        range=Interval(0.0, 6.0, low_closed=True, high_closed=True),
        continuous=True,
        kinks=(0.0, 6.0),
        smoothness=0,
        monotonicity="non-decreasing",
        zero_centred=False,
    ),
    ActivationProperties(
        name="ELU",
        function=act.elu,
        derivative=act.elu_derivative,
        range=Interval(-1.0, INF),
        continuous=True,
        kinks=(),
        smoothness=1,
        monotonicity="increasing",
        zero_centred=False,
        parameters={"alpha": 1.0},
    ),
    ActivationProperties(
        name="Softplus",
        function=act.softplus,
        derivative=act.softplus_derivative,
        range=Interval(0.0, INF),
        continuous=True,
        kinks=(),
        smoothness=INF,
        monotonicity="increasing",
        zero_centred=False,
        parameters={"beta": 1.0},
    ),
    ActivationProperties(
        name="Sigmoid",
        function=act.sigmoid,
        derivative=act.sigmoid_derivative,
        range=Interval(0.0, 1.0),
        continuous=True,
        kinks=(),
        smoothness=INF,
        monotonicity="increasing",
        zero_centred=False,
    ),
    ActivationProperties(
        name="Tanh",
        function=act.tanh,
        derivative=act.tanh_derivative,
        range=Interval(-1.0, 1.0),
        continuous=True,
        kinks=(),
        smoothness=INF,
        monotonicity="increasing",
        zero_centred=True,
    ),
    ActivationProperties(
        name="SiLU / Swish",
        function=act.silu,
        derivative=act.silu_derivative,
        range=Interval(SILU_MINIMUM[1], INF, low_closed=True),
        continuous=True,
        kinks=(),
        smoothness=INF,
        monotonicity="neither",
        zero_centred=False,
        minimum=SILU_MINIMUM,
    ),
    ActivationProperties(
        name="GELU",
        function=act.gelu,
        derivative=act.gelu_derivative,
        range=Interval(GELU_MINIMUM[1], INF, low_closed=True),
        continuous=True,
        kinks=(),
        smoothness=INF,
        monotonicity="neither",
        zero_centred=False,
        minimum=GELU_MINIMUM,
        parameters={"approximate": "none"},
    ),
    ActivationProperties(
        name="GELU (tanh)",
        function=partial(act.gelu, approximate="tanh"),
        derivative=partial(act.gelu_derivative, approximate="tanh"),
        range=Interval(GELU_TANH_MINIMUM[1], INF, low_closed=True),
        continuous=True,
        kinks=(),
        smoothness=INF,
        monotonicity="neither",
        zero_centred=False,
        minimum=GELU_TANH_MINIMUM,
        parameters={"approximate": "tanh"},
    ),
]

#: Every activation's declared properties, keyed by the relukit function's name
#: (``"gelu_tanh"`` for GELU's tanh approximation).
PROPERTIES: Mapping[str, ActivationProperties] = MappingProxyType(
    dict(
        zip(
            [
                "relu",
                "leaky_relu",
                "relu6",
                "elu",
                "softplus",
                "sigmoid",
                "tanh",
                "silu",
                "gelu",
                "gelu_tanh",
            ],
            _ALL,
            strict=True,
        )
    )
)
