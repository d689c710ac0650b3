"""Binomial proportions (CSAT top-2-box, % easy, % within SLA, churn): METHODS.md §2.2, §8.1.

Reuses statsmodels (verified against the hand formulas to 1e-9, METHODS.md §10).
"""

from __future__ import annotations

import math

from scipy.stats import fisher_exact
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    test_proportions_2indep,
)

from cx.stats.types import Estimate, TestResult, check_conf, check_count, empty_estimate, z_value

MIN_EXPECTED = 5.0  # smallest expected cell count for the score test's p-value


def _check_xn(x: int, n: int, label: str = "") -> tuple[int, int]:
    x, n = check_count(f"x{label}", x), check_count(f"n{label}", n)
    if x > n:
        raise ValueError(f"x{label} ({x}) cannot exceed n{label} ({n})")
    return x, n


def wilson(x: int, n: int, conf: float = 0.95) -> Estimate:
    """Share x/n with the Wilson score interval (Wilson 1927; Brown, Cai & DasGupta 2001).

    Wilson keeps sensible width at 0/n and n/n where Wald collapses to [1, 1]. ``centre`` is the
    Wilson centre, ``se`` the binomial SE at the raw share. n == 0 gives NaN ("no data").
    """
    x, n = _check_xn(x, n)
    check_conf(conf)
    if n == 0:
        return empty_estimate(0)
    low, high = proportion_confint(x, n, alpha=1.0 - conf, method="wilson")
    p = x / n
    z = z_value(conf)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    return Estimate(
        value=p,
        n=n,
        ci_low=max(0.0, float(low)),
        ci_high=min(1.0, float(high)),
        se=math.sqrt(p * (1 - p) / n),
        centre=centre,
    )


def two_proportions_test(
    x1: int, n1: int, x2: int, n2: int, conf: float = 0.95
) -> TestResult:
    """p1 - p2 with the Newcombe hybrid-score CI and the score test (METHODS.md §2.5, §8.1).

    When a cell's expected count under the null is below 5 the p-value is Fisher's exact test
    (method "newcombe_fisher"). Both groups must be non-empty; the score test is undefined when both shares are 0 or both 1,
    in which case the statistic and p are NaN (statsmodels would divide by zero).
    """
    x1, n1 = _check_xn(x1, n1, "1")
    x2, n2 = _check_xn(x2, n2, "2")
    check_conf(conf)
    nan = math.nan
    if n1 == 0 or n2 == 0:
        return TestResult(estimate=nan, statistic=nan, p=nan, method="newcombe_score")
    diff = x1 / n1 - x2 / n2
    low, high = confint_proportions_2indep(
        x1, n1, x2, n2, method="newcomb", compare="diff", alpha=1.0 - conf
    )
    pooled = (x1 + x2) / (n1 + n2)
    method = "newcombe_score"
    if pooled in (0.0, 1.0):
        stat, p = nan, nan
    else:
        res = test_proportions_2indep(x1, n1, x2, n2, method="score", compare="diff")
        stat, p = float(res.statistic), float(res.pvalue)
        if min(n1, n2) * min(pooled, 1.0 - pooled) < MIN_EXPECTED:
            # Small expected counts: the normal tail of the score test is too thin (a 2/40 vs
            # 22/440 null screen gave 7% false badges at BH 5%); Fisher's exact test keeps the
            # size (Cochran 1954 rule of 5 expected per cell). scipy.stats.fisher_exact
            p, method = float(fisher_exact([[x1, n1 - x1], [x2, n2 - x2]])[1]), "newcombe_fisher"
    return TestResult(
        estimate=diff,
        statistic=stat,
        p=p,
        ci_low=float(low),
        ci_high=float(high),
        method=method,
    )
