"""Means from sufficient statistics (n, sum, sum of squares): METHODS.md §2.3, §2.4, §2.5, §3.

The engine aggregates ``count``, ``sum(x)`` and ``sum(x*x)`` in SQL (exactly re-aggregatable)
and never pulls raw rows. Sums of squares lose precision when the mean is large relative to the
spread, so the variance is formed as ``(S2 - S1*mean) / (n-1)`` and floored at 0.
"""

from __future__ import annotations

import math

from scipy.stats import t as student_t

from cx.stats.types import (
    Estimate,
    TestResult,
    check_conf,
    check_count,
    empty_estimate,
    t_value,
)


def _finite(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def _mean_var(n: int, total: float, total_sq: float) -> tuple[float, float]:
    """Mean and sample variance (ddof = 1; NaN for n < 2) from sufficient statistics."""
    mean = total / n
    if n < 2:
        return mean, math.nan
    # Centred form: S2 - n*mean^2 written as S2 - S1*mean avoids one extra rounding step.
    ss = total_sq - total * mean
    if ss < -1e-9 * max(abs(total_sq), 1.0):
        raise ValueError(
            f"sum of squares {total_sq!r} is inconsistent with n={n}, sum={total!r}"
        )
    return mean, max(ss, 0.0) / (n - 1)


def mean_estimate(n: int, total: float, total_sq: float, conf: float = 0.95) -> Estimate:
    """Mean with a Student-t interval; n == 1 gives the mean without an interval (§2.3).

    ``se`` is s / sqrt(n). For Likert data with n < 30 prefer T2B + Wilson (METHODS.md §2.3).
    """
    n = check_count("n", n)
    total, total_sq = _finite("total", total), _finite("total_sq", total_sq)
    check_conf(conf)
    if n == 0:
        return empty_estimate(0)
    mean, var = _mean_var(n, total, total_sq)
    if n < 2:
        return Estimate(value=mean, n=n, ci_low=math.nan, ci_high=math.nan)
    se = math.sqrt(var / n)
    half = t_value(conf, n - 1) * se
    return Estimate(value=mean, n=n, ci_low=mean - half, ci_high=mean + half, se=se)


def welch_test(
    n1: int,
    total1: float,
    total_sq1: float,
    n2: int,
    total2: float,
    total_sq2: float,
    conf: float = 0.95,
) -> TestResult:
    """Welch's unequal-variance t test of mean1 - mean2 with Welch–Satterthwaite df (§2.5).

    Same result as ``scipy.stats.ttest_ind(a, b, equal_var=False)`` on the raw values. Needs at
    least 2 observations per group; a zero pooled SE (both groups constant) gives NaN t and p.
    """
    n1, n2 = check_count("n1", n1), check_count("n2", n2)
    check_conf(conf)
    nan = math.nan
    if n1 < 2 or n2 < 2:
        return TestResult(estimate=nan, statistic=nan, p=nan, method="welch")
    m1, v1 = _mean_var(n1, _finite("total1", total1), _finite("total_sq1", total_sq1))
    m2, v2 = _mean_var(n2, _finite("total2", total2), _finite("total_sq2", total_sq2))
    a, b = v1 / n1, v2 / n2
    se = math.sqrt(a + b)
    diff = m1 - m2
    if se == 0:
        return TestResult(estimate=diff, statistic=nan, p=nan, se=0.0, method="welch")
    df = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
    stat = diff / se
    half = t_value(conf, df) * se
    return TestResult(
        estimate=diff,
        statistic=stat,
        p=float(2.0 * student_t.sf(abs(stat), df)),
        ci_low=diff - half,
        ci_high=diff + half,
        df=df,
        se=se,
        method="welch",
    )


def pomp(mean: float, scale_min: float, scale_max: float) -> float:
    """Percent of maximum possible (Cohen et al. 1999): 100 (mean - min) / (max - min), §2.4.

    Only an approximate bridge between scales; never compare top-box shares across scales.
    """
    if not scale_max > scale_min:
        raise ValueError(f"scale_max ({scale_max}) must exceed scale_min ({scale_min})")
    return 100.0 * (mean - scale_min) / (scale_max - scale_min)
