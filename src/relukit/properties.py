"""The mathematical properties each activation declares, as data.

The book renders its comparison table from :data:`PROPERTIES`, and the tests check every
declared property numerically against the functions themselves, so the table cannot
disagree with the code it describes. Properties are for the default parameters.

The declarations themselves live in the registry (:mod:`relukit.registry`), one per
activation, beside its functions in :mod:`relukit.activations`; this module is their view as
properties.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from relukit import activations as _activations
from relukit.registry import REGISTRY, ActivationProperties, Monotonicity

__all__ = [
    "GELU_MINIMUM",
    "GELU_TANH_MINIMUM",
    "PROPERTIES",
    "SILU_MINIMUM",
    "ActivationProperties",
    "Monotonicity",
]

#: SiLU's global minimum ``(x, f(x))``: :math:`(-1 - W(1/e), -W(1/e))`.
SILU_MINIMUM: tuple[float, float] = _activations._SILU_MINIMUM
#: The exact GELU's global minimum ``(x, f(x))``, found numerically.
GELU_MINIMUM: tuple[float, float] = _activations._GELU_MINIMUM
#: The global minimum ``(x, f(x))`` of GELU's tanh form, found numerically.
GELU_TANH_MINIMUM: tuple[float, float] = _activations._GELU_TANH_MINIMUM

#: Every activation's declared properties, keyed by the relukit function's name
#: (``"gelu_tanh"`` for GELU's tanh approximation), in the registry's order.
PROPERTIES: Mapping[str, ActivationProperties] = MappingProxyType(
    {key: entry.properties for key, entry in REGISTRY.items()}
)
