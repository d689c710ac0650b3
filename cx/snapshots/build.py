"""Compute a week's snapshot into a plain JSON-ready dict (deterministic ordering, no NaN).

Why a plain dict: it is stored as JSON once and rendered many times (page, HTML, PDF, e-mail)
long after the code that built it may have changed, so the payload carries every number, label
and unit its renderers need, and nothing they would have to recompute.

Rules (documented on the page and in README):
- the week is Monday–Sunday in Settings.tz; open tickets are aged at the week's end, so the
  numbers do not depend on when the snapshot was built;
- the change is this week minus the previous week recomputed from the same data (both sides see
  the same batches), tested as in METHODS.md §8.1; the headline tests form one family and a
  change is called significant when its Benjamini–Hochberg q < 1 − confidence;
- quantiles (FRT, TTR medians) and volumes show their change without a test;
- the control status is CSAT's p-chart (§8.2); each week's p̄ and limits come from the 12 weeks
  before it (cx.analysis.trends, baseline "trailing"), so a bad week cannot widen its own limits.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from cx.analysis.compare import (
    comparison_kind,
    compare,
    display_rows,
    mixed_scale_note,
    scale_of,
    standard_counts,
)
from cx.analysis.trends import control_chart
from cx.domain import DateRange, Filters, Grain
from cx.metrics import Engine, MetricQuery, get_metric
from cx.snapshots.week import IsoWeek
from cx.stats.multiplicity import adjust_pvalues
from cx.stats.reliability import eligible

HEADLINES = ("nps", "csat", "ces", "frt_median", "ttr_median", "churn_rate", "responses",
             "tickets")
HISTORY_WEEKS = 12  # shown on the page and in the report
BASELINE_WEEKS = 12  # phase I of the control chart: the weeks before the snapshot week
CONTROL_METRIC = "csat"
VALUE_KEYS = ("value", "n", "ci_low", "ci_high", "reliability")


def clean(value: Any) -> Any:
    """JSON-ready: NaN/inf -> None, numpy scalars -> Python, dates -> ISO text, recursively."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def span_filters(first: IsoWeek, last: IsoWeek, filters: Filters = Filters()) -> Filters:
    return Filters(DateRange(first.monday, last.sunday), filters.values)


def weekly(engine: Engine, metric: str, first: IsoWeek, last: IsoWeek, as_of: dt.datetime,
           by: tuple[str, ...] = ()) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Display rows (value, n, CI, tier) and, for testable metrics, the kind's counts, per week.

    Both frames carry a 'week' column ('2026-W41'); the counts frame also the by-fields.
    """
    mdef = get_metric(metric)
    query = MetricQuery(metric, span_filters(first, last), by=by, grain=Grain.WEEK, as_of=as_of)
    if comparison_kind(mdef) is None:
        shown = engine.run(query).rows.copy()
        shown["week"] = [str(IsoWeek.of(p)) for p in shown["period"]]
        return shown, None
    stats = engine.sufficient(query)  # one pass: display rows and tests from the same counts
    shown = display_rows(engine, query, mdef, stats)
    shown["week"] = [str(IsoWeek.of(p)) for p in shown["period"]]
    counts = standard_counts(mdef, stats)
    counts["week"] = [str(IsoWeek.of(p)) for p in stats["period"]]
    for name in by:
        counts[name] = stats[name].to_numpy()
    return shown, counts


def _point(rows: pd.DataFrame, week: IsoWeek) -> dict[str, Any]:
    hit = rows[rows["week"] == str(week)]
    if hit.empty:
        return {"value": None, "n": 0, "ci_low": None, "ci_high": None, "reliability": "no_data"}
    return clean({k: hit.iloc[0][k] for k in VALUE_KEYS})


def _counts_of(counts: pd.DataFrame, week: IsoWeek) -> dict[str, float]:
    hit = counts[counts["week"] == str(week)].drop(columns=["week"])
    return {k: float(v) for k, v in hit.sum(numeric_only=True).items()}


def _change(metric: str, this: dict, prev: dict, counts: pd.DataFrame | None,
            week: IsoWeek, conf: float) -> dict[str, Any]:
    """The difference this − previous; with CI, p and the test's name when a test fits."""
    diff = None if this["value"] is None or prev["value"] is None else this["value"] - prev["value"]
    out = {"diff": diff, "ci_low": None, "ci_high": None, "p": None, "q": None,
           "significant": False, "test": None}
    mdef = get_metric(metric)
    kind = comparison_kind(mdef)
    if counts is None or kind is None or diff is None:
        return out
    res = compare(kind, _counts_of(counts, week), _counts_of(counts, week.previous()), conf,
                  scale_of(mdef))
    out.update(clean({"ci_low": res.ci_low, "ci_high": res.ci_high, "p": res.p,
                      "test": res.method}))
    return out


def _control(counts: pd.DataFrame, week: IsoWeek, privacy_floor: int,
             shown: pd.DataFrame) -> dict[str, Any]:
    """p-chart (METHODS.md §8.2): each week judged against the 12 weeks before it ("trailing");
    too few baseline weeks say so, and hidden weeks (small n, or hidden by the weekly table's
    complement rule in ``shown``) show neither share nor limits."""
    weeks = [week.shift(-k) for k in range(BASELINE_WEEKS, -1, -1)]
    sums = [_counts_of(counts, w) for w in weeks]
    x = np.array([c.get("x", 0.0) for c in sums])
    n = np.array([c.get("n", 0.0) for c in sums])
    if n[:-1].sum() == 0 or n[-1] == 0:
        return {"status": "no data", "out_of_control": False, "points": []}
    gone = set(shown.loc[shown["reliability"] == "suppressed", "week"])
    chart = control_chart(pd.Series([str(w) for w in weeks]), x, n, baseline="trailing",
                          privacy_floor=privacy_floor, hide=np.array([str(w) in gone
                                                                      for w in weeks]))
    rows = clean(chart.rename(columns={"period": "week"}).to_dict(orient="records"))
    rows = rows[-HISTORY_WEEKS:]
    last = rows[-1]
    return {"status": last["status"], "out_of_control": last["out_of_control"],
            "lcl": last["lcl"], "ucl": last["ucl"], "centre": last["centre"], "points": rows}


def headline_point(engine: Engine, metric: str, week: IsoWeek,
                   as_of: dt.datetime) -> dict[str, Any]:
    """The week's value as ``metric_block`` reports it: from the same 13-week weekly table, so
    the same weeks are hidden by the complement rule (a check that recomputed the week alone
    would see a value the snapshot hid, and call an unchanged week "restated")."""
    return _point(weekly(engine, metric, week.shift(-BASELINE_WEEKS), week, as_of)[0], week)


def metric_block(engine: Engine, metric: str, week: IsoWeek, as_of: dt.datetime) -> dict[str, Any]:
    """One headline metric: this week, the previous week, the change, 12 weeks of history."""
    mdef = get_metric(metric)
    first = week.shift(-BASELINE_WEEKS)
    shown, counts = weekly(engine, metric, first, week, as_of)
    mixed = mixed_scale_note(engine, MetricQuery(metric, span_filters(first, week)), mdef) \
        if counts is not None else None
    this, prev = _point(shown, week), _point(shown, week.previous())
    history = [{"week": str(w), **_point(shown, w)}
               for w in (week.shift(-k) for k in range(HISTORY_WEEKS - 1, -1, -1))]
    block = {"name": metric, "label": mdef.label, "unit": mdef.unit.value,
             "higher_is_better": mdef.higher_is_better, **this, "previous": prev,
             "change": _change(metric, this, {**prev, "value": None} if mixed else prev,
                               counts, week, engine.settings.confidence),
             "history": history, "control": None, "comparable": mixed is None, "note": mixed}
    if metric == CONTROL_METRIC and counts is not None and not mixed:
        block["control"] = _control(counts, week, engine.settings.thresholds.privacy_floor_n,
                                    shown)
    return block


def flag_significance(blocks: list[dict[str, Any]], conf: float) -> None:
    """BH over the headline tests that ran (one family, METHODS.md §7.2 / §8.1), in place.

    A week below the reportable n (§7.3: eligibility from n alone) gets no badge, so it does not
    join the family either.
    """
    tested = [b for b in blocks if b["change"]["p"] is not None
              and eligible(b["reliability"]) and eligible(b["previous"]["reliability"])]
    qs = adjust_pvalues([b["change"]["p"] for b in tested], "bh") if tested else []
    for block, q in zip(tested, qs):
        block["change"]["q"] = float(q)
        block["change"]["significant"] = bool(q < 1.0 - conf)
