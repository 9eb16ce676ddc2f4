"""Generate tests/reference/exact_reference.json: exact values for the activations that
tests/reference/torch_reference.json does not cover (hard-swish, Mish, squared ReLU).

NOT run by CI. It needs mpmath only (no PyTorch): the values are computed from the
definitions at 60 significant digits and rounded once to float64, at the same points as
torch_reference.json. Rerun with ``python3 tests/reference/make_exact_reference.py``.

Derivatives at a kink take relukit's value there (hard-swish: the outer piece's, 0 at -3
and 1 at 3); of the two, only 3 is among the points.

Two more records: Mish and its derivative far in the negative tail (``mish_tail``, where
the results are tiny or subnormal), and the minima of the non-monotone activations
(``minima``: the minimiser, the root of the derivative, and the value there). Every number
is the nearest float64 to the exact value (mpmath's own ``float()`` rounds toward zero).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import mpmath

mpmath.mp.dps = 60
mp = mpmath.mp

HERE = Path(__file__).parent
POINTS = json.loads((HERE / "torch_reference.json").read_text())["points"]


def _nearest(value):
    """The float64 nearest to ``value`` (also in the subnormal range)."""
    guess = mpmath.libmp.to_float(mp.mpf(value)._mpf_, rnd=mpmath.libmp.round_nearest)
    candidates = [math.nextafter(guess, -math.inf), guess, math.nextafter(guess, math.inf)]
    return min(candidates, key=lambda c: abs(mp.mpf(c) - value))


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


def _silu(x):
    return x / (1 + mp.exp(-x))


def _gelu(x):
    return x * (1 + mp.erf(x / mp.sqrt(2))) / 2


def _gelu_tanh(x):
    return x * (1 + mp.tanh(mp.sqrt(2 / mp.pi) * (x + mp.mpf("0.044715") * x**3))) / 2


# Where the derivative's root is searched from, for each non-monotone activation.
MINIMA = [
    ("silu", _silu, -1.28),
    ("gelu", _gelu, -0.75),
    ("gelu_tanh", _gelu_tanh, -0.75),
    ("hardswish", _hardswish, -1.5),
    ("mish", _mish, -1.19),
]

# Below relukit's switch at -700, through the subnormal range, to where Mish rounds to -0.0.
MISH_TAIL = [-700.5, -705.0, -708.0, -709.0, -710.0, -715.0, -720.0, -730.0, -740.0]
MISH_TAIL += [-744.0, -745.0, -746.0, -748.0, -750.0, -751.0, -760.0, -800.0, -1000.0]


def _minimum(f, start):
    x = mp.findroot(lambda t: mp.diff(f, t), mp.mpf(start))
    return [_nearest(x), _nearest(f(x))]


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
                    "value": [_nearest(f(x)) for x in xs],
                    "derivative": [_nearest(df(x)) for x in xs],
                },
            }
        )
    record = {
        "note": "Written by tests/reference/make_exact_reference.py (mpmath, 60 digits).",
        "mpmath_version": mpmath.__version__,
        "points": POINTS,
        "cases": cases,
        "mish_tail": {
            "points": MISH_TAIL,
            "value": [_nearest(_mish(mp.mpf(x))) for x in MISH_TAIL],
            "derivative": [_nearest(_mish_derivative(mp.mpf(x))) for x in MISH_TAIL],
        },
        "minima": {name: _minimum(f, start) for name, f, start in MINIMA},
    }
    text = json.dumps(record, indent=1) + "\n"
    (HERE / "exact_reference.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
