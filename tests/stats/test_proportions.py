"""Wilson intervals and two-proportion comparisons: METHODS.md CSAT-1, CSAT-3, CES-1, WOW-1."""

from __future__ import annotations

import math

import pytest
from scipy.stats import fisher_exact
from statsmodels.stats import proportion as smp

from cx.stats.proportions import two_proportions_test, wilson

from .helpers import approx4


def test_csat1_wilson() -> None:
    # METHODS.md CSAT-1: 80/100 -> Wilson [0.7112, 0.8666]
    est = wilson(80, 100)
    assert (est.value, est.n) == (approx4(0.8), 100)
    assert (est.ci_low, est.ci_high) == (approx4(0.7112), approx4(0.8666))
    # Wald would be [0.7216, 0.8784]: value ± z*se
    assert est.value - 1.959963984540054 * est.se == approx4(0.7216)


def test_csat1_wilson_centre_formula() -> None:
    # METHODS.md §2.2 closed form: centre = (p + z²/2n)/(1 + z²/n) is the interval midpoint
    est = wilson(80, 100)
    assert est.centre == pytest.approx((est.ci_low + est.ci_high) / 2)


def test_csat3_boundaries() -> None:
    # METHODS.md CSAT-3: 10/10 -> [0.7225, 1.0000]; 0/10 -> [0.0000, 0.2775]
    full, none = wilson(10, 10), wilson(0, 10)
    assert (full.ci_low, full.ci_high) == (approx4(0.7225), approx4(1.0))
    assert (none.ci_low, none.ci_high) == (0.0, approx4(0.2775))
    assert full.ci_high <= 1.0


def test_ces1_percent_easy() -> None:
    # METHODS.md CES-1: % easy (5-7) = 460/1000 = 0.4600, Wilson [0.4293, 0.4910]
    est = wilson(160 + 180 + 120, 1000)
    assert (est.value, est.ci_low, est.ci_high) == (approx4(0.46), approx4(0.4293), approx4(0.4910))


def test_wilson_no_data_and_bad_input() -> None:
    assert math.isnan(wilson(0, 0).value)
    with pytest.raises(ValueError, match="exceed"):
        wilson(11, 10)
    with pytest.raises(ValueError, match="x"):
        wilson(-1, 10)


def test_wow1_newcombe_and_score() -> None:
    # METHODS.md WOW-1: 140/200 vs 168/206 -> diff -0.1155, Newcombe [-0.1972, -0.0322],
    # score z -2.7164, p 0.0066
    res = two_proportions_test(140, 200, 168, 206)
    assert res.estimate == approx4(-0.1155)
    assert (res.ci_low, res.ci_high) == (approx4(-0.1972), approx4(-0.0322))
    assert (res.statistic, res.p) == (approx4(-2.7164), approx4(0.0066))


def test_two_proportions_degenerate() -> None:
    both_full = two_proportions_test(10, 10, 20, 20)
    assert both_full.estimate == 0.0 and math.isnan(both_full.p)
    assert math.isnan(two_proportions_test(0, 0, 5, 10).estimate)


def test_small_expected_counts_use_fishers_exact_p() -> None:
    # expected satisfied in group 1 = 40 x 22/480 = 1.8 < 5: scipy.stats.fisher_exact p
    res = two_proportions_test(5, 40, 17, 440)
    ref = fisher_exact([[5, 35], [17, 423]])[1]
    assert res.p == pytest.approx(ref, rel=1e-12) and res.method == "newcombe_fisher"
    # the score test alone gives a smaller (liberal) p here
    score = smp.test_proportions_2indep(5, 40, 17, 440, method="score", compare="diff").pvalue
    assert score < ref
