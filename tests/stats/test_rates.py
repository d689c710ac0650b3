"""Churn, retention and CLV: METHODS.md CHURN-1 and CLV-1 (§4.1, §4.2)."""

from __future__ import annotations

import pytest

from cx.stats.rates import (
    annualise_churn,
    churn_estimate,
    clv_discounted,
    clv_simple,
    retention_estimate,
)

from .helpers import approx4


def test_churn1() -> None:
    # METHODS.md CHURN-1: S 1000, C 50 -> churn 0.0500, Wilson [0.0381, 0.0653]; retention 0.9500
    churn = churn_estimate(50, 1000)
    assert churn.value == approx4(0.05)
    assert (churn.ci_low, churn.ci_high) == (approx4(0.0381), approx4(0.0653))
    keep = retention_estimate(50, 1000)
    assert keep.value == approx4(0.95)
    assert (keep.ci_low, keep.ci_high) == (approx4(0.9347), approx4(0.9619))
    # E = S + N - C = 1100; retention (E - N)/S equals 1 - C/S
    assert keep.value == pytest.approx((1100 - 150) / 1000)


def test_churn_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError, match="cannot exceed"):
        churn_estimate(150, 100)


def test_annualise() -> None:
    # METHODS.md §4.1: 5 %/month -> annual 0.4596 (not 0.60)
    assert annualise_churn(0.05) == approx4(0.4596)
    with pytest.raises(ValueError):
        annualise_churn(5.0)


def test_clv1() -> None:
    # METHODS.md CLV-1: ARPU 100, GM 0.8, churn 0.05 -> 1600.0000;
    # discounted m 80, r 0.95, d 0.01 -> 1266.6667
    assert clv_simple(100, 0.8, 0.05) == approx4(1600.0)
    assert clv_discounted(80, 0.95, 0.01) == approx4(1266.6667)
    # METHODS.md §4.2 descriptive CLV: 50 x 4/yr x 3 yr = 600 (order value x frequency x years;
    # same product form as clv_simple with margin 1 and churn 1/3 per year)
    assert clv_simple(50 * 4, 1.0, 1 / 3) == approx4(600.0)


def test_clv_zero_churn_is_capped() -> None:
    # METHODS.md §4.2: churn 0 -> cap the lifetime at a horizon (60 periods by default)
    assert clv_simple(100, 0.8, 0.0) == approx4(4800.0)
    assert clv_simple(100, 0.8, 0.0, horizon_periods=24) == approx4(1920.0)
    with pytest.raises(ValueError):
        clv_discounted(80, 1.0, 0.0)
