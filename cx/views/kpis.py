"""Headline KPI tiles: value, interval, n, change against the previous period and its test.

Why here and not in a page: the comparison picks a test per metric type (adjusted-Wald for NPS,
Newcombe/score for shares and churn, Welch for means, through cx.analysis.compare) and must be
unit-tested. Medians (FRT, TTR) get no test: the change is shown with both intervals, and
`tested` says no test was run.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from collections.abc import Sequence
from typing import Any

import pandas as pd

from cx.domain import DateRange, Filters, Grain
from cx.analysis.compare import comparison_kind, display_rows, scale_of, standard_counts
from cx.analysis.compare import compare as compare_groups
from cx.metrics import Engine, MetricQuery
from cx.metrics.validate import get_metric
from cx.stats.multiplicity import adjust_pvalues
from cx.stats.reliability import eligible, hidden
from cx.stats.types import TestResult

# PRODUCT/issue 7: the Overview's six tiles.
OVERVIEW_METRICS = ("nps", "csat", "ces", "frt_median", "ttr_median", "churn_rate")
SPARK_WEEKS = 12
ALPHA = 0.05


@dataclass(frozen=True)
class Tile:
    metric: str
    label: str
    unit: str
    higher_is_better: bool
    help: str
    value: float
    n: int
    ci_low: float
    ci_high: float
    reliability: str
    previous: float
    change: float  # value - previous (NPS points, share fraction, hours ...)
    p: float  # NaN when untested or not testable
    tested: bool
    spark: tuple[float, ...]
    period: DateRange
    previous_period: DateRange | None
    in_family: bool = False  # tested with both periods eligible by n (§7.3): joins the BH family
    q: float = math.nan  # Benjamini–Hochberg over the tiles shown together (see ``tiles``)
    deff: float = 1.0  # design effect of the period's value (METHODS.md §0.1); 1 = no repeats
    n_eff: float = math.nan  # effective n = n / deff

    @property
    def significant(self) -> bool:
        """✱: q < 0.05 with BH over the tiles' tests, the same rule as the weekly snapshot."""
        return self.in_family and not math.isnan(self.q) and self.q < ALPHA


def tiles(engine: Engine, names: Sequence[str], filters: Sequence[Filters]) -> list[Tile]:
    """The Overview's tiles with q-values: Benjamini–Hochberg over every tile whose change was
    tested with both periods eligible (one family, as cx.snapshots.build.flag_significance)."""
    return flag_tiles([tile(engine, name, f) for name, f in zip(names, filters, strict=True)])


def flag_tiles(tiles_shown: list[Tile]) -> list[Tile]:
    """q-values by Benjamini–Hochberg over the family of tiles shown together."""
    out = list(tiles_shown)
    family = [i for i, t in enumerate(out) if t.in_family and math.isfinite(t.p)]
    qs = adjust_pvalues([out[i].p for i in family], "bh") if family else []
    for i, q in zip(family, qs):
        out[i] = replace(out[i], q=float(q))
    return out


def previous_period(dates: DateRange) -> DateRange | None:
    """The same number of days just before; None for an open-ended range (nothing to compare)."""
    if dates.start is None or dates.end is None:
        return None
    days = (dates.end - dates.start).days + 1
    return DateRange(dates.start - dt.timedelta(days=days), dates.start - dt.timedelta(days=1))


def _first(rows: pd.DataFrame) -> dict[str, Any]:
    if rows.empty:
        return {"value": math.nan, "n": 0, "ci_low": math.nan, "ci_high": math.nan,
                "reliability": "no_data"}
    return rows.iloc[0].to_dict()


def _num(row: dict[str, Any], key: str) -> int:
    value = row.get(key)
    return 0 if value is None or (isinstance(value, float) and math.isnan(value)) else int(value)


def _float(row: dict[str, Any], key: str, default: float) -> float:
    """A number from a result row; the default where the column is absent or empty."""
    value = row.get(key)
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return default if math.isnan(out) else out


def _period(engine: Engine, query: MetricQuery) -> tuple[dict[str, Any], pd.DataFrame | None]:
    """The period's shown row and, where a two-period test fits, its counts: one query for
    both (the rows are finished from the same statistics, as segments and snapshots do)."""
    metric = get_metric(query.metric)
    if comparison_kind(metric) is None:
        return _first(engine.run(query).rows), None
    stats = engine.sufficient(query)
    return _first(display_rows(engine, query, metric, stats)), standard_counts(metric, stats)


def compare(metric: str, now: pd.DataFrame, before: pd.DataFrame,
            confidence: float) -> TestResult | None:
    """The two-period test for the metric's type (the same one segments and trends use) on
    each period's counts; None where a period has no data."""
    mdef = get_metric(metric)
    kind = comparison_kind(mdef)
    if kind is None or now.empty or before.empty or min(_size(kind, now), _size(kind, before)) < 1:
        return None
    return compare_groups(kind, now.iloc[0].to_dict(), before.iloc[0].to_dict(), confidence,
                          scale_of(mdef))


def _size(kind: str, counts: pd.DataFrame) -> float:
    if kind == "nps":
        return float(counts[["det", "pas", "pro"]].iloc[0].sum())
    return float(counts["n"].iloc[0])


def spark_range(dates: DateRange) -> DateRange | None:
    """Weekly sparkline dates: the period, or at least the last 12 weeks up to its end."""
    if dates.end is None:
        return None
    start = dates.end - dt.timedelta(weeks=SPARK_WEEKS) + dt.timedelta(days=1)
    return DateRange(min(start, dates.start or start), dates.end)


def tile(engine: Engine, metric: str, filters: Filters) -> Tile:
    mdef = get_metric(metric)
    now = MetricQuery(metric=metric, filters=filters)
    row, counts = _period(engine, now)
    prev_dates = previous_period(filters.dates)
    before_row: dict[str, Any] = {"value": math.nan}
    test = None
    if prev_dates is not None:
        before_row, before_counts = _period(
            engine, replace(now, filters=replace(filters, dates=prev_dates)))
        if counts is not None and before_counts is not None and not (
                hidden(str(row["reliability"])) or hidden(str(before_row["reliability"]))):
            test = compare(metric, counts, before_counts, engine.settings.confidence)
    spark: tuple[float, ...] = ()
    spark_dates = spark_range(filters.dates)
    if spark_dates is not None:
        weekly = engine.run(replace(now, filters=replace(filters, dates=spark_dates),
                                    grain=Grain.WEEK))
        spark = tuple(float(v) for v in weekly.rows["value"]) if not weekly.rows.empty else ()
    value, previous = float(row["value"]), float(before_row["value"])
    in_family = test is not None and eligible(str(row["reliability"])) and eligible(
        str(before_row.get("reliability", "")))  # a lone tile is a family of one: q = p
    return Tile(
        metric=metric, label=mdef.label, unit=mdef.unit.value,
        higher_is_better=mdef.higher_is_better, help=mdef.help,
        value=value, n=_num(row, "n"), ci_low=float(row["ci_low"]), ci_high=float(row["ci_high"]),
        reliability=str(row["reliability"]), previous=previous, change=value - previous,
        p=math.nan if test is None else float(test.p), tested=test is not None,
        spark=spark, period=filters.dates, previous_period=prev_dates,
        in_family=in_family, q=float(test.p) if in_family and test is not None else math.nan,
        deff=_float(row, "deff", 1.0), n_eff=_float(row, "n_eff", float(_num(row, "n"))),
    )


def tiles_frame(tiles: list[Tile]) -> pd.DataFrame:
    """The tiles as a table (what the Overview's CSV download holds)."""
    return pd.DataFrame([{
        "metric": t.metric, "label": t.label, "unit": t.unit, "value": t.value, "n": t.n,
        "ci_low": t.ci_low, "ci_high": t.ci_high, "reliability": t.reliability,
        "previous": t.previous, "change": t.change, "p": t.p, "q": t.q,
        "significant": t.significant, "deff": t.deff, "n_eff": t.n_eff,
    } for t in tiles])
