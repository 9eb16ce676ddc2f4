"""Tests for relukit.network: backpropagation, conventions at 0, dtypes, reproducibility."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relukit.datasets import moons, regression_1d, two_spirals
from relukit.network import (
    ACTIVATIONS,
    MLP,
    SGD,
    Adam,
    StepRecord,
    accuracy,
    gradient_norms,
    mean_squared_error,
    softmax_cross_entropy,
    train,
    zero_fraction,
)

DTYPES = [np.float16, np.float32, np.float64]
KINKS = {"relu": [0.0], "leaky_relu": [0.0], "prelu": [0.0], "relu6": [0.0, 6.0]}


def _loss(net: MLP, x: np.ndarray, y: np.ndarray, kind: str) -> float:
    out = net.forward(x).output
    if kind == "cross_entropy":
        return softmax_cross_entropy(out, y)[0]
    return mean_squared_error(out, y)[0]


def _numerical_gradients(
    net: MLP, x: np.ndarray, y: np.ndarray, kind: str, h: float = 1e-6
) -> dict[str, np.ndarray]:
    """Central differences (f(p + h) - f(p - h)) / 2h for every parameter entry."""
    result = {}
    for key, p in net.params.items():
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):  # a test: a loop over a few dozen entries is fine
            original = p[i]
            p[i] = original + h
            up = _loss(net, x, y, kind)
            p[i] = original - h
            down = _loss(net, x, y, kind)
            p[i] = original
            g[i] = (up - down) / (2 * h)
        result[key] = g
    return result


def _distance_to_kinks(net: MLP, x: np.ndarray) -> float:
    trace = net.forward(x)
    gaps = [np.inf]
    for z, name in zip(trace.pre_activations, net.activations, strict=True):
        for kink in KINKS.get(name, []):
            gaps.append(float(np.min(np.abs(z - kink))))
    return min(gaps)


def _check_gradients(net: MLP, x: np.ndarray, y: np.ndarray, kind: str) -> None:
    assert _distance_to_kinks(net, x) > 1e-3, "the check needs pre-activations away from kinks"
    trace = net.forward(x)
    _, d_output = (softmax_cross_entropy if kind == "cross_entropy" else mean_squared_error)(
        trace.output, y
    )
    analytic = net.backward(trace, d_output).params
    numeric = _numerical_gradients(net, x, y, kind)
    assert analytic.keys() == numeric.keys()
    for key in analytic:
        np.testing.assert_allclose(analytic[key], numeric[key], rtol=1e-5, atol=1e-8, err_msg=key)


# Backpropagation --------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradients_equal_central_differences_for_every_activation(activation: str) -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(6, 3)) * 2
    y = rng.integers(0, 3, size=6)
    net = MLP([3, 5, 4, 3], activation, init="xavier", bias=0.1, seed=2)
    if activation == "prelu":  # slopes away from their start, and different per unit
        net.params["a1"][:] = rng.uniform(0.05, 0.5, size=5)
        net.params["a2"][:] = rng.uniform(0.05, 0.5, size=4)
    _check_gradients(net, x, y, "cross_entropy")


def test_prelu_slope_gradient_equals_central_differences() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(8, 2))
    y = rng.normal(size=8)
    net = MLP([2, 6, 1], "prelu", seed=4)
    trace = net.forward(x)
    assert np.any(trace.pre_activations[0] < 0), "some units must be on the slope"
    _check_gradients(net, x, y, "mse")
    grads = net.backward(trace, mean_squared_error(trace.output, y)[1])
    assert np.any(grads.params["a1"] != 0)


def test_gradients_with_mixed_activations_and_mse() -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(7, 2))
    y = rng.normal(size=(7, 2))
    net = MLP([2, 4, 5, 3, 2], ["tanh", "prelu", "gelu_tanh"], seed=6)
    _check_gradients(net, x, y, "mse")


@settings(max_examples=15, deadline=None)
@given(
    widths=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    activation=st.sampled_from(["relu", "leaky_relu", "elu", "sigmoid", "silu", "softplus"]),
    seed=st.integers(0, 2**16),
)
def test_backward_matches_central_differences_for_any_small_shape(
    widths: list[int], activation: str, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(3, 2))
    y = rng.integers(0, 2, size=3)
    net = MLP([2, *widths, 2], activation, bias=0.05, seed=seed)
    if _distance_to_kinks(net, x) > 1e-3:  # finite differences say nothing across a kink
        _check_gradients(net, x, y, "cross_entropy")


def test_loss_gradients_equal_central_differences() -> None:
    rng = np.random.default_rng(7)
    logits = rng.normal(size=(4, 3))
    labels = np.array([0, 2, 1, 2])
    target = rng.normal(size=(4, 3))
    for loss, y in ((softmax_cross_entropy, labels), (mean_squared_error, target)):
        _, grad = loss(logits, y)
        numeric = np.zeros_like(logits)
        for i in np.ndindex(logits.shape):
            step = np.zeros_like(logits)
            step[i] = 1e-6
            numeric[i] = (loss(logits + step, y)[0] - loss(logits - step, y)[0]) / 2e-6
        np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-9)


def test_softmax_cross_entropy_is_stable_for_huge_logits() -> None:
    loss, grad = softmax_cross_entropy(np.array([[1000.0, 0.0], [0.0, 1000.0]]), [0, 0])
    assert loss == pytest.approx(500.0)
    np.testing.assert_allclose(grad, [[0.0, 0.0], [-0.5, 0.5]])


# The convention at 0 ----------------------------------------------------------------------


def _exact_zero_case(activation: str, kink_position: float) -> tuple[MLP, np.ndarray]:
    """A net whose first-layer pre-activations are exactly 0 for the input 0 (bias 0)."""
    net = MLP([2, 3, 1], activation, kink_position=kink_position, seed=0)
    x = np.zeros((4, 2))
    assert np.all(net.forward(x).pre_activations[0] == 0)
    return net, x


@pytest.mark.parametrize("kink_position", [0.0, 0.5, 1.0])
def test_kink_position_is_the_relu_derivative_used_where_pre_activations_are_exactly_zero(
    kink_position: float,
) -> None:
    net, x = _exact_zero_case("relu", kink_position)
    trace = net.forward(x)
    d_output = np.ones((4, 1))
    grads = net.backward(trace, d_output)
    upstream = d_output @ net.params["W2"].T  # dL/dh for the hidden layer
    np.testing.assert_array_equal(grads.pre_activations[0], kink_position * upstream)
    np.testing.assert_array_equal(grads.params["b1"], kink_position * upstream.sum(axis=0))


def test_kink_position_changes_the_backward_pass_only_at_exact_zeros() -> None:
    net, x = _exact_zero_case("relu", 0.0)
    d_output = np.ones((4, 1))
    trace = net.forward(x)
    b1 = [net.backward(trace, d_output, kink_position=c).params["b1"] for c in (0.0, 0.5, 1.0)]
    assert not np.array_equal(b1[0], b1[1])
    assert not np.array_equal(b1[1], b1[2])
    # Away from 0 the three conventions agree bit for bit.
    away = net.forward(np.random.default_rng(0).normal(size=(4, 2)))
    assert np.all(away.pre_activations[0] != 0)
    grads = [net.backward(away, d_output, kink_position=c).params for c in (0.0, 0.5, 1.0)]
    for key in grads[0]:
        np.testing.assert_array_equal(grads[0][key], grads[1][key])
        np.testing.assert_array_equal(grads[0][key], grads[2][key])


def test_kink_position_in_the_constructor_and_in_backward_agree() -> None:
    net_half, x = _exact_zero_case("relu", 0.5)
    net_zero, _ = _exact_zero_case("relu", 0.0)
    d_output = np.ones((4, 1))
    a = net_half.backward(net_half.forward(x), d_output).params["b1"]
    b = net_zero.backward(net_zero.forward(x), d_output, kink_position=0.5).params["b1"]
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(("activation", "slope"), [("leaky_relu", 0.01), ("prelu", 0.25)])
@pytest.mark.parametrize("kink_position", [0.0, 0.5, 1.0])
def test_kink_position_moves_leaky_and_prelu_derivatives_along_their_subdifferential(
    activation: str, slope: float, kink_position: float
) -> None:
    net, x = _exact_zero_case(activation, kink_position)
    d_output = np.ones((4, 1))
    grads = net.backward(net.forward(x), d_output)
    upstream = d_output @ net.params["W2"].T
    expected = (slope + kink_position * (1 - slope)) * upstream
    np.testing.assert_allclose(grads.pre_activations[0], expected, rtol=1e-15)


def test_kink_position_does_not_change_smooth_activations() -> None:
    net, x = _exact_zero_case("elu", 0.0)
    trace = net.forward(x)
    d_output = np.ones((4, 1))
    a = net.backward(trace, d_output, kink_position=0.0).params["b1"]
    b = net.backward(trace, d_output, kink_position=1.0).params["b1"]
    np.testing.assert_array_equal(a, b)


def test_kink_position_moves_selus_derivative_from_lambda_alpha_to_lambda() -> None:
    left, right = 1.7580993408473768, 1.0507009873554805  # lambda alpha and lambda
    for position in (0.0, 0.5, 1.0):
        net, x = _exact_zero_case("selu", position)
        d_output = np.ones((4, 1))
        grads = net.backward(net.forward(x), d_output)
        upstream = d_output @ net.params["W2"].T
        expected = (left + position * (right - left)) * upstream
        np.testing.assert_allclose(grads.pre_activations[0], expected, rtol=1e-15)


def test_relu6_keeps_0_at_its_kink_at_6_whatever_the_kink_position() -> None:
    net = MLP([1, 2, 1], "relu6", kink_position=1.0, seed=0)
    net.params["W1"][:] = 1.0
    trace = net.forward(np.array([[0.0], [6.0]]))
    grads = net.backward(trace, np.ones((2, 1)))
    upstream = net.params["W2"].T[0]
    np.testing.assert_array_equal(grads.pre_activations[0], [upstream, [0.0, 0.0]])


# The old name of kink_position ------------------------------------------------------------


def test_at_zero_in_mlp_is_deprecated_and_means_kink_position() -> None:
    with pytest.warns(DeprecationWarning, match="use kink_position="):
        old = MLP([2, 3, 1], "leaky_relu", at_zero=0.5, seed=0)
    assert old.kink_position == 0.5
    with pytest.warns(DeprecationWarning, match="MLP.kink_position"):
        assert old.at_zero == 0.5
    new, x = _exact_zero_case("leaky_relu", 0.5)
    d_output = np.ones((4, 1))
    a = old.backward(old.forward(x), d_output).params["b1"]
    np.testing.assert_array_equal(a, new.backward(new.forward(x), d_output).params["b1"])


def test_at_zero_in_backward_is_deprecated_and_means_kink_position() -> None:
    net, x = _exact_zero_case("relu", 0.0)
    trace = net.forward(x)
    d_output = np.ones((4, 1))
    with pytest.warns(DeprecationWarning, match="use kink_position="):
        old = net.backward(trace, d_output, at_zero=1.0).params["b1"]
    new = net.backward(trace, d_output, kink_position=1.0).params["b1"]
    np.testing.assert_array_equal(old, new)


def test_the_deprecated_at_zero_is_checked_and_not_combined_with_kink_position() -> None:
    with (
        pytest.warns(DeprecationWarning, match="kink_position"),
        pytest.raises(ValueError, match=r"at_zero must be in \[0, 1\]"),
    ):
        MLP([2, 3, 1], at_zero=2.0)
    with (
        pytest.warns(DeprecationWarning, match="kink_position"),
        pytest.raises(TypeError, match="not both"),
    ):
        MLP([2, 3, 1], kink_position=0.5, at_zero=0.5)


def test_the_repr_names_the_kink_position() -> None:
    assert "kink_position=0.5" in repr(MLP([2, 3, 1], kink_position=0.5))


# Dtypes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_every_tensor_keeps_the_networks_dtype(dtype: type, activation: str) -> None:
    net = MLP([2, 4, 3, 2], activation, dtype=dtype, seed=0)
    x, y = moons(8, seed=0)
    trace = net.forward(x)
    tensors = [trace.inputs, *trace.pre_activations, *trace.activations, trace.output]
    _, d_output = softmax_cross_entropy(trace.output, y)
    grads = net.backward(trace, d_output)
    tensors += [d_output, *grads.params.values(), *grads.pre_activations, *net.params.values()]
    assert all(t.dtype == dtype for t in tensors)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "optimizer", [lambda: SGD(0.1), lambda: SGD(0.1, momentum=0.9), lambda: Adam(0.01, eps=1e-4)]
)
def test_training_keeps_parameters_and_optimizer_state_in_the_dtype(
    dtype: type, optimizer: object
) -> None:
    opt = optimizer()  # type: ignore[operator]
    net = MLP([2, 4, 2], "relu", dtype=dtype, seed=0)
    x, y = moons(16, seed=0)
    train(net, x, y, optimizer=opt, epochs=2, batch_size=8)
    assert all(p.dtype == dtype for p in net.params.values())
    state = [*getattr(opt, "velocity", {}).values(), *getattr(opt, "m", {}).values()]
    state += list(getattr(opt, "v", {}).values())
    assert all(s.dtype == dtype for s in state)


def test_weights_are_the_same_draw_rounded_to_each_dtype() -> None:
    w64 = MLP([3, 4, 2], seed=9).params["W1"]
    for dtype in (np.float16, np.float32):
        np.testing.assert_array_equal(
            MLP([3, 4, 2], seed=9, dtype=dtype).params["W1"], w64.astype(dtype)
        )


def test_adam_refuses_an_eps_that_is_zero_in_float16() -> None:
    net = MLP([2, 3, 2], dtype=np.float16, seed=0)
    x, y = moons(8, seed=0)
    with pytest.raises(ValueError, match="eps=1e-08 is 0 in float16"):
        train(net, x, y, optimizer=Adam(0.01), epochs=1, batch_size=8)


# Reproducibility --------------------------------------------------------------------------


def _run(dtype: type, seed: int) -> tuple[MLP, object]:
    x, y = two_spirals(64, seed=seed)
    net = MLP([2, 8, 8, 2], "relu", dtype=dtype, seed=seed)
    opt = Adam(0.01, eps=1e-4) if dtype == np.float16 else SGD(0.05, momentum=0.9)
    return net, train(net, x, y, optimizer=opt, epochs=3, batch_size=16, seed=seed)


@pytest.mark.parametrize("dtype", DTYPES)
def test_a_run_with_fixed_seeds_repeats_bit_for_bit(dtype: type) -> None:
    net_a, hist_a = _run(dtype, seed=11)
    net_b, hist_b = _run(dtype, seed=11)
    for key in net_a.params:
        assert net_a.params[key].tobytes() == net_b.params[key].tobytes()
    for name in ("loss", "exact_zeros", "gradient_norm", "train_loss", "dead_units"):
        assert getattr(hist_a, name).tobytes() == getattr(hist_b, name).tobytes()


def test_a_different_seed_gives_a_different_run() -> None:
    net_a, _ = _run(np.float64, seed=11)
    net_b, _ = _run(np.float64, seed=12)
    assert not np.array_equal(net_a.params["W1"], net_b.params["W1"])


# Learning ---------------------------------------------------------------------------------


def test_a_relu_network_learns_two_spirals() -> None:
    x, y = two_spirals(200, seed=0)
    net = MLP([2, 32, 32, 2], "relu", seed=0)
    history = train(net, x, y, optimizer=Adam(0.01), epochs=100, batch_size=50)
    assert history.train_accuracy[0] < 0.7
    assert history.train_accuracy[-1] >= 0.97
    assert accuracy(net, x, y) == history.train_accuracy[-1]


def test_sgd_with_momentum_fits_a_1d_regression() -> None:
    x, y = regression_1d(128, noise=0.0, seed=0)
    net = MLP([1, 32, 32, 1], "tanh", init="xavier", seed=0)
    history = train(
        net, x, y, loss="mse", optimizer=SGD(0.05, momentum=0.9), epochs=150, batch_size=32
    )
    assert history.train_loss[-1] < 0.05 * history.train_loss[0]
    assert np.all(np.isnan(history.train_accuracy))


def test_sgd_momentum_follows_its_formula() -> None:
    params = {"w": np.array([1.0])}
    opt = SGD(0.1, momentum=0.5)
    opt.step(params, {"w": np.array([1.0])})  # v = 1, w = 1 - 0.1
    opt.step(params, {"w": np.array([1.0])})  # v = 1.5, w = 0.9 - 0.15
    np.testing.assert_allclose(params["w"], [0.75])


def test_adam_moves_each_parameter_by_about_lr_on_its_first_step() -> None:
    params = {"w": np.array([0.0, 0.0, 0.0])}
    Adam(0.01).step(params, {"w": np.array([1e-3, -5.0, 1e3])})
    np.testing.assert_allclose(params["w"], [-0.01, 0.01, -0.01], rtol=1e-4)


# Hooks and records ------------------------------------------------------------------------


def test_history_has_one_row_per_step_and_per_evaluation() -> None:
    x, y = moons(50, seed=0)
    net = MLP([2, 6, 5, 2], "relu", seed=0)
    history = train(net, x, y, optimizer=SGD(0.1), epochs=3, batch_size=16)
    steps = 3 * 4  # 50 examples in batches of 16: 4 steps per epoch
    assert history.steps_per_epoch == 4
    assert history.loss.shape == (steps,)
    assert history.exact_zeros.shape == (steps, 2)
    assert history.gradient_norm.shape == (steps, 3)
    assert history.train_loss.shape == history.train_accuracy.shape == (4,)
    assert history.dead_units.shape == (4, 2)
    assert not history.diverged


def test_hooks_see_every_step_before_the_update() -> None:
    x, y = moons(40, seed=0)
    net = MLP([2, 4, 2], "relu", seed=0)
    seen: list[StepRecord] = []
    snapshots: list[np.ndarray] = []

    def hook(record: StepRecord) -> None:
        seen.append(record)
        snapshots.append(record.net.params["W1"].copy())
        again = record.net.backward(record.trace, record.d_output)
        np.testing.assert_array_equal(again.params["W1"], record.grads.params["W1"])

    history = train(net, x, y, optimizer=SGD(0.1), epochs=2, batch_size=20, hooks=[hook])
    assert [r.step for r in seen] == [0, 1, 2, 3]
    assert [r.epoch for r in seen] == [0, 0, 1, 1]
    np.testing.assert_array_equal([r.loss for r in seen], history.loss)
    assert np.array_equal(snapshots[0], MLP([2, 4, 2], "relu", seed=0).params["W1"])


def test_exact_zeros_and_gradient_norms_are_measured_per_layer() -> None:
    net = MLP([2, 3, 2], "relu", seed=0)
    x = np.zeros((4, 2))
    trace = net.forward(x)
    assert zero_fraction(trace.pre_activations) == [1.0]
    assert zero_fraction(trace.activations) == [1.0]
    _, d_output = softmax_cross_entropy(trace.output, [0, 0, 0, 1])
    grads = net.backward(trace, d_output)
    norms = gradient_norms(grads)
    assert norms[0] == 0.0  # the input is 0, so dL/dW1 = x^T delta = 0
    assert norms[1] == 0.0  # every hidden unit outputs ReLU(0) = 0
    assert gradient_norms(grads, "b")[1] > 0


def test_dead_units_are_counted_on_the_whole_training_set() -> None:
    x, y = moons(30, seed=0)
    dead = MLP([2, 5, 2], "relu", bias=-20.0, seed=0)
    history = train(dead, x, y, optimizer=SGD(0.1), epochs=2, batch_size=10)
    assert history.dead_units.tolist() == [[5], [5], [5]]  # they never recover
    assert history.exact_zeros.tolist() == [[0.0]] * 6
    alive = MLP([2, 5, 2], "relu", bias=0.0, seed=0)
    assert sum(int(m.sum()) for m in alive.dead_units(x)) < 5


def test_training_stops_without_warnings_when_float16_overflows() -> None:
    x, y = regression_1d(32, seed=0)
    net = MLP([1, 16, 1], "relu", dtype=np.float16, seed=0)
    history = train(net, x, y * 1000, loss="mse", optimizer=SGD(1.0), epochs=20, batch_size=8)
    assert history.diverged
    assert not np.isfinite(history.loss[-1])
    assert len(history.loss) < 20 * 4


# The input contract -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sizes": [2, 3, 1], "activation": "rleu"}, "unknown activation 'rleu'"),
        ({"sizes": [2, 3, 1], "activation": ["relu", "tanh"]}, "1 hidden layers need 1"),
        ({"sizes": [2]}, "two or more positive integers"),
        ({"sizes": [2, 0, 1]}, "two or more positive integers"),
        ({"sizes": [2, 2.5, 1]}, "two or more positive integers"),
        ({"sizes": [2, 3, 1], "dtype": np.int32}, "float16, float32 or float64"),
        ({"sizes": [2, 3, 1], "dtype": np.longdouble}, "float16, float32 or float64"),
        ({"sizes": [2, 3, 1], "dtype": "float8"}, "float16, float32 or float64"),
        ({"sizes": [2, 3, 1], "dtype": None}, "float16, float32 or float64"),
        ({"sizes": [2, 3, 1], "kink_position": 2.0}, r"kink_position must be in \[0, 1\]"),
        ({"sizes": [2, 3, 1], "kink_position": -0.5}, r"kink_position must be in \[0, 1\]"),
        ({"sizes": [2, 3, 1], "init": "lecun"}, "init must be 'he' or 'xavier'"),
    ],
)
def test_bad_network_settings_raise_clear_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MLP(**kwargs)  # type: ignore[arg-type]


def test_bad_batches_raise_clear_errors() -> None:
    net = MLP([2, 3, 2], seed=0)
    with pytest.raises(ValueError, match=r"x must have shape \(n, 2\); got shape \(4, 3\)"):
        net.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"shape \(n, 2\); got shape \(2,\)"):
        net.forward(np.zeros(2))
    with pytest.raises(TypeError, match="x must be real numbers"):
        net.forward(np.zeros((4, 2), dtype=complex))
    trace = net.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="d_output has shape"):
        net.backward(trace, np.zeros((4, 3)))
    with pytest.raises(ValueError, match="d_output has dtype float32"):
        net.backward(trace, np.zeros((4, 2), dtype=np.float32))
    with pytest.raises(ValueError, match=r"labels must be in \[0, 2\)"):
        softmax_cross_entropy(trace.output, [0, 1, 2, 0])
    with pytest.raises(TypeError, match="labels must be integers"):
        softmax_cross_entropy(trace.output, [0.0, 1.0, 1.0, 0.0])
    with pytest.raises(ValueError, match="target has shape"):
        mean_squared_error(trace.output, np.zeros(4))


def test_bad_training_settings_raise_clear_errors() -> None:
    net = MLP([2, 3, 2], seed=0)
    x, y = moons(8, seed=0)
    with pytest.raises(ValueError, match="loss must be"):
        train(net, x, y, optimizer=SGD(0.1), epochs=1, batch_size=4, loss="hinge")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        train(net, x, y, optimizer=SGD(0.1), epochs=1, batch_size=0)
    with pytest.raises(ValueError, match=r"labels must have shape \(8,\)"):
        train(net, x, y[:5], optimizer=SGD(0.1), epochs=1, batch_size=4)
    with pytest.raises(ValueError, match="lr must be positive"):
        SGD(0.0)
    with pytest.raises(ValueError, match="momentum must be in"):
        SGD(0.1, momentum=1.0)
