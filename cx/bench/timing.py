"""Paired timing for benchmarks: two sides run in alternation (A, B, A, B, …), never in blocks.

Why: on a shared machine the load drifts over seconds, and three back-to-back runs of one side
disagreed fivefold. Alternating puts both sides of a pair under the same load, and the median of
the per-pair ratios cancels the drift that a ratio of two separate medians keeps.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MIN_PAIRS = 7

# One run of a side; returns the seconds it measured (setup it needs stays outside its timing).
Side = Callable[[], float]


def timed(fn: Callable[[], Any]) -> Side:
    """A side that times the whole call of `fn`."""
    def side() -> float:
        started = time.perf_counter()
        fn()
        return time.perf_counter() - started
    return side


@dataclass(frozen=True)
class Paired:
    """Seconds of sides A and B, pair by pair, in the order they ran."""

    a: tuple[float, ...]
    b: tuple[float, ...]

    @property
    def ratios(self) -> tuple[float, ...]:
        return tuple(x / y if y > 0 else float("inf") for x, y in zip(self.a, self.b))

    @property
    def ratio(self) -> float:
        """Median of the per-pair ratios A/B."""
        return statistics.median(self.ratios)

    def as_dict(self, name_a: str, name_b: str) -> dict[str, Any]:
        """Min / median / max of each side, the paired ratio, and every pair's seconds."""
        return {
            "pairs": len(self.a),
            name_a: _spread(self.a),
            name_b: _spread(self.b),
            "ratio": round(self.ratio, 3),
            "ratio_min": round(min(self.ratios), 3),
            "ratio_max": round(max(self.ratios), 3),
            "pair_seconds": [[round(x, 6), round(y, 6)] for x, y in zip(self.a, self.b)],
        }


def _spread(values: tuple[float, ...]) -> dict[str, float]:
    return {"min": round(min(values), 6), "median": round(statistics.median(values), 6),
            "max": round(max(values), 6)}


def alternate(a: Side, b: Side, pairs: int = MIN_PAIRS, warm_up: bool = True) -> Paired:
    """Run A then B, `pairs` times. One untimed run of each first (caches, imports, JIT-like
    first-call costs) unless `warm_up` is False."""
    if pairs < MIN_PAIRS:
        raise ValueError(f"at least {MIN_PAIRS} pairs are needed for a median that means "
                         f"something; got {pairs}")
    if warm_up:
        a(), b()
    times_a: list[float] = []
    times_b: list[float] = []
    for _ in range(pairs):
        times_a.append(a())
        times_b.append(b())
    return Paired(tuple(times_a), tuple(times_b))
