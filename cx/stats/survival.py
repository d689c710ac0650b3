"""Kaplan–Meier for ticket times with open tickets as right-censored (METHODS.md §4.4).

The engine groups tickets by duration in SQL and passes one row per distinct time with its
number of resolutions (events) and of still-open tickets (censored). lifelines fits on those
counts as integer weights, which gives exactly the fit on the expanded rows (verified in tests).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from lifelines import KaplanMeierFitter
from lifelines.utils import qth_survival_times

from cx.stats.types import Estimate, check_conf, empty_estimate


@dataclass(frozen=True)
class KMSummary:
    """What the TTR widgets need: median, p90, share resolved within T and the step curve.

    Quantiles not reached (S never drops to 0.5 / 0.1) are NaN; display "> max_time".
    An upper CI bound that is never reached is ``inf`` (as lifelines reports it).
    """

    n: int
    events: int
    censored: int
    max_time: float
    median: Estimate
    p90: Estimate
    within: dict[float, Estimate] = field(default_factory=dict)
    curve: tuple[tuple[float, float], ...] = ()


def _as_counts(name: str, values: Sequence[int], size: int) -> np.ndarray:
    arr = np.asarray(values, dtype=float).ravel()
    if arr.size != size:
        raise ValueError(f"{name} has {arr.size} entries but times has {size}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr != np.round(arr)):
        raise ValueError(f"{name} must hold non-negative whole counts")
    return arr.astype(np.int64)


def _inputs(
    times: Sequence[float], events: Sequence[int], censored: Sequence[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    t = np.asarray(times, dtype=float).ravel()
    if not np.all(np.isfinite(t)) or np.any(t < 0):
        raise ValueError("times must be finite and >= 0")
    if np.unique(t).size != t.size:
        raise ValueError("times must be distinct (one row per time; sum the counts first)")
    return t, _as_counts("events", events, t.size), _as_counts("censored", censored, t.size)


def _quantile(kmf: KaplanMeierFitter, surv: float, n: int) -> Estimate:
    """Time where S(t) first drops to ``surv`` or below, with lifelines' CI of that time."""
    value = float(qth_survival_times(surv, kmf.survival_function_))
    ci = qth_survival_times(surv, kmf.confidence_interval_)
    low, high = (float(v) for v in np.asarray(ci, dtype=float).ravel()[:2])
    return Estimate(
        value=value if math.isfinite(value) else math.nan,
        n=n,
        ci_low=low if math.isfinite(low) else math.nan,
        ci_high=high,
    )


def _greenwood_se(
    t: np.ndarray, d: np.ndarray, at_risk: np.ndarray, s: float, when: float
) -> float:
    """Greenwood SE of S(when) = S * sqrt(sum d / (r (r - d))) over event times <= when."""
    mask = (t <= when) & (d > 0)
    denom = at_risk[mask] * (at_risk[mask] - d[mask])
    if np.any(denom == 0):  # S has reached 0: Greenwood is 0/0, report no SE
        return math.nan
    return float(s * math.sqrt(np.sum(d[mask] / denom)))


def _within(
    kmf: KaplanMeierFitter, t: np.ndarray, d: np.ndarray, c: np.ndarray, hours: float, n: int
) -> Estimate:
    """Share resolved within ``hours`` = 1 - S(hours), CI mirrored from the survival CI.

    Beyond the longest follow-up, with tickets still open, S(hours) is unknown: NaN ("no data"),
    never the last step carried forward (which reads "0% resolved, [0, 0]" on fresh tickets)."""
    sf = kmf.survival_function_.iloc[:, 0]
    ci = kmf.confidence_interval_
    idx = int(np.searchsorted(sf.index.to_numpy(), hours, side="right")) - 1
    s = float(sf.iloc[idx])
    if hours > t[-1] and s > 0:  # nobody followed that long: S(hours) is not identified
        return empty_estimate(n)
    s_low, s_high = (float(v) for v in ci.iloc[idx, :2])
    at_risk = n - np.concatenate(([0], np.cumsum(d + c)[:-1]))
    return Estimate(
        value=1.0 - s,
        n=n,
        ci_low=1.0 - s_high,
        ci_high=1.0 - s_low,
        se=_greenwood_se(t, d, at_risk, s, hours),
    )


def _fit(t: np.ndarray, d: np.ndarray, c: np.ndarray, conf: float) -> KaplanMeierFitter:
    """Fit lifelines on (time, resolved?) rows weighted by their counts; zero counts dropped."""
    durations = np.concatenate([t, t])
    observed = np.concatenate([np.ones(t.size, dtype=int), np.zeros(t.size, dtype=int)])
    weights = np.concatenate([d, c]).astype(float)
    rows = weights > 0
    kmf = KaplanMeierFitter(alpha=1.0 - conf)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifelines warns about weights; integer weights are exact
        kmf.fit(durations[rows], event_observed=observed[rows], weights=weights[rows])
    return kmf


def step_points(curve: Sequence[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    """The points of a step curve that drawing it needs: the first, every time the value
    changes, and the last (where the curve ends).

    Exact, not an approximation: a step function holds its value until the next change, so
    looking a time up in the kept points (last point at or before it) gives the same value as in
    the full curve at every original time. A KM curve lists every distinct time, censoring
    times included, where S does not move; on a large ticket table most points are such.
    """
    if len(curve) <= 2:
        return tuple(curve)
    t, s = (np.asarray(a, dtype=float) for a in zip(*curve, strict=True))
    keep = np.concatenate(([True], s[1:] != s[:-1]))
    keep[-1] = True
    return tuple(zip(t[keep].tolist(), s[keep].tolist(), strict=True))


def kaplan_meier(
    times: Sequence[float],
    events: Sequence[int],
    censored: Sequence[int],
    within: Sequence[float] = (24.0,),
    conf: float = 0.95,
) -> KMSummary:
    """Kaplan–Meier summary from aggregated counts per distinct time.

    CIs are lifelines' exponential Greenwood (log-log) bands; the median CI is
    ``median_survival_times(confidence_interval_)``, p90 uses the same rule at S = 0.10.
    No tickets gives NaN estimates and an empty curve.
    """
    check_conf(conf)
    t, d, c = _inputs(times, events, censored)
    horizons = [float(h) for h in within]
    if any(not (math.isfinite(h) and h >= 0) for h in horizons):
        raise ValueError(f"within horizons must be finite and >= 0, got {list(within)!r}")
    n, n_events = int(d.sum() + c.sum()), int(d.sum())
    if n == 0:
        empty = empty_estimate(0)
        return KMSummary(0, 0, 0, math.nan, empty, empty, {h: empty for h in horizons}, ())
    keep = (d + c) > 0
    t, d, c = t[keep], d[keep], c[keep]
    order = np.argsort(t)
    t, d, c = t[order], d[order], c[order]
    kmf = _fit(t, d, c, conf)
    sf = kmf.survival_function_.iloc[:, 0]
    return KMSummary(
        n=n,
        events=n_events,
        censored=n - n_events,
        max_time=float(t.max()),
        median=_quantile(kmf, 0.5, n),
        p90=_quantile(kmf, 0.10, n),
        within={h: _within(kmf, t, d, c, h, n) for h in horizons},
        curve=tuple((float(k), float(v)) for k, v in sf.items()),
    )
