"""Key driver analysis: METHODS.md KDA-1 (§6.2) and the quadrant of §6.3."""

from __future__ import annotations

from itertools import combinations
from math import factorial

import numpy as np
import pytest
import statsmodels.api as sm

from cx.stats.drivers import (
    bootstrap_shares,
    driver_importance,
    johnson_weights,
    quadrant,
    shapley_lmg,
)

from .helpers import approx4

EASE = [4, 4, 4, 2, 3, 1, 2, 2, 1, 3]
SPEED = [5, 4, 5, 2, 4, 3, 2, 4, 1, 3]
FRIENDLY = [5, 5, 5, 4, 5, 4, 4, 4, 3, 4]
OVERALL = [5, 5, 5, 1, 3, 2, 2, 3, 1, 4]
X = np.column_stack([EASE, SPEED, FRIENDLY]).astype(float)
NAMES = ("ease", "speed", "friendly")


def test_kda1_shapley() -> None:
    # METHODS.md KDA-1: Shapley 0.3899 / 0.3136 / 0.2228 (42.0899 / 33.8612 / 24.0490 %), R² 0.9262
    res = shapley_lmg(X, OVERALL, NAMES)
    assert (res.names, res.n, res.method, res.r2) == (NAMES, 10, "shapley", approx4(0.9262))
    assert list(res.importance) == [approx4(0.3899), approx4(0.3136), approx4(0.2228)]
    assert list(100 * res.share) == [approx4(42.0899), approx4(33.8612), approx4(24.0490)]
    # dominance-analysis "Total Dominance" 0.389855 / 0.313637 / 0.222752
    assert list(res.importance) == pytest.approx([0.389855, 0.313637, 0.222752], abs=1e-6)


def test_kda1_johnson_and_betas() -> None:
    # METHODS.md KDA-1: RW 0.3901 / 0.3214 / 0.2148 (42.1120 / 34.7015 / 23.1865 %);
    # beta 0.8296 / 0.6266 / -0.4743 (sign flip for friendly); r 0.9139 / 0.8697 / 0.7947
    res = johnson_weights(X, OVERALL, NAMES)
    assert list(res.importance) == [approx4(0.3901), approx4(0.3214), approx4(0.2148)]
    assert list(100 * res.share) == [approx4(42.1120), approx4(34.7015), approx4(23.1865)]
    assert res.importance.sum() == pytest.approx(res.r2)
    assert list(res.beta) == [approx4(0.8296), approx4(0.6266), approx4(-0.4743)]
    assert list(res.r) == [approx4(0.9139), approx4(0.8697), approx4(0.7947)]


def test_betas_match_statsmodels_ols_on_zscores() -> None:
    # statsmodels OLS on z-scores (METHODS.md §6.2 cross-check), also R²
    z = lambda a: (a - a.mean(axis=0)) / a.std(axis=0, ddof=1)  # noqa: E731
    fit = sm.OLS(z(np.asarray(OVERALL, dtype=float)), z(X)).fit()
    res = driver_importance(X, OVERALL, NAMES)
    assert res.method == "shapley"
    assert list(res.beta) == pytest.approx(list(fit.params))
    assert res.r2 == pytest.approx(fit.rsquared)


def brute_force_lmg(Xm: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Shapley by refitting OLS on raw data for every subset (no correlation-matrix shortcut)."""
    p = Xm.shape[1]

    def r2(cols: tuple[int, ...]) -> float:
        if not cols:
            return 0.0
        return sm.OLS(y, sm.add_constant(Xm[:, list(cols)])).fit().rsquared

    phi = np.zeros(p)
    for j in range(p):
        others = [k for k in range(p) if k != j]
        for size in range(p):
            w = factorial(size) * factorial(p - size - 1) / factorial(p)
            for s in combinations(others, size):
                phi[j] += w * (r2(tuple(sorted((*s, j)))) - r2(s))
    return phi


def test_shapley_matches_refitting_every_subset() -> None:
    rng = np.random.default_rng(11)
    base = rng.normal(size=(80, 1))
    Xm = base + rng.normal(size=(80, 5))
    y = Xm @ np.array([0.5, 0.3, 0.0, -0.2, 0.1]) + rng.normal(size=80)
    res = shapley_lmg(Xm, y, [f"x{i}" for i in range(5)])
    assert list(res.importance) == pytest.approx(list(brute_force_lmg(Xm, y)))


def test_shapley_14_drivers_sums_to_r2() -> None:
    # Efficiency axiom: shares sum to R² with p = 14 (2^14 subsets)
    rng = np.random.default_rng(2)
    Xm = rng.normal(size=(300, 1)) + rng.normal(size=(300, 14))
    y = Xm @ rng.uniform(0, 1, 14) + rng.normal(size=300) * 2
    res = shapley_lmg(Xm, y, [f"x{i}" for i in range(14)])
    assert res.importance.sum() == pytest.approx(res.r2)
    assert res.share.sum() == pytest.approx(1.0)
    assert np.all(res.importance >= 0)
    assert driver_importance(Xm, y, res.names).method == "johnson"  # auto: p > 12


def test_bootstrap_shares() -> None:
    lo, hi = bootstrap_shares(X, OVERALL, NAMES, reps=300, seed=1)
    point = shapley_lmg(X, OVERALL, NAMES).share
    assert lo.shape == hi.shape == (3,)
    assert np.all(lo <= point) and np.all(point <= hi)
    again = bootstrap_shares(X, OVERALL, NAMES, reps=300, seed=1)
    assert np.array_equal(lo, again[0])  # seeded: reproducible
    lo_j, hi_j = bootstrap_shares(X, OVERALL, NAMES, reps=300, seed=1, method="johnson")
    assert not np.array_equal(lo, lo_j)


def test_kda_bad_input() -> None:
    with pytest.raises(ValueError, match="names"):
        shapley_lmg(X, OVERALL, ("a", "b"))
    with pytest.raises(ValueError, match="constant"):
        shapley_lmg(np.column_stack([X, np.ones(10)]), OVERALL, (*NAMES, "c"))
    with pytest.raises(ValueError, match="rows"):
        shapley_lmg(X[:4], OVERALL[:4], NAMES)
    with pytest.raises(ValueError, match="method"):
        driver_importance(X, OVERALL, NAMES, method="shap")


def test_listwise_deletion() -> None:
    Xn = np.vstack([X, [np.nan, 3, 3]])
    assert shapley_lmg(Xn, [*OVERALL, 4], NAMES).n == 10


def test_kda1_quadrants() -> None:
    # METHODS.md §6.3: cuts 33.3333 % and 3.4 -> ease fix first, speed fix first (on the line),
    # friendly possible over-investment (low importance / high performance)
    shares = shapley_lmg(X, OVERALL, NAMES).share
    perf = X.mean(axis=0)
    assert list(perf) == [approx4(2.6), approx4(3.3), approx4(4.3)]
    labels = [quadrant(s, m, 1 / 3, 3.4) for s, m in zip(shares, perf)]
    assert labels == ["fix first", "fix first", "possible over-investment"]
    assert quadrant(0.5, 4.0, 1 / 3, 3.4) == "maintain"
    assert quadrant(0.1, 2.0, 1 / 3, 3.4) == "low priority"
