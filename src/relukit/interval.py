"""A real interval with open or closed ends: the range of an activation, a subdifferential."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from relukit.typing import ArrayLike

__all__ = ["Interval"]


def _format_end(value: float) -> str:
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    return f"{value:.6g}"


@dataclass(frozen=True)
class Interval:
    """The set of reals between ``low`` and ``high``, each end open or closed.

    An infinite end is always open.

    Examples
    --------
    >>> from relukit import Interval
    >>> nonnegative = Interval(0.0, float("inf"), low_closed=True)
    >>> print(nonnegative)
    [0, ∞)
    >>> nonnegative.contains([-1.0, 0.0, 5.0]).tolist()
    [False, True, True]
    """

    low: float
    high: float
    low_closed: bool = False
    high_closed: bool = False

    def __post_init__(self) -> None:
        if math.isnan(self.low) or math.isnan(self.high) or self.low > self.high:
            raise ValueError(f"not an interval: low={self.low}, high={self.high}")
        if (math.isinf(self.low) and self.low_closed) or (
            math.isinf(self.high) and self.high_closed
        ):
            raise ValueError("an infinite end cannot be closed")

    @classmethod
    def point(cls, value: float) -> Interval:
        """The degenerate interval [value, value].

        Parameters
        ----------
        value : float
            Its one point.

        Returns
        -------
        Interval
            ``[value, value]``.

        Examples
        --------
        >>> from relukit import Interval
        >>> print(Interval.point(1.0))
        {1}
        """
        return cls(value, value, low_closed=True, high_closed=True)

    @property
    def bounded_below(self) -> bool:
        """Whether the low end is finite.

        Returns
        -------
        bool
            ``low > -inf``.

        Examples
        --------
        >>> from relukit import Interval
        >>> Interval(0.0, float("inf")).bounded_below
        True
        """
        return math.isfinite(self.low)

    @property
    def bounded_above(self) -> bool:
        """Whether the high end is finite.

        Returns
        -------
        bool
            ``high < inf``.

        Examples
        --------
        >>> from relukit import Interval
        >>> Interval(0.0, float("inf")).bounded_above
        False
        """
        return math.isfinite(self.high)

    @property
    def bounded(self) -> bool:
        """Whether both ends are finite.

        Returns
        -------
        bool
            Bounded below and above.

        Examples
        --------
        >>> from relukit import Interval
        >>> Interval(-1.0, 1.0).bounded
        True
        """
        return self.bounded_below and self.bounded_above

    def contains(self, values: ArrayLike) -> np.ndarray:
        """Elementwise membership test; NaN is never a member.

        Parameters
        ----------
        values : ArrayLike
            Real numbers.

        Returns
        -------
        numpy.ndarray
            Booleans, of the shape of ``values``.

        Examples
        --------
        >>> from relukit import Interval
        >>> Interval(0.0, 1.0, low_closed=True).contains([0.0, 1.0, float("nan")]).tolist()
        [True, False, False]
        """
        v = np.asarray(values, dtype=np.float64)
        above = v >= self.low if self.low_closed else v > self.low
        below = v <= self.high if self.high_closed else v < self.high
        return np.asarray(above & below)

    def __contains__(self, value: float) -> bool:
        return bool(self.contains(value))

    def __str__(self) -> str:
        left = "[" if self.low_closed else "("
        right = "]" if self.high_closed else ")"
        if self.low == self.high and self.low_closed and self.high_closed:
            return f"{{{_format_end(self.low)}}}"
        return f"{left}{_format_end(self.low)}, {_format_end(self.high)}{right}"
