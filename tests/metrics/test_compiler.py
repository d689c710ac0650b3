"""Query -> sqlglot tree: parameters, extra dimensions, time zones, engine-specific rendering."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

from cx.config import Settings
from cx.domain import DateRange, Filters, Grain
from cx.metrics import Engine, MetricQuery, get_metric
from cx.metrics.compiler import utc_bounds
from cx.metrics.dialects import DIALECTS
from cx.metrics.plans import plan_for
from cx.storage import FieldInfo, Store, add_extra_field
from tests.metrics.conftest import insert


def test_values_are_bind_parameters_never_sql_text(store: Store, engine: Engine) -> None:
    evil = "x'); DROP TABLE responses; --"
    query = MetricQuery("nps", filters=Filters.of(channel=[evil]))
    statement = plan_for(get_metric("nps")).statement(query, DIALECTS["duckdb"], "UTC")
    assert evil not in statement.sql() and evil in statement.params.values()
    assert engine.run(query).rows["n"].tolist() == [0]
    assert store.table_counts()["responses"] == 0  # the table is still there


def test_extra_dimension_from_a_batch_is_accepted(store: Store, engine: Engine) -> None:
    with store.transaction() as cur:
        add_extra_field(cur, "responses", FieldInfo("responses", "type_of_travel", "dimension",
                                                    True), "b1")
    insert(store, "responses", pd.DataFrame({"response_id": ["a", "b"], "nps": [10, 0],
                                             "submitted_at": dt.datetime(2024, 1, 1),
                                             "type_of_travel": ["Business", "Personal"]}))
    assert "type_of_travel" in engine.dimensions("responses")
    rows = engine.run(MetricQuery("nps", by=("type_of_travel",))).rows
    assert rows["type_of_travel"].tolist() == ["Business", "Personal"]
    assert engine.dimension_values("responses", "type_of_travel",
                                   Filters.of(type_of_travel="Personal")) == ["Personal"]


def test_unknown_field_lists_the_valid_ones(engine: Engine) -> None:
    with pytest.raises(ValueError, match="valid fields: customer_id, ticket_id, channel"):
        engine.explain(MetricQuery("nps", filters=Filters.of(colour="red")))


def test_weeks_start_monday_in_the_reporting_zone(store: Store, settings: Settings) -> None:
    # 2024-03-31 22:30 UTC is Monday 2024-04-01 00:30 in Berlin (CEST) but Sunday in UTC
    insert(store, "responses", pd.DataFrame({"response_id": ["a"], "nps": [9],
                                             "submitted_at": [dt.datetime(2024, 3, 31, 22, 30)]}))
    berlin = Engine(store, replace(settings, tz="Europe/Berlin"))
    utc = Engine(store, replace(settings, tz="UTC"))
    week = MetricQuery("responses", grain=Grain.WEEK)
    assert berlin.run(week).rows["period"].tolist() == [dt.date(2024, 4, 1)]
    assert utc.run(week).rows["period"].tolist() == [dt.date(2024, 3, 25)]
    quarter = MetricQuery("responses", grain=Grain.QUARTER)
    assert berlin.run(quarter).rows["period"].tolist() == [dt.date(2024, 4, 1)]
    day = Filters.of(DateRange(dt.date(2024, 4, 1), dt.date(2024, 4, 1)))
    assert berlin.run(MetricQuery("responses", filters=day)).rows["value"].tolist() == [1.0]
    assert utc.run(MetricQuery("responses", filters=day)).rows["value"].tolist() == [0.0]


def test_date_bounds_convert_local_days_to_utc() -> None:
    start, end = utc_bounds(DateRange(dt.date(2024, 7, 1), dt.date(2024, 7, 31)), "Europe/Berlin")
    assert (start, end) == (dt.datetime(2024, 6, 30, 22), dt.datetime(2024, 7, 31, 22))


def test_spark_rendering_uses_its_exact_quantile_and_zone_function() -> None:
    query = MetricQuery("frt_p90", by=("channel",), grain=Grain.WEEK)
    spark = plan_for(get_metric("frt_p90")).statement(query, DIALECTS["spark"], "Europe/Berlin")
    sql = spark.sql("spark")
    assert "PERCENTILE(" in sql and "FROM_UTC_TIMESTAMP" in sql and "QUANTILE_CONT" not in sql
    assert "GROUP BY `channel`, `period`" in sql  # explicit keys, no GROUP BY ALL


def test_explain_matches_the_sql_run(engine: Engine) -> None:
    query = MetricQuery("csat", by=("region",))
    assert engine.run(query).sql == engine.explain(query, pretty=False)
