"""Time quantiles and their order-statistic CIs: METHODS.md FRT-1 and §4.3."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from cx.stats.quantiles import quantile_ci_ranks, quantile_estimate

from .helpers import approx4

FRT = [0.5, 1, 1, 2, 3, 4, 6, 10, 24, 48]


def test_frt1_median_and_ci() -> None:
    # METHODS.md FRT-1: median 3.5000, 95 % CI [1, 24] = order statistics 2 and 9
    est = quantile_estimate(FRT, 0.5)
    assert (est.value, est.ci_low, est.ci_high) == (approx4(3.5), 1.0, 24.0)
    assert quantile_ci_ranks(10, 0.5) == (2, 9)
    # actual coverage of ranks 2..9: P(2 <= B < 9), B ~ Binomial(10, 0.5) = 0.9785
    assert stats.binom(10, 0.5).cdf(8) - stats.binom(10, 0.5).cdf(1) == approx4(0.9785)


def test_frt1_p90() -> None:
    # METHODS.md FRT-1: p90 26.4000 (linear = quantile_cont), 24.0000 (inverted_cdf);
    # p90 CI [6, undefined] because n < 36
    est = quantile_estimate(FRT, 0.9)
    assert est.value == approx4(26.4)
    assert np.quantile(FRT, 0.9, method="inverted_cdf") == 24.0
    assert est.ci_low == 6.0 and math.isnan(est.ci_high)


def test_p90_upper_rank_needs_36() -> None:
    # METHODS.md §4.3: p90 needs n >= 36 for a finite upper bound; median needs n >= 6
    assert quantile_ci_ranks(35, 0.9)[1] is None
    assert quantile_ci_ranks(36, 0.9)[1] == 36
    assert None in quantile_ci_ranks(5, 0.5)
    assert None not in quantile_ci_ranks(6, 0.5)


@pytest.mark.parametrize("q", [0.5, 0.75, 0.9])
@pytest.mark.parametrize("n", [1, 2, 5, 6, 10, 35, 36, 37, 80, 250])
def test_ranks_match_scipy_quantile_test(n: int, q: float) -> None:
    # scipy.stats.quantile_test(x, q=0, p=q).confidence_interval() on x = 1..n (value = rank)
    x = np.arange(1, n + 1, dtype=float)
    ci = stats.quantile_test(x, q=0, p=q).confidence_interval(0.95)
    ranks = quantile_ci_ranks(n, q)
    expected = tuple(None if math.isnan(v) else int(v) for v in (ci.low, ci.high))
    assert ranks == expected


def test_quantile_bad_input() -> None:
    assert quantile_ci_ranks(0, 0.5) == (None, None)
    assert math.isnan(quantile_estimate([], 0.5).value)
    with pytest.raises(ValueError, match="q"):
        quantile_ci_ranks(10, 90)
    with pytest.raises(ValueError, match="finite"):
        quantile_estimate([1.0, float("nan")], 0.5)
