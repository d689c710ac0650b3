"""A reader with a data scope (cx.auth.scopes; Engine(scope=...)) gets the same numbers on Spark
as on DuckDB: metrics, a segment table, the theme analysis and one weekly snapshot per scope,
on the same demo data (counts exact, estimates within 1e-9 relative: tests/engines/compare.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from cx.analysis.segments import segment_table
from cx.analysis.themes import theme_by_group
from cx.domain import DateRange, Filters, Grain, Scope, clause_of
from cx.metrics import Engine, MetricQuery
from cx.snapshots.service import build_payload
from cx.snapshots.week import IsoWeek
from tests.engines.compare import same

WINDOW = DateRange(dt.date(2026, 8, 31), dt.date(2026, 11, 22))
SCOPES = {
    "europe": Scope((clause_of({"region": ["Europe"]}),)),
    # two clauses (OR), one of them on two fields (AND); customers have no channel, so only
    # the first clause reaches them (a clause on a field a table lacks matches no row)
    "smb in two regions, or chat": Scope((
        clause_of({"region": ["Asia Pacific", "Latin America"], "segment": ["SMB"]}),
        clause_of({"channel": ["chat"]}))),
}
METRICS = (("nps", ("channel",), Grain.WEEK), ("csat", ("region",), None),
           ("ticket_csat", ("priority",), Grain.MONTH), ("ttr_median", ("region",), None),
           ("churn_rate", ("plan",), None))


@pytest.fixture(scope="module", params=list(SCOPES))
def scoped(request, demo_pair, parity_settings) -> tuple[Engine, Engine, Engine]:
    """The scope's engines on DuckDB and Spark, and DuckDB's unscoped one (for the n check)."""
    duck, spark = demo_pair
    scope = SCOPES[request.param]
    return (Engine(duck, parity_settings, scope=scope),
            Engine(spark, parity_settings, scope=scope), Engine(duck, parity_settings))


def test_scoped_metrics_equal_on_spark(scoped) -> None:
    duck, spark, everyone = scoped
    for metric, by, grain in METRICS:
        query = MetricQuery(metric, by=by, grain=grain, filters=Filters(dates=WINDOW))
        a, b = duck.run(query).rows, spark.run(query).rows
        whole = everyone.run(query).rows["n"].sum()
        assert 0 < a["n"].sum() < whole, f"{metric}: the scope does not narrow the rows"
        assert same(a, b, f"{metric} by={by} grain={grain}") == []
        assert a["n"].sum() == b["n"].sum()


def test_scoped_segments_and_themes_equal_on_spark(scoped) -> None:
    duck, spark, _ = scoped
    filters = Filters(dates=WINDOW)
    for metric, by in (("nps", "segment"), ("ticket_csat", "channel")):
        a, b = (segment_table(e, metric, by, filters).to_dict() for e in (duck, spark))
        assert a["rows"], f"segments {metric} by {by}: nothing compared"
        assert same(a, b, f"segments {metric} by {by}") == []
    a, b = (theme_by_group(e, filters) for e in (duck, spark))
    assert len(a) > 0 and same(a, b, "themes by group") == []


def test_scoped_snapshot_equal_on_spark(scoped) -> None:
    duck, spark, _ = scoped
    week = IsoWeek.parse("2026-W47")
    a, b = (build_payload(e, week) for e in (duck, spark))
    assert a["metrics"] and a["scope"] == duck.scope.describe()
    assert same(a, b, f"snapshot 2026-W47 in {a['scope']}") == []
