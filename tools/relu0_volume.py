#!/usr/bin/env python3
"""Bertoin et al.'s volume estimation, at their scale: does ReLU'(0) change a gradient?

For randomly initialised networks and one pass over 60,000 MNIST-shaped examples in
mini-batches of 128, this counts the networks whose first-layer weight gradient differs between
ReLU'(0) = 0 and ReLU'(0) = 1 on at least one mini-batch, and how many ReLU inputs were exactly
0, layer by layer, in float64, float32, TF32, bfloat16 autocast, float16 autocast and pure
float16. It writes one JSON record (schema: docs/data/relu0-volume.schema.json), after every
precision of every group of networks, so a run that is stopped still leaves its results.

What is replicated, from the authors' code (github.com/deel-ai/relu-prime, notebook
``notebooks/MNIST_volume_estimation.ipynb`` and ``relu.py``):

- The network of that notebook's ``get_mlp_network(relu_fn, nb_neurons=256,
  nb_hidden_layers=3)``: Linear(784, 256), Linear(256, 256), ReLU, Linear(256, 256), ReLU,
  Linear(256, 10). The first hidden layer has NO ReLU; the second and third have one
  (``--relu-after 2,3``, the default). Their other notebook, ``volume_estimation_by_architecture
  .ipynb``, which wrote the results file ``volume_estimation_by_batch_size_MNIST.csv``, puts a
  ReLU after every hidden layer: ``--relu-after 1,2,3``.
- PyTorch's default initialisation: each network's four layers are ``torch.nn.Linear`` modules
  made in float32 on the CPU after ``torch.manual_seed(seed + i)`` for network ``i``, then cast
  (``.double()``, ``.half()``), as the notebook's ``net.double()`` / ``net.half()`` do. Every
  precision sees the same networks.
- The loss: ``nn.CrossEntropyLoss()`` (mean over the mini-batch) of each network's logits. The
  authors backpropagate the sum of the two networks' losses; each network's gradient is that of
  its own loss either way.
- The data in order, no shuffling, mini-batches of 128 (the last one holds the remainder,
  as their ``DataLoader`` gives it), inputs ``k / 255`` in float32 as torchvision's
  ``ToTensor`` makes them, cast to float64 or float16 for those precisions as the notebook does.
- What is compared: the first layer's weight gradient (``net[0].weight.grad``) with ReLU'(0) = 0
  and with ReLU'(0) = 1. The authors test ``torch.equal`` (values; NaN is unequal to itself);
  this script records that and a bitwise comparison of the two gradients' bits.

Differences, stated:

- ReLU'(0) = 1 here multiplies the incoming gradient by 1 at an exact 0 (the backward is
  ``grad * (x >= 0)``; with 0 it is ``grad * (x > 0)``). The authors' ``ReLUAlphaFunction``
  writes the constant alpha in place of the gradient there (``grad_input[input == 0] =
  alpha``), which is not the chain rule; both change the gradient whenever an exact 0 meets a
  nonzero incoming gradient, and only then can the two differ.
- One forward pass and two backward passes per mini-batch (the second only for mini-batches in
  which some network of the group has an exact 0 at a ReLU input: without one the two backward
  passes do the same arithmetic). The authors run two copies of the network forward. Which
  mini-batch differs first is not needed for the count, but the whole pass is run to count
  the zeros.
- Data: not MNIST, which this project cannot download (see ``mnist_like``).
- Batching (``--engine batched``, the default): the networks of a group are computed together,
  the first layer as one matrix product with the networks' weights side by side, the others as
  batched products over a leading network dimension (``torch.addmm``, ``torch.baddbmm``; what
  ``nn.Linear`` calls is ``addmm``). Operand dtypes, autocast's casts, accumulation in the
  library's defaults and the rounding of every layer's output to its dtype are those of
  ``nn.Linear``; the summation order inside a product is the BLAS library's choice and can differ
  between a batched product and one network's, so a network's own outcome is not guaranteed
  bit-for-bit what it would be alone: the rate over many networks is what is measured.
  ``--engine per-network`` runs each network alone as an ``nn.Sequential`` of ``nn.Linear``
  (slow); ``--cross-check K`` runs the first K networks that way after the batched run and
  records how often the two agree.
- The authors ran pure float16 (``net.half()``) and float32 (on a GPU and a PyTorch version they
  do not give; PyTorch 1.7 to 1.11 computed float32 matrix products on Ampere GPUs in TF32 by
  default). Autocast float16 and bfloat16 and TF32 are new here.

ReLU'(0) is implemented by ``ReLUAtZero``, a ``torch.autograd.Function`` whose forward is
``torch.relu`` and whose backward reads the value to use at 0 from a switch set before each
backward pass. Under autocast, its input is the output of the preceding (autocast) matrix
product, in the lower precision, as a ``torch.relu`` there would see it (``relu`` is on no
autocast list); the record states the dtype seen.

Usage::

    python3 tools/relu0_volume.py --device cuda --time-budget 390 --out OUT.json
    python3 tools/relu0_volume.py --device cpu --networks 4 --examples 6400   # reduced scale

Progress (networks done, elapsed, estimated remaining) goes to stderr. Needs torch and numpy.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import itertools
import json
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_NAME = "relu0-volume.schema.json"
SCHEMA_VERSION = 1
WIDTHS = (784, 256, 256, 256, 10)
PRECISIONS = ("float64", "float32", "tf32", "bfloat16-autocast", "float16-autocast", "float16")
BERTOIN_ZERO_SHARE = 0.81  # MNIST's share of pixels that are exactly 0 (about 80.9 %)
CALIBRATION = 50  # networks in the first round, which measures each precision's speed


def log(message: str) -> None:
    print(f"[relu0_volume] {message}", file=sys.stderr, flush=True)


# --- Data -----------------------------------------------------------------------------------


def mnist_like(n: int, seed: int, chunk: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """``n`` MNIST-shaped examples: 28 x 28 uint8 pixels and labels 0-9, from ``seed``.

    Not digits: each image is three to five random straight strokes in the central 20 x 20
    pixels (MNIST's digits sit in a 20 x 20 box), 1.5 pixels wide at full ink with one pixel of
    anti-aliased edge on each side, stored as ``k`` in 0..255 (the model sees ``k / 255``, as
    with MNIST). About 81 % of pixels are exactly 0 (``BERTOIN_ZERO_SHARE``, MNIST's share; the
    record gives the share measured), the two outermost rows and columns are always 0, and a
    stroke's core is 255, as in MNIST; the labels are uniform and unrelated to the images. Only
    IEEE-exact operations (+, -, *, /, sqrt, min, max, floor) touch the random numbers, so every
    machine with the same numpy stream makes the same bytes; the record keeps their SHA-256.
    """
    rng = np.random.default_rng(seed)
    strokes = 5
    count = rng.integers(3, strokes + 1, size=n)  # strokes per image: 3, 4 or 5
    ends = 4.0 + 20.0 * rng.random((n, strokes, 2, 2))  # (image, stroke, end, xy) in [4, 24)
    labels = rng.integers(0, 10, size=n).astype(np.uint8)
    centres = np.arange(28, dtype=np.float64) + 0.5
    px = np.broadcast_to(centres[None, :], (28, 28)).reshape(1, 784, 1)  # x = column
    py = np.broadcast_to(centres[:, None], (28, 28)).reshape(1, 784, 1)  # y = row
    pixels = np.empty((n, 784), dtype=np.uint8)
    for start in range(0, n, chunk):
        e = ends[start : start + chunk]
        ax, ay = e[:, None, :, 0, 0], e[:, None, :, 0, 1]  # (m, 1, strokes)
        dx, dy = e[:, None, :, 1, 0] - ax, e[:, None, :, 1, 1] - ay
        length2 = np.maximum(dx * dx + dy * dy, 1e-12)
        t = np.clip(((px - ax) * dx + (py - ay) * dy) / length2, 0.0, 1.0)
        qx, qy = px - (ax + t * dx), py - (ay + t * dy)
        distance = np.sqrt(qx * qx + qy * qy)  # (m, 784, strokes)
        used = np.arange(strokes)[None, None, :] < count[start : start + chunk, None, None]
        distance = np.where(used, distance, np.inf).min(axis=2)
        ink = np.clip(1.75 - distance, 0.0, 1.0)  # 1 within 0.75 px of the stroke, 0 beyond 1.75
        pixels[start : start + chunk] = np.floor(ink * 255.0 + 0.5).astype(np.uint8)
    return pixels, labels


def data_digest(pixels: np.ndarray, labels: np.ndarray) -> str:
    digest = hashlib.sha256(np.ascontiguousarray(pixels).tobytes())
    digest.update(np.ascontiguousarray(labels).tobytes())
    return digest.hexdigest()


# --- ReLU with a chosen ReLU'(0) ------------------------------------------------------------


@dataclass
class AtZero:
    """The value of ReLU'(0) that the next backward pass uses: 0 or 1."""

    value: int = 0


class ReLUAtZero(torch.autograd.Function):
    """ReLU whose backward is ``grad * (x > 0)`` (ReLU'(0) = 0) or ``grad * (x >= 0)`` (= 1).

    ``at_zero.value`` is read when the backward pass runs, so one forward pass serves both.
    ``x >= 0`` includes -0.0. (PyTorch's own ReLU backward, ``where(out <= 0, 0, grad)``, gives
    the same numbers except that ``grad * 0`` is -0.0 for a negative ``grad``: a zero's sign,
    which a later sum cannot turn into a nonzero difference.)
    """

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, at_zero: AtZero) -> torch.Tensor:
        ctx.save_for_backward(x)
        ctx.at_zero = at_zero
        return torch.relu(x)

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[torch.Tensor, None]:
        (x,) = ctx.saved_tensors
        passes = (x >= 0) if ctx.at_zero.value == 1 else (x > 0)
        return grad * passes, None


class ReLUModule(torch.nn.Module):
    def __init__(self, at_zero: AtZero) -> None:
        super().__init__()
        self.at_zero = at_zero

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = ReLUAtZero.apply(x, self.at_zero)
        return out


# --- Networks -------------------------------------------------------------------------------


def make_network(seed: int) -> list[torch.nn.Linear]:
    """The four nn.Linear layers of one network, PyTorch's default initialisation, float32 CPU."""
    torch.manual_seed(seed)
    return [torch.nn.Linear(a, b) for a, b in itertools.pairwise(WIDTHS)]


@dataclass
class Group:
    """The float32 parameters of a group of networks, stacked for batched products."""

    first: int  # index of the group's first network
    size: int
    w1t: torch.Tensor  # (784, size * 256): the first layers' W^T side by side
    b1: torch.Tensor  # (size * 256,)
    wt: list[torch.Tensor] = field(default_factory=list)  # layers 2-4: (size, in, out)
    b: list[torch.Tensor] = field(default_factory=list)  # layers 2-4: (size, 1, out)
    layers: list[list[torch.nn.Linear]] = field(default_factory=list)  # per network


def make_group(first: int, size: int, seed: int, device: str) -> Group:
    """Networks first .. first + size - 1, from their seeds."""
    return group_of([make_network(seed + i) for i in range(first, first + size)], first, device)


def group_of(layers: list[list[torch.nn.Linear]], first: int, device: str) -> Group:
    """Stack the float32 parameters of these networks for the batched products."""
    with torch.no_grad():
        w1t = torch.cat([net[0].weight.t() for net in layers], dim=1)
        b1 = torch.cat([net[0].bias for net in layers])
        wt = [torch.stack([net[k].weight.t() for net in layers]) for k in (1, 2, 3)]
        b = [torch.stack([net[k].bias[None, :] for net in layers]) for k in (1, 2, 3)]

    def move(t: torch.Tensor) -> torch.Tensor:
        return t.detach().contiguous().to(device)

    return Group(
        first, len(layers), move(w1t), move(b1), [move(t) for t in wt], [move(t) for t in b],
        layers,
    )  # fmt: skip


# --- Precisions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Precision:
    name: str
    param_dtype: torch.dtype  # parameters and inputs (float32 under autocast)
    autocast: torch.dtype | None  # autocast's lower precision, or None
    tf32: bool
    describe: str


PRECISION = {
    "float64": Precision("float64", torch.float64, None, False, "net.double(), x.double()"),
    "float32": Precision("float32", torch.float32, None, False, "float32, TF32 off"),
    "tf32": Precision("tf32", torch.float32, None, True, "float32 with TF32 matrix products"),
    "bfloat16-autocast": Precision(
        "bfloat16-autocast", torch.float32, torch.bfloat16, False,
        "float32 parameters, torch.autocast(dtype=torch.bfloat16)",
    ),
    "float16-autocast": Precision(
        "float16-autocast", torch.float32, torch.float16, False,
        "float32 parameters, torch.autocast(dtype=torch.float16)",
    ),
    "float16": Precision(
        "float16", torch.float16, None, False, "net.half(), x.half() (the authors' 16 bits)",
    ),
}  # fmt: skip


def set_tf32(enabled: bool) -> dict[str, str]:
    """Switch TF32 for CUDA matrix products and cuDNN; return the settings, as set.

    Uses the fp32_precision settings where this PyTorch has them (mixing them with the older
    allow_tf32 flags is an error there), else allow_tf32.
    """
    matmul, conv = torch.backends.cuda.matmul, torch.backends.cudnn
    if hasattr(matmul, "fp32_precision") and hasattr(getattr(conv, "conv", None), "fp32_precision"):
        value = "tf32" if enabled else "ieee"
        matmul.fp32_precision = value
        conv.conv.fp32_precision = value
        return {
            "torch.backends.cuda.matmul.fp32_precision": value,
            "torch.backends.cudnn.conv.fp32_precision": value,
        }
    matmul.allow_tf32 = enabled
    conv.allow_tf32 = enabled
    return {
        "torch.backends.cuda.matmul.allow_tf32": str(enabled),
        "torch.backends.cudnn.allow_tf32": str(enabled),
    }


def skip_reason(precision: Precision, device: str) -> str | None:
    if device == "cpu" and precision.tf32:
        return (
            "TF32 is a matrix-product mode of NVIDIA GPUs' tensor cores; on the CPU the CUDA"
            " settings do nothing and the run would repeat float32"
        )
    return None


@contextlib.contextmanager
def precision_context(precision: Precision, device: str) -> Iterator[None]:
    if precision.autocast is None:
        yield
    else:
        with torch.autocast(device_type=device, dtype=precision.autocast):
            yield


# --- One pass -------------------------------------------------------------------------------


@dataclass
class PassResult:
    """Per network of a group, over one pass."""

    zeros: np.ndarray  # (layers with a ReLU, networks): exact zeros at each ReLU's input
    batches_with_zero: np.ndarray  # (networks,)
    differing_batches: np.ndarray  # (networks,) bitwise
    first_differing_batch: np.ndarray  # (networks,), -1 for none
    differs_value: np.ndarray  # (networks,) bool: not torch.equal, the authors' test
    nonfinite: np.ndarray  # (networks,) bool: a NaN or inf in a gradient
    batches: int
    second_passes: int  # mini-batches for which the second backward ran
    relu_input_dtype: str
    grad_dtype: str


def as_int(t: torch.Tensor) -> torch.Tensor:
    """The same bits as an integer tensor, for a bitwise comparison."""
    return t.view({2: torch.int16, 4: torch.int32, 8: torch.int64}[t.element_size()])


class Deadline(Exception):
    """The time budget ran out during a pass."""


@dataclass
class Batched:
    """A group's parameters in one precision, ready for batched steps."""

    group: Group
    precision: Precision
    relu_after: tuple[int, ...]
    at_zero: AtZero = field(default_factory=AtZero)

    def __post_init__(self) -> None:
        dtype = self.precision.param_dtype
        self.w1t = self.group.w1t.to(dtype).requires_grad_(True)
        self.b1 = self.group.b1.to(dtype)
        self.wt = [w.to(dtype) for w in self.group.wt]
        self.b = [v.to(dtype) for v in self.group.b]

    def step(
        self, x: torch.Tensor, y: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None, str]:
        """One mini-batch: (exact zeros (relus, networks), gradient with ReLU'(0) = 0, gradient
        with ReLU'(0) = 1 or None when no ReLU input was 0, the ReLU input's dtype).

        A gradient is the first layers' W^T side by side, (784, networks * 256).
        """
        g, h, m = self.group.size, WIDTHS[1], x.shape[0]
        device = x.device.type
        relu_dtype = ""
        with precision_context(self.precision, device):
            z = torch.addmm(self.b1, x, self.w1t).view(m, g, h).transpose(0, 1)  # (g, m, 256)
            counts = []
            for k in range(3):
                if k + 1 in self.relu_after:  # a ReLU after hidden layer k + 1
                    counts.append((z == 0).sum(dim=(1, 2)))
                    relu_dtype = str(z.dtype).removeprefix("torch.")
                    z = ReLUAtZero.apply(z, self.at_zero)
                z = torch.baddbmm(self.b[k], z, self.wt[k])
            # z: the logits, (g, m, 10); each network's mean cross-entropy, summed
            loss = F.cross_entropy(z.transpose(1, 2), y.expand(g, m), reduction="none")
            loss = loss.mean(dim=1).sum()
        count = torch.stack(counts)
        any_zero = bool(count.any())  # the one synchronisation per mini-batch
        self.at_zero.value = 0
        (grad0,) = torch.autograd.grad(loss, self.w1t, retain_graph=any_zero)
        grad1 = None
        if any_zero:
            self.at_zero.value = 1
            (grad1,) = torch.autograd.grad(loss, self.w1t)
        return count, grad0, grad1, relu_dtype


def run_pass_batched(
    group: Group,
    x_all: torch.Tensor,
    y_all: torch.Tensor,
    precision: Precision,
    relu_after: tuple[int, ...],
    batch_size: int,
    deadline: float,
    progress: str,
) -> PassResult:
    device = x_all.device.type
    g, h = group.size, WIDTHS[1]
    model = Batched(group, precision, relu_after)
    x_all = x_all.to(precision.param_dtype)
    zeros = torch.zeros(len(relu_after), g, dtype=torch.int64, device=device)
    batches_with_zero = torch.zeros(g, dtype=torch.int64, device=device)
    differing = torch.zeros(g, dtype=torch.int64, device=device)
    first = torch.full((g,), -1, dtype=torch.int64, device=device)
    differs_value = torch.zeros(g, dtype=torch.bool, device=device)
    nonfinite = torch.zeros(g, dtype=torch.bool, device=device)
    batches = math.ceil(x_all.shape[0] / batch_size)
    second_passes = 0
    relu_dtype = grad_dtype = ""
    last_report = time.monotonic()
    for index in range(batches):
        x = x_all[index * batch_size : (index + 1) * batch_size]
        y = y_all[index * batch_size : (index + 1) * batch_size]
        count, grad0, grad1, relu_dtype = model.step(x, y)
        zeros += count
        batches_with_zero += count.sum(dim=0) > 0
        grad_dtype = str(grad0.dtype).removeprefix("torch.")
        g0 = grad0.view(-1, g, h)
        nonfinite |= ~torch.isfinite(g0).all(dim=2).all(dim=0)
        if grad1 is not None:
            second_passes += 1
            g1 = grad1.view(-1, g, h)
            bits = (as_int(g0) != as_int(g1)).any(dim=2).any(dim=0)
            differs_value |= (g0 != g1).any(dim=2).any(dim=0)  # NaN != NaN, as torch.equal
            first = torch.where(bits & (first < 0), index, first)
            differing += bits
        else:  # the same gradient twice: torch.equal is False only for a NaN in it
            differs_value |= torch.isnan(g0).any(dim=2).any(dim=0)
        del grad0, grad1
        now = time.monotonic()
        if now > deadline:
            raise Deadline
        if now - last_report > 20:
            log(f"{progress}: mini-batch {index + 1}/{batches}")
            last_report = now
    return PassResult(
        zeros=zeros.cpu().numpy(),
        batches_with_zero=batches_with_zero.cpu().numpy(),
        differing_batches=differing.cpu().numpy(),
        first_differing_batch=first.cpu().numpy(),
        differs_value=differs_value.cpu().numpy(),
        nonfinite=nonfinite.cpu().numpy(),
        batches=batches,
        second_passes=second_passes,
        relu_input_dtype=relu_dtype,
        grad_dtype=grad_dtype,
    )


def per_network_model(layers: list[torch.nn.Linear], relu_after: tuple[int, ...], at_zero: AtZero,
                      dtype: torch.dtype, device: str) -> torch.nn.Sequential:  # fmt: skip
    """One network as the authors build it: nn.Sequential of nn.Linear and ReLU modules."""
    modules: list[torch.nn.Module] = []
    for k, linear in enumerate(layers):
        copy = torch.nn.Linear(linear.in_features, linear.out_features)
        copy.load_state_dict(linear.state_dict())
        modules.append(copy)
        if k + 1 in relu_after:
            modules.append(ReLUModule(at_zero))
    model = torch.nn.Sequential(*modules).to(device=device, dtype=dtype)
    for name, parameter in model.named_parameters():
        parameter.requires_grad_(name == "0.weight")
    return model


def run_pass_per_network(
    group: Group,
    x_all: torch.Tensor,
    y_all: torch.Tensor,
    precision: Precision,
    relu_after: tuple[int, ...],
    batch_size: int,
    deadline: float,
    progress: str,
) -> PassResult:
    """The same measurement, one network at a time, with nn.Linear (the reference)."""
    device = x_all.device.type
    results = []
    for layers in group.layers:
        at_zero = AtZero()
        model = per_network_model(layers, relu_after, at_zero, precision.param_dtype, device)
        seen: list[torch.Tensor] = []
        hooks = [
            m.register_forward_pre_hook(lambda _m, args, seen=seen: seen.append(args[0]))
            for m in model
            if isinstance(m, ReLUModule)
        ]
        zeros = np.zeros((len(relu_after), 1), dtype=np.int64)
        with_zero = differing = 0
        first, value, nonfinite, second = -1, False, False, 0
        relu_dtype = grad_dtype = ""
        x_cast = x_all.to(precision.param_dtype)
        batches = math.ceil(x_all.shape[0] / batch_size)
        for index in range(batches):
            x = x_cast[index * batch_size : (index + 1) * batch_size]
            y = y_all[index * batch_size : (index + 1) * batch_size]
            seen.clear()
            with precision_context(precision, device):
                loss = F.cross_entropy(model(x), y)
            count = np.array([int((s == 0).sum()) for s in seen])
            relu_dtype = str(seen[0].dtype).removeprefix("torch.")
            zeros[:, 0] += count
            at_zero.value = 0
            (grad0,) = torch.autograd.grad(loss, model[0].weight, retain_graph=bool(count.sum()))
            grad_dtype = str(grad0.dtype).removeprefix("torch.")
            nonfinite |= not bool(torch.isfinite(grad0).all())
            if count.sum():
                with_zero += 1
                second += 1
                at_zero.value = 1
                (grad1,) = torch.autograd.grad(loss, model[0].weight)
                if not torch.equal(as_int(grad0), as_int(grad1)):
                    differing += 1
                    first = index if first < 0 else first
                value |= not torch.equal(grad0, grad1)
            else:
                value |= bool(torch.isnan(grad0).any())
            if time.monotonic() > deadline:
                raise Deadline
        for hook in hooks:
            hook.remove()
        results.append(
            (
                zeros[:, 0],
                with_zero,
                differing,
                first,
                value,
                nonfinite,
                second,
                relu_dtype,
                grad_dtype,
            )
        )
    return PassResult(
        zeros=np.stack([r[0] for r in results], axis=1),
        batches_with_zero=np.array([r[1] for r in results]),
        differing_batches=np.array([r[2] for r in results]),
        first_differing_batch=np.array([r[3] for r in results]),
        differs_value=np.array([r[4] for r in results]),
        nonfinite=np.array([r[5] for r in results]),
        batches=math.ceil(x_all.shape[0] / batch_size),
        second_passes=max(r[6] for r in results),
        relu_input_dtype=results[0][7],
        grad_dtype=results[0][8],
    )


ENGINES = {"batched": run_pass_batched, "per-network": run_pass_per_network}


# --- Record ---------------------------------------------------------------------------------


def summary(values: np.ndarray) -> dict[str, float | int]:
    """min, quartiles, max and mean of a per-network count."""
    v = np.asarray(values, dtype=np.float64)
    if v.size == 0:
        return {}
    q = np.quantile(v, [0.0, 0.25, 0.5, 0.75, 1.0])
    return {
        "min": int(q[0]), "q1": float(q[1]), "median": float(q[2]), "q3": float(q[3]),
        "max": int(q[4]), "mean": round(float(v.mean()), 6),
    }  # fmt: skip


@dataclass
class Tally:
    """Everything one precision has measured so far, network by network."""

    relu_after: tuple[int, ...]
    zeros: list[np.ndarray] = field(default_factory=list)  # (relus, g) per group
    batches_with_zero: list[np.ndarray] = field(default_factory=list)
    differing_batches: list[np.ndarray] = field(default_factory=list)
    first_differing_batch: list[np.ndarray] = field(default_factory=list)
    differs_value: list[np.ndarray] = field(default_factory=list)
    nonfinite: list[np.ndarray] = field(default_factory=list)
    seconds: float = 0.0
    second_passes: int = 0
    relu_input_dtype: str = ""
    grad_dtype: str = ""
    stopped: str | None = None

    def add(self, result: PassResult, seconds: float) -> None:
        self.zeros.append(result.zeros)
        self.batches_with_zero.append(result.batches_with_zero)
        self.differing_batches.append(result.differing_batches)
        self.first_differing_batch.append(result.first_differing_batch)
        self.differs_value.append(result.differs_value)
        self.nonfinite.append(result.nonfinite)
        self.seconds += seconds
        self.second_passes += result.second_passes
        self.relu_input_dtype = result.relu_input_dtype
        self.grad_dtype = result.grad_dtype

    @property
    def networks(self) -> int:
        return sum(len(v) for v in self.differs_value)

    def record(self) -> dict[str, Any]:
        if not self.networks:
            return {"networks_run": 0}
        zeros = np.concatenate(self.zeros, axis=1)
        first = np.concatenate(self.first_differing_batch)
        with_zero = np.concatenate(self.batches_with_zero)
        differs = first >= 0
        value = np.concatenate(self.differs_value)
        total = zeros.sum(axis=0)
        layers = {
            str(layer): {"total": int(zeros[k].sum()), "per_network": summary(zeros[k])}
            for k, layer in enumerate(self.relu_after)
        }
        return {
            "networks_run": self.networks,
            "networks_differing": int(differs.sum()),
            "networks_differing_value": int(value.sum()),
            "networks_nonfinite_gradient": int(np.concatenate(self.nonfinite).sum()),
            "networks_with_an_exact_zero": int((total > 0).sum()),
            "exact_zeros_by_layer": layers,
            "exact_zeros_per_network": summary(total),
            "minibatches_with_an_exact_zero": {
                "total": int(with_zero.sum()),
                "per_network": summary(with_zero),
            },
            "minibatches_differing": {
                "total": int(np.concatenate(self.differing_batches).sum()),
                "per_network": summary(np.concatenate(self.differing_batches)),
            },
            "second_backward_passes": self.second_passes,
            "relu_input_dtype": self.relu_input_dtype,
            "gradient_dtype": self.grad_dtype,
            "seconds": round(self.seconds, 1),
            "per_network": {
                "first_differing_minibatch": first.tolist(),
                "exact_zeros": total.tolist(),
            },
        }


def device_facts(device: str) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "device": device,
        "torch": torch.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "cuda": torch.version.cuda,
    }
    if device == "cuda":
        props = torch.cuda.get_device_properties(0)
        facts["device_name"] = props.name
        facts["compute_capability"] = f"{props.major}.{props.minor}"
        facts["cudnn"] = torch.backends.cudnn.version()
        facts["driver"] = nvidia_driver()
        matmul = torch.backends.cuda.matmul
        facts["allow_bf16_reduced_precision_reduction"] = (
            matmul.allow_bf16_reduced_precision_reduction
        )
        facts["allow_fp16_reduced_precision_reduction"] = (
            matmul.allow_fp16_reduced_precision_reduction
        )
    else:
        facts["device_name"] = cpu_name()
        facts["threads"] = torch.get_num_threads()
    return facts


def nvidia_driver() -> str:
    try:
        done = subprocess.run(
            ["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
            capture_output=True, text=True, timeout=30, check=True,
        )  # fmt: skip
        return done.stdout.strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError) as exc:
        return f"unknown ({type(exc).__name__})"


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def write_record(path: Path, record: dict[str, Any]) -> None:
    """Write atomically (a stopped run never leaves half a file): sorted keys, lists on a line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dumps(record) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def dumps(value: Any, indent: int = 0) -> str:
    """JSON with sorted keys, one key a line, and each list of numbers on one line."""
    pad, inner = " " * indent, " " * (indent + 1)
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k)}: {dumps(value[k], indent + 1)}" for k in sorted(value)]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


# --- Main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", choices=("cpu", "cuda"), default=None)
    parser.add_argument("--networks", type=int, default=None, help="per precision (cuda: 1000)")
    parser.add_argument("--examples", type=int, default=60_000)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--group", type=int, default=None, help="networks computed together")
    parser.add_argument("--precisions", default=",".join(PRECISIONS))
    parser.add_argument("--relu-after", default="2,3", help="hidden layers followed by a ReLU")
    parser.add_argument("--seed", type=int, default=0, help="network i uses seed + i")
    parser.add_argument("--data-seed", type=int, default=0)
    parser.add_argument("--engine", choices=tuple(ENGINES), default="batched")
    parser.add_argument("--cross-check", type=int, default=0, metavar="K",
                        help="then run the first K networks one by one and compare")  # fmt: skip
    parser.add_argument("--time-budget", type=float, default=None, metavar="SECONDS")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    started = time.monotonic()
    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda, but torch sees no CUDA device")
    networks = args.networks or (1000 if device == "cuda" else 2)
    group_size = min(args.group or (250 if device == "cuda" else 2), networks)
    precisions = [p for p in args.precisions.split(",") if p]
    if unknown := set(precisions) - set(PRECISIONS):
        parser.error(f"unknown precision(s) {sorted(unknown)}; known: {', '.join(PRECISIONS)}")
    relu_after = tuple(sorted({int(v) for v in args.relu_after.split(",") if v}))
    if not relu_after or not set(relu_after) <= {1, 2, 3}:
        parser.error("--relu-after takes hidden layers among 1, 2, 3, e.g. 2,3")
    if args.examples < 1 or args.batch_size < 1 or networks < 1:
        parser.error("--examples, --batch-size and --networks must be positive")
    out = args.out or ROOT / "docs" / "data" / f"relu0-volume-{device}.json"
    budget = args.time_budget if args.time_budget is not None else math.inf
    deadline = started + budget

    log(f"generating {args.examples} MNIST-shaped examples (seed {args.data_seed}) ...")
    pixels, labels = mnist_like(args.examples, args.data_seed)
    zero_share = float((pixels == 0).mean())
    x_all = (torch.from_numpy(pixels).float() / 255).to(device)  # as torchvision's ToTensor
    y_all = torch.from_numpy(labels.astype(np.int64)).to(device)
    log(f"data ready: {zero_share:.1%} of pixels exactly 0; {time.monotonic() - started:.1f} s")

    record: dict[str, Any] = {
        "$schema": SCHEMA_NAME,
        "schema_version": SCHEMA_VERSION,
        "generated_by": "tools/relu0_volume.py",
        "command": " ".join(["tools/relu0_volume.py", *shown_arguments(argv, out)]),
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
        "machine": device_facts(device),
        "scale": {
            "networks_requested": networks,
            "examples": args.examples,
            "batch_size": args.batch_size,
            "minibatches": math.ceil(args.examples / args.batch_size),
            "group": group_size,
            "engine": args.engine,
            "widths": list(WIDTHS),
            "relu_after_hidden_layers": list(relu_after),
            "time_budget_seconds": None if math.isinf(budget) else budget,
        },
        "seeds": {
            "networks": (
                f"network i: torch.manual_seed({args.seed} + i), then its four nn.Linear layers"
                " in order, float32, on the CPU"
            ),
            "network_seed": args.seed,
            "data_seed": args.data_seed,
        },
        "data": {
            "generator": "mnist_like in tools/relu0_volume.py: random strokes, not digits",
            "sha256": data_digest(pixels, labels),
            "share_of_zero_pixels": round(zero_share, 6),
            "pixel_values": "k / 255 in float32 (k = 0..255)",
        },
        "precisions": {},
        "complete": False,
    }
    tallies: dict[str, Tally] = {}
    for name in precisions:
        precision = PRECISION[name]
        entry = {"describe": precision.describe}
        if reason := skip_reason(precision, device):
            entry |= {"status": "skipped", "reason": reason}
        else:
            entry |= {"status": "pending"}
            tallies[name] = Tally(relu_after)
        record["precisions"][name] = entry
    write_record(out, record)

    engine = ENGINES[args.engine]
    per_network_seconds: dict[str, float] = {}
    # Rounds: every precision runs the same networks before the next round starts, so a run
    # stopped by its time budget leaves the same networks in every precision. The first round
    # is small, to measure the speed of each precision early.
    rounds, first = [], 0
    while first < networks:
        size = min(CALIBRATION if not rounds else group_size, group_size, networks - first)
        rounds.append((first, size))
        first += size
    for first, size in rounds:
        active = [name for name, tally in tallies.items() if not tally.stopped]
        remaining = deadline - time.monotonic()
        estimate = sum(per_network_seconds.get(name, 0.0) for name in active) * size
        if active and (remaining <= 0 or estimate > remaining):
            reason = (
                f"time budget: {max(remaining, 0):.0f} s left, the next {size} networks in"
                f" every precision need about {estimate:.0f} s"
            )
            for name in active:
                tallies[name].stopped = reason
            log(f"stopping: {reason}")
            break
        group = make_group(first, size, args.seed, device)
        for name in active:
            tally = tallies[name]
            precision = PRECISION[name]
            if time.monotonic() >= deadline:
                tally.stopped = "time budget: used up"
                log(f"{name}: stopping ({tally.stopped})")
                continue
            settings = set_tf32(precision.tf32) if device == "cuda" else {}
            progress = f"{name}, networks {first + 1}-{first + size}"
            t0 = time.monotonic()
            try:
                result = engine(
                    group, x_all, y_all, precision, relu_after, args.batch_size, deadline, progress
                )
            except Deadline:
                tally.stopped = "time budget: ran out during a pass (that group not counted)"
                log(f"{name}: stopping ({tally.stopped})")
                continue
            except (RuntimeError, NotImplementedError, TypeError) as exc:
                message = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
                tally.stopped = f"error: {type(exc).__name__}: {message}"
                record["precisions"][name] |= {"status": "error", "error": tally.stopped}
                log(f"{name}: {tally.stopped}")
                continue
            if device == "cuda":
                torch.cuda.synchronize()
            seconds = time.monotonic() - t0
            tally.add(result, seconds)
            per_network_seconds[name] = tally.seconds / tally.networks
            entry = record["precisions"][name]
            entry.update(status="ran", settings=settings, **tally.record())
            write_record(out, record)
            elapsed = time.monotonic() - started
            left = sum(
                per_network_seconds.get(p, np.mean(list(per_network_seconds.values())))
                * (networks - t.networks)
                for p, t in tallies.items()
                if not t.stopped
            )
            log(
                f"{name}: networks {tally.networks}/{networks} done, differing"
                f" {entry['networks_differing']}; {seconds:.1f} s for this group; elapsed"
                f" {elapsed:.0f} s, estimated remaining {left:.0f} s"
            )
    for name, tally in tallies.items():
        entry = record["precisions"][name]
        if tally.stopped and entry.get("status") != "error":
            entry["stopped"] = tally.stopped
        if not tally.networks and entry.get("status") == "pending":
            entry["status"] = "not run"
    if args.cross_check and args.engine == "batched":
        cross_check(args, record, x_all, y_all, device, relu_after, deadline, tallies)
    record["complete"] = all(t.networks == networks for t in tallies.values()) and all(
        e["status"] in ("ran", "skipped") for e in record["precisions"].values()
    )
    record["seconds"] = round(time.monotonic() - started, 1)
    write_record(out, record)
    log(f"wrote {out} in {record['seconds']:.0f} s (complete: {record['complete']})")
    return 0


def shown_arguments(argv: list[str] | None, out: Path) -> list[str]:
    """The arguments as given, with --out as a path in the repository or a bare file name."""
    given = list(sys.argv[1:] if argv is None else argv)
    shown, skip = [], False
    for arg in given:
        if skip or arg == "--out" or arg.startswith("--out="):
            skip = arg == "--out"
            continue
        shown.append(arg)
    where = out.resolve()
    inside = where.is_relative_to(ROOT)
    return [*shown, "--out", str(where.relative_to(ROOT)) if inside else out.name]


def cross_check(args: argparse.Namespace, record: dict[str, Any], x_all: torch.Tensor,
                y_all: torch.Tensor, device: str, relu_after: tuple[int, ...], deadline: float,
                tallies: dict[str, Tally]) -> None:  # fmt: skip
    """Run the first K networks one by one (nn.Linear) and compare with the batched results."""
    k = args.cross_check
    group = make_group(0, k, args.seed, device)
    for name, tally in tallies.items():
        if tally.networks < k:
            continue
        precision = PRECISION[name]
        if device == "cuda":
            set_tf32(precision.tf32)
        try:
            alone = run_pass_per_network(
                group, x_all, y_all, precision, relu_after, args.batch_size, deadline, name
            )
        except Deadline:
            log(f"cross-check {name}: time budget ran out")
            break
        batched_first = np.concatenate(tally.first_differing_batch)[:k]
        batched_zeros = np.concatenate(tally.zeros, axis=1)[:, :k]
        record["precisions"][name]["cross_check_per_network"] = {
            "networks": k,
            "differing_alone": int((alone.first_differing_batch >= 0).sum()),
            "differing_batched": int((batched_first >= 0).sum()),
            "same_outcome": int(((alone.first_differing_batch >= 0) == (batched_first >= 0)).sum()),
            "same_exact_zero_counts": int((alone.zeros == batched_zeros).all(axis=0).sum()),
        }
        log(f"cross-check {name}: {record['precisions'][name]['cross_check_per_network']}")


if __name__ == "__main__":
    sys.exit(main())
