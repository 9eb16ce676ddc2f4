"""Tests of relukit.network.normalisation: batch normalisation in training mode."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relukit.network.normalisation import BN_EPS, batch_norm_backward, batch_norm_forward


def _reference(z: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    """Batch normalisation written out example by example, unit by unit."""
    n, d = z.shape
    out = np.empty_like(z)
    for j in range(d):
        mean = sum(z[i, j] for i in range(n)) / n
        var = sum((z[i, j] - mean) ** 2 for i in range(n)) / n
        for i in range(n):
            out[i, j] = gamma[j] * (z[i, j] - mean) / np.sqrt(var + eps) + beta[j]
    return out


def test_forward_equals_the_formula_written_out() -> None:
    rng = np.random.default_rng(0)
    z, gamma, beta = rng.normal(size=(7, 3)), rng.normal(size=3), rng.normal(size=3)
    cache = batch_norm_forward(z, gamma, beta, eps=0.1)
    np.testing.assert_allclose(cache.output, _reference(z, gamma, beta, 0.1), rtol=1e-13)


def test_a_reference_value() -> None:
    # z = (0, 2): mean 1, variance 1, normalised (-1, 1) with eps = 0
    cache = batch_norm_forward([[0.0], [2.0]], [3.0], [0.5], eps=0.0)
    np.testing.assert_array_equal(cache.output.ravel(), [-2.5, 3.5])


def test_the_default_eps_is_pytorchs() -> None:
    assert BN_EPS == 1e-5


def test_backward_equals_central_differences_for_input_gamma_and_beta() -> None:
    rng = np.random.default_rng(1)
    z, gamma, beta = rng.normal(size=(6, 4)), rng.normal(size=4), rng.normal(size=4)
    weights = rng.normal(size=(6, 4))  # the loss is sum(weights * y)

    def loss(z_: np.ndarray, g_: np.ndarray, b_: np.ndarray) -> float:
        return float((weights * batch_norm_forward(z_, g_, b_).output).sum())

    d_z, d_gamma, d_beta = batch_norm_backward(weights, batch_norm_forward(z, gamma, beta))
    step = 1e-6
    for value, analytic in ((z, d_z), (gamma, d_gamma), (beta, d_beta)):
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            saved = value[index]
            value[index] = saved + step
            up = loss(z, gamma, beta)
            value[index] = saved - step
            down = loss(z, gamma, beta)
            value[index] = saved
            numeric[index] = (up - down) / (2 * step)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


@settings(max_examples=40)
@given(
    n=st.integers(2, 12),
    d=st.integers(1, 4),
    seed=st.integers(0, 2**16),
    scale=st.floats(0.01, 100.0),
    shift=st.floats(-100.0, 100.0),
)
def test_each_column_has_mean_beta_and_std_gamma_whatever_its_scale_and_shift(
    n: int, d: int, seed: int, scale: float, shift: float
) -> None:
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n, d))
    gamma, beta = rng.uniform(0.5, 2.0, d), rng.normal(size=d)
    y = batch_norm_forward(z, gamma, beta, eps=0.0).output
    moved = batch_norm_forward(scale * z + shift, gamma, beta, eps=0.0).output
    np.testing.assert_allclose(y.mean(axis=0), beta, atol=1e-10)
    np.testing.assert_allclose(y.std(axis=0), gamma, rtol=1e-8)
    np.testing.assert_allclose(moved, y, atol=1e-7)


@settings(max_examples=40)
@given(n=st.integers(2, 10), d=st.integers(1, 3), seed=st.integers(0, 2**16))
def test_the_input_gradient_is_orthogonal_to_shifts_and_scalings_of_each_column(
    n: int, d: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    cache = batch_norm_forward(rng.normal(size=(n, d)), rng.normal(size=d), np.zeros(d), eps=0)
    d_z, _, _ = batch_norm_backward(rng.normal(size=(n, d)), cache)
    np.testing.assert_allclose(d_z.sum(axis=0), 0, atol=1e-9)
    np.testing.assert_allclose((d_z * cache.normalised).sum(axis=0), 0, atol=1e-9)


def test_with_a_positive_eps_the_gradient_is_not_orthogonal_to_the_normalised_column() -> None:
    rng = np.random.default_rng(5)
    z, g, gamma, eps = rng.normal(size=(6, 2)) * 0.1, rng.normal(size=(6, 2)), np.ones(2), 0.01
    cache = batch_norm_forward(z, gamma, np.zeros(2), eps=eps)
    d_z, _, _ = batch_norm_backward(g, cache)
    var = z.var(axis=0)
    z_hat = (z - z.mean(axis=0)) / np.sqrt(var + eps)
    expected = eps / (var + eps) * gamma * (g * z_hat).sum(axis=0) / np.sqrt(var + eps)
    np.testing.assert_allclose((d_z * z_hat).sum(axis=0), expected, rtol=1e-10)
    assert np.all(np.abs(expected) > 1e-3)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_the_output_and_gradients_keep_the_inputs_dtype(dtype: type) -> None:
    z = np.random.default_rng(0).normal(size=(5, 2)).astype(dtype)
    cache = batch_norm_forward(z, np.ones(2), np.zeros(2))
    assert cache.output.dtype == dtype
    assert all(g.dtype == dtype for g in batch_norm_backward(np.ones((5, 2), dtype), cache))


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((np.ones(3), np.ones(1), np.zeros(1)), ValueError, "n >= 2"),
        ((np.ones((1, 2)), np.ones(2), np.zeros(2)), ValueError, "n >= 2"),
        ((np.ones((3, 2)), np.ones(3), np.zeros(2)), ValueError, "gamma must have shape"),
        ((np.ones((3, 2)), np.ones(2), np.zeros((2, 1))), ValueError, "beta must have shape"),
        ((np.ones((3, 2), dtype=complex), np.ones(2), np.zeros(2)), TypeError, "z must be"),
        ((np.ones((3, 2)), "a", np.zeros(2)), TypeError, "gamma must be"),
    ],
)
def test_bad_input_raises_a_clear_error(args: tuple, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        batch_norm_forward(*args)


def test_bad_eps_and_bad_output_gradients_raise() -> None:
    with pytest.raises(ValueError, match="eps must be >= 0"):
        batch_norm_forward(np.ones((3, 2)), np.ones(2), np.zeros(2), eps=-1.0)
    cache = batch_norm_forward(np.ones((3, 2)), np.ones(2), np.zeros(2))
    with pytest.raises(ValueError, match="d_output has shape"):
        batch_norm_backward(np.ones((3, 3)), cache)
