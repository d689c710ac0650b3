"""Finishing helpers that know no metric type: reading a row of sufficient statistics, the
design effect of repeated answers, reliability tiers, and the tidy result rows.

Each metric type's finisher lives beside its statements in cx.metrics.plans and returns, per
group, an Estimate in the metric's display unit and a dict of extra columns (n_missing,
mixed_scales, waiting_share, ...); ``to_rows`` turns those into the result table.
"""

from __future__ import annotations

import math
from typing import Any, assert_never

import pandas as pd

from cx.config import Thresholds
from cx.metrics.catalog import MetricDef, Unit
from cx.metrics.query import VALUE_COLUMNS
from cx.metrics.suppress import protect_complement, protect_margins
from cx.stats.clusters import ClusterSums, design_effect
from cx.stats.reliability import eligible, hidden, reliability
from cx.stats.types import Estimate

Row = dict[str, Any]
Finished = tuple[Estimate, dict[str, Any]]
Item = tuple[Row, Estimate, dict[str, Any]]  # (group keys, estimate, extra columns)


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


def to_rows(metric: MetricDef, items: list[Item], keys: tuple[str, ...], thresholds: Thresholds,
            no_data: str) -> pd.DataFrame:
    """Tidy rows with stable leading columns; suppressed rows keep n but lose the value; a group
    without usable input is "no_data" with a ``no_data_reason`` (the plan's ``no_data`` unless
    its finisher gave one) instead of a number."""
    records = []
    for key, est, extra in items:
        reason = extra.pop("no_data_reason", None)
        level = "no_data" if reason else tier(metric, est, thresholds, extra.get("n_eff"))
        if level == "no_data":
            extra = {**extra, "no_data_reason": reason or no_data}
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
