"""Quantiles of times (FRT, TTR on complete data) with distribution-free CIs: METHODS.md §4.3.

Point estimates use the linear (Hyndman–Fan type 7) rule, the same as DuckDB ``quantile_cont``
and numpy ``method="linear"``. The CI uses order statistics with binomial coverage, so the
engine can ask for the ranks first and fetch just those two order statistics in SQL.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.stats import binom

from cx.stats.types import Estimate, check_conf, check_count, empty_estimate


def _check_q(q: float) -> float:
    q = float(q)
    if not 0.0 < q < 1.0:
        raise ValueError(f"q must be strictly between 0 and 1, got {q!r}")
    return q


def quantile_ci_ranks(n: int, q: float, conf: float = 0.95) -> tuple[int | None, int | None]:
    """1-based ranks (lower, upper) of the order statistics bounding the q-quantile's CI.

    Same rule as ``scipy.stats.quantile_test(x, p=q).confidence_interval(conf)`` (two-sided):
    with B ~ Binomial(n, q) and a = (1 - conf)/2, lower = ppf(a), upper = isf(a) + 1. A rank
    outside 1..n is None: the interval is open on that side (p90 needs n >= 36 for an upper rank
    at 95 %, the median needs n >= 6 for both).
    """
    n = check_count("n", n)
    q = _check_q(q)
    check_conf(conf)
    if n == 0:
        return None, None
    dist = binom(n, q)
    alpha = (1.0 - conf) / 2.0
    low = int(dist.ppf(alpha))
    high = int(dist.isf(alpha)) + 1
    return (low if low >= 1 else None), (high if high <= n else None)


def quantile_estimate(values: Sequence[float], q: float, conf: float = 0.95) -> Estimate:
    """Linear (type 7) quantile with the order-statistic CI; an open side is NaN.

    For tests and small in-memory data; NaN values are refused rather than skipped because a
    missing time is usually a data problem the caller should report.
    """
    arr = np.sort(np.asarray(values, dtype=float).ravel())
    if not np.all(np.isfinite(arr)):
        raise ValueError("values must be finite numbers (drop missing times before calling)")
    q = _check_q(q)
    if arr.size == 0:
        check_conf(conf)
        return empty_estimate(0)
    low_rank, high_rank = quantile_ci_ranks(arr.size, q, conf)
    return Estimate(
        value=float(np.quantile(arr, q, method="linear")),
        n=int(arr.size),
        ci_low=float(arr[low_rank - 1]) if low_rank else math.nan,
        ci_high=float(arr[high_rank - 1]) if high_rank else math.nan,
    )
