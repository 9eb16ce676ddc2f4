"""relukit: ReLU and its relatives, their derivatives, and the calculus that checks them.

The library behind the executable book *The Anatomy of ReLU*. The tiny network and its data
sets stay in their own namespaces: ``relukit.network.MLP``, ``relukit.datasets.two_spirals``.
"""

from relukit import datasets, network
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
    "datasets",
    "elu",
    "elu_derivative",
    "gelu",
    "gelu_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "network",
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
