"""relukit.interval.Interval: membership at open and closed ends, validation, printing."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relukit import Interval

INF = math.inf


def test_contains_respects_closed_and_open_ends() -> None:
    values = [-1.0, 0.0, 0.5, 1.0, 2.0]
    closed = Interval(0.0, 1.0, low_closed=True, high_closed=True)
    half_open = Interval(0.0, 1.0, low_closed=True)
    opened = Interval(0.0, 1.0)
    assert closed.contains(values).tolist() == [False, True, True, True, False]
    assert half_open.contains(values).tolist() == [False, True, True, False, False]
    assert opened.contains(values).tolist() == [False, False, True, False, False]


def test_contains_is_elementwise_and_keeps_the_shape() -> None:
    result = Interval(0.0, INF, low_closed=True).contains(np.array([[-1.0, 0.0], [3.0, INF]]))
    assert result.dtype == np.bool_
    assert result.tolist() == [[False, True], [True, False]]


def test_nan_is_never_a_member() -> None:
    everything = Interval(-INF, INF)
    assert not everything.contains(math.nan)
    assert math.nan not in everything
    assert everything.contains([1e308, -1e308, math.nan]).tolist() == [True, True, False]


def test_the_in_operator() -> None:
    assert 0.5 in Interval(0.0, 1.0)
    assert 1.0 not in Interval(0.0, 1.0)
    assert 1.0 in Interval(0.0, 1.0, high_closed=True)
    assert -0.0 in Interval(0.0, 1.0, low_closed=True)  # -0.0 == 0.0


@given(
    low=st.floats(-1e300, 1e300),
    width=st.floats(1e-300, 1e300),
    low_closed=st.booleans(),
    high_closed=st.booleans(),
)
def test_ends_belong_iff_closed_and_the_inside_always(
    low: float, width: float, low_closed: bool, high_closed: bool
) -> None:
    high = low + width
    if high == low:  # width vanished in rounding: not the case this test is about
        high = float(np.nextafter(low, INF))
    interval = Interval(low, high, low_closed=low_closed, high_closed=high_closed)
    assert (low in interval) == low_closed
    assert (high in interval) == high_closed
    assert float(np.nextafter(low, -INF)) not in interval
    assert float(np.nextafter(high, INF)) not in interval
    assert float(np.nextafter(low, INF)) in interval or float(np.nextafter(low, INF)) == high


def test_point_is_the_closed_degenerate_interval() -> None:
    p = Interval.point(2.5)
    assert (p.low, p.high, p.low_closed, p.high_closed) == (2.5, 2.5, True, True)
    assert p.contains([2.5, float(np.nextafter(2.5, 3.0))]).tolist() == [True, False]


def test_an_interval_with_equal_ends_and_an_open_end_is_empty() -> None:
    for interval in (Interval(1.0, 1.0), Interval(1.0, 1.0, low_closed=True)):
        assert not interval.contains(1.0)
        assert str(interval) != "{1}"


@pytest.mark.parametrize(
    ("interval", "bounded_below", "bounded_above"),
    [
        (Interval(0.0, 1.0), True, True),
        (Interval(0.0, INF, low_closed=True), True, False),
        (Interval(-INF, 0.0), False, True),
        (Interval(-INF, INF), False, False),
    ],
)
def test_boundedness(interval: Interval, bounded_below: bool, bounded_above: bool) -> None:
    assert interval.bounded_below == bounded_below
    assert interval.bounded_above == bounded_above
    assert interval.bounded == (bounded_below and bounded_above)


@pytest.mark.parametrize(
    ("low", "high", "low_closed", "high_closed", "message"),
    [
        (1.0, 0.0, False, False, "not an interval"),
        (math.nan, 1.0, False, False, "not an interval"),
        (0.0, math.nan, False, False, "not an interval"),
        (-INF, 0.0, True, False, "infinite end cannot be closed"),
        (0.0, INF, False, True, "infinite end cannot be closed"),
    ],
)
def test_invalid_intervals_are_rejected(
    low: float, high: float, low_closed: bool, high_closed: bool, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Interval(low, high, low_closed=low_closed, high_closed=high_closed)


def test_point_at_infinity_is_rejected() -> None:
    with pytest.raises(ValueError, match="infinite end"):
        Interval.point(INF)


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (Interval(0.0, INF, low_closed=True), "[0, ∞)"),
        (Interval(-INF, INF), "(-∞, ∞)"),
        (Interval(-1.0, 1.0), "(-1, 1)"),
        (Interval(0.0, 6.0, low_closed=True, high_closed=True), "[0, 6]"),
        (Interval(-0.2784645427610738, INF, low_closed=True), "[-0.278465, ∞)"),
        (Interval.point(0.0), "{0}"),
        (Interval(1.0, 1.0), "(1, 1)"),
    ],
)
def test_str_uses_bracket_notation(interval: Interval, text: str) -> None:
    assert str(interval) == text


def test_intervals_are_immutable_values() -> None:
    interval = Interval(0.0, 1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        interval.low = -1.0  # type: ignore[misc]
    assert interval == Interval(0.0, 1.0)
    assert interval != Interval(0.0, 1.0, low_closed=True)
    assert hash(interval) == hash(Interval(0.0, 1.0))
