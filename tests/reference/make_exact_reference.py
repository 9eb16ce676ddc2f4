"""Generate tests/reference/exact_reference.json: exact values for the activations that
tests/reference/torch_reference.json does not cover (hard-swish, Mish, squared ReLU).

NOT run by CI. It needs mpmath only (no PyTorch): the values are computed from the
definitions at 60 significant digits and rounded once to float64, at the same points as
torch_reference.json. Rerun with ``python3 tests/reference/make_exact_reference.py``.

Derivatives at a kink take relukit's value there (hard-swish: the outer piece's, 0 at -3
and 1 at 3); of the two, only 3 is among the points.
"""

from __future__ import annotations

import json
from pathlib import Path

import mpmath

mpmath.mp.dps = 60
mp = mpmath.mp

HERE = Path(__file__).parent
POINTS = json.loads((HERE / "torch_reference.json").read_text())["points"]


def _hardswish(x):
    return x * min(max(x + 3, 0), 6) / 6


def _hardswish_derivative(x):
    if x <= -3:
        return mp.mpf(0)
    if x >= 3:
        return mp.mpf(1)
    return (2 * x + 3) / 6


def _mish(x):
    return x * mp.tanh(mp.log1p(mp.exp(x)))


def _mish_derivative(x):
    g = mp.tanh(mp.log1p(mp.exp(x)))
    return g + x * (1 - g**2) / (1 + mp.exp(-x))


CASES = [
    ("hardswish", _hardswish, _hardswish_derivative),
    ("mish", _mish, _mish_derivative),
    ("squared_relu", lambda x: max(x, 0) ** 2, lambda x: 2 * max(x, 0)),
]


def main() -> None:
    cases = []
    for name, f, df in CASES:
        xs = [mp.mpf(p) for p in POINTS]
        cases.append(
            {
                "function": name,
                "kwargs": {},
                "exact": {
                    "value": [float(f(x)) for x in xs],
                    "derivative": [float(df(x)) for x in xs],
                },
            }
        )
    record = {
        "note": "Written by tests/reference/make_exact_reference.py (mpmath, 60 digits).",
        "mpmath_version": mpmath.__version__,
        "points": POINTS,
        "cases": cases,
    }
    text = json.dumps(record, indent=1) + "\n"
    (HERE / "exact_reference.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
