"""Speed of relukit against the plain numpy expressions it must not be much slower than.

Not a test (pytest never collects tests/benchmarks): a report. Run it as

    python tests/benchmarks/bench_activations.py [--strict] [--rounds N]

On 16 Mi float32 values (64 MiB, far past the caches; seeded), each relukit call and its
numpy baseline are timed side by side in every round, alternating which goes first, and the
ratio of their fastest times is compared with its target. The minimum, not the median: on a
shared two-core machine other work only ever adds time, so the fastest of many rounds is the
closest to each call's own cost. The ratio of medians is printed beside it.

The exit status is 0 whatever the ratios (this is a report), unless --strict is given: then
it is 1 if any ratio is over its target.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import relukit

SIZE = 16 * 2**20
SEED = 20240611


@dataclass
class Comparison:
    """A relukit call, its numpy baseline, and the largest acceptable time ratio (None for
    a ratio printed only to help read the others)."""

    label: str
    candidate: Callable[[], object]
    baseline: Callable[[], object]
    target: float | None
    candidate_times: list[float] = field(default_factory=list)
    baseline_times: list[float] = field(default_factory=list)

    def ratio(self, statistic: Callable[[list[float]], float]) -> float:
        return statistic(self.candidate_times) / statistic(self.baseline_times)


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine() or "unknown"


def _timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def _naive_sigmoid(x: np.ndarray) -> np.ndarray:
    # The textbook formula overflows in exp(-x) for x < -88 in float32 (harmlessly: 1/inf
    # is 0). Its warnings are silenced here, for the baseline only.
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def _comparisons(x: np.ndarray, buffer: np.ndarray) -> list[Comparison]:
    return [
        Comparison(
            "relu(x) / np.maximum(x, 0)",
            lambda: relukit.relu(x),
            lambda: np.maximum(x, 0),
            1.05,
        ),
        Comparison(
            "relu(x, out=buf) / np.copyto(buf, x)",
            lambda: relukit.relu(x, out=buffer),
            lambda: np.copyto(buffer, x),
            1.5,
        ),
        # No target: how much of the ratio above is numpy's own maximum loop, which is
        # slower than a plain copy, rather than anything relukit adds.
        Comparison(
            "  relu(x, out=buf) / np.maximum(x, 0, out=buf)",
            lambda: relukit.relu(x, out=buffer),
            lambda: np.maximum(x, 0, out=buffer),
            None,
        ),
        Comparison(
            "relu_derivative(x) / (x > 0).astype(x.dtype)",
            lambda: relukit.relu_derivative(x),
            lambda: (x > 0).astype(x.dtype),
            1.3,
        ),
        Comparison(
            "sigmoid(x) / (1 / (1 + np.exp(-x)))",
            lambda: relukit.sigmoid(x),
            lambda: _naive_sigmoid(x),
            1.3,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 if a ratio is over")
    parser.add_argument("--rounds", type=int, default=40, help="timed rounds (default 40)")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(SEED)
    # Pre-activations of a typical layer: centred, unit-ish scale; a few far into the tails.
    x = (rng.standard_normal(SIZE, dtype=np.float32) * 3).astype(np.float32)
    buffer = np.empty_like(x)
    comparisons = _comparisons(x, buffer)

    print(
        f"numpy {np.__version__}, Python {platform.python_version()}, relukit {relukit.__version__}"
    )
    print(f"CPU: {_cpu_model()} ({os.cpu_count()} logical cores)")
    print(f"input: {SIZE:,} float32 values ({x.nbytes / 2**20:.0f} MiB), seed {SEED}")
    print(f"{args.rounds} rounds, candidate and baseline interleaved; ratio of the fastest\n")

    for comparison in comparisons:  # warm up: page in the code, allocate once
        comparison.candidate()
        comparison.baseline()
    for round_number in range(args.rounds):
        print(f"\rround {round_number + 1}/{args.rounds}", end="", file=sys.stderr, flush=True)
        for comparison in comparisons:
            pair = [
                (comparison.candidate, comparison.candidate_times),
                (comparison.baseline, comparison.baseline_times),
            ]
            if round_number % 2:
                pair.reverse()  # alternate who goes first: neither gets the warmer cache
            for function, times in pair:
                times.append(_timed(function))
    print(file=sys.stderr)

    over = 0
    width = max(len(c.label) for c in comparisons)
    print(f"{'ratio':<{width}}  fastest  target   verdict  (median)  relukit / numpy ms, fastest")
    for c in comparisons:
        ratio = c.ratio(min)
        if c.target is None:
            target, verdict = "(info) ", "-"
        else:
            target, verdict = f"<= {c.target:<4}", "PASS" if ratio <= c.target else "OVER"
        over += verdict == "OVER"
        times = f"{min(c.candidate_times) * 1e3:6.1f} / {min(c.baseline_times) * 1e3:6.1f}"
        print(
            f"{c.label:<{width}}  {ratio:7.3f}  {target}  {verdict:7}  "
            f"({c.ratio(statistics.median):5.3f})   {times}"
        )
    return 1 if args.strict and over else 0


if __name__ == "__main__":
    sys.exit(main())
