"""Two-group comparisons on sufficient statistics, shared by segments (vs rest) and trends (WoW).

Every comparable metric type reduces to one of three kinds of counts that add up exactly
(METHODS.md §0): NPS (det, pas, pro), shares (x, n) and means (n, total, total_sq). So a
complement ("the rest") or a union of weeks is a column sum, never a second pass over raw rows.
Quantiles, survival curves and counts have no test here: they are reported as not comparable
rather than given a test that does not fit them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, assert_never

import pandas as pd

from cx.config import Thresholds
from cx.metrics import Engine, MetricDef, MetricQuery, MetricType
from cx.metrics.finish import to_rows
from cx.metrics.plans import plan_for
from cx.stats.clusters import ClusterSums, clustered_test, design_effect
from cx.stats.means import welch_test
from cx.stats.nps import nps_diff_test
from cx.stats.proportions import two_proportions_test
from cx.stats.types import TestResult, nan

# Columns of the standardised count frame per kind.
COUNT_COLUMNS = {"nps": ("det", "pas", "pro"), "share": ("x", "n"), "mean": ("n", "total", "total_sq")}
CLUSTER_COLUMNS = ("cl_n", "cl_clusters", "cl_s1", "cl_s2", "cl_ss", "cl_ns", "cl_nn")
TEST_NAMES = {
    "nps": "adjusted-Wald z test (METHODS.md §1.5)",
    "share": "score test with Newcombe interval (METHODS.md §2.5)",
    "mean": "Welch t test (METHODS.md §2.5)",
}


def comparison_kind(metric: MetricDef) -> str | None:
    """"nps" | "share" | "mean", or None when no two-group test fits the metric type."""
    match metric.type:
        case MetricType.NPS:
            return "nps"
        case MetricType.SHARE | MetricType.CHURN:
            return "share"
        case MetricType.MEAN | MetricType.CLV:
            return "mean"
        case MetricType.COUNT | MetricType.QUANTILE | MetricType.SURVIVAL:
            return None
        case _:
            assert_never(metric.type)


def _num(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame:
        return pd.Series(0.0, index=frame.index)
    return pd.to_numeric(frame[name], errors="coerce").fillna(0.0).astype(float)


def standard_counts(metric: MetricDef, stats: pd.DataFrame) -> pd.DataFrame:
    """The engine's per-group sufficient statistics renamed to the kind's count columns.

    Retention is the complement of churn (x = n - churned); a supplied CLV is a mean of the
    clv column (n_clv rows); a derived CLV has no sampling distribution here, so n = 0.
    """
    kind = comparison_kind(metric)
    if kind is None:
        raise ValueError(f"{metric.name} has no two-group test ({metric.type.value} metric)")
    out = pd.DataFrame(index=stats.index)
    if metric.type is MetricType.CHURN:
        churned, n = _num(stats, "churned"), _num(stats, "n")
        out["x"], out["n"] = (n - churned if metric.complement else churned), n
    elif metric.type is MetricType.CLV:
        out["n"], out["total"], out["total_sq"] = (
            _num(stats, "n_clv"), _num(stats, "total"), _num(stats, "total_sq"))
    else:
        for name in COUNT_COLUMNS[kind]:
            out[name] = _num(stats, name)
    for name in CLUSTER_COLUMNS:  # additive, so "the rest" and unions of weeks stay sums
        if name in stats:
            out[name] = _num(stats, name)
    return out


def effective_counts(a: Mapping[str, Any]) -> tuple[dict[str, float], float]:
    """A group's counts scaled by n_eff / n = 1 / deff, and deff, when its answers repeat per
    customer (METHODS.md §0.1: tests use the same n_eff as the intervals); deff 1 otherwise."""
    counts = {k: float(a.get(k, 0) or 0) for k in ("det", "pas", "pro", "x", "n", "total",
                                                    "total_sq")}
    if "cl_n" not in a:
        return counts, 1.0
    n, clusters, *rest = (float(a.get(k, 0) or 0) for k in CLUSTER_COLUMNS)
    deff = design_effect(ClusterSums(int(n), int(clusters), *rest))
    return ({k: v / deff for k, v in counts.items()}, deff) if deff > 1.0 else (counts, 1.0)


def scale_of(metric: MetricDef) -> float:
    """Factor from the statistics' scale to the display unit (NPS: -1..1 -> points)."""
    return 100.0 if metric.type is MetricType.NPS else 1.0


def compare(kind: str, a: Mapping[str, Any], b: Mapping[str, Any], conf: float,
            scale: float = 1.0) -> TestResult:
    """Group a minus group b with the kind's test; effect and CI multiplied by ``scale``.

    Empty or one-row groups give NaN (no test), never an error: a segment can be empty.
    """
    if kind not in COUNT_COLUMNS:
        raise ValueError(f"unknown comparison kind {kind!r}")
    (fa, deff_a), (fb, deff_b) = effective_counts(a), effective_counts(b)
    g = {k: int(round(float(a.get(k, 0) or 0))) for k in ("det", "pas", "pro", "x", "n")}
    h = {k: int(round(float(b.get(k, 0) or 0))) for k in ("det", "pas", "pro", "x", "n")}
    if deff_a > 1.0 or deff_b > 1.0:
        res = clustered_test(kind, fa, fb, conf)  # a side's answers repeat per customer, §0.1
    else:
        match kind:
            case "nps":
                res = nps_diff_test((g["det"], g["pas"], g["pro"]),
                                    (h["det"], h["pas"], h["pro"]), conf)
            case "share":
                res = two_proportions_test(g["x"], g["n"], h["x"], h["n"], conf)
            case _:
                res = welch_test(g["n"], float(a["total"]), float(a["total_sq"]),
                                 h["n"], float(b["total"]), float(b["total_sq"]), conf)
    return TestResult(estimate=res.estimate * scale, statistic=res.statistic, p=res.p,
                      ci_low=res.ci_low * scale, ci_high=res.ci_high * scale, df=res.df,
                      se=res.se * scale if not math.isnan(res.se) else nan, method=res.method)


def display_rows(engine: Engine, query: MetricQuery, metric: MetricDef,
                 stats: pd.DataFrame) -> pd.DataFrame:
    """Value, n, CI and tier per group from already fetched statistics, exactly as
    ``Engine.run`` would show them (same finishers), so an analysis needs one pass only."""
    return finish_rows(query, metric, stats, engine.settings.confidence,
                       engine.settings.thresholds)


def finish_rows(query: MetricQuery, metric: MetricDef, stats: pd.DataFrame, conf: float,
                thresholds: Thresholds) -> pd.DataFrame:
    """``display_rows`` without an engine: pure on the statistics (simulations call it)."""
    plan = plan_for(metric)
    items = plan.finish_rows(query, stats, conf)
    return to_rows(metric, items, query.keys, thresholds, plan.no_data_reason())


def mixed_scale_note(engine: Engine, query: MetricQuery, metric: MetricDef) -> str | None:
    """A note naming the scales and their counts when the scope mixes rating scales, else None.

    A top-2-box share covers 40% of a 1-5 scale and 20% of a 0-10 one, and means are on
    different units, so no comparison or badge may mix them (METHODS.md §2.4)."""
    found = engine.scales(query)
    if len(found) < 2:
        return None
    listed = ", ".join(f"{lo:g}-{hi:g} ({n:,} answers)" for lo, hi, n in found)
    return (f"{metric.label} answers in scope use {len(found)} scales: {listed}. Groups on "
            "different scales are not compared, tested or badged; filter to one scale "
            "(one batch) to compare.")
