"""tools/relu0_volume.py at reduced scale: the measurement, its batching and its record.

Run by `nox -s frameworks` (needs torch); not collected by `nox -s tests`.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest
import relu0_volume as rv  # tools/, put on sys.path by conftest.py
import torch

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "data" / "relu0-volume.schema.json").read_text())


def test_relu_at_zero_backward_uses_the_chosen_value_at_both_zeros() -> None:
    x = torch.tensor([-1.0, -0.0, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
    at_zero = rv.AtZero()
    y = rv.ReLUAtZero.apply(x, at_zero)
    assert torch.equal(y, torch.relu(x.detach()))
    upstream = torch.tensor([0.5, 0.5, 0.5, 0.5], dtype=torch.float64)
    at_zero.value = 0
    (g0,) = torch.autograd.grad(y, x, upstream, retain_graph=True)
    at_zero.value = 1
    (g1,) = torch.autograd.grad(y, x, upstream)
    assert g0.tolist() == [0.0, 0.0, 0.0, 0.5]
    assert g1.tolist() == [0.0, 0.5, 0.5, 0.5]


def test_with_derivative_zero_the_function_matches_torch_relu_gradient() -> None:
    x = torch.randn(1000, dtype=torch.float64).requires_grad_(True)
    x.data[::7] = 0.0
    upstream = torch.randn(1000, dtype=torch.float64)
    (ours,) = torch.autograd.grad(rv.ReLUAtZero.apply(x, rv.AtZero(0)), x, upstream)
    (torchs,) = torch.autograd.grad(torch.relu(x), x, upstream)
    assert torch.equal(ours, torchs)


def test_generated_data_is_mnist_shaped_and_reproducible() -> None:
    pixels, labels = rv.mnist_like(600, seed=3)
    again, labels_again = rv.mnist_like(600, seed=3)
    other, _ = rv.mnist_like(600, seed=4)
    assert pixels.shape == (600, 784)
    assert pixels.dtype == np.uint8
    assert np.array_equal(pixels, again)
    assert np.array_equal(labels, labels_again)
    assert rv.data_digest(pixels, labels) != rv.data_digest(other, labels)
    assert abs((pixels == 0).mean() - rv.BERTOIN_ZERO_SHARE) < 0.01
    images = pixels.reshape(-1, 28, 28)
    assert not images[:, :2].any()  # the border is empty
    assert not images[:, -2:].any()
    assert not images[:, :, :2].any()
    assert not images[:, :, -2:].any()
    assert (pixels == 255).any()
    assert ((pixels > 0) & (pixels < 255)).any()
    assert set(np.unique(labels)) == set(range(10))


def test_generated_data_are_the_same_bytes_as_when_the_records_were_made() -> None:
    """numpy's random stream or the generator changing would change every record's data."""
    pixels, labels = rv.mnist_like(1000, seed=0)
    digest = "a2f1c40c6a8bd3dc250a496eb1a689b462d5896712ea521e4c4cb6b77d013528"
    assert rv.data_digest(pixels, labels) == digest


def _crafted_networks() -> list[list[torch.nn.Linear]]:
    """Two networks; in the second, unit 0 of hidden layer 2 is exactly 0 for every input.

    Its first layer has two identical units j, k (same weights, same bias), and unit 0 of the
    second layer weighs them c and -c and has bias 0: c*z_j - c*z_k is exactly 0.
    """
    first, second = rv.make_network(11), rv.make_network(12)
    with torch.no_grad():
        w1, b1 = second[0].weight, second[0].bias
        w1[5] = w1[4]
        b1[5] = b1[4]
        w2, b2 = second[1].weight, second[1].bias
        w2[0] = 0.0
        w2[0, 4], w2[0, 5] = 0.25, -0.25
        b2[0] = 0.0
    return [first, second]


@pytest.mark.parametrize("engine", ["batched", "per-network"])
def test_an_exact_zero_is_counted_and_changes_the_first_layer_gradient(engine: str) -> None:
    group = rv.group_of(_crafted_networks(), 0, "cpu")
    pixels, labels = rv.mnist_like(300, seed=1)
    x = torch.from_numpy(pixels).float() / 255
    y = torch.from_numpy(labels.astype(np.int64))
    result = rv.ENGINES[engine](
        group, x, y, rv.PRECISION["float64"], (2, 3), 128, float("inf"), "test"
    )
    assert result.batches == 3
    # The crafted unit is 0 for all 300 examples; the untouched network has none.
    assert result.zeros[0].tolist()[1] >= 300
    assert result.zeros[:, 0].sum() == 0
    assert result.batches_with_zero.tolist() == [0, 3]
    assert result.first_differing_batch.tolist() == [-1, 0]
    assert result.differing_batches.tolist() == [0, 3]
    assert result.differs_value.tolist() == [False, True]
    assert result.relu_input_dtype == "float64"


@pytest.mark.parametrize("precision", ["float64", "float32", "bfloat16-autocast"])
def test_batched_gradients_are_each_networks_own(precision: str) -> None:
    """The batched step computes, network by network, what nn.Linear layers compute alone."""
    networks = _crafted_networks()
    p = rv.PRECISION[precision]
    step = rv.Batched(rv.group_of(networks, 0, "cpu"), p, (2, 3))
    pixels, labels = rv.mnist_like(128, seed=2)
    x = (torch.from_numpy(pixels).float() / 255).to(p.param_dtype)
    y = torch.from_numpy(labels.astype(np.int64))
    count, grad0, grad1, relu_dtype = step.step(x, y)
    assert grad1 is not None  # the crafted network has exact zeros
    expected_relu = {"float64": "float64", "float32": "float32", "bfloat16-autocast": "bfloat16"}
    assert relu_dtype == expected_relu[precision]
    tolerance = {"float64": 1e-12, "float32": 1e-5, "bfloat16-autocast": 2e-2}[precision]
    for i, layers in enumerate(networks):
        at_zero = rv.AtZero()
        model = rv.per_network_model(layers, (2, 3), at_zero, p.param_dtype, "cpu")
        seen: list[torch.Tensor] = []
        for module in model:
            if isinstance(module, rv.ReLUModule):
                module.register_forward_pre_hook(lambda _m, args, seen=seen: seen.append(args[0]))
        with rv.precision_context(p, "cpu"):
            loss = torch.nn.functional.cross_entropy(model(x), y)
        assert [str(s.dtype).removeprefix("torch.") for s in seen] == [relu_dtype] * 2
        assert [int((s == 0).sum()) for s in seen] == count[:, i].tolist()
        for value, batched in ((0, grad0), (1, grad1)):
            at_zero.value = value
            (alone,) = torch.autograd.grad(loss, model[0].weight, retain_graph=True)
            mine = batched[:, i * 256 : (i + 1) * 256].t()
            scale = float(alone.abs().max())
            assert float((mine - alone).abs().max()) <= tolerance * scale


def test_autocast_gives_the_custom_relu_what_a_plain_relu_sees() -> None:
    """Under autocast a ReLU after nn.Linear gets the lower precision; so does ReLUAtZero."""
    linear = torch.nn.Linear(8, 4)
    x = torch.randn(3, 8)
    for dtype in (torch.bfloat16, torch.float16):
        with torch.autocast("cpu", dtype=dtype):
            plain = linear(x)
            ours = rv.ReLUAtZero.apply(linear(x), rv.AtZero())
            assert plain.dtype == dtype
            assert ours.dtype == torch.relu(plain).dtype == dtype


def test_tf32_switch_sets_and_resets_the_cuda_flags() -> None:
    on = rv.set_tf32(True)
    off = rv.set_tf32(False)
    assert set(on) == set(off)
    assert all(v in ("tf32", "True") for v in on.values())
    assert all(v in ("ieee", "False") for v in off.values())
    reason = rv.skip_reason(rv.PRECISION["tf32"], "cpu")
    assert reason is not None
    assert "TF32" in reason
    assert rv.skip_reason(rv.PRECISION["tf32"], "cuda") is None


def test_a_reduced_run_writes_a_valid_record(tmp_path: Path) -> None:
    out = tmp_path / "record.json"
    argv = ["--device", "cpu", "--networks", "3", "--group", "2", "--examples", "256"]
    argv += ["--precisions", "float64,float32,tf32", "--cross-check", "1", "--out", str(out)]
    assert rv.main(argv) == 0
    record = json.loads(out.read_text())
    jsonschema.Draft202012Validator(SCHEMA).validate(record)
    assert record["complete"] is True
    assert record["precisions"]["tf32"]["status"] == "skipped"
    for name in ("float64", "float32"):
        entry = record["precisions"][name]
        assert entry["status"] == "ran"
        assert entry["networks_run"] == 3
        assert len(entry["per_network"]["exact_zeros"]) == 3
        assert entry["cross_check_per_network"]["networks"] == 1
    assert record["scale"]["minibatches"] == 2
    assert record["data"]["sha256"] == rv.data_digest(*rv.mnist_like(256, 0))


def test_a_run_out_of_time_stops_cleanly_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "record.json"
    argv = ["--device", "cpu", "--networks", "2", "--examples", "512", "--time-budget", "0"]
    assert rv.main([*argv, "--precisions", "float32,float64", "--out", str(out)]) == 0
    record = json.loads(out.read_text())
    jsonschema.Draft202012Validator(SCHEMA).validate(record)
    assert record["complete"] is False
    for entry in record["precisions"].values():
        assert entry["status"] == "not run"
        assert entry["stopped"].startswith("time budget")


def test_committed_cpu_record_is_valid_and_reduced_scale() -> None:
    record = json.loads((ROOT / "docs" / "data" / "relu0-volume-cpu.json").read_text())
    jsonschema.Draft202012Validator(SCHEMA).validate(record)
    assert record["machine"]["device"] == "cpu"
    assert record["precisions"]["tf32"]["status"] == "skipped"
