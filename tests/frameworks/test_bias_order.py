"""What relu0-at-scale says the pinned PyTorch computes for 16-bit products on a CPU.

- `torch.addmm`, `torch.baddbmm` (the calls of tools/relu0_volume.py) and `F.linear` on a 2-D input
  add the bias to the float32 sum of products and round once to 16 bits, in pure float16 and under
  float16 or bfloat16 autocast; so a float16 ReLU input is exactly 0 when that sum is 0 or at most
  2**-25 in size (underflow), and bfloat16, with float32's exponent range, keeps such a sum.
- The CPU record's float16 zeros (docs/data/relu0-volume-cpu.json) are such underflows: the exact
  sum of each is not 0.

Run by `nox -s frameworks` (it has torch); not collected by `nox -s tests`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import relu0_volume as rv  # tools/, put on sys.path by conftest.py
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[2]
RECORD = json.loads((ROOT / "docs" / "data" / "relu0-volume-cpu.json").read_text())


# The 16-bit modes of tools/relu0_volume.py, as it defines them (operand dtype, autocast).
MODES = ["float16", "float16-autocast", "bfloat16-autocast"]
CALLS: dict[str, Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]] = {
    "addmm": lambda x, w, b: torch.addmm(b, x, w),
    "baddbmm": lambda x, w, b: torch.baddbmm(b.view(1, 1, -1), x[None], w[None])[0],
    "F.linear": lambda x, w, b: F.linear(x, w.t(), b),
}


def product(
    call: str, name: str, x: list[list[float]], w: list[list[float]], b: list[float]
) -> float:
    precision = rv.PRECISION[name]
    tensors = [torch.tensor(v, dtype=precision.param_dtype) for v in (x, w, b)]
    with rv.precision_context(precision, "cpu"):
        out = CALLS[call](*tensors)
    assert out.dtype == (precision.autocast or precision.param_dtype)  # a 16-bit result
    return float(out.item())


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("name", MODES)
def test_the_bias_is_added_before_the_one_rounding(call: str, name: str) -> None:
    # 1 * 1 + 1 * e - 1 with e below half the spacing at 1: rounding the product first gives
    # 1 + e -> 1, then 1 - 1 = 0; adding the bias before one rounding gives e.
    e = 2.0**-9 if name.startswith("bfloat16") else 2.0**-12
    assert product(call, name, [[1.0, 1.0]], [[1.0], [e]], [-1.0]) == e


@pytest.mark.parametrize("call", CALLS)
def test_a_float16_sum_at_most_2_to_the_minus_25_rounds_to_zero(call: str) -> None:
    # 2**-14 + 2**-13 * 2**-13 - 2**-14 = 2**-26: below half the smallest float16 (2**-24).
    x, b = [[1.0, 2.0**-13]], [-(2.0**-14)]
    for name in ("float16", "float16-autocast"):
        assert product(call, name, x, [[2.0**-14], [2.0**-13]], b) == 0.0
        # 3 * 2**-26 is above 2**-25: it rounds to 2**-24, not to 0.
        assert product(call, name, x, [[2.0**-14], [3 * 2.0**-13]], b) == 2.0**-24
    # bfloat16 has float32's exponent range: 2**-26 is kept.
    assert product(call, "bfloat16-autocast", x, [[2.0**-14], [2.0**-13]], b) != 0.0


def test_the_cpu_records_float16_zeros_are_underflows_of_the_sum() -> None:
    scale = RECORD["scale"]
    pixels, _ = rv.mnist_like(scale["examples"], RECORD["seeds"]["data_seed"])
    x = torch.from_numpy(pixels).float() / 255
    relu_after = scale["relu_after_hidden_layers"]
    found = dict.fromkeys(relu_after, 0)
    sums: list[float] = []
    for i in range(RECORD["precisions"]["float16"]["networks_run"]):
        layers = [layer.half() for layer in rv.make_network(RECORD["seeds"]["network_seed"] + i)]
        with torch.no_grad():
            h = x.half()
            for k, layer in enumerate(layers[:-1], start=1):
                z = torch.addmm(layer.bias, h, layer.weight.t())
                if k in relu_after:
                    rows, cols = torch.nonzero(z == 0, as_tuple=True)
                    found[k] += len(rows)
                    # The exact sum of the 16-bit operands, in float64.
                    exact = h.double()[rows] @ layer.weight.double().t()[:, cols]
                    sums += (exact.diagonal() + layer.bias.double()[cols]).tolist()
                    z = torch.relu(z)
                h = z
    by_layer = RECORD["precisions"]["float16"]["exact_zeros_by_layer"]
    assert found == {k: by_layer[str(k)]["total"] for k in relu_after}  # the record's zeros
    assert sums, "the record has no float16 zero"
    assert all(0 < abs(s) <= 2.0**-25 for s in sums), sums  # not 0: underflows
