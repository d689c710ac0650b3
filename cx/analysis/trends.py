"""A metric over time: series with CI bands, period-over-period change, p-chart (METHODS.md §8).

One engine pass with a grain gives per-period sufficient statistics; each period's change is
tested against the previous period with the kind's two-group test (§8.1). Share metrics also get
a p-chart (§8.2) whose limits come from a baseline that excludes the week being judged:
"others" (default) = every other period in view, so one special-cause week cannot widen its own
limits; "trailing" = up to 12 periods before it (phase I then phase II); "all" = the textbook
chart with every period in the centre line (METHODS.md SPC-1).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
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
from cx.analysis.readings import change_reading, trend_reading
from cx.domain import DateRange, Filters, Grain
from cx.metrics import Engine, MetricQuery, get_metric
from cx.metrics.compiler import next_period
from cx.stats.control import p_chart
from cx.stats.reliability import eligible, hidden

BASELINES = ("others", "trailing", "all")
TRAILING_PERIODS = 12
CHANGE_COLUMNS = ("change", "change_ci_low", "change_ci_high", "change_p")
CONTROL_COLUMNS = ("period", "p", "n", "lcl", "ucl", "centre", "out_of_control", "side",
                   "baseline_periods", "status")
# Fewest baseline periods with answers before limits are drawn (METHODS.md §8.2 asks 8-12 for
# phase I; below 5 the centre line is too unsettled to call any period in or out of control).
MIN_BASELINE_PERIODS = 5


@dataclass(frozen=True, eq=False)
class TrendAnalysis:
    metric: str
    grain: str
    unit: str
    table: pd.DataFrame  # period, value, n, ci_low, ci_high, reliability, change, ...
    control: pd.DataFrame | None  # p-chart rows (share metrics only)
    reading: str
    notes: tuple[str, ...] = field(default_factory=tuple)
    comparable: bool = True  # False: periods are not tested against each other (see notes)

    def to_dict(self) -> dict[str, Any]:
        control = None if self.control is None else self.control.to_dict(orient="records")
        return {"metric": self.metric, "grain": self.grain, "unit": self.unit,
                "reading": self.reading, "notes": list(self.notes),
                "comparable": self.comparable,
                "rows": self.table.to_dict(orient="records"), "control": control}


@dataclass(frozen=True)
class PeriodChange:
    """One period against the one before it (a week-over-week badge is one test of §7.2)."""

    metric: str
    unit: str
    period: dt.date
    previous: dt.date
    value: float
    previous_value: float
    n: int
    previous_n: int
    change: float
    ci_low: float
    ci_high: float
    p: float
    significant: bool
    comparable: bool
    reading: str


def _as_date(value: Any) -> dt.date:
    return pd.Timestamp(value).date()


def control_chart(periods: pd.Series, x: np.ndarray, n: np.ndarray, baseline: str = "others",
                  privacy_floor: int = 0, hide: np.ndarray | None = None) -> pd.DataFrame:
    """p-chart rows; each period judged against limits from its baseline (module docstring).

    A baseline with fewer than MIN_BASELINE_PERIODS periods gives no limits (status "too few
    periods"), never "in control". A period below ``privacy_floor`` answers is hidden: no share,
    no limits, and it stays out of every baseline, so no centre line lets its share be solved;
    ``hide`` marks further periods the table hides (secondary suppression), treated the same.
    """
    if baseline not in BASELINES:
        raise ValueError(f"baseline must be one of {', '.join(BASELINES)}, got {baseline!r}")
    k = len(x)
    usable = n >= max(privacy_floor, 1)
    if hide is not None:
        usable &= ~np.asarray(hide, dtype=bool)
    rows = []
    for i in range(k):
        mask = usable.copy()
        if baseline == "trailing":
            mask[i:] = False
            mask[:max(0, i - TRAILING_PERIODS)] = False
        elif baseline == "others":
            mask[i] = False
        used = int(mask.sum())
        if not usable[i]:
            rows.append((math.nan, int(n[i]), math.nan, math.nan, math.nan, False, "", used,
                         "suppressed" if n[i] else "no data"))
        elif used < MIN_BASELINE_PERIODS:
            rows.append((float(x[i] / n[i]), int(n[i]), math.nan, math.nan, math.nan, False, "",
                         used, f"too few periods for limits ({used} of {MIN_BASELINE_PERIODS})"))
        else:
            pt = p_chart(x, n, baseline=mask)[i]
            status = {"low": "below the lower limit", "high": "above the upper limit"}.get(
                pt.side, "in control")
            rows.append((pt.p, pt.n, pt.lcl, pt.ucl, pt.centre, pt.out_of_control, pt.side,
                         used, status))
    out = pd.DataFrame(rows, columns=list(CONTROL_COLUMNS[1:]))
    out.insert(0, "period", list(periods))
    return out


def _changes(kind: str, counts: pd.DataFrame, conf: float, scale: float,
             tiers: pd.Series) -> pd.DataFrame:
    """Each period minus the one before; none where either side is hidden (a change from a
    shown value would give the hidden one back)."""
    rows = [(math.nan,) * 4]
    for i in range(1, len(counts)):
        if hidden(tiers.iloc[i]) or hidden(tiers.iloc[i - 1]):
            rows.append((math.nan,) * 4)
            continue
        res = compare(kind, counts.iloc[i].to_dict(), counts.iloc[i - 1].to_dict(), conf, scale)
        rows.append((res.estimate, res.ci_low, res.ci_high, res.p))
    return pd.DataFrame(rows[: len(counts)], columns=list(CHANGE_COLUMNS), index=counts.index)


def trend_analysis(engine: Engine, metric: str, grain: str | Grain = Grain.WEEK,
                   filters: Filters = Filters(), baseline: str = "others") -> TrendAnalysis:
    """Series of ``metric`` per period with change tests and, for shares, a p-chart."""
    mdef, grain = get_metric(metric), Grain(grain)
    query = MetricQuery(metric=metric, filters=filters, grain=grain)
    kind, unit = comparison_kind(mdef), mdef.unit.value
    mixed = mixed_scale_note(engine, query, mdef) if kind else None
    if kind is None or mixed:
        rows = engine.run(query).rows
        table = rows.assign(**{c: math.nan for c in CHANGE_COLUMNS})
        note = mixed or "no period-over-period test fits this kind of metric"
        return TrendAnalysis(metric, grain.value, unit, table, None,
                             mixed or trend_reading(mdef.label, unit, table, None), (note,),
                             comparable=False)
    stats = engine.sufficient(query)
    shown = display_rows(engine, query, mdef, stats)
    counts = standard_counts(mdef, stats)
    table = pd.concat([shown, _changes(kind, counts, engine.settings.confidence,
                                       scale_of(mdef), shown["reliability"])], axis=1)
    control = None
    if kind == "share" and len(stats):
        control = control_chart(shown["period"], counts["x"].to_numpy(float),
                                counts["n"].to_numpy(float), baseline,
                                engine.settings.thresholds.privacy_floor_n,
                                shown["reliability"].map(hidden).to_numpy(dtype=bool))
    return TrendAnalysis(metric, grain.value, unit, table, control,
                         trend_reading(mdef.label, unit, table, control))


def period_change(engine: Engine, metric: str, start: dt.date, grain: str | Grain = Grain.WEEK,
                  filters: Filters = Filters()) -> PeriodChange:
    """The period starting ``start`` against the previous one; other filters kept, dates set."""
    mdef, grain = get_metric(metric), Grain(grain)
    previous = _previous_start(start, grain)
    dates = DateRange(previous, next_period(start, grain) - dt.timedelta(days=1))
    scoped = replace(filters, dates=dates)
    trend = trend_analysis(engine, metric, grain, scoped, baseline="all")
    rows = {_as_date(p): r for p, r in zip(trend.table["period"], trend.table.to_dict("records"))}
    cur, old = rows.get(start, {}), rows.get(previous, {})
    kind = comparison_kind(mdef)
    change: tuple[float, float, float, float] = (math.nan,) * 4
    if cur and old:
        change = (cur["change"], cur["change_ci_low"], cur["change_ci_high"], cur["change_p"]) \
            if kind else (cur["value"] - old["value"], math.nan, math.nan, math.nan)
    ok = eligible(cur.get("reliability", "")) and eligible(old.get("reliability", ""))
    significant = bool(ok and math.isfinite(change[3])
                       and change[3] < 1.0 - engine.settings.confidence)
    value, prev_value = cur.get("value", math.nan), old.get("value", math.nan)
    reading = change_reading(mdef.label, mdef.unit.value, grain.value, value, prev_value,
                             change, significant, kind is not None, engine.settings.confidence)
    return PeriodChange(metric, mdef.unit.value, start, previous, value, prev_value,
                        int(cur.get("n", 0)), int(old.get("n", 0)), *change, significant,
                        kind is not None, reading)


def week_over_week(engine: Engine, metric: str, week_start: dt.date,
                   filters: Filters = Filters()) -> PeriodChange:
    """ISO week starting ``week_start`` (a Monday) against the week before (§8.1)."""
    if week_start.weekday() != 0:
        raise ValueError(f"week_start must be a Monday, got {week_start} ({week_start:%A})")
    return period_change(engine, metric, week_start, Grain.WEEK, filters)


def _previous_start(start: dt.date, grain: Grain) -> dt.date:
    """The start of the period before ``start`` (a period start of ``grain``)."""
    if grain in (Grain.DAY, Grain.WEEK):
        return start - dt.timedelta(days=1 if grain is Grain.DAY else 7)
    back = 1 if grain is Grain.MONTH else 3
    month = start.month - 1 - back
    return dt.date(start.year + month // 12, month % 12 + 1, 1)
