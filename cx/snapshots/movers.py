"""Top movers: segments whose week-over-week change is significant after BH correction.

The family is every (metric, dimension, segment) change that could be tested with reportable
n in both weeks (eligible tiers, decided from n alone, METHODS.md §7.3); q-values are Benjamini–Hochberg over that whole
family, so looking at many segments does not manufacture movers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from cx.analysis.compare import compare, comparison_kind, mixed_scale_note, scale_of
from cx.metrics import Engine, MetricQuery, get_metric
from cx.snapshots.build import clean, span_filters, weekly
from cx.snapshots.week import IsoWeek
from cx.stats.multiplicity import adjust_pvalues
from cx.stats.reliability import eligible

MOVER_METRICS = ("nps", "csat", "ces")
MOVER_DIMENSIONS = ("channel", "region", "product", "segment")
TOP_MOVERS = 5


def _row(frame: pd.DataFrame, week: IsoWeek, dim: str, value: Any) -> pd.Series | None:
    hit = frame[(frame["week"] == str(week)) & (frame[dim] == value)]
    return None if hit.empty else hit.iloc[0]


def _candidates(engine: Engine, metric: str, dim: str, week: IsoWeek,
                as_of: dt.datetime) -> list[dict[str, Any]]:
    mdef = get_metric(metric)
    shown, counts = weekly(engine, metric, week.previous(), week, as_of, by=(dim,))
    if counts is None:
        return []
    out = []
    for value in sorted(shown.loc[shown["week"] == str(week), dim].dropna().unique(), key=str):
        now, before = _row(shown, week, dim, value), _row(shown, week.previous(), dim, value)
        if now is None or before is None or not (eligible(now["reliability"])
                                                 and eligible(before["reliability"])):
            continue
        a = _row(counts, week, dim, value).drop(["week", dim]).to_dict()
        b = _row(counts, week.previous(), dim, value).drop(["week", dim]).to_dict()
        res = compare(_kind(metric), a, b, engine.settings.confidence, scale_of(mdef))
        out.append(clean({
            "metric": metric, "label": mdef.label, "unit": mdef.unit.value,
            "higher_is_better": mdef.higher_is_better, "dimension": dim, "segment": str(value),
            "value": now["value"], "n": now["n"], "previous": before["value"],
            "previous_n": before["n"], "diff": res.estimate, "ci_low": res.ci_low,
            "ci_high": res.ci_high, "p": res.p}))
    return out


def _kind(metric: str) -> str:
    kind = comparison_kind(get_metric(metric))
    if kind is None:
        raise ValueError(f"{metric} cannot be a mover metric: no two-group test fits it")
    return kind


def top_movers(engine: Engine, week: IsoWeek, as_of: dt.datetime,
               dimensions: tuple[str, ...] = MOVER_DIMENSIONS) -> dict[str, Any]:
    """Significant segment changes, strongest evidence first (q, then size of the change)."""
    family = []
    for metric in MOVER_METRICS:
        span = MetricQuery(metric, span_filters(week.previous(), week))
        if mixed_scale_note(engine, span, get_metric(metric)):
            continue  # segments on different scales are never compared (issue 14 item 1)
        available = set(engine.dimensions(get_metric(metric).table))
        for dim in (d for d in dimensions if d in available):
            family += _candidates(engine, metric, dim, week, as_of)
    family = [c for c in family if c["p"] is not None]
    qs = adjust_pvalues([c["p"] for c in family], "bh") if family else []
    alpha = 1.0 - engine.settings.confidence
    for c, q in zip(family, qs):
        c["q"] = float(q)
    movers = sorted((c for c in family if c["q"] < alpha),
                    key=lambda c: (c["q"], -abs(c["diff"]), c["metric"], c["dimension"],
                                   c["segment"]))
    return {"tested": len(family), "dimensions": list(dimensions), "metrics": list(MOVER_METRICS),
            "rows": movers[:TOP_MOVERS], "significant": len(movers)}
