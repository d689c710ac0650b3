"""Spark gives DuckDB's answers: every catalogued metric, the analyses and a weekly snapshot,
on the same demo data (tests/engines/conftest.py), compared by tests/engines/compare.py."""

from __future__ import annotations

import datetime as dt

import pytest

from cx.analysis.correlation import correlation_analysis
from cx.analysis.drivers import key_drivers
from cx.analysis.segments import segment_table
from cx.analysis.trends import trend_analysis
from cx.domain import DateRange, Filters, Grain
from cx.metrics import CATALOG, MetricQuery
from cx.snapshots.service import build_payload
from cx.snapshots.week import IsoWeek
from tests.engines.compare import same

# the last 12 demo weeks (reporting-zone dates): churn needs a closed period, the rest accept it
WINDOW = DateRange(dt.date(2026, 8, 31), dt.date(2026, 11, 22))
# no grouping, two groupings, two grains (Monday weeks, months), one value filter
VARIANTS = (
    ((), None, Filters(dates=WINDOW)),
    (("region",), Grain.WEEK, Filters(dates=WINDOW)),
    (("segment",), Grain.MONTH, Filters.of(dates=WINDOW, region=["Europe"])),
)
COMPARED = 0


@pytest.mark.parametrize("metric", [m.name for m in CATALOG])
def test_every_metric_equal_on_spark(engines, metric: str) -> None:
    duck, spark = engines
    for by, grain, filters in VARIANTS:
        query = MetricQuery(metric, by=by, grain=grain, filters=filters)
        a, b = duck.run(query).rows, spark.run(query).rows
        assert len(a) > 0, f"{metric} {by} {grain}: no rows, nothing compared"
        assert same(a, b, f"{metric} by={by} grain={grain}") == []
        assert a["n"].sum() == b["n"].sum()  # counts equal, not just close


def test_spark_statements_use_exact_percentile(engines) -> None:
    _, spark = engines
    sql = spark.explain(MetricQuery("frt_p90", by=("region",))).lower()
    assert "percentile(" in sql and "approx" not in sql


def test_segments_equal_on_spark(engines) -> None:
    duck, spark = engines
    for metric, by in (("nps", "region"), ("ticket_csat", "channel"), ("churn_rate", "plan")):
        filters = Filters(dates=WINDOW)
        a, b = (segment_table(e, metric, by, filters).to_dict() for e in engines)
        assert same(a, b, f"segments {metric} by {by}") == []


def test_correlation_equal_on_spark(engines) -> None:
    for method in ("spearman", "pearson_log"):
        a, b = (correlation_analysis(e, "tickets", "resolution_hours", "csat", method,
                                     "channel", Filters()).to_dict() for e in engines)
        assert a["n"] > 100
        assert same(a, b, f"correlation {method}") == []


def test_drivers_equal_on_spark(engines) -> None:
    a, b = (key_drivers(e, "responses", "nps", None, Filters(), 7).to_dict() for e in engines)
    assert same(a, b, "drivers") == []


def test_trend_equal_on_spark(engines) -> None:
    for metric, grain in (("nps", "week"), ("ttr_median", "month")):
        a, b = (trend_analysis(e, metric, grain, Filters(), "others").to_dict() for e in engines)
        assert same(a, b, f"trend {metric} {grain}") == []


def test_weekly_snapshot_equal_on_spark(engines) -> None:
    week = IsoWeek.parse("2026-W47")
    a, b = (build_payload(e, week) for e in engines)
    assert a["metrics"], "the snapshot has no metrics"
    said = a["said"]  # what customers said: comment themes published with their batches
    assert said["detractor_comments"] > 0 and said["themes_tested"] > 0
    assert same(a, b, "snapshot 2026-W47") == []
