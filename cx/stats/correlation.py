"""CSAT vs resolution time and other bivariate associations (METHODS.md §5).

Spearman is the default (monotone, ordinal CSAT, skewed time). Its CI uses the Bonett–Wright
SE, Kendall's uses Fieller's: the plain Fisher SE 1/sqrt(n-3) is too narrow for rank
coefficients (METHODS.md §5.2).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from cx.stats.types import z_value

METHODS = ("spearman", "kendall", "pearson_log", "pearson")


@dataclass(frozen=True)
class Correlation:
    method: str
    r: float
    p: float
    ci_low: float
    ci_high: float
    n: int


def _pairs(x: Sequence[float], y: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Paired complete cases: a pair with a missing side says nothing about association."""
    xa = np.asarray(x, dtype=float).ravel()
    ya = np.asarray(y, dtype=float).ravel()
    if xa.shape != ya.shape:
        raise ValueError(f"x and y must have the same length, got {xa.size} and {ya.size}")
    keep = ~(np.isnan(xa) | np.isnan(ya))
    return xa[keep], ya[keep]


def _fisher_ci(r: float, se: float, conf: float) -> tuple[float, float]:
    """tanh(atanh(r) ± z·se); NaN when the SE is undefined (n too small)."""
    if not (math.isfinite(se) and math.isfinite(r)):
        return math.nan, math.nan
    with np.errstate(divide="ignore"):
        centre = float(np.arctanh(np.clip(r, -1.0, 1.0)))
    z = z_value(conf)
    return math.tanh(centre - z * se), math.tanh(centre + z * se)


def _se(method: str, r: float, n: int) -> float:
    """Fisher-z SE: Bonett–Wright for Spearman, Fieller for Kendall, 1/sqrt(n-3) for Pearson."""
    if method == "kendall":
        return math.sqrt(0.437 / (n - 4)) if n > 4 else math.nan
    if n <= 3:
        return math.nan
    if method == "spearman":
        return math.sqrt((1.0 + r * r / 2.0) / (n - 3))
    return 1.0 / math.sqrt(n - 3)


def correlate(
    x: Sequence[float], y: Sequence[float], method: str = "spearman", conf: float = 0.95
) -> Correlation:
    """Correlation with p-value and CI; "pearson_log" correlates log(x) with y (x > 0).

    Kendall is tau-b (handles the many ties of a 5-point CSAT). Pairs with a NaN are dropped.
    Fewer than 3 pairs, or a constant variable, give NaN r/p/CI rather than an error.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    xa, ya = _pairs(x, y)
    n = int(xa.size)
    if method == "pearson_log":
        if np.any(xa <= 0):
            raise ValueError("pearson_log needs x > 0 (add a small offset such as 1 minute)")
        xa = np.log(xa)
    nan = math.nan
    if n < 3 or np.ptp(xa) == 0 or np.ptp(ya) == 0:
        return Correlation(method, nan, nan, nan, nan, n)
    if method == "spearman":
        res = stats.spearmanr(xa, ya)
        r, p = float(res.statistic), float(res.pvalue)
    elif method == "kendall":
        res = stats.kendalltau(xa, ya, variant="b")
        r, p = float(res.statistic), float(res.pvalue)
    else:
        res = stats.pearsonr(xa, ya)
        r, p = float(res.statistic), float(res.pvalue)
    low, high = _fisher_ci(r, _se(method, r, n), conf)
    return Correlation(method, r, p, low, high, n)


def _residualise(v: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Residuals of v on group dummies (with intercept) = v minus its group mean."""
    sums = np.bincount(codes, weights=v)
    counts = np.bincount(codes)
    return v - (sums / counts)[codes]


def partial_correlation(
    x: Sequence[float],
    y: Sequence[float],
    groups: Sequence[object],
    method: str = "pearson",
    conf: float = 0.95,
) -> Correlation:
    """Correlation of x and y controlling for a categorical (e.g. channel): METHODS.md §5.4.

    Correlates the residuals after regressing both on group dummies; "spearman" ranks x and y
    first. Guards against Simpson's paradox (pooled +0.82 vs -0.95 within channels in COR-2).
    p and CI use n - k effective cases with k = groups - 1 dummies (as ``pingouin.partial_corr``).
    """
    if method not in ("pearson", "spearman"):
        raise ValueError(f"method must be 'pearson' or 'spearman', got {method!r}")
    xa, ya = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
    ga = np.asarray(groups, dtype=object).ravel()
    if not (xa.size == ya.size == ga.size):
        raise ValueError("x, y and groups must have the same length")
    keep = ~(np.isnan(xa) | np.isnan(ya)) & np.array([g is not None for g in ga], dtype=bool)
    xa, ya = xa[keep], ya[keep]
    _, codes = np.unique(ga[keep].astype(str), return_inverse=True)
    if method == "spearman":
        xa, ya = stats.rankdata(xa), stats.rankdata(ya)
    n = int(xa.size)
    k = int(codes.max()) if n else 0  # number of dummies = groups - 1
    rx, ry = _residualise(xa, codes), _residualise(ya, codes)
    dof = n - 2 - k
    nan = math.nan
    if dof < 1 or np.allclose(rx, 0) or np.allclose(ry, 0):
        return Correlation(f"partial_{method}", nan, nan, nan, nan, n)
    r = float(np.clip(np.corrcoef(rx, ry)[0, 1], -1.0, 1.0))
    t = r * math.sqrt(dof / max(1.0 - r * r, 1e-300))
    p = float(2.0 * stats.t.sf(abs(t), dof))
    # same SE family as the plain coefficient (Bonett–Wright for ranks), on n - k cases
    low, high = _fisher_ci(r, _se(method, r, n - k), conf)
    return Correlation(f"partial_{method}", r, p, low, high, n)
