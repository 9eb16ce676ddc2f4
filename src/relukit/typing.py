"""The types in relukit's signatures, for readers of the API and for type checkers.

Every elementwise function of :mod:`relukit.activations` has the static type
:class:`Elementwise` (or :class:`ElementwiseKeepingIntegers` for :func:`relukit.relu`), whose
overloads say what a call returns for each kind of input, as the functions behave:

========================================  =================================================
input                                     result
========================================  =================================================
a numpy float scalar (``np.float32(1)``)  a numpy scalar of the same type
a Python float or int, a numpy integer    ``numpy.float64`` (``relu``: ``numpy.int64`` for
                                          an int, and an integer scalar keeps its type)
an ndarray of a float dtype               an ndarray of that dtype, or a numpy scalar of it
                                          if the array is 0-d
a list or tuple of numbers                an ndarray of float64 (``relu``: int64 for ints)
``out=buffer``                            ``buffer`` itself
========================================  =================================================
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import (
    Any,
    Concatenate,
    Literal,
    ParamSpec,
    Protocol,
    TypeAlias,
    TypeVar,
    cast,
    overload,
)

import numpy as np
import numpy.typing as npt

__all__ = [
    "ArrayLike",
    "Elementwise",
    "ElementwiseKeepingIntegers",
    "GeluApproximation",
    "RealArray",
]

#: The input relukit's functions accept statically, anything :func:`numpy.asarray` accepts
#: (``numpy.typing.ArrayLike``). At run time the input contract is narrower: real numbers
#: and arrays of dtype float16, float32, float64 or an integer type; anything else (strings,
#: booleans, complex numbers) raises :class:`TypeError`.
ArrayLike: TypeAlias = npt.ArrayLike

#: The result of an elementwise function, an ndarray, or a numpy scalar for scalar (and
#: 0-d) input.
RealArray: TypeAlias = npt.NDArray[Any] | np.generic

#: The forms of GELU, ``"none"`` for the exact one and ``"tanh"`` for the tanh approximation.
GeluApproximation: TypeAlias = Literal["none", "tanh"]

_P = ParamSpec("_P")
_Float = TypeVar("_Float", np.float16, np.float32, np.float64)
_Real = TypeVar("_Real", bound=np.integer[Any] | np.floating[Any])
_Out = TypeVar("_Out", bound=npt.NDArray[Any])
_Floats = Sequence[float] | Sequence[Sequence[float]]
_Ints = Sequence[int] | Sequence[Sequence[int]]


class Elementwise(Protocol[_P]):
    """The static type of an elementwise function of relukit (parameters ``_P`` after ``x``).

    Its overloads give the result's type for each kind of ``x``; see :mod:`relukit.typing`.
    With ``out=`` the result's type is ``out``'s, and the other arguments are not checked
    statically.

    Examples
    --------
    >>> import numpy as np
    >>> import relukit
    >>> type(relukit.sigmoid(0.0)), type(relukit.sigmoid(np.float32(0.0)))
    (<class 'numpy.float64'>, <class 'numpy.float32'>)
    """

    @overload
    def __call__(self, x: ArrayLike, /, *args: Any, out: _Out, **kwargs: Any) -> _Out: ...
    @overload
    def __call__(self, x: _Float, /, *args: _P.args, **kwargs: _P.kwargs) -> _Float: ...
    @overload
    def __call__(
        self, x: float | np.integer[Any], /, *args: _P.args, **kwargs: _P.kwargs
    ) -> np.float64: ...
    @overload
    def __call__(
        self, x: npt.NDArray[_Float], /, *args: _P.args, **kwargs: _P.kwargs
    ) -> npt.NDArray[_Float] | _Float: ...
    @overload
    def __call__(
        self, x: npt.NDArray[np.integer[Any]], /, *args: _P.args, **kwargs: _P.kwargs
    ) -> npt.NDArray[np.float64] | np.float64: ...
    @overload
    def __call__(
        self, x: _Floats, /, *args: _P.args, **kwargs: _P.kwargs
    ) -> npt.NDArray[np.float64]: ...
    @overload
    def __call__(
        self, x: ArrayLike, /, *args: _P.args, **kwargs: _P.kwargs
    ) -> npt.NDArray[np.floating[Any]] | np.floating[Any]: ...


class ElementwiseKeepingIntegers(Protocol[_P]):
    """Like :class:`Elementwise`, for a function that keeps integer dtypes (``relu``).

    Examples
    --------
    >>> import relukit
    >>> type(relukit.relu(-3)), type(relukit.relu(-3.0))
    (<class 'numpy.int64'>, <class 'numpy.float64'>)
    """

    @overload
    def __call__(self, x: ArrayLike, /, *args: Any, out: _Out, **kwargs: Any) -> _Out: ...
    @overload
    def __call__(self, x: _Real, /, *args: _P.args, **kwargs: _P.kwargs) -> _Real: ...
    @overload
    def __call__(self, x: int, /, *args: _P.args, **kwargs: _P.kwargs) -> np.int64: ...
    @overload
    def __call__(self, x: float, /, *args: _P.args, **kwargs: _P.kwargs) -> np.float64: ...
    @overload
    def __call__(
        self, x: npt.NDArray[_Real], /, *args: _P.args, **kwargs: _P.kwargs
    ) -> npt.NDArray[_Real] | _Real: ...
    @overload
    def __call__(
        self, x: _Ints, /, *args: _P.args, **kwargs: _P.kwargs
    ) -> npt.NDArray[np.int64]: ...
    @overload
    def __call__(
        self, x: _Floats, /, *args: _P.args, **kwargs: _P.kwargs
    ) -> npt.NDArray[np.float64]: ...
    @overload
    def __call__(
        self, x: ArrayLike, /, *args: _P.args, **kwargs: _P.kwargs
    ) -> npt.NDArray[np.integer[Any] | np.floating[Any]] | np.integer[Any] | np.floating[Any]: ...


def _elementwise(function: Callable[Concatenate[ArrayLike, _P], RealArray]) -> Elementwise[_P]:
    """Give an elementwise function its precise static type; at run time, return it as is.

    Parameters
    ----------
    function : collections.abc.Callable
        A function of ``x`` (and keyword parameters) that follows the input contract.

    Returns
    -------
    Elementwise
        ``function`` itself.

    Examples
    --------
    >>> import relukit
    >>> from relukit.typing import _elementwise
    >>> _elementwise(relukit.tanh) is relukit.tanh
    True
    """
    return cast("Elementwise[_P]", function)


def _elementwise_keeping_integers(
    function: Callable[Concatenate[ArrayLike, _P], RealArray],
) -> ElementwiseKeepingIntegers[_P]:
    """Like :func:`_elementwise`, for a function that keeps integer dtypes.

    Parameters
    ----------
    function : collections.abc.Callable
        A function of ``x`` (and keyword parameters) that follows the input contract.

    Returns
    -------
    ElementwiseKeepingIntegers
        ``function`` itself.

    Examples
    --------
    >>> import relukit
    >>> from relukit.typing import _elementwise_keeping_integers
    >>> _elementwise_keeping_integers(relukit.relu) is relukit.relu
    True
    """
    return cast("ElementwiseKeepingIntegers[_P]", function)
