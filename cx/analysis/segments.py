"""Any catalog metric by any dimension: each segment against the rest (METHODS.md §7).

One engine pass returns per-segment sufficient statistics; the rest of each segment is the
total minus the segment (sums of counts, exact). Badges come from Benjamini–Hochberg q-values
over every segment eligible for a badge, which is decided from n alone (§7.3 revised: "ok",
"wide" and "degenerate" tiers): a low-n segment gets no badge, so it is not part of the family. Ranking is by the conservative
confidence bound (the lower one when higher is better), never by the raw value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import chi2, chi2_contingency
from scipy.stats import f as f_dist

from cx.analysis.compare import (
    comparison_kind,
    compare,
    finish_rows,
    mixed_scale_note,
    scale_of,
    standard_counts,
)
from cx.analysis.readings import segment_reading, uncompared_reading
from cx.config import Thresholds
from cx.domain import Filters
from cx.metrics import Engine, MetricQuery, get_metric
from cx.metrics.text_fields import COMMENTED, THEME
from cx.stats.multiplicity import adjust_pvalues
from cx.stats.nps import nps_heterogeneity
from cx.stats.reliability import eligible, hidden
from cx.stats.types import TestResult, nan

COLUMNS = ("segment", "value", "n", "ci_low", "ci_high", "reliability", "diff_vs_rest",
           "diff_ci_low", "diff_ci_high", "p", "q", "badge", "rank")


@dataclass(frozen=True, eq=False)
class SegmentAnalysis:
    metric: str
    by: str
    unit: str
    table: pd.DataFrame
    heterogeneity: TestResult | None
    reading: str
    comparable: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `analyze segments` (PRODUCT.md §6)."""
        het = None if self.heterogeneity is None else {
            "method": self.heterogeneity.method, "statistic": self.heterogeneity.statistic,
            "df": self.heterogeneity.df, "p": self.heterogeneity.p}
        return {"metric": self.metric, "by": self.by, "unit": self.unit,
                "comparable": self.comparable, "heterogeneity": het, "reading": self.reading,
                "notes": list(self.notes), "rows": self.table.to_dict(orient="records")}


def segments_vs_rest(kind: str, counts: pd.DataFrame, eligible: Sequence[bool], conf: float,
                     scale: float = 1.0, total: pd.Series | None = None) -> pd.DataFrame:
    """Core: per-row test against the sum of all other rows, BH q-values and badges.

    ``counts`` holds the kind's count columns (compare.COUNT_COLUMNS), one row per segment.
    Rows not ``eligible`` keep their raw test (p) but get no q-value and no badge. ``total``
    is the whole population's counts when segments overlap (themes: a comment mentions several),
    so the rest is total minus the segment rather than the sum of the other segments.
    """
    total = counts.sum(axis=0) if total is None else total[counts.columns]
    rows = []
    for _, seg in counts.iterrows():
        res = compare(kind, seg.to_dict(), (total - seg).to_dict(), conf, scale)
        rows.append((res.estimate, res.ci_low, res.ci_high, res.p))
    out = pd.DataFrame(rows, columns=["diff_vs_rest", "diff_ci_low", "diff_ci_high", "p"],
                       index=counts.index)
    out["q"], out["badge"] = bh_badges(out["diff_vs_rest"], out["p"], eligible, conf)
    return out


def bh_badges(diff: Sequence[float], p: Sequence[float], eligible: Sequence[bool],
              conf: float) -> tuple[np.ndarray, np.ndarray]:
    """BH q-values over the eligible tests (the family shown) and "higher"/"lower"/"none"."""
    p_arr, d_arr = np.asarray(p, dtype=float), np.asarray(diff, dtype=float)
    ok = np.asarray(eligible, dtype=bool) & ~np.isnan(p_arr)
    q = adjust_pvalues(np.where(ok, p_arr, np.nan), "bh")
    significant = q < (1.0 - conf)
    badge = np.where(significant & (d_arr > 0), "higher",
                     np.where(significant & (d_arr < 0), "lower", "none"))
    return q, badge


def segment_pairs(engine: Engine, metric: str, by: str,
                  filters: Filters = Filters()) -> pd.DataFrame:
    """Post-hoc: every pair of segments, Holm-adjusted (METHODS.md §1.6 step 2).

    Columns: a, b, diff (a - b, display unit), ci_low, ci_high, p, p_holm.
    """
    mdef = get_metric(metric)
    kind = comparison_kind(mdef)
    if kind is None:
        raise ValueError(f"{metric} is a {mdef.type.value} metric: no pairwise test fits it")
    stats = engine.sufficient(MetricQuery(metric=metric, filters=filters, by=(by,)))
    counts = standard_counts(mdef, stats)
    rows = []
    for i, j in combinations(range(len(stats)), 2):
        res = compare(kind, counts.iloc[i].to_dict(), counts.iloc[j].to_dict(),
                      engine.settings.confidence, scale_of(mdef))
        rows.append((stats[by].iloc[i], stats[by].iloc[j], res.estimate, res.ci_low,
                     res.ci_high, res.p))
    out = pd.DataFrame(rows, columns=["a", "b", "diff", "ci_low", "ci_high", "p"])
    out["p_holm"] = adjust_pvalues(out["p"], "holm") if len(out) else []
    return out


def _welch_anova(counts: pd.DataFrame) -> TestResult:
    """Welch's one-way ANOVA from (n, total, total_sq): equal means without equal variances."""
    n = counts["n"].to_numpy(float)
    mean = counts["total"].to_numpy(float) / n
    var = (counts["total_sq"].to_numpy(float) - counts["total"].to_numpy(float) * mean) / (n - 1)
    k = n.size
    if k < 2 or np.any(var <= 0):
        return TestResult(nan, nan, nan, df=max(k - 1, 0), method="welch_anova")
    w = n / var
    grand = np.sum(w * mean) / w.sum()
    tail = np.sum((1 - w / w.sum()) ** 2 / (n - 1))
    stat = (np.sum(w * (mean - grand) ** 2) / (k - 1)) / (1 + 2 * (k - 2) / (k * k - 1) * tail)
    df2 = (k * k - 1) / (3 * tail)
    return TestResult(float(stat), float(stat), float(f_dist.sf(stat, k - 1, df2)),
                      df=float(k - 1), method="welch_anova")


def heterogeneity(kind: str, counts: pd.DataFrame, min_n: int = 1) -> TestResult:
    """k-segment omnibus test over segments with at least ``min_n`` answers (§1.6).

    NPS: Cochran-Q-type Wald statistic on adjusted estimates; shares: k x 2 chi-square; means:
    Welch's ANOVA. Fewer than two usable segments give NaN.
    """
    size = counts["n"] if "n" in counts else counts[["det", "pas", "pro"]].sum(axis=1)
    used = counts[size >= max(min_n, 2 if kind == "mean" else 1)]
    if len(used) < 2:
        return TestResult(nan, nan, nan, df=max(len(used) - 1, 0), method=f"{kind}_omnibus")
    if kind == "nps":
        groups = [tuple(int(v) for v in r) for r in used[["det", "pas", "pro"]].to_numpy()]
        return nps_heterogeneity(groups)
    if kind == "mean":
        return _welch_anova(used)
    table = np.column_stack([used["x"], used["n"] - used["x"]])
    if np.any(table.sum(axis=0) == 0):  # everyone (or no one) satisfied: nothing can differ
        return TestResult(nan, nan, nan, df=len(used) - 1, method="chi2_homogeneity")
    stat = float(chi2_contingency(table, correction=False)[0])
    return TestResult(stat, stat, float(chi2.sf(stat, len(used) - 1)), df=float(len(used) - 1),
                      method="chi2_homogeneity")


def rank_by_bound(table: pd.DataFrame, higher_is_better: bool) -> pd.Series:
    """1 = best by the conservative bound; only segments eligible by n are ranked (§7.3)."""
    ok = table["reliability"].map(eligible).astype(bool)
    bound = (table["ci_low"] if higher_is_better else table["ci_high"]).astype(float)
    bound = bound.fillna(table["value"].astype(float)) * (1.0 if higher_is_better else -1.0)
    return bound.where(ok).rank(ascending=False, method="min")


def _finish(table: pd.DataFrame, higher_is_better: bool) -> pd.DataFrame:
    table = table.copy()
    table["rank"] = rank_by_bound(table, higher_is_better)
    order = table.assign(_r=table["rank"].fillna(math.inf)).sort_values(
        ["_r", "n"], ascending=[True, False], kind="stable")
    # deff / n_eff (METHODS.md §0.1) where the metric has them, so pages can show effective n
    extra = [c for c in ("deff", "n_eff") if c in order]
    return order[[*COLUMNS, *extra]].reset_index(drop=True)


def segment_table(engine: Engine, metric: str, by: str,
                  filters: Filters = Filters()) -> SegmentAnalysis:
    """Each value of ``by`` against the rest of the data in scope, for one catalog metric."""
    mdef = get_metric(metric)
    query = MetricQuery(metric=metric, filters=filters, by=(by,))
    kind, unit = comparison_kind(mdef), mdef.unit.value
    if kind is None:
        return _uncompared(engine, query, mdef.label, unit, mdef.higher_is_better)
    mixed = mixed_scale_note(engine, query, mdef)
    if mixed:
        return _uncompared(engine, query, mdef.label, unit, mdef.higher_is_better, mixed)
    stats = engine.sufficient(query)
    total = population_counts(engine, query) if by == THEME else None
    return compare_segments(query, stats, engine.settings.confidence,
                            engine.settings.thresholds, total)


def population_counts(engine: Engine, query: MetricQuery) -> pd.Series:
    """Counts of every record with an analysed comment in scope: what "the rest" of a theme is
    taken from (comments mentioning X vs the other comments), one pass without a by-field."""
    mdef = get_metric(query.metric)
    commented = replace(query, by=(), filters=query.filters.with_values(**{COMMENTED: "true"}))
    stats = engine.sufficient(commented)
    counts = standard_counts(mdef, stats)
    return counts.iloc[0] if len(counts) else pd.Series(0.0, index=counts.columns)


def compare_segments(query: MetricQuery, stats: pd.DataFrame, conf: float,
                     thresholds: Thresholds, total: pd.Series | None = None) -> SegmentAnalysis:
    """Segments vs rest from the engine's per-segment sufficient statistics (no database):
    shown rows, tests, BH badges, ranks, omnibus test and reading. Overlapping segments
    (themes) pass the population's ``total`` counts and get no omnibus test."""
    mdef, by = get_metric(query.metric), query.by[0]
    kind, unit = comparison_kind(mdef), mdef.unit.value
    if kind is None:
        raise ValueError(f"{mdef.name} is a {mdef.type.value} metric: no segment test fits it")
    # finish_rows hides small segments and, for one-way tables, enough others that the hidden
    # ones together reach the privacy floor (cx.metrics.suppress.protect_complement)
    shown = finish_rows(query, mdef, stats, conf, thresholds).rename(columns={by: "segment"})
    # Hidden segments leave every test, "rest" included: a visible segment's difference from a
    # rest that held a hidden one would let the hidden value be solved back (issue 14 item 2).
    visible = ~shown["reliability"].map(hidden).to_numpy(dtype=bool)
    counts = standard_counts(mdef, stats)[visible]
    picked = shown["reliability"][visible].map(eligible).to_numpy(dtype=bool)  # n alone, §7.3
    tests = segments_vs_rest(kind, counts, picked, conf, scale_of(mdef),
                             total).reindex(shown.index)
    tests["badge"] = tests["badge"].fillna("none")
    table = _finish(pd.concat([shown, tests], axis=1), mdef.higher_is_better)
    het = heterogeneity(kind, counts, thresholds.privacy_floor_n) if total is None else None
    if len(table) == 1:  # nothing to compare with: say so plainly (issue 14 item 9)
        note = (f"{by} has one value in scope ({table['segment'].iloc[0]}): there is nothing to "
                "compare it with; widen the filters or pick another dimension.")
        return SegmentAnalysis(query.metric, by, unit, table, het, note, comparable=False,
                               notes=(note,))
    reading = segment_reading(mdef.label, by, unit, table, het, conf)
    return SegmentAnalysis(query.metric, by, unit, table, het, reading)


def _uncompared(engine: Engine, query: MetricQuery, label: str, unit: str,
                higher_is_better: bool, refusal: str | None = None) -> SegmentAnalysis:
    """Quantile, survival and count metrics, or a scope that mixes rating scales (``refusal``):
    values and intervals, no segment-vs-rest test, no badge; mixed scales also get no rank."""
    result = engine.run(query)
    table = result.rows.rename(columns={query.by[0]: "segment"})
    for name in ("diff_vs_rest", "diff_ci_low", "diff_ci_high", "p", "q"):
        table[name] = nan
    table["badge"] = "none"
    table = _finish(table, higher_is_better)
    note = refusal or (f"{label} is a {result.metric.type.value} metric: segments are not "
                       "compared with the rest by a significance test here; compare their "
                       "intervals instead.")
    if refusal:
        table["rank"] = nan
    reading = refusal or uncompared_reading(label, query.by[0], table)
    return SegmentAnalysis(query.metric, query.by[0], unit, table, None, reading,
                           comparable=False, notes=(note,) + result.notes)
