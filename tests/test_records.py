"""The explorer query: paging, search (LIKE wildcards literal), sorting, filters, drill-down URL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from cx.config import load_settings
from cx.domain import DateRange, Filters, Grain
from cx.views.records import (
    Drill,
    RecordQuery,
    data_version,
    drill_from_params,
    fetch_records,
    filter_fields,
    period_dates,
)
from cx.storage import Store

ROWS = pd.DataFrame({
    "response_id": [f"R{i:02d}" for i in range(1, 13)],
    "submitted_at": pd.to_datetime([f"2026-03-{d:02d} 10:00" for d in range(1, 13)]),
    "channel": ["chat", "email", "phone"] * 4,
    "nps": [10, 9, 0, 6, 7, 8, 10, 3, 5, 9, 2, 1],
    "comment": ["fast", "=HYPERLINK(1)", "100% fine", "slow_ish", None, "FAST!", "ok", "meh",
                "fine", "x", "y", "z"],
})


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "r.duckdb")
    with s.cursor() as cur:
        cur.register("src", ROWS)
        cur.execute("INSERT INTO responses BY NAME SELECT * FROM src")
    return s


def page(store: Store, **kw: object) -> tuple[list[str], int]:
    result = fetch_records(store, load_settings(), RecordQuery("responses", **kw))
    return list(result.rows["response_id"]), result.total


def test_paging_newest_first(store: Store) -> None:
    # 12 rows, 5 per page: page 3 holds the 2 oldest (submitted 2 and 1 March)
    assert page(store, page_size=5, page=3) == (["R02", "R01"], 12)
    assert page(store, page_size=5)[0] == ["R12", "R11", "R10", "R09", "R08"]


def test_search_is_case_insensitive_and_wildcards_are_literal(store: Store) -> None:
    assert page(store, search="fast", descending=False) == (["R01", "R06"], 2)
    assert page(store, search="100%") == (["R03"], 1)  # '%' is not a wildcard
    assert page(store, search="s_o") == ([], 0)  # a wildcard "_" would match "slo" in slow_ish
    assert page(store, search="w_ish") == (["R04"], 1)


def test_sort_and_filters_use_the_engine_filter(store: Store) -> None:
    f = Filters.of(DateRange(dt.date(2026, 3, 4), dt.date(2026, 3, 9)), channel=["chat", "phone"])
    # chat/phone on 4..9 March: R04 (chat, 6), R06 (phone, 8), R07 (chat, 10), R09 (phone, 5)
    assert page(store, filters=f, sort="nps") == (["R07", "R06", "R04", "R09"], 4)


def test_bad_sort_field_and_page_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="cannot sort"):
        page(store, sort="no_such")
    with pytest.raises(ValueError, match="page must be"):
        RecordQuery("responses", page=0)
    with pytest.raises(ValueError, match="unknown filter field"):
        page(store, filters=Filters.of(team="a"))  # responses have no team


def test_drill_round_trip_through_url_params() -> None:
    drill = Drill("tickets", Filters.of(DateRange(dt.date(2026, 11, 16), dt.date(2026, 11, 22)),
                                        channel="chat", region=["EU", "US"]))
    params = {k: v if isinstance(v, list) else [v] for k, v in drill.to_params().items()}
    assert drill_from_params(params) == drill
    assert drill_from_params({"drill_table": ["nope"]}) is None
    assert drill_from_params({"drill_table": ["tickets"], "drill_from": ["31-12-2026"]}) is None


def test_a_drill_names_its_metric_and_says_when_n_counts_otherwise() -> None:
    week = Filters.of(DateRange(dt.date(2026, 11, 16), dt.date(2026, 11, 22)))
    drill = Drill("responses", week, "csat")
    params = {k: v if isinstance(v, list) else [v] for k, v in drill.to_params().items()}
    assert drill_from_params(params) == drill
    assert drill.describe() == "those counted in CSAT (top-2-box)"
    churn = Drill("customers", week, "churn_rate").describe()
    assert churn == "all of them (Churn rate counts its n by its own rule)"
    # a metric of another table, or none of the catalog: no drill-down
    assert drill_from_params({**params, "drill_metric": ["frt_median"]}) is None
    assert drill_from_params({**params, "drill_metric": ["nope"]}) is None


def test_period_dates_are_clipped_to_the_range() -> None:
    # the week of Monday 2026-09-28 inside a range starting Thursday 1 October
    within = DateRange(dt.date(2026, 10, 1), dt.date(2026, 11, 22))
    assert period_dates("2026-09-28", Grain.WEEK, within) == DateRange(dt.date(2026, 10, 1),
                                                                       dt.date(2026, 10, 4))
    assert period_dates("2026-11-16", Grain.WEEK, within) == DateRange(dt.date(2026, 11, 16),
                                                                       dt.date(2026, 11, 22))


def test_filter_fields_and_data_version(store: Store) -> None:
    fields = filter_fields(store, ("channel", "team", "plan"))
    assert fields == {"channel": ("responses", "tickets"), "team": ("tickets",),
                      "plan": ("customers",)}
    before = data_version(store)
    with store.cursor() as cur:
        cur.execute("INSERT INTO batches (batch_id, source, table_name, created_at) "
                    "VALUES ('b1', 'upload', 'responses', TIMESTAMP '2026-03-20 10:00')")
    assert data_version(store) != before
