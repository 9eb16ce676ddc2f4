"""relukit.registry: each activation declared once, and every list derived from the declarations.

The kink declarations are checked against the functions here; the other declared properties
in tests/test_properties.py.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pytest
from matplotlib import colors

import relukit
from relukit import activations, network, properties
from relukit.calculus import one_sided_derivatives
from relukit.interval import Interval
from relukit.plotting import COLORS
from relukit.registry import REGISTRY, Activation, Kink, register

KEYS = list(REGISTRY)
EVERY_ENTRY = pytest.mark.parametrize("key", KEYS)
KINKS = [(key, kink) for key, entry in REGISTRY.items() for kink in entry.kinks]


def test_every_public_function_of_activations_is_registered_once() -> None:
    """A function added to relukit.activations without a register() call is caught here."""
    defined = {
        name
        for name, value in vars(activations).items()
        if inspect.isfunction(value)
        and value.__module__ == activations.__name__
        and not name.startswith("_")
    }
    registered = [name for entry in REGISTRY.values() for name in entry.public_names]
    assert sorted(registered) == sorted(set(registered))  # each once
    assert set(registered) == defined


def test_the_public_names_are_the_registrys() -> None:
    names = [name for entry in REGISTRY.values() for name in entry.public_names]
    assert activations.__all__ == names
    assert relukit.__all__ == ["PROPERTIES", "ActivationProperties", "Interval", *names]
    for name in names:
        assert getattr(relukit, name) is getattr(activations, name)


def test_variants_have_no_public_names_of_their_own() -> None:
    tanh_form = REGISTRY["gelu_tanh"]
    assert tanh_form.public_names == ()
    assert isinstance(tanh_form.function, partial)
    assert tanh_form.function.func is relukit.gelu


def test_properties_colours_and_network_activations_come_from_the_registry() -> None:
    assert list(properties.PROPERTIES) == KEYS
    assert list(COLORS) == KEYS
    assert [a for a in network.ACTIVATIONS if a != "prelu"] == KEYS
    for key, entry in REGISTRY.items():
        assert properties.PROPERTIES[key] == entry.properties
        assert COLORS[key] == entry.color


def test_the_colours_are_distinct() -> None:
    rgba = [colors.to_rgba(entry.color) for entry in REGISTRY.values()]
    assert len(set(rgba)) == len(rgba)


PREFIXES = {"PyTorch": "torch.", "JAX": "jax.", "TensorFlow": "tf.", "Keras": "keras."}
# The libraries in which no such function was found (in their documentation and sources:
# no hard-swish or Mish in tf.nn, no squared ReLU in any): every other entry names all four.
# jax.nn.mish exists (jax/_src/nn/functions.py, added in JAX 0.4.27), as do jax.nn.hard_silu
# and its alias jax.nn.hard_swish.
ABSENT = {
    "hardswish": {"TensorFlow"},  # only Keras's, tf.keras.activations.hard_silu
    "mish": {"TensorFlow"},  # only Keras's, tf.keras.activations.mish
    "squared_relu": {"PyTorch", "JAX", "TensorFlow", "Keras"},
}


@EVERY_ENTRY
def test_every_entry_names_its_function_in_pytorch_jax_tensorflow_and_keras(key: str) -> None:
    frameworks = REGISTRY[key].frameworks
    assert set(frameworks) == set(PREFIXES) - ABSENT.get(key, set())
    for library, name in frameworks.items():
        assert name.startswith(PREFIXES[library]), (library, name)


def test_silu_and_hardswish_are_named_under_each_librarys_own_spelling() -> None:
    """SiLU is Swish with beta = 1: PyTorch and Keras say silu, JAX and TensorFlow too
    (jax.nn.swish and tf.nn.swish are aliases); hard-swish is hardswish in PyTorch and
    hard_silu in JAX and Keras (jax.nn.hard_swish and keras.activations.hard_swish are
    aliases); Mish is mish in PyTorch, JAX and Keras."""
    assert REGISTRY["silu"].frameworks == {
        "PyTorch": "torch.nn.functional.silu",
        "JAX": "jax.nn.silu",
        "TensorFlow": "tf.nn.silu",
        "Keras": "keras.activations.silu",
    }
    assert REGISTRY["hardswish"].frameworks == {
        "PyTorch": "torch.nn.functional.hardswish",
        "JAX": "jax.nn.hard_silu",
        "Keras": "keras.activations.hard_silu",
    }
    assert REGISTRY["mish"].frameworks == {
        "PyTorch": "torch.nn.functional.mish",
        "JAX": "jax.nn.mish",
        "Keras": "keras.activations.mish",
    }


@EVERY_ENTRY
def test_an_entrys_functions_are_relukits_or_variants_of_them(key: str) -> None:
    entry = REGISTRY[key]
    for function in (entry.function, entry.derivative):
        base = function.func if isinstance(function, partial) else function
        assert getattr(relukit, base.__name__) is base


# Kinks: the declared one-sided derivatives and the derivative's value there -----------------


@pytest.mark.parametrize(("key", "kink"), KINKS, ids=[f"{k}@{kink.at:g}" for k, kink in KINKS])
def test_declared_one_sided_derivatives_are_the_functions(key: str, kink: Kink) -> None:
    estimate = one_sided_derivatives(REGISTRY[key].function, kink.at)
    assert estimate.left_limit == pytest.approx(kink.left, abs=1e-6)
    assert estimate.right_limit == pytest.approx(kink.right, abs=1e-6)


@pytest.mark.parametrize(("key", "kink"), KINKS, ids=[f"{k}@{kink.at:g}" for k, kink in KINKS])
def test_the_derivative_at_a_kink_is_the_declared_value(key: str, kink: Kink) -> None:
    derivative = REGISTRY[key].derivative
    assert derivative(kink.at) == kink.value
    if kink.at == 0.0:
        assert derivative(-0.0) == kink.value


@pytest.mark.parametrize(("key", "kink"), KINKS, ids=[f"{k}@{kink.at:g}" for k, kink in KINKS])
def test_the_default_at_0_is_the_left_hand_derivative(key: str, kink: Kink) -> None:
    """relukit's convention: the left-hand derivative at 0. Elsewhere the flat or linear
    outer piece's: ReLU6 at 6 takes the right-hand one, hard-swish the left at -3 and the
    right at 3 (the product rule with ReLU6's derivative 0 at its kinks)."""
    outer = {("relu6", 6.0): kink.right, ("hardswish", -3.0): kink.left}
    outer[("hardswish", 3.0)] = kink.right
    expected = kink.left if kink.at == 0.0 else outer[(key, kink.at)]
    assert kink.value == expected


def _with_at_zero(entry: Activation) -> bool:
    return "at_zero" in inspect.signature(entry.derivative).parameters


@pytest.mark.parametrize("key", [k for k, e in REGISTRY.items() if _with_at_zero(e)])
def test_at_zero_sets_the_derivatives_value_at_0_only(key: str) -> None:
    derivative: Callable[..., Any] = REGISTRY[key].derivative
    x = np.array([-1.0, -5e-324, -0.0, 0.0, 5e-324, 1.0])
    chosen = derivative(x, at_zero=0.25)
    default = derivative(x)
    np.testing.assert_array_equal(chosen[[2, 3]], [0.25, 0.25])
    np.testing.assert_array_equal(np.delete(chosen, [2, 3]), np.delete(default, [2, 3]))


@pytest.mark.parametrize(("key", "kink"), KINKS, ids=[f"{k}@{kink.at:g}" for k, kink in KINKS])
@pytest.mark.parametrize("position", [0.0, 0.25, 1.0])
def test_the_network_moves_along_the_subdifferential_at_0_and_keeps_other_kinks(
    key: str, kink: Kink, position: float
) -> None:
    entry = REGISTRY[key]
    slope = 0.01  # the network's default negative_slope, the registry's default too
    d = entry.network_backward(np.array([kink.at, kink.at + 0.5]), position, slope)
    if kink.at == 0.0:
        assert d[0] == pytest.approx(kink.left + position * (kink.right - kink.left), rel=1e-15)
    else:
        assert d[0] == kink.value
    assert d[1] == entry.derivative(kink.at + 0.5)


# Registering ---------------------------------------------------------------------------------


def _entry(**changes: Any) -> Activation:
    declaration: dict[str, Any] = {
        "key": "relu",
        "name": "ReLU again",
        "function": relukit.relu,
        "derivative": relukit.relu_derivative,
        "range": Interval(0.0, math.inf, low_closed=True),
        "smoothness": 0,
        "monotonicity": "non-decreasing",
        "zero_centred": False,
        "color": "#123456",
        "kinks": (Kink(at=0.0, left=0.0, right=1.0, value=0.0),),
    }
    return Activation(**(declaration | changes))


def test_a_key_can_be_registered_once() -> None:
    with pytest.raises(ValueError, match="'relu' is already registered"):
        register(_entry())


def test_a_slope_dependent_kink_needs_its_own_network_derivative() -> None:
    with pytest.raises(ValueError, match="needs a network_derivative"):
        register(_entry(key="another_leaky", slope_parameter="negative_slope"))
    assert "another_leaky" not in REGISTRY


@pytest.mark.parametrize(
    ("left", "right", "value", "message"),
    [(0.0, 0.0, 0.0, "no kink"), (0.0, 1.0, 0.5, "neither one-sided derivative")],
)
def test_a_kink_must_be_a_kink_and_its_value_one_of_its_sides(
    left: float, right: float, value: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Kink(at=0.0, left=left, right=right, value=value)


def test_the_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        REGISTRY["new"] = _entry(key="new")  # type: ignore[index]
