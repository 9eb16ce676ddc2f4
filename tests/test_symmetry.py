"""relukit.symmetry: rescaling hidden units, path norms, the balanced representative."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relukit.network import MLP, mean_squared_error
from relukit.symmetry import HOMOGENEOUS, balance, path_norm, rescale_units

X = np.random.default_rng(0).normal(size=(200, 3))


def _grads(net: MLP, x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    trace = net.forward(x)
    _, d_out = mean_squared_error(trace.output, y)
    return net.backward(trace, d_out).params


def _squares(net: MLP) -> float:
    return sum(float(np.sum(v**2)) for v in net.params.values())


def _imbalance(net: MLP) -> np.ndarray:
    p = net.params
    return np.concatenate(
        [
            (p[f"W{layer}"] ** 2).sum(axis=0)
            + p[f"b{layer}"] ** 2
            - (p[f"W{layer + 1}"] ** 2).sum(axis=1)
            for layer in range(1, net.depth)
        ]
    )


def _path_norm_by_enumeration(net: MLP, p: float) -> float:
    """Every path written out: from an input, or from the bias of a layer, one unit per layer."""
    sizes, params = net.sizes, net.params
    total = 0.0
    for start in range(net.depth + 1):  # 0: an input; l >= 1: the bias of layer l
        first_layer = max(start, 1)
        sources = range(sizes[0]) if start == 0 else [0]
        for source in sources:
            for units in itertools.product(*(range(s) for s in sizes[first_layer:])):
                if start == 0:
                    product = params["W1"][source, units[0]]
                else:
                    product = params[f"b{start}"][units[0]]
                for k in range(1, len(units)):
                    product *= params[f"W{first_layer + k}"][units[k - 1], units[k]]
                total += abs(product) ** p
    return float(total ** (1 / p))


# The function does not change -----------------------------------------------------------


@pytest.mark.parametrize("activation", HOMOGENEOUS)
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_powers_of_two_keep_every_bit(activation: str, dtype: str) -> None:
    net = MLP([3, 5, 4, 2], activation, seed=1, dtype=dtype)
    scales = 2.0 ** np.arange(-2, 3)
    twin = rescale_units(rescale_units(net, 1, scales), 2, [0.5, 2.0, 4.0, 0.25])
    a, b = twin.predict(X), net.predict(X)
    assert a.dtype == b.dtype
    assert a.tobytes() == b.tobytes()  # bits, not only values


@settings(max_examples=40)
@given(
    log_scales=st.lists(st.floats(-5, 5), min_size=6, max_size=6),
    layer=st.sampled_from([1, 2]),
    seed=st.integers(0, 1000),
)
def test_any_positive_scales_keep_the_function(
    log_scales: list[float], layer: int, seed: int
) -> None:
    net = MLP([3, 6, 6, 1], "relu", seed=seed)
    twin = rescale_units(net, layer, np.exp(log_scales))
    a, b = net.predict(X), twin.predict(X)
    assert np.allclose(a, b, rtol=1e-10, atol=1e-10 * np.abs(a).max())


def test_reference_values_of_one_unit() -> None:
    net = MLP([1, 1, 1], seed=0)
    net.params.update(W1=np.array([[2.0]]), b1=np.array([-1.0]), W2=np.array([[3.0]]))
    twin = rescale_units(net, 1, 4.0)
    assert twin.params["W1"][0, 0] == 8.0
    assert twin.params["b1"][0] == -4.0
    assert twin.params["W2"][0, 0] == 0.75
    assert twin.predict([[1.0]])[0, 0] == 3.0 * max(2.0 - 1.0, 0.0)


def test_underflow_to_zero_breaks_bit_equality_even_for_a_power_of_two() -> None:
    # The proposition needs "no operation underflows", not only "no number is subnormal":
    # here h * W1 = 1e-400 rounds to exactly 0 in the original pass, and every number in both
    # passes is normal or an exact 0, yet the outputs differ.
    net = MLP([1, 1, 1], seed=0)
    net.params.update(
        W1=np.array([[1e-200]]), b1=np.zeros(1), W2=np.array([[1e250]]), b2=np.zeros(1)
    )
    twin = rescale_units(net, 1, 2.0**600)
    x = np.array([[1e-200]])
    assert net.predict(x)[0, 0] == 0.0
    assert twin.predict(x)[0, 0] > 1e-151


@pytest.mark.parametrize("bad", [1e39, 1e-46, [1.0, 1e40, 1.0]])
def test_scales_are_checked_in_the_network_dtype(bad: object) -> None:
    # Finite and positive in float64, but infinity or 0 once cast to float32.
    net = MLP([2, 3, 1], seed=0, dtype="float32")
    with pytest.raises(ValueError, match="in the network's dtype float32"):
        rescale_units(net, 1, bad)  # type: ignore[arg-type]
    rescale_units(MLP([2, 3, 1], seed=0), 1, bad)  # fine in float64


def test_rescaled_parameters_that_overflow_are_refused() -> None:
    net = MLP([2, 3, 1], seed=0, dtype="float32")
    net.params["W1"] = net.params["W1"] * np.float32(1e30)
    with pytest.raises(ValueError, match="overflows"):
        rescale_units(net, 1, 1e20)


def test_the_original_is_left_alone_and_prelu_slopes_kept() -> None:
    net = MLP([2, 3, 1], "prelu", seed=0)
    before = {k: v.copy() for k, v in net.params.items()}
    twin = rescale_units(net, 1, [2.0, 3.0, 0.5])
    assert all(np.array_equal(before[k], net.params[k]) for k in before)
    assert np.array_equal(twin.params["a1"], net.params["a1"])
    assert twin.params["W1"] is not net.params["W1"]


# What changes: gradients, norms ------------------------------------------------------------


@settings(max_examples=30)
@given(c=st.floats(0.05, 20), seed=st.integers(0, 1000))
def test_gradients_scale_by_one_over_c_in_and_c_out(c: float, seed: int) -> None:
    net = MLP([3, 4, 4, 1], "relu", seed=seed)
    y = np.sin(X[:, 0])
    g = _grads(net, X, y)
    g2 = _grads(rescale_units(net, 2, c), X, y)
    for key, factor in [("W1", 1.0), ("b1", 1.0), ("W2", 1 / c), ("b2", 1 / c), ("W3", c)]:
        assert np.allclose(g2[key], factor * g[key], rtol=1e-9, atol=1e-12), key


def test_gradients_at_a_kink_scale_exactly_for_every_convention() -> None:
    net = MLP([3, 4, 1], "relu", seed=0)  # biases 0: the zero input sits on every kink
    x = np.zeros((4, 3))
    for position in (0.0, 0.5, 1.0):
        trace = net.forward(x)
        g = net.backward(trace, np.ones((4, 1)), kink_position=position).params
        twin = rescale_units(net, 1, 4.0)
        g2 = twin.backward(twin.forward(x), np.ones((4, 1)), kink_position=position).params
        assert np.array_equal(g2["b1"], g["b1"] / 4)
        assert np.array_equal(g2["W2"], g["W2"] * 4)


@settings(max_examples=30)
@given(
    log_scales=st.lists(st.floats(-4, 4), min_size=5, max_size=5),
    p=st.sampled_from([1.0, 1.5, 2.0, 3.0]),
    seed=st.integers(0, 1000),
)
def test_path_norm_is_invariant(log_scales: list[float], p: float, seed: int) -> None:
    net = MLP([3, 5, 5, 2], "leaky_relu", seed=seed, bias=0.3)
    twin = rescale_units(rescale_units(net, 1, np.exp(log_scales)), 2, np.exp(log_scales[::-1]))
    assert np.isclose(path_norm(twin, p), path_norm(net, p), rtol=1e-10)


@pytest.mark.parametrize("p", [1.0, 2.0, 2.5])
def test_path_norm_matches_enumerating_every_path(p: float) -> None:
    net = MLP([2, 3, 2, 2], seed=5, bias=0.2)
    net.params["b3"] = np.array([0.7, -0.1])
    assert np.isclose(path_norm(net, p), _path_norm_by_enumeration(net, p), rtol=1e-12)


def test_weight_norm_is_not_invariant() -> None:
    net = MLP([3, 5, 1], seed=0)
    assert _squares(rescale_units(net, 1, 10.0)) > 10 * _squares(net)


# The balanced representative -----------------------------------------------------------


@pytest.mark.parametrize("sizes", [[3, 5, 1], [3, 6, 4, 2], [2, 4, 4, 4, 1]])
def test_balance_balances_every_unit_and_minimises_squares(sizes: list[int]) -> None:
    net = MLP(sizes, "relu", seed=2, bias=0.1)
    net = rescale_units(net, 1, np.exp(np.random.default_rng(3).normal(0, 2, sizes[1])))
    bal = balance(net)
    assert np.abs(_imbalance(bal)).max() < 1e-9 * _squares(bal)
    assert np.allclose(bal.predict(X[:, : sizes[0]]), net.predict(X[:, : sizes[0]]), rtol=1e-9)
    rng = np.random.default_rng(4)
    for _ in range(50):
        other = bal
        for layer in range(1, bal.depth):
            other = rescale_units(other, layer, np.exp(rng.normal(0, 0.2, sizes[layer])))
        assert _squares(other) >= _squares(bal) * (1 - 1e-12)


def test_balance_reference_value() -> None:
    net = MLP([1, 1, 1], seed=0)
    net.params.update(W1=np.array([[3.0]]), b1=np.array([4.0]), W2=np.array([[20.0]]))
    bal = balance(net)  # |in| = 5, |out| = 20: c = 2, both norms 10
    assert np.allclose(bal.params["W1"], [[6.0]])
    assert np.allclose(bal.params["W2"], [[10.0]])


def test_balance_leaves_a_unit_with_zero_outgoing_weights() -> None:
    net = MLP([2, 3, 1], seed=0)
    net.params["W2"][1] = 0.0
    bal = balance(net)
    assert np.array_equal(bal.params["W1"][:, 1], net.params["W1"][:, 1])


def test_small_step_gradient_descent_keeps_imbalance_to_order_eta() -> None:
    x, y = X[:64], np.cos(X[:64, 1])
    drifts = []
    for eta in (0.004, 0.002, 0.001):
        net = MLP([3, 8, 8, 1], seed=6)
        start = _imbalance(net)
        for _ in range(round(0.2 / eta)):
            g = _grads(net, x, y)
            for key in net.params:
                net.params[key] = net.params[key] - eta * g[key]
        drifts.append(np.abs(_imbalance(net) - start).max())
    assert drifts[0] > drifts[1] > drifts[2]
    assert drifts[2] < 0.7 * drifts[1]


# Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan, np.inf, [1.0, -2.0, 1.0]])
def test_non_positive_or_non_finite_scales_are_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="scales must be"):
        rescale_units(MLP([2, 3, 1], seed=0), 1, bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [[1.0, 2.0], np.ones((3, 1)), np.ones(4)])
def test_wrong_shape_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        rescale_units(MLP([2, 3, 1], seed=0), 1, bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["2", None, 1j, [True, False, True]])
def test_non_real_scales_are_refused(bad: object) -> None:
    with pytest.raises(TypeError, match="scales must be real numbers"):
        rescale_units(MLP([2, 3, 1], seed=0), 1, bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("activation", ["elu", "gelu", "sigmoid", "tanh", "relu6", "softplus"])
def test_activations_that_are_not_homogeneous_are_refused(activation: str) -> None:
    net = MLP([2, 3, 1], activation, seed=0)
    with pytest.raises(ValueError, match="not positively homogeneous"):
        rescale_units(net, 1, 2.0)
    with pytest.raises(ValueError, match="not positively homogeneous"):
        balance(net)


@pytest.mark.parametrize("layer", [0, 2, -1])
def test_layers_that_are_not_hidden_are_refused(layer: int) -> None:
    with pytest.raises(ValueError, match="hidden layer, 1 to 1"):
        rescale_units(MLP([2, 3, 1], seed=0), layer, 2.0)


def test_other_bad_arguments() -> None:
    net = MLP([2, 3, 1], seed=0)
    with pytest.raises(TypeError, match="layer must be an integer"):
        rescale_units(net, 1.0, 2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="MLP"):
        rescale_units("net", 1, 2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="MLP"):
        path_norm(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no hidden layer"):
        rescale_units(MLP([2, 1], seed=0), 1, 2.0)
    with pytest.raises(ValueError, match="p must be >= 1"):
        path_norm(net, p=0.5)
    with pytest.raises(ValueError, match="finite"):
        path_norm(net, p=np.inf)
    with pytest.raises(TypeError, match="real number"):
        path_norm(net, p="2")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="tol must be > 0"):
        balance(net, tol=0.0)
