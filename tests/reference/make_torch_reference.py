"""Generate tests/reference/torch_reference.json: reference values for relukit's tests.

NOT run by CI, and torch is NOT a dependency of relukit or of its tests: the tests read the
JSON this script wrote once. Rerun it only to regenerate the file, in a scratch environment:

    python3.11 -m venv /tmp/torchvenv
    /tmp/torchvenv/bin/pip install torch==2.13.0 numpy mpmath

(torch 2.13.0 for the CPU; never a CUDA build, which is gigabytes and changes nothing here.)
    /tmp/torchvenv/bin/python tests/reference/make_torch_reference.py

For every activation (with the parameters in CASES) and every point in POINTS it records

- ``float64``: PyTorch's value and its autograd derivative (torch.autograd.grad) on float64
  tensors;
- ``float32``: the same on float32 tensors, at the points rounded to float32;
- ``exact``: the mathematically exact value and derivative, computed with mpmath at 60
  significant digits and rounded once to float64. mpmath is a tool of this script only.

PyTorch's own formulas lose precision where relukit's do not (sigmoid' as s(1-s), tanh' as
1-t^2, the tanh GELU as 0.5x(1+tanh u)); the tests compare with ``exact`` tightly and with
PyTorch within a tolerance stated beside each comparison. The infinities and NaN are not
here: PyTorch's autograd gives NaN at +-inf for SiLU and GELU (inf * 0), while relukit
returns the limits; the tests state those limits by hand.
"""

from __future__ import annotations

import json
import platform
import re
from pathlib import Path

import mpmath
import numpy as np
import torch
import torch.nn.functional as F

mpmath.mp.dps = 60
mp = mpmath.mp

POINTS = [
    -40.0,
    -20.0,
    -5.0,
    -1.0,
    -0.5,
    -1e-3,
    0.0,
    -0.0,
    1e-3,
    0.5,
    1.0,
    3.0,
    5.0,
    6.0,
    20.0,
    40.0,
]

SQRT_2_OVER_PI = mp.sqrt(2 / mp.pi)
# SELU's constants as Klambauer et al. (2017) publish them, to 32 digits.
SELU_ALPHA = mp.mpf("1.6732632423543772848170429916717")
SELU_SCALE = mp.mpf("1.0507009873554804934193349852946")
KAPPA = mp.mpf("0.044715")


def _sigmoid(x):
    return 1 / (1 + mp.exp(-x))


def _gelu_u(x):
    return SQRT_2_OVER_PI * (x + KAPPA * x**3)


# name, relukit keyword arguments, torch function, exact function, exact derivative.
# Exact derivatives at a kink take the left-hand value, relukit's and PyTorch's convention
# (relu6 takes 0 at both of its kinks).
CASES = [
    ("relu", {}, torch.relu, lambda x: max(x, 0), lambda x: 1 if x > 0 else 0),
    (
        "leaky_relu",
        {},
        lambda t: F.leaky_relu(t, 0.01),
        lambda x: x if x > 0 else mp.mpf("0.01") * x,
        lambda x: 1 if x > 0 else mp.mpf("0.01"),
    ),
    (
        "leaky_relu",
        {"negative_slope": 0.2},
        lambda t: F.leaky_relu(t, 0.2),
        lambda x: x if x > 0 else mp.mpf("0.2") * x,
        lambda x: 1 if x > 0 else mp.mpf("0.2"),
    ),
    (
        "relu6",
        {},
        F.relu6,
        lambda x: min(max(x, 0), 6),
        lambda x: 1 if 0 < x < 6 else 0,
    ),
    (
        "elu",
        {},
        lambda t: F.elu(t, 1.0),
        lambda x: x if x > 0 else mp.expm1(x),
        lambda x: 1 if x > 0 else mp.exp(x),
    ),
    (
        "elu",
        {"alpha": 0.5},
        lambda t: F.elu(t, 0.5),
        lambda x: x if x > 0 else mp.mpf("0.5") * mp.expm1(x),
        lambda x: 1 if x > 0 else mp.mpf("0.5") * mp.exp(x),
    ),
    (
        "softplus",
        {},
        lambda t: F.softplus(t, beta=1.0),
        lambda x: mp.log1p(mp.exp(x)),
        _sigmoid,
    ),
    (
        "softplus",
        {"beta": 2.0},
        lambda t: F.softplus(t, beta=2.0),
        lambda x: mp.log1p(mp.exp(2 * x)) / 2,
        lambda x: _sigmoid(2 * x),
    ),
    (
        "selu",
        {},
        F.selu,
        lambda x: SELU_SCALE * x if x > 0 else SELU_SCALE * SELU_ALPHA * mp.expm1(x),
        lambda x: SELU_SCALE if x > 0 else SELU_SCALE * SELU_ALPHA * mp.exp(x),
    ),
    ("sigmoid", {}, torch.sigmoid, _sigmoid, lambda x: _sigmoid(x) * _sigmoid(-x)),
    ("tanh", {}, torch.tanh, mp.tanh, lambda x: mp.sech(x) ** 2),
    (
        "silu",
        {},
        F.silu,
        lambda x: x * _sigmoid(x),
        lambda x: _sigmoid(x) * (1 + x * _sigmoid(-x)),
    ),
    (
        "gelu",
        {"approximate": "none"},
        lambda t: F.gelu(t, approximate="none"),
        lambda x: x * mp.ncdf(x),
        lambda x: mp.ncdf(x) + x * mp.npdf(x),
    ),
    (
        "gelu",
        {"approximate": "tanh"},
        lambda t: F.gelu(t, approximate="tanh"),
        # (1 + tanh u) / 2 == sigmoid(2u): the same number, without the cancellation that
        # even 60 digits cannot absorb for x = -20 (1 + tanh u is about 1e-262 there).
        lambda x: x * _sigmoid(2 * _gelu_u(x)),
        lambda x: (
            _sigmoid(2 * _gelu_u(x))
            + x / 2 * mp.sech(_gelu_u(x)) ** 2 * SQRT_2_OVER_PI * (1 + 3 * KAPPA * x**2)
        ),
    ),
]


def _torch_values(function, points: list[float], dtype: torch.dtype) -> tuple[list, list]:
    x = torch.tensor(points, dtype=dtype, requires_grad=True)
    y = function(x)
    (grad,) = torch.autograd.grad(y.sum(), x)
    return [float(v) for v in y.detach().tolist()], [float(v) for v in grad.tolist()]


def _exact(function, point: float) -> float:
    return float(function(mp.mpf(point)))


def main() -> None:
    points32 = [float(v) for v in np.array(POINTS, dtype=np.float32)]
    cases = []
    for name, kwargs, torch_function, exact, exact_derivative in CASES:
        value64, derivative64 = _torch_values(torch_function, POINTS, torch.float64)
        value32, derivative32 = _torch_values(torch_function, points32, torch.float32)
        cases.append(
            {
                "function": name,
                "kwargs": kwargs,
                "float64": {"value": value64, "derivative": derivative64},
                "float32": {"value": value32, "derivative": derivative32},
                "exact": {
                    "value": [_exact(exact, p) for p in POINTS],
                    "derivative": [_exact(exact_derivative, p) for p in POINTS],
                },
            }
        )
    document = {
        "note": "Generated by tests/reference/make_torch_reference.py; not run by CI. "
        "float32 values are stored as the float64 numbers they are.",
        "torch_version": torch.__version__,
        "mpmath_version": mpmath.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "points": POINTS,
        "points_float32": points32,
        "cases": cases,
    }
    target = Path(__file__).with_name("torch_reference.json")
    text = json.dumps(document, indent=1)
    # One line per list of numbers, so a diff of the file reads point by point.
    text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + " ".join(m[1].split()) + "]", text)
    target.write_text(text + "\n")
    print(f"wrote {target} with torch {torch.__version__}")


if __name__ == "__main__":
    main()
