"""relukit: ReLU and its relatives, their derivatives, and the calculus that checks them.

The library behind the executable book *The Anatomy of ReLU*. The tiny network and its data
sets stay in their own namespaces, imported here so that ``import relukit`` is enough:
``relukit.network.MLP``, ``relukit.datasets.two_spirals``. ``__all__`` lists the activations
and the declared properties only.
"""

from relukit import datasets as datasets
from relukit import network as network
from relukit.activations import (
    elu,
    elu_derivative,
    gelu,
    gelu_derivative,
    leaky_relu,
    leaky_relu_derivative,
    relu,
    relu6,
    relu6_derivative,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    silu,
    silu_derivative,
    softplus,
    softplus_derivative,
    tanh,
    tanh_derivative,
)
from relukit.interval import Interval
from relukit.properties import PROPERTIES, ActivationProperties

__all__ = [
    "PROPERTIES",
    "ActivationProperties",
    "Interval",
    "elu",
    "elu_derivative",
    "gelu",
    "gelu_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "relu",
    "relu6",
    "relu6_derivative",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "silu",
    "silu_derivative",
    "softplus",
    "softplus_derivative",
    "tanh",
    "tanh_derivative",
]

__version__ = "0.1.0"
