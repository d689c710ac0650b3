"""Churn, retention and customer lifetime value (METHODS.md §4.1, §4.2).

Churn is C / S: customers lost during the period over customers at its start. Dividing churned by
*acquired* (C / N) or using the net change (S - E) / S are flagged as wrong in METHODS.md §4.1.
"""

from __future__ import annotations

import math

from cx.stats.proportions import wilson
from cx.stats.types import Estimate

DEFAULT_HORIZON_PERIODS = 60.0


def churn_estimate(churned: int, at_start: int, conf: float = 0.95) -> Estimate:
    """Churn rate C/S with a Wilson CI, treating churn as a binomial share of the start cohort.

    Exclude customers acquired *and* lost within the period from ``churned`` (they were never in
    S). ``churned > at_start`` raises: it means the counts do not describe one cohort.
    """
    if churned > at_start:
        raise ValueError(
            f"churned ({churned}) cannot exceed customers at start ({at_start}); "
            "customers acquired and lost within the period do not belong in the churn count"
        )
    return wilson(churned, at_start, conf)


def retention_estimate(churned: int, at_start: int, conf: float = 0.95) -> Estimate:
    """Retention 1 - C/S with the churn interval mirrored (a Wilson interval of the kept share)."""
    churn = churn_estimate(churned, at_start, conf)
    return Estimate(
        value=1.0 - churn.value,
        n=churn.n,
        ci_low=1.0 - churn.ci_high,
        ci_high=1.0 - churn.ci_low,
        se=churn.se,
        centre=1.0 - churn.centre,
    )


def _check_share(name: str, value: float) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {value!r}")
    return value


def annualise_churn(monthly: float) -> float:
    """Annual churn from a constant monthly rate: 1 - (1 - monthly)^12, not 12 x monthly."""
    return 1.0 - (1.0 - _check_share("monthly churn", monthly)) ** 12


def clv_simple(
    arpu: float,
    margin: float,
    churn_per_period: float,
    horizon_periods: float = DEFAULT_HORIZON_PERIODS,
) -> float:
    """Subscription CLV = ARPU x gross margin / churn (expected lifetime 1/churn periods), §4.2.

    With churn == 0 the lifetime is infinite, so it is capped at ``horizon_periods`` (default 60
    periods, e.g. 5 years of months) and the CLV is ARPU x margin x horizon; the lifetime is also
    capped when 1/churn exceeds the horizon. Assumes constant churn, which overstates lifetimes in
    cohorts whose churn falls with tenure (Fader & Hardie 2007): an estimate, not a KPI.
    """
    margin = _check_share("margin", margin)
    churn = _check_share("churn_per_period", churn_per_period)
    if not (math.isfinite(arpu) and horizon_periods > 0):
        raise ValueError("arpu must be finite and horizon_periods > 0")
    lifetime = horizon_periods if churn == 0 else min(1.0 / churn, horizon_periods)
    return float(arpu) * margin * lifetime


def clv_discounted(margin_per_period: float, retention: float, discount: float) -> float:
    """Gupta & Lehmann (2003) margin multiple: m x r / (1 + d - r), §4.2."""
    r = _check_share("retention", retention)
    if not discount >= 0 or not math.isfinite(margin_per_period):
        raise ValueError("discount must be >= 0 and margin_per_period finite")
    if 1.0 + discount - r <= 0:
        raise ValueError("retention 1 with discount 0 gives an infinite CLV")
    return float(margin_per_period) * r / (1.0 + discount - r)
