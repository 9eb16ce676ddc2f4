"""relukit.quantisation: codes, values, calibration, ReLU through requantisation, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import relukit
from relukit.quantisation import calibrate_scale, code_range, dequantise, quantise

BITS = st.integers(2, 16)
SCALES = st.floats(1e-6, 1e3, allow_nan=False, allow_infinity=False)
VALUES = st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=50)


# Reference values, computed by hand -------------------------------------------------------


def test_code_ranges_of_signed_and_unsigned_integers() -> None:
    assert code_range(8, signed=True) == (-128, 127)
    assert code_range(8, signed=False) == (0, 255)
    assert code_range(4, signed=True) == (-8, 7)
    assert code_range(2, signed=False) == (0, 3)
    assert code_range(16, signed=True) == (-32768, 32767)


def test_quantise_rounds_to_nearest_with_ties_to_even_and_clips() -> None:
    # x / s = 0, 0.5, 1.5, 2.5, 2.6, -1, 600 with s = 0.5
    x = [0.0, 0.25, 0.75, 1.25, 1.3, -0.5, 300.0]
    assert quantise(x, 0.5).tolist() == [0, 0, 2, 2, 3, 0, 255]
    assert quantise(x, 0.5, signed=True).tolist() == [0, 0, 2, 2, 3, -1, 127]


def test_quantise_adds_the_zero_point_before_clipping() -> None:
    codes = quantise([0.0, 1.0, -1.0, 300.0], 1.0, zero_point=-128, signed=True)
    assert codes.tolist() == [-128, -127, -128, 127]
    assert quantise([0.0, 2.0], 1.0, zero_point=3, bits=2).tolist() == [3, 3]


def test_quantise_returns_the_smallest_integer_dtype_that_holds_the_codes() -> None:
    assert quantise([1.0], 1.0, bits=8).dtype == np.uint8
    assert quantise([1.0], 1.0, bits=8, signed=True).dtype == np.int8
    assert quantise([1.0], 1.0, bits=4, signed=True).dtype == np.int8
    assert quantise([1.0], 1.0, bits=12).dtype == np.uint16
    assert quantise([1.0], 1.0, bits=16, signed=True).dtype == np.int16


def test_infinities_are_clipped_to_the_ends_of_the_range() -> None:
    codes = quantise([np.inf, -np.inf, 1e308], 1e-300, signed=True)
    assert codes.tolist() == [127, -128, 127]


def test_dequantise_reference_values() -> None:
    assert dequantise(np.array([0, 1, 255], dtype=np.uint8), 0.5).tolist() == [0.0, 0.5, 127.5]
    values = dequantise(np.array([-128, 0, 127], dtype=np.int8), 0.25, zero_point=-128)
    assert values.tolist() == [0.0, 32.0, 63.75]
    assert dequantise(np.array([-3], dtype=np.int8), 2.0).dtype == np.float64


def test_calibrate_scale_maps_the_largest_value_to_the_largest_code() -> None:
    assert calibrate_scale([0.0, 1.0, 2.55]) == 2.55 / 255
    assert calibrate_scale([-1.27, 0.5], signed=True) == 1.27 / 127
    assert calibrate_scale([0.0, 3.0], bits=4, signed=True) == 3.0 / 7
    data = np.arange(1, 101, dtype=float)  # percentile 50 of 1..100 is 50.5
    assert calibrate_scale(data, percentile=50) == 50.5 / 255


def test_unsigned_calibration_ignores_negative_values() -> None:
    # unsigned codes with zero point 0 send every negative value to code 0
    assert calibrate_scale([-10.0, 1.0], signed=False) == 1.0 / 255
    assert calibrate_scale([-10.0, 1.0], signed=True) == 10.0 / 127
    data = np.array([-5.0, -1.0, 0.0, 0.0, 2.0, 4.0])  # max(x, 0): 0, 0, 0, 0, 2, 4
    assert calibrate_scale(data, percentile=75) == np.percentile([0, 0, 0, 0, 2, 4], 75) / 255
    with pytest.raises(ValueError, match=r"max\(x, 0\)"):
        calibrate_scale([-3.0, -1.0])


def test_the_signed_step_is_2_plus_1_over_2_to_the_b_minus_1_minus_1_times_the_unsigned() -> None:
    data = np.linspace(0.0, 5.0, 11)
    for b in range(2, 17):
        ratio = calibrate_scale(data, bits=b, signed=True) / calibrate_scale(data, bits=b)
        assert ratio == pytest.approx(2 + 1 / (2 ** (b - 1) - 1), rel=1e-12)


# Properties -------------------------------------------------------------------------------


@given(values=VALUES, scale=SCALES, bits=BITS, signed=st.booleans())
def test_codes_lie_in_the_range(values: list[float], scale: float, bits: int, signed: bool) -> None:
    low, high = code_range(bits, signed)
    codes = quantise(values, scale, bits=bits, signed=signed).astype(np.int64)
    assert codes.min() >= low
    assert codes.max() <= high


@given(values=VALUES, scale=SCALES, bits=BITS, signed=st.booleans())
def test_error_is_at_most_half_a_step_where_nothing_is_clipped(
    values: list[float], scale: float, bits: int, signed: bool
) -> None:
    low, high = code_range(bits, signed)
    x = np.array(values)
    x = x[(x / scale >= low) & (x / scale <= high)]
    back = dequantise(quantise(x, scale, bits=bits, signed=signed), scale)
    assert np.all(np.abs(back - x) <= scale / 2 * (1 + 1e-9))


@given(values=VALUES, scale=SCALES, bits=BITS, signed=st.booleans(), data=st.data())
def test_quantising_the_values_of_codes_gives_the_codes_back(
    values: list[float], scale: float, bits: int, signed: bool, data: st.DataObject
) -> None:
    low, high = code_range(bits, signed)
    z = data.draw(st.integers(low, high))
    codes = quantise(values, scale, zero_point=z, bits=bits, signed=signed)
    again = quantise(dequantise(codes, scale, zero_point=z), scale, zero_point=z, bits=bits,
                     signed=signed)  # fmt: skip
    assert np.array_equal(again, codes)


@given(values=VALUES, scale=SCALES, bits=BITS, signed=st.booleans())
def test_quantise_is_non_decreasing(
    values: list[float], scale: float, bits: int, signed: bool
) -> None:
    x = np.sort(np.array(values))
    codes = quantise(x, scale, bits=bits, signed=signed).astype(np.int64)
    assert np.all(np.diff(codes) >= 0)


@given(
    accumulators=st.lists(st.integers(-(2**31), 2**31 - 1), min_size=1, max_size=50),
    multiplier=st.floats(1e-9, 10.0),
    bits=BITS,
    data=st.data(),
)
def test_requantising_before_or_after_relu_differs_by_a_clamp_at_the_zero_point(
    accumulators: list[int], multiplier: float, bits: int, data: st.DataObject
) -> None:
    low, high = code_range(bits, signed=True)
    z = data.draw(st.integers(low, high))
    acc = np.array(accumulators, dtype=np.int64)
    after = quantise(relukit.relu(acc).astype(np.float64), 1 / multiplier, zero_point=z,
                     bits=bits, signed=True).astype(np.int64)  # fmt: skip
    before = quantise(acc.astype(np.float64), 1 / multiplier, zero_point=z, bits=bits,
                      signed=True).astype(np.int64)  # fmt: skip
    assert np.array_equal(after, np.maximum(before, z))


@given(values=st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=50), bits=BITS)
def test_relu6_with_the_scale_6_over_the_largest_code_is_the_clip_itself(
    values: list[float], bits: int
) -> None:
    s = 6 / code_range(bits, signed=False)[1]
    x = np.array(values)
    assert np.array_equal(quantise(relukit.relu6(x), s, bits=bits), quantise(x, s, bits=bits))


# The input contract -----------------------------------------------------------------------


@pytest.mark.parametrize("bits", [1, 17, 0, -8])
def test_bits_out_of_range_raise_value_error(bits: int) -> None:
    with pytest.raises(ValueError, match="bits"):
        code_range(bits)
    with pytest.raises(ValueError, match="bits"):
        quantise([1.0], 1.0, bits=bits)


@pytest.mark.parametrize("bits", [8.0, True, "8", None])
def test_bits_that_are_not_integers_raise_type_error(bits: object) -> None:
    with pytest.raises(TypeError, match="bits"):
        code_range(bits)  # type: ignore[arg-type]


@pytest.mark.parametrize("signed", [1, "yes", None])
def test_signed_must_be_a_boolean(signed: object) -> None:
    with pytest.raises(TypeError, match="signed"):
        quantise([1.0], 1.0, signed=signed)  # type: ignore[arg-type]


@pytest.mark.parametrize("scale", [0.0, -1.0, np.inf, np.nan])
def test_scale_must_be_positive_and_finite(scale: float) -> None:
    with pytest.raises(ValueError, match="scale"):
        quantise([1.0], scale)
    with pytest.raises(ValueError, match="scale"):
        dequantise(np.array([1], dtype=np.uint8), scale)


def test_scale_must_be_a_real_number() -> None:
    with pytest.raises(TypeError, match="scale"):
        quantise([1.0], "0.5")  # type: ignore[arg-type]


def test_zero_point_must_be_a_code_of_the_range() -> None:
    with pytest.raises(ValueError, match="zero_point"):
        quantise([1.0], 1.0, zero_point=-1)  # unsigned
    with pytest.raises(ValueError, match="zero_point"):
        quantise([1.0], 1.0, zero_point=128, signed=True)
    with pytest.raises(TypeError, match="zero_point"):
        quantise([1.0], 1.0, zero_point=0.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="zero_point"):
        dequantise(np.array([1], dtype=np.int8), 1.0, zero_point=1.5)  # type: ignore[arg-type]


def test_nan_has_no_code() -> None:
    with pytest.raises(ValueError, match="NaN"):
        quantise([1.0, np.nan], 1.0)


@pytest.mark.parametrize("bad", [np.array([True]), np.array([1 + 2j]), "3", None])
def test_input_that_is_not_real_numbers_raises_type_error(bad: object) -> None:
    with pytest.raises(TypeError):
        quantise(bad, 1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        calibrate_scale(bad)  # type: ignore[arg-type]


def test_dequantise_needs_integer_codes() -> None:
    with pytest.raises(TypeError, match="integer codes"):
        dequantise(np.array([1.0]), 1.0)


def test_calibrate_scale_rejects_data_it_cannot_calibrate_on() -> None:
    with pytest.raises(ValueError, match="empty"):
        calibrate_scale(np.array([]))
    with pytest.raises(ValueError, match="finite"):
        calibrate_scale([1.0, np.inf])
    with pytest.raises(ValueError, match="percentile"):
        calibrate_scale([0.0, 0.0, 1.0], percentile=50)
    for p in (0.0, 100.5, -1.0):
        with pytest.raises(ValueError, match="percentile"):
            calibrate_scale([1.0], percentile=p)
