r"""The tiny network: a multilayer perceptron in numpy, with backpropagation written out.

A network maps a batch ``x`` of shape ``(n, sizes[0])`` through hidden layers

.. math:: z_l = h_{l-1} W_l + b_l, \qquad h_l = f_l(z_l), \qquad h_0 = x,

and a last, linear layer :math:`z_L = h_{L-1} W_L + b_L` (logits for classification, values
for regression). Each hidden layer's activation :math:`f_l` is one of relukit's functions and
its derivative in the backward pass is relukit's ``*_derivative`` function. At a kink at 0
the derivative is taken at a chosen point of the subdifferential, ``kink_position`` (0 for
the left-hand derivative, 1 for the right-hand one), per run: for ReLU that point is
ReLU'(0) itself.

Every tensor of the forward and backward passes, and every parameter and optimiser state, has
the network's dtype (float16, float32 or float64). relukit evaluates float16 transcendental
functions in float32 and rounds back; numpy's float16 matrix product accumulates in float32
and rounds each result once; neither stores a wider tensor.

The network is split by job: :mod:`relukit.network.model` (:class:`MLP` and its passes),
:mod:`relukit.network.losses`, :mod:`relukit.network.optimizers`, and
:mod:`relukit.network.training` (:func:`train` and the measurements). Everything is imported
here, so ``from relukit.network import MLP, train`` works as before.

A run is reproducible bit for bit: the initial weights come from ``seed``, the order of the
mini-batches from :func:`train`'s own ``seed``, and nothing else is random.

Examples
--------
>>> import numpy as np
>>> from relukit.datasets import two_spirals
>>> from relukit.network import MLP, Adam, train
>>> x, y = two_spirals(200, seed=0)
>>> net = MLP([2, 32, 32, 2], "relu", seed=0)
>>> history = train(net, x, y, optimizer=Adam(0.01), epochs=100, batch_size=50)
>>> float(history.train_accuracy[0]), float(history.train_accuracy[-1])
(0.5, 1.0)
"""

from relukit.network.losses import LossName, mean_squared_error, softmax_cross_entropy
from relukit.network.model import (
    ACTIVATIONS,
    MLP,
    PRELU_INITIAL_SLOPE,
    DType,
    Gradients,
    Init,
    Trace,
)
from relukit.network.optimizers import SGD, Adam, Optimizer
from relukit.network.training import (
    History,
    Hook,
    StepRecord,
    accuracy,
    gradient_norms,
    train,
    zero_fraction,
)

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "PRELU_INITIAL_SLOPE",
    "SGD",
    "Adam",
    "DType",
    "Gradients",
    "History",
    "Hook",
    "Init",
    "LossName",
    "Optimizer",
    "StepRecord",
    "Trace",
    "accuracy",
    "gradient_norms",
    "mean_squared_error",
    "softmax_cross_entropy",
    "train",
    "zero_fraction",
]
