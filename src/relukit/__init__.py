"""The relukit package: ReLU and its relatives, their derivatives, the calculus checking them.

The library behind the executable book *The Anatomy of ReLU*. The tiny network and its data
sets stay in their own namespaces, imported here so that ``import relukit`` is enough:
``relukit.network.MLP``, ``relukit.datasets.two_spirals``. ``__all__`` lists the activations
(from the registry, :mod:`relukit.registry`) and the declared properties only.
"""

from importlib.metadata import version as _version
from typing import TYPE_CHECKING

from relukit import activations as _activations
from relukit import datasets as datasets
from relukit import network as network
from relukit.activations import *  # noqa: F403  (the registry's names: see __all__)
from relukit.interval import Interval as Interval
from relukit.properties import PROPERTIES as PROPERTIES
from relukit.properties import ActivationProperties as ActivationProperties

#: The installed version of relukit, from the package's metadata.
__version__: str = _version("relukit")

# Hidden from type checkers, which cannot evaluate it (they see the same names through the
# star import above).
if not TYPE_CHECKING:
    __all__ = ["PROPERTIES", "ActivationProperties", "Interval", *_activations.__all__]
