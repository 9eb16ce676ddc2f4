"""Tests of relukit.network.residual: residual blocks, with and without batch normalisation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relukit.datasets import moons
from relukit.network import MLP, Adam, softmax_cross_entropy, train
from relukit.network.residual import ResidualMLP

VARIANTS = list(itertools.product((True, False), (True, False), ("post", "pre")))


def _randomise(net: ResidualMLP, seed: int) -> None:
    """Move every parameter off its initial value (no zero branch, no gamma = 1 exactly)."""
    rng = np.random.default_rng(seed)
    for key, value in net.params.items():
        if key.startswith("gamma"):
            value[...] = rng.uniform(0.5, 1.5, value.shape)
        else:
            value[...] = rng.normal(0.0, 0.6, value.shape)


def _check_gradients(net: ResidualMLP, x: np.ndarray, seed: int) -> None:
    """Every parameter's and the input's gradient against central differences (float64)."""
    weights = np.random.default_rng(seed).normal(size=(x.shape[0], net.sizes[-1]))

    def loss() -> float:
        return float((weights * net.forward(x).output).sum())

    grads = net.backward(net.forward(x), weights)
    step = 1e-6
    for name, value in [*net.params.items(), ("x", x)]:
        analytic = grads.inputs if name == "x" else grads.params[name]
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            saved = value[index]
            value[index] = saved + step
            up = loss()
            value[index] = saved - step
            down = loss()
            value[index] = saved
            numeric[index] = (up - down) / (2 * step)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7, err_msg=name)


@pytest.mark.parametrize(("skip", "norm", "order"), VARIANTS)
def test_gradients_equal_central_differences(skip: bool, norm: bool, order: str) -> None:
    net = ResidualMLP(3, 4, 2, 2, skip=skip, norm=norm, order=order, seed=0)  # type: ignore[arg-type]
    _randomise(net, 1)
    x = np.random.default_rng(2).normal(size=(6, 3))
    _check_gradients(net, x, 3)


@settings(max_examples=15)
@given(
    variant=st.sampled_from(VARIANTS),
    blocks=st.integers(0, 3),
    width=st.integers(1, 4),
    n=st.integers(2, 6),
    seed=st.integers(0, 2**16),
)
def test_gradients_equal_central_differences_for_any_small_shape(
    variant: tuple, blocks: int, width: int, n: int, seed: int
) -> None:
    skip, norm, order = variant
    net = ResidualMLP(2, width, blocks, 2, skip=skip, norm=norm, order=order, seed=seed)
    _randomise(net, seed + 1)
    x = np.random.default_rng(seed + 2).normal(size=(n, 2))
    _check_gradients(net, x, seed + 3)


@settings(max_examples=20)
@given(blocks=st.integers(0, 4), width=st.integers(1, 6), seed=st.integers(0, 2**16))
def test_without_skips_and_normalisation_the_post_network_is_the_mlp(
    blocks: int, width: int, seed: int
) -> None:
    res = ResidualMLP(3, width, blocks, 2, skip=False, seed=seed, bias=0.1)
    mlp = MLP([3] + [width] * (2 * blocks + 1) + [2], seed=seed, bias=0.1)
    x = np.random.default_rng(seed).normal(size=(5, 3))
    t_res, t_mlp = res.forward(x), mlp.forward(x)
    np.testing.assert_array_equal(t_res.output, t_mlp.output)
    for a, b in zip(t_res.pre_activations, t_mlp.pre_activations, strict=True):
        np.testing.assert_array_equal(a, b)
    d_out = np.random.default_rng(seed + 1).normal(size=t_res.output.shape)
    g_res, g_mlp = res.backward(t_res, d_out), mlp.backward(t_mlp, d_out)
    assert list(g_res.params) == list(g_mlp.params)
    for key in g_mlp.params:
        np.testing.assert_allclose(g_res.params[key], g_mlp.params[key], rtol=1e-12, atol=1e-14)
    for a, b in zip(g_res.pre_activations, g_mlp.pre_activations, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_one_pre_activation_block_is_the_formula_written_out() -> None:
    net = ResidualMLP(2, 3, 1, 1, order="pre", seed=0)
    _randomise(net, 5)
    x = np.random.default_rng(6).normal(size=(4, 2))
    p = net.params
    h0 = np.maximum(x @ p["W1"] + p["b1"], 0)
    h1 = h0 + np.maximum(np.maximum(h0, 0) @ p["W2"] + p["b2"], 0) @ p["W3"] + p["b3"]
    trace = net.forward(x)
    np.testing.assert_allclose(trace.blocks[1], h1, rtol=1e-14)
    np.testing.assert_allclose(trace.output, h1 @ p["W4"] + p["b4"], rtol=1e-14)


def test_one_post_block_with_normalisation_is_the_formula_written_out() -> None:
    net = ResidualMLP(2, 3, 1, 1, norm=True, eps=0.0, seed=0)
    _randomise(net, 7)
    x = np.random.default_rng(8).normal(size=(5, 2))
    p = net.params

    def bn(z: np.ndarray, r: int) -> np.ndarray:
        return p[f"gamma{r}"] * (z - z.mean(0)) / z.std(0) + p[f"beta{r}"]

    h0 = np.maximum(bn(x @ p["W1"] + p["b1"], 1), 0)
    branch = bn(np.maximum(bn(h0 @ p["W2"] + p["b2"], 2), 0) @ p["W3"] + p["b3"], 3)
    np.testing.assert_allclose(net.forward(x).blocks[1], np.maximum(h0 + branch, 0), rtol=1e-12)


@pytest.mark.parametrize(
    ("norm", "order"), [(False, "post"), (True, "post"), (False, "pre"), (True, "pre")]
)
def test_zero_initialised_branches_make_every_block_the_identity(norm: bool, order: str) -> None:
    net = ResidualMLP(2, 5, 4, 1, norm=norm, order=order, zero_init=True, seed=0)  # type: ignore[arg-type]
    trace = net.forward(np.random.default_rng(0).normal(size=(9, 2)))
    for h in trace.blocks[1:]:
        np.testing.assert_array_equal(h, trace.blocks[0])


@settings(max_examples=20)
@given(bias=st.floats(-3.0, 3.0), gain=st.floats(0.1, 10.0), seed=st.integers(0, 2**16))
def test_with_normalisation_the_biases_and_the_weight_scale_change_nothing(
    bias: float, gain: float, seed: int
) -> None:
    x = np.random.default_rng(seed).normal(size=(16, 2))
    reference = ResidualMLP(2, 4, 2, 1, skip=False, norm=True, eps=0.0, seed=seed)
    moved = ResidualMLP(2, 4, 2, 1, skip=False, norm=True, eps=0.0, bias=bias, seed=seed)
    for key, value in moved.params.items():
        if key.startswith("W") and key != f"W{moved.depth}":
            value *= gain
    for a, b in zip(
        reference.forward(x).pre_activations, moved.forward(x).pre_activations, strict=True
    ):
        np.testing.assert_allclose(a, b, atol=1e-8)


def test_relu_zero_uses_the_kink_position() -> None:
    net = ResidualMLP(2, 3, 1, 1, skip=False, seed=0)
    trace = net.forward(np.zeros((4, 2)))  # every pre-activation exactly 0
    left = net.backward(trace, np.ones((4, 1)), kink_position=0.0)
    right = net.backward(trace, np.ones((4, 1)), kink_position=1.0)
    assert np.abs(left.params["W1"]).sum() == 0
    assert np.abs(left.params["b1"]).sum() == 0
    assert np.abs(right.params["b1"]).sum() > 0


def test_dead_units_are_read_off_the_whole_batch() -> None:
    net = ResidualMLP(2, 4, 1, 1, skip=False, bias=-10.0, seed=0)
    masks = net.dead_units(np.random.default_rng(0).normal(size=(8, 2)))
    assert len(masks) == 3
    assert all(mask.all() for mask in masks)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_tensor_keeps_the_networks_dtype(dtype: type) -> None:
    net = ResidualMLP(2, 3, 2, 2, norm=True, order="pre", dtype=dtype, seed=0)
    trace = net.forward(np.ones((4, 2)) * np.arange(4)[:, None])
    grads = net.backward(trace, np.ones((4, 2), dtype=dtype))
    assert trace.output.dtype == dtype
    assert grads.inputs.dtype == dtype
    assert all(v.dtype == dtype for v in [*net.params.values(), *grads.params.values()])


@pytest.mark.parametrize(("skip", "norm", "order"), VARIANTS)
def test_train_trains_it_and_measures_every_layer(skip: bool, norm: bool, order: str) -> None:
    x, y = moons(64, seed=0)
    net = ResidualMLP(2, 8, 3, 2, skip=skip, norm=norm, order=order, seed=0)  # type: ignore[arg-type]
    history = train(net, x, y, optimizer=Adam(0.01), epochs=20, batch_size=16)  # type: ignore[arg-type]
    assert history.train_loss[-1] < history.train_loss[0]
    assert history.gradient_norm.shape == (80, net.depth)
    assert history.exact_zeros.shape == (80, 7)
    assert history.dead_units.shape == (21, 7)


def test_the_loss_gradient_through_the_network_is_what_train_uses() -> None:
    x, y = moons(10, seed=0)
    net = ResidualMLP(2, 3, 1, 2, norm=True, seed=0)
    trace = net.forward(x)
    _, d_output = softmax_cross_entropy(trace.output, y)
    assert set(net.backward(trace, d_output).params) == set(net.params)


def test_the_repr_names_the_options() -> None:
    assert repr(ResidualMLP(2, 3, 1, 1, norm=True, order="pre")) == (
        "ResidualMLP(2, 3, 1, 1, skip=True, norm=True, order='pre', zero_init=False, "
        "dtype='float64', seed=0)"
    )


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((0, 3, 1, 1), {}, "inputs must be a positive integer"),
        ((2, 3.0, 1, 1), {}, "width must be a positive integer"),
        ((2, 3, -1, 1), {}, "blocks must be a non-negative integer"),
        ((2, 3, True, 1), {}, "blocks must be a non-negative integer"),
        ((2, 3, 1, 1), {"order": "middle"}, "order must be 'post' or 'pre'"),
        ((2, 3, 1, 1), {"dtype": "int32"}, "dtype must be float16"),
        ((2, 3, 1, 1), {"kink_position": 2.0}, r"kink_position must be in \[0, 1\]"),
        ((2, 3, 1, 1), {"eps": -1.0}, "eps must be >= 0"),
    ],
)
def test_bad_settings_raise_clear_errors(args: tuple, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ResidualMLP(*args, **kwargs)


def test_bad_batches_and_output_gradients_raise_clear_errors() -> None:
    net = ResidualMLP(2, 3, 1, 1, norm=True)
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        net.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match="n >= 2"):
        net.forward(np.ones((1, 2)))
    with pytest.raises(TypeError, match="x must be"):
        net.forward("data")
    trace = net.forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match="d_output has shape"):
        net.backward(trace, np.ones((4, 2)))
    with pytest.raises(ValueError, match="d_output has dtype"):
        net.backward(trace, np.ones((4, 1), dtype=np.float32))
