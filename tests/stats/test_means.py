"""Means from sufficient statistics: METHODS.md CSAT-2, CES-1, §2.4 scales, Welch."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from cx.stats.means import mean_estimate, pomp, welch_test

from .helpers import approx4


def sufficient(counts: dict[int, int]) -> tuple[int, float, float]:
    """(n, sum, sum of squares) from a {scale point: count} table, as the engine aggregates."""
    values = np.repeat(list(counts), list(counts.values())).astype(float)
    return values.size, float(values.sum()), float((values**2).sum())


CSAT2 = {1: 5, 2: 5, 3: 10, 4: 40, 5: 40}
CES1 = {1: 80, 2: 210, 3: 140, 4: 110, 5: 160, 6: 180, 7: 120}


def test_csat2_mean_t_interval() -> None:
    # METHODS.md CSAT-2: mean 4.0500 sd 1.0766 t-CI [3.8364, 4.2636]
    est = mean_estimate(*sufficient(CSAT2))
    assert (est.value, est.n) == (approx4(4.05), 100)
    assert est.se * math.sqrt(100) == approx4(1.0766)
    assert (est.ci_low, est.ci_high) == (approx4(3.8364), approx4(4.2636))


def test_csat2_matches_scipy_on_raw_values() -> None:
    # scipy.stats.ttest_1samp(x, 0).confidence_interval()
    values = np.repeat(list(CSAT2), list(CSAT2.values()))
    ci = stats.ttest_1samp(values, 0.0).confidence_interval(0.95)
    est = mean_estimate(*sufficient(CSAT2))
    assert (est.ci_low, est.ci_high) == (pytest.approx(ci.low), pytest.approx(ci.high))


def test_ces1_mean() -> None:
    # METHODS.md CES-1: sum 4080, N 1000, mean 4.0800, sd 1.9124, t-CI [3.9613, 4.1987]
    n, total, total_sq = sufficient(CES1)
    assert (n, total) == (1000, 4080.0)
    est = mean_estimate(n, total, total_sq)
    assert est.value == approx4(4.08) and est.se * math.sqrt(n) == approx4(1.9124)
    assert (est.ci_low, est.ci_high) == (approx4(3.9613), approx4(4.1987))


def test_pomp_scales() -> None:
    # METHODS.md CSAT-2 (POMP 76.2500) and §2.6 1-7 (mean 5.5300, POMP 75.5000),
    # 1-10 (mean 8.1200, POMP 79.1111)
    assert pomp(4.05, 1, 5) == approx4(76.25)
    seven = mean_estimate(*sufficient({1: 2, 2: 3, 3: 5, 4: 10, 5: 20, 6: 30, 7: 30}))
    assert (seven.value, pomp(seven.value, 1, 7)) == (approx4(5.53), approx4(75.5))
    ten = {1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 5, 7: 10, 8: 25, 9: 25, 10: 25}
    ten_est = mean_estimate(*sufficient(ten))
    assert (ten_est.value, pomp(ten_est.value, 1, 10)) == (approx4(8.12), approx4(79.1111))
    with pytest.raises(ValueError, match="exceed"):
        pomp(3.0, 5, 5)


def test_small_n_and_stability() -> None:
    assert math.isnan(mean_estimate(0, 0.0, 0.0).value)
    one = mean_estimate(1, 4.0, 16.0)
    assert one.value == 4.0 and math.isnan(one.ci_low)
    # constant large values: variance 0, not a tiny negative number under the square root
    const = mean_estimate(3, 3e8, 3e16)
    assert (const.ci_low, const.ci_high) == (1e8, 1e8)
    with pytest.raises(ValueError, match="inconsistent"):
        mean_estimate(3, 9.0, 1.0)


def test_welch_matches_scipy() -> None:
    # scipy.stats.ttest_ind(a, b, equal_var=False) and its confidence_interval()
    a = np.array([5, 4, 4, 5, 3, 5, 4, 2, 5, 5.0])
    b = np.array([3, 4, 2, 3, 3, 5, 1, 2.0])
    ref = stats.ttest_ind(a, b, equal_var=False)
    ci = ref.confidence_interval(0.95)
    res = welch_test(a.size, a.sum(), (a**2).sum(), b.size, b.sum(), (b**2).sum())
    assert (res.statistic, res.p, res.df) == (
        pytest.approx(ref.statistic), pytest.approx(ref.pvalue), pytest.approx(ref.df)
    )
    assert (res.ci_low, res.ci_high) == (pytest.approx(ci.low), pytest.approx(ci.high))
    assert res.estimate == pytest.approx(a.mean() - b.mean())


def test_welch_on_nps_scores() -> None:
    # METHODS.md §1.5: Welch t on -1/0/+1 scores, A vs B: t = 1.7453, p 0.0825
    def suff(counts: tuple[int, int, int]) -> tuple[int, float, float]:
        det, pas, pro = counts
        return det + pas + pro, float(pro - det), float(pro + det)

    res = welch_test(*suff((20, 30, 50)), *suff((30, 30, 40)))
    assert (res.statistic, res.p) == (approx4(1.7453), approx4(0.0825))
    assert math.isnan(welch_test(1, 1.0, 1.0, 5, 5.0, 5.0).p)
