"""Tests for relukit.regions: the arrangement count, the sawtooth and the exact piece counter."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relukit.network import MLP
from relukit.regions import (
    count_linear_pieces,
    count_pieces,
    general_position_regions,
    sawtooth,
    segment_breakpoints,
)

# Regions of n lines (d = 2) and n planes (d = 3) in general position, n = 0..7, counted by
# hand from the recurrence r(n, d) = r(n-1, d) + r(n-1, d-1) (the lazy caterer's and the cake
# numbers).
LINES = [1, 2, 4, 7, 11, 16, 22, 29]
PLANES = [1, 2, 4, 8, 15, 26, 42, 64]


def test_general_position_regions_matches_the_lazy_caterer_and_cake_numbers() -> None:
    assert [general_position_regions(n, 2) for n in range(8)] == LINES
    assert [general_position_regions(n, 3) for n in range(8)] == PLANES
    assert [general_position_regions(n, 1) for n in range(5)] == [1, 2, 3, 4, 5]


@given(st.integers(1, 60), st.integers(1, 12))
def test_general_position_regions_satisfies_the_recurrence(n: int, d: int) -> None:
    assert general_position_regions(n, d) == general_position_regions(
        n - 1, d
    ) + general_position_regions(n - 1, d - 1)


@given(st.integers(0, 40), st.integers(0, 40))
def test_general_position_regions_is_two_to_the_n_up_to_the_dimension(n: int, d: int) -> None:
    count = general_position_regions(n, d)
    assert count <= 2**n
    assert (count == 2**n) == (n <= d)


@pytest.mark.parametrize(
    ("n", "d", "error"),
    [(-1, 2, ValueError), (3, -1, ValueError), (2.0, 2, TypeError), (True, 2, TypeError),
     (3, "2", TypeError), (None, 1, TypeError)],
)  # fmt: skip
def test_general_position_regions_refuses_bad_input(n: object, d: object, error: type) -> None:
    with pytest.raises(error):
        general_position_regions(n, d)  # type: ignore[arg-type]


@pytest.mark.parametrize("depth", [1, 2, 3, 4, 5, 8])
def test_sawtooth_has_two_to_the_depth_pieces_at_the_dyadic_points(depth: int) -> None:
    breakpoints = segment_breakpoints(sawtooth(depth), [0.0], [1.0])
    expected = np.arange(1, 2**depth) / 2**depth
    assert np.array_equal(breakpoints, expected)  # exact: dyadic weights, dyadic roots
    assert count_pieces(sawtooth(depth), [0.0], [1.0]) == 2**depth


@given(st.integers(1, 6), st.floats(0.0, 1.0))
def test_sawtooth_computes_the_composed_tent_map(depth: int, x: float) -> None:
    y = x
    for _ in range(depth):
        y = 2 * max(y, 0.0) - 4 * max(y - 0.5, 0.0)
    assert sawtooth(depth).predict([[x]])[0, 0] == pytest.approx(y, abs=1e-12)


@pytest.mark.parametrize("depth", [0, -2])
def test_sawtooth_refuses_a_depth_below_one(depth: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        sawtooth(depth)


@given(st.integers(0, 10_000), st.integers(1, 12))
def test_one_layer_breaks_exactly_at_its_units_roots(seed: int, width: int) -> None:
    rng = np.random.default_rng([seed, 1])  # not the stream of the weights
    net = MLP([1, width, 1], seed=seed)
    net.params["b1"][:] = rng.standard_normal(width)
    roots = -net.params["b1"] / net.params["W1"][0]
    inside = np.sort(roots[np.abs(roots) < 4.0])
    expected = (inside + 4.0) / 8.0  # on the segment from -4 to 4
    breakpoints = segment_breakpoints(net, [-4.0], [4.0])
    assert breakpoints.shape == expected.shape
    np.testing.assert_allclose(breakpoints, expected, rtol=0, atol=1e-12)


def test_two_units_switching_at_one_point_give_one_breakpoint() -> None:
    net = MLP([1, 3, 1], seed=0)
    net.params["W1"][...] = [[1.0, -2.0, 1.0]]
    net.params["b1"][...] = [-0.5, 1.0, -0.25]  # the first two both switch at x = 0.5
    assert segment_breakpoints(net, [0.0], [1.0]).tolist() == [0.25, 0.5]


def test_a_unit_touching_zero_without_changing_the_pattern_adds_nothing() -> None:
    # Second layer unit: relu(x) + relu(-x) = |x| >= 0, zero only at x = 0, where the
    # first layer switches anyway; a second unit |x| - 1 crosses at -1 and 1.
    net = MLP([1, 2, 2, 1], seed=0)
    net.params["W1"][...] = [[1.0, -1.0]]
    net.params["b1"][...] = 0.0
    net.params["W2"][...] = [[1.0, 1.0], [1.0, 1.0]]
    net.params["b2"][...] = [0.0, -1.0]
    assert segment_breakpoints(net, [-2.0], [2.0]).tolist() == [0.25, 0.5, 0.75]


@given(st.integers(0, 10_000))
def test_breakpoints_are_where_a_fine_grid_sees_the_pattern_change(seed: int) -> None:
    net = MLP([2, 6, 5, 1], seed=seed, bias=0.3)
    start, end = np.array([-2.0, -1.0]), np.array([2.0, 1.5])
    breakpoints = segment_breakpoints(net, start, end)
    t = np.linspace(0.0, 1.0, 20_001)
    trace = net.forward(start + t[:, None] * (end - start))
    pattern = np.concatenate([z > 0 for z in trace.pre_activations], axis=1)
    changes = np.flatnonzero(np.any(pattern[1:] != pattern[:-1], axis=1))
    # Every grid change brackets a breakpoint, and no piece is shorter than the grid here
    # unless two breakpoints share a grid step.
    assert np.all(np.diff(breakpoints) > 0)
    for i in changes:
        assert np.any((t[i] <= breakpoints) & (breakpoints <= t[i + 1]))
    assert breakpoints.size >= changes.size
    # Between breakpoints the output is affine: check at the midpoints of each piece.
    ends = np.concatenate([[0.0], breakpoints, [1.0]])
    for a, b in itertools.pairwise(ends):
        s = np.array([a, (2 * a + b) / 3, (a + 2 * b) / 3, b])
        f = net.predict(start + s[:, None] * (end - start))[:, 0]
        second = f[2] - 2 * f[1] + f[0], f[3] - 2 * f[2] + f[1]
        assert np.allclose(second, 0.0, atol=1e-9)


def _net(weights: list[list[list[float]]], biases: list[list[float]]) -> MLP:
    """A float64 ReLU network with the given weights (rows: inputs) and biases."""
    net = MLP([len(weights[0])] + [len(b) for b in biases], "relu", dtype="float64")
    for k, (w, b) in enumerate(zip(weights, biases, strict=True), start=1):
        net.params[f"W{k}"][...] = w
        net.params[f"b{k}"][...] = b
    return net


def _exact(
    weights: list[list[list[float]]], biases: list[list[float]], p: float, q: float
) -> tuple[list[Fraction], int]:
    """Breakpoints and linear-piece count of a one-input network, in exact rationals.

    Layer by layer: on each piece where the layers below keep one pattern, a unit's
    pre-activation is affine, and its root inside the piece is a new cut. No rounding, no
    tolerance.
    """
    ws = [[[Fraction(x) for x in row] for row in w] for w in weights]
    bs = [[Fraction(x) for x in b] for b in biases]
    fp, fq = Fraction(p), Fraction(q)

    def at(t: Fraction, layers: int) -> tuple[list[bool], list[Fraction], list[Fraction]]:
        h, dh, pattern = [fp + t * (fq - fp)], [fq - fp], []
        for w, b in zip(ws[:layers], bs[:layers], strict=True):
            z = [sum((h[i] * w[i][j] for i in range(len(h))), b[j]) for j in range(len(b))]
            dz = [sum(dh[i] * w[i][j] for i in range(len(h))) for j in range(len(b))]
            on = [zj > 0 for zj in z]
            pattern += on
            h = [zj if o else Fraction(0) for zj, o in zip(z, on, strict=True)]
            dh = [dj if o else Fraction(0) for dj, o in zip(dz, on, strict=True)]
        return pattern, h, dh

    cuts = [Fraction(0), Fraction(1)]
    for layer in range(1, len(ws)):
        new = set()
        for a, c in itertools.pairwise(cuts):
            m = (a + c) / 2
            _, h, dh = at(m, layer - 1)
            for j, b in enumerate(bs[layer - 1]):
                z = sum((h[i] * ws[layer - 1][i][j] for i in range(len(h))), b)
                dz = sum(dh[i] * ws[layer - 1][i][j] for i in range(len(h)))
                if dz != 0 and a < m - z / dz < c:
                    new.add(m - z / dz)
        cuts = sorted(set(cuts) | new)
    mids = [(a + c) / 2 for a, c in itertools.pairwise(cuts)]
    patterns = [at(m, len(ws) - 1)[0] for m in mids]
    slopes = []
    for m in mids:
        _, _, dh = at(m, len(ws) - 1)
        slopes.append(sum(dh[i] * ws[-1][i][0] for i in range(len(dh))))
    breaks = [cuts[i + 1] for i in range(len(mids) - 1) if patterns[i] != patterns[i + 1]]
    linear = 1 + sum(s != r for s, r in itertools.pairwise(slopes))
    return breaks, linear


@st.composite
def small_networks(draw: st.DrawFn) -> tuple[list[list[list[float]]], list[list[float]]]:
    """One input, one output, up to three hidden layers of up to three units; weights
    are small integers and biases quarters, so ties and touching units are common."""
    widths = [1, *draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)), 1]
    weights, biases = [], []
    for n_in, n_out in itertools.pairwise(widths):
        weights.append([[float(draw(st.integers(-3, 3))) for _ in range(n_out)]
                        for _ in range(n_in)])  # fmt: skip
        biases.append([draw(st.integers(-8, 8)) / 4 for _ in range(n_out)])
    return weights, biases


@given(small_networks())
def test_breakpoints_and_linear_pieces_match_exact_rational_arithmetic(
    network: tuple[list[list[list[float]]], list[list[float]]],
) -> None:
    weights, biases = network
    breaks, linear = _exact(weights, biases, -2.0, 2.0)
    net = _net(weights, biases)
    found = segment_breakpoints(net, [-2.0], [2.0])
    assert found.size == len(breaks)
    np.testing.assert_allclose(found, [float(b) for b in breaks], rtol=0, atol=1e-12)
    assert count_linear_pieces(net, [-2.0], [2.0]) == linear


@pytest.mark.parametrize("scale", [1e-12, 1.0, 1e12])
def test_rescaling_the_network_does_not_change_the_breakpoints(scale: float) -> None:
    # Layer 1 switches at x = 0.25, 0.5 (two units) and 0.5 + 1e-9; layer 2 at x = 0.2.
    weights = [[[1.0, 1.0, 1.0, -1.0]], [[1.0], [-1.0], [0.0], [1.0]], [[1.0]]]
    biases = [[-0.25, -0.5, -0.5 - 1e-9, 0.5], [-0.3], [0.0]]
    expected = segment_breakpoints(_net(weights, biases), [0.0], [1.0])
    np.testing.assert_allclose(expected, [0.2, 0.25, 0.5, 0.5 + 1e-9], rtol=0, atol=1e-15)
    # Every pre-activation times `scale`: the first layer's weights and every bias.
    scaled = _net([np.multiply(weights[0], scale).tolist(), *weights[1:]],
                  [np.multiply(b, scale).tolist() for b in biases])  # fmt: skip
    np.testing.assert_allclose(
        segment_breakpoints(scaled, [0.0], [1.0]), expected, rtol=0, atol=1e-12
    )


@pytest.mark.parametrize("size", [1e-10, 1.0, 1e10])
def test_a_tiny_or_huge_segment_still_sees_the_kink(size: float) -> None:
    net = _net([[[1.0]], [[1.0]]], [[0.0], [0.0]])  # ReLU(x)
    assert segment_breakpoints(net, [-size], [size]).tolist() == [0.5]


def test_a_tiny_layer_still_switches() -> None:
    s = 1e-9
    net = _net([[[s]], [[1.0]]], [[-s / 2], [0.0]])  # ReLU(s x - s / 2) on [0, 1]
    assert count_pieces(net, [0.0], [1.0]) == 2


def test_units_a_thousandth_apart_far_from_the_origin_both_switch() -> None:
    c = 1e7
    net = _net([[[1.0, 1.0]], [[1.0], [1.0]]], [[-c, -c - 1e-3], [0.0]])
    np.testing.assert_allclose(
        segment_breakpoints(net, [c - 1.0], [c + 1.0]), [0.5, 0.5005], rtol=0, atol=1e-9
    )


def test_cancellation_does_not_invent_a_breakpoint() -> None:
    # Layer 2 computes z_B = x - 0.004 left of 0.002 and -x right of it: never on. Layer 3 is
    # 1000 ReLU(z_B) + 3, always on. The pattern changes only where layer 1 switches.
    big = 1e7
    weights = [[[1.0, 1.0, 1.0]], [[0.0], [1.0], [-2.0]], [[1000.0]], [[1.0]]]
    biases = [[0.0, big, -0.002], [-big - 0.004], [3.0], [0.0]]
    np.testing.assert_allclose(
        segment_breakpoints(_net(weights, biases), [-1.0], [1.0]), [0.5, 0.501], atol=1e-9
    )


def test_breakpoints_a_picometre_apart_stay_apart() -> None:
    net = _net([[[1.0, 1.0]], [[1.0], [1.0]]], [[-0.5, -0.5 - 1e-12], [0.0]])
    assert count_pieces(net, [0.0], [1.0]) == 3


def test_a_unit_with_unused_output_is_an_activation_piece_not_a_linear_one() -> None:
    net = _net([[[1.0, 1.0]], [[1.0], [0.0]]], [[0.0, -1.0], [0.0]])
    assert count_pieces(net, [-1.0], [2.0]) == 3
    assert count_linear_pieces(net, [-1.0], [2.0]) == 2


@given(st.integers(0, 10_000))
def test_linear_pieces_never_exceed_activation_pieces(seed: int) -> None:
    net = MLP([2, 5, 4, 2], seed=seed, bias=0.3)
    linear = count_linear_pieces(net, [-1.0, 0.5], [2.0, -1.0])
    assert 1 <= linear <= count_pieces(net, [-1.0, 0.5], [2.0, -1.0])


@given(st.integers(0, 10_000))
def test_pieces_along_a_line_stay_within_the_product_bound(seed: int) -> None:
    widths = (3, 4)
    net = MLP([1, *widths, 1], seed=seed, bias=0.5)
    assert 1 <= count_pieces(net, [-5.0], [5.0]) <= (widths[0] + 1) * (widths[1] + 1)


def test_segment_breakpoints_works_in_every_dtype_of_the_network() -> None:
    net = MLP([2, 8, 1], dtype="float32", seed=3, bias=0.1)
    assert segment_breakpoints(net, [-1, -1], [1, 1]).dtype == np.float64


@pytest.mark.parametrize(
    ("net", "start", "end", "error", "match"),
    [
        ("net", [0.0], [1.0], TypeError, "relukit MLP"),
        (MLP([1, 2, 1], "tanh"), [0.0], [1.0], ValueError, "ReLU in every hidden layer"),
        (MLP([1, 2, 1]), [0.0, 1.0], [1.0], ValueError, "shape"),
        (MLP([1, 2, 1]), [0.0], [[1.0]], ValueError, "shape"),
        (MLP([1, 2, 1]), [1.0], [1.0], ValueError, "differ"),
        (MLP([1, 2, 1]), [np.nan], [1.0], ValueError, "finite"),
        (MLP([1, 2, 1]), [0.0], [np.inf], ValueError, "finite"),
        (MLP([1, 2, 1]), [1j], [1.0], TypeError, "real"),
        (MLP([1, 2, 1]), None, [1.0], TypeError, "start"),
    ],
)
def test_segment_breakpoints_refuses_bad_input(
    net: object, start: object, end: object, error: type, match: str
) -> None:
    with pytest.raises(error, match=match):
        segment_breakpoints(net, start, end)  # type: ignore[arg-type]
    with pytest.raises(error, match=match):
        count_pieces(net, start, end)  # type: ignore[arg-type]
    with pytest.raises(error, match=match):
        count_linear_pieces(net, start, end)  # type: ignore[arg-type]
