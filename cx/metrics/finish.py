"""Sufficient statistics per group -> estimates with intervals (cx.stats) -> tidy result rows.

One function per metric type; each returns, per group, an Estimate in the metric's display unit
and a dict of extra columns (n_missing, mixed_scales, waiting_share, ...).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any, assert_never

import pandas as pd

from cx.config import Thresholds
from cx.metrics.catalog import MetricDef, MetricType, Unit
from cx.metrics.query import VALUE_COLUMNS, MetricQuery
from cx.metrics.suppress import protect_complement, protect_margins
from cx.stats.means import mean_estimate
from cx.stats.nps import nps_estimate
from cx.stats.proportions import wilson
from cx.stats.rates import churn_estimate, clv_simple, retention_estimate
from cx.stats.clusters import (
    ClusterSums,
    design_effect,
    mean_clustered,
    nps_clustered,
    wilson_clustered,
)
from cx.stats.reliability import eligible, hidden, reliability
from cx.stats.survival import kaplan_meier
from cx.stats.types import Estimate, empty_estimate

Row = dict[str, Any]
Finished = tuple[Estimate, dict[str, Any]]


def int_of(row: Row, name: str) -> int:
    value = row.get(name)
    return 0 if value is None or (isinstance(value, float) and math.isnan(value)) else int(value)


def float_of(row: Row, name: str) -> float:
    """A SQL sum over no rows is NULL (None, or NaN once in a DataFrame column): zero here."""
    value = row.get(name)
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    return 0.0 if missing else float(value)


def mixed_scales(row: Row) -> bool:
    return (row.get("scale_min_lo"), row.get("scale_max_lo")) != (
        row.get("scale_min_hi"), row.get("scale_max_hi"))


def cluster_sums(row: Row) -> ClusterSums | None:
    """The row's cluster aggregates (engine cl_* columns), None when the engine sent none."""
    if "cl_n" not in row:
        return None
    return ClusterSums(int_of(row, "cl_n"), int_of(row, "cl_clusters"), float_of(row, "cl_s1"),
                       float_of(row, "cl_s2"), float_of(row, "cl_ss"), float_of(row, "cl_ns"),
                       float_of(row, "cl_nn"))


def design_effect_of(row: Row, n: int) -> tuple[float, int, dict[str, Any]]:
    """Design effect, clusters and the columns a page shows (deff, n_eff), METHODS.md §0.1."""
    sums = cluster_sums(row)
    if sums is None:
        return 1.0, 0, {}
    deff = design_effect(sums)
    return deff, sums.clusters, {"deff": deff, "n_eff": n / deff if n else 0.0}


def _nps(row: Row, q: MetricQuery, conf: float) -> Finished:
    det, pas, pro = int_of(row, "det"), int_of(row, "pas"), int_of(row, "pro")
    est = nps_estimate(det, pas, pro, conf=conf, method=q.nps_method)
    deff, _, shown = design_effect_of(row, est.n)
    if q.nps_method == "adjusted_wald":
        est = nps_clustered(est, det, pas, pro, deff, conf)
    points = Estimate(est.value * 100, est.n, est.ci_low * 100, est.ci_high * 100,
                      est.se * 100, est.centre * 100)
    return points, {"det": det, "pas": pas, "pro": pro, "n_missing": int_of(row, "n_rows") - est.n,
                    **shown}


def _share(row: Row, q: MetricQuery, conf: float) -> Finished:
    est = wilson(int_of(row, "x"), int_of(row, "n"), conf)
    deff, _, shown = design_effect_of(row, est.n)
    return wilson_clustered(est, deff, conf), {
        "x": int_of(row, "x"), "n_missing": int_of(row, "n_rows") - est.n,
        "mixed_scales": mixed_scales(row), **shown}


def _mean(row: Row, q: MetricQuery, conf: float) -> Finished:
    est = mean_estimate(int_of(row, "n"), float_of(row, "total"), float_of(row, "total_sq"), conf)
    deff, clusters, shown = design_effect_of(row, est.n)
    est = mean_clustered(est, deff, clusters, conf)
    return clip_to_scale(est, row), {"n_missing": int_of(row, "n_rows") - est.n,
                                     "mixed_scales": mixed_scales(row), **shown}


def clip_to_scale(est: Estimate, row: Row) -> Estimate:
    """A mean of answers on [min, max] cannot lie outside it: clip the t interval (METHODS.md §0
    clips every interval to the parameter space). Mixed scales clip to their outer ends."""
    lo, hi = row.get("scale_min_lo"), row.get("scale_max_hi")
    if lo is None or hi is None or not (math.isfinite(est.ci_low) and math.isfinite(est.ci_high)):
        return est
    if isinstance(lo, float) and math.isnan(lo) or isinstance(hi, float) and math.isnan(hi):
        return est
    return replace(est, ci_low=max(float(lo), est.ci_low), ci_high=min(float(hi), est.ci_high))


def _count(row: Row, q: MetricQuery, conf: float) -> Finished:
    n = int_of(row, "n_rows")
    return Estimate(float(n), n, math.nan, math.nan), {}


def _quantile(row: Row, q: MetricQuery, conf: float) -> Finished:
    """Value from SQL; the CI ends are filled in by the engine from the order statistics."""
    n, total = int_of(row, "n"), int_of(row, "n_rows")
    value = row.get("value")
    est = Estimate(math.nan if value is None else float(value), n, math.nan, math.nan)
    waiting = int_of(row, "waiting")
    return est, {"waiting": waiting, "waiting_share": waiting / total if total else math.nan}


def _churn(row: Row, q: MetricQuery, conf: float, metric: MetricDef) -> Finished:
    fn = retention_estimate if metric.complement else churn_estimate
    est = fn(int_of(row, "churned"), int_of(row, "n"), conf)
    extra = {"churned": int_of(row, "churned")}
    if "n_unknown_time" in row:
        extra["n_unknown_time"] = int_of(row, "n_unknown_time")
    return est, extra


def _clv(row: Row, q: MetricQuery, conf: float) -> Finished:
    """Supplied clv when present; else ARPU x margin / monthly hazard, capped (METHODS.md §4.2)."""
    if int_of(row, "n_clv") > 0:
        est = mean_estimate(int_of(row, "n_clv"), float_of(row, "total"),
                            float_of(row, "total_sq"), conf)
        return est, {"clv_source": "supplied"}
    n_rev, months = int_of(row, "n_rev"), float_of(row, "months")
    extra: dict[str, Any] = {"clv_source": "derived", "margin": q.clv_margin,
                             "horizon_months": q.clv_horizon_months}
    if n_rev == 0 or months <= 0:
        return empty_estimate(n_rev), {**extra, "clv_source": "none"}
    arpu, churn = float_of(row, "revenue") / n_rev, min(int_of(row, "churned") / months, 1.0)
    value = clv_simple(arpu, q.clv_margin, churn, q.clv_horizon_months)
    # the lifetime hit its cap: the CLV is the cap's, not the data's (flagged for the page)
    capped = churn == 0 or 1.0 / churn >= q.clv_horizon_months
    return Estimate(value, n_rev, math.nan, math.nan), {**extra, "arpu": arpu,
                                                         "monthly_churn": churn,
                                                         "horizon_capped": capped}


def row_finisher(metric: MetricDef) -> Callable[[Row, MetricQuery, float], Finished]:
    match metric.type:
        case MetricType.NPS:
            return _nps
        case MetricType.SHARE:
            return _share
        case MetricType.MEAN:
            return _mean
        case MetricType.COUNT:
            return _count
        case MetricType.QUANTILE:
            return _quantile
        case MetricType.CHURN:
            return lambda row, q, conf: _churn(row, q, conf, metric)
        case MetricType.CLV:
            return _clv
        case MetricType.SURVIVAL:
            raise ValueError("survival rows are finished by finish_survival")
        case _:
            assert_never(metric.type)


def finish_survival(metric: MetricDef, obs: pd.DataFrame, keys: tuple[str, ...],
                    conf: float) -> list[tuple[Row, Estimate, dict[str, Any]]]:
    """Kaplan–Meier per group from (keys, t, events, censored, excluded) rows."""
    out = []
    # Grouped by hand: pandas groupby(dropna=False) fails on object columns holding None.
    positions: dict[tuple, list[int]] = {}
    for i, key in enumerate(zip(*(obs[k].tolist() for k in keys), strict=True) if keys
                            else [()] * len(obs)):
        positions.setdefault(key, []).append(i)
    for key, where in positions.items():
        part = obs.iloc[where]
        ok = part[part["t"].notna() & (part["t"] >= 0)]
        km = kaplan_meier(ok["t"].to_numpy(float), ok["events"], ok["censored"],
                          within=(metric.within_hours or 24.0,), conf=conf)
        if metric.within_hours is not None:
            est = km.within[float(metric.within_hours)]
        else:
            est = km.median if metric.q == 0.5 else km.p90
            est = replace(est, n=km.n)
        extra: dict[str, Any] = {"events": km.events, "censored": km.censored,
                 "excluded": int(part["excluded"].sum()),
                 "max_time": km.max_time, "reached": not math.isnan(est.value)}
        if metric.within_hours is not None and km.n and math.isnan(est.value):
            extra["no_data_reason"] = (f"no ticket was followed for {metric.within_hours:g} h "
                                       "(every ticket still open was opened more recently)")
        out.append((dict(zip(keys, key, strict=True)), est, extra))
    return out


def reliability_kind(metric: MetricDef) -> str:
    match metric.unit:
        case Unit.POINTS:
            return "nps_points"
        case Unit.FRACTION:
            return "share"
        case Unit.SCALE_POINTS:
            return "mean"
        case Unit.COUNT:
            return "count"
        case Unit.HOURS:
            return "time"
        case Unit.CURRENCY:
            return "currency"
        case _:
            assert_never(metric.unit)


def tier(metric: MetricDef, est: Estimate, thresholds: Thresholds,
         n_eff: float | None = None) -> str:
    """METHODS.md §7.3, plus: a p90 of times below p90_min_n is low_n (its CI is undefined);
    with repeated answers per customer the reportable-n rule uses n_eff (§0.1, §7.3)."""
    half = est.half_width if math.isfinite(est.ci_low) and math.isfinite(est.ci_high) else math.nan
    level = reliability(est.n, half, reliability_kind(metric), thresholds)
    if level == "ok" and metric.q == 0.9 and est.n < thresholds.p90_min_n:
        return "low_n"
    if eligible(level) and n_eff is not None and n_eff < thresholds.reliable_n:
        return "low_n"
    return level


def no_data_reason(metric: MetricDef) -> str:
    """Why a group with no usable input has no number (shown instead of a made-up 0)."""
    if metric.type is MetricType.CHURN:
        return "no customers with a known churn status in scope"
    if metric.type is MetricType.CLV:
        return "no clv, or no monthly_revenue with churn and tenure, in scope"
    what = metric.column or "values"
    return f"no valid {what} values in scope"


def to_rows(metric: MetricDef, items: list[tuple[Row, Estimate, dict[str, Any]]],
            keys: tuple[str, ...], thresholds: Thresholds) -> pd.DataFrame:
    """Tidy rows with stable leading columns; suppressed rows keep n but lose the value; a group
    without usable input is "no_data" with a ``no_data_reason`` instead of a number."""
    records = []
    for key, est, extra in items:
        reason = extra.pop("no_data_reason", None)
        level = "no_data" if reason else tier(metric, est, thresholds, extra.get("n_eff"))
        if level == "no_data":
            extra = {**extra, "no_data_reason": reason or no_data_reason(metric)}
        shown = not hidden(level)
        records.append({**key, "value": est.value if shown else math.nan, "n": est.n,
                        "ci_low": est.ci_low if shown else math.nan,
                        "ci_high": est.ci_high if shown else math.nan,
                        "reliability": level, **(extra if shown else _safe(extra))})
    columns = list(keys) + list(VALUE_COLUMNS)
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame(columns=columns)
    frame = frame[columns + [c for c in frame.columns if c not in columns]]
    if len(keys) == 1 and len(frame) > 1:  # one-way tables: their total is shown elsewhere
        frame = protect_complement(frame, thresholds.privacy_floor_n, keys)
    elif len(keys) == 2 and len(frame) > 1:  # heat maps: row and column totals are shown too
        frame = protect_margins(frame, thresholds.privacy_floor_n, keys)
    return frame


def _safe(extra: dict[str, Any]) -> dict[str, Any]:
    """Below the privacy floor only n and data-quality flags stay visible: category counts of a
    handful of answers would reveal individual answers."""
    keep = ("n_missing", "mixed_scales", "clv_source", "excluded", "no_data_reason")
    return {k: (v if k in keep else None) for k, v in extra.items()}
