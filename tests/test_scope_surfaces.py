"""Data scopes on every surface that reads records (issue 16 item 2), on a hand-checkable fixture.

Responses: Europe chat 20 (det 4, pas 6, pro 10), Europe email 20 (8, 6, 6), Asia chat 20
(2, 2, 16), Asia sms 20 (10, 5, 5), America email 10 (0, 0, 10). So Europe alone: 40 answers,
det 12, pro 16, NPS = (16 - 12) / 40 = +10.0; "sms" exists only in Asia.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from cx.analysis.fetch import fetch_rows
from cx.analysis.segments import segment_table
from cx.auth.scopes import NOBODY, stamp
from cx.config import Settings, load_settings
from cx.domain import Filters, Scope, clause_of
from cx.metrics import Engine, MetricQuery
from cx.metrics.compiler import col
from cx.storage import Store
from cx.views import customers as customers_view, tickets as tickets_view
from cx.views.export import records_csv
from cx.views.records import RecordQuery, drill_from_params, fetch_records
from tests.analysis.conftest import load, monday, nps_answers

EUROPE = Scope((clause_of({"region": ["Europe"]}),))
BILLING = Scope((clause_of({"team": ["Billing"]}),))


def _responses() -> pd.DataFrame:
    parts = []
    for region, channel, counts in (("Europe", "chat", (4, 6, 10)), ("Europe", "email", (8, 6, 6)),
                                    ("Asia", "chat", (2, 2, 16)), ("Asia", "sms", (10, 5, 5)),
                                    ("America", "email", (0, 0, 10))):
        answers = nps_answers(*counts)
        parts.append(pd.DataFrame({"region": region, "channel": channel, "nps": answers,
                                   "submitted_at": monday(0)}))
    frame = pd.concat(parts, ignore_index=True)
    frame["response_id"] = [f"R{i:03d}" for i in range(len(frame))]
    frame["customer_id"] = [f"C{i % 10}" for i in range(len(frame))]
    return frame


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "scopes.duckdb")
    load(s, "responses", _responses())
    load(s, "tickets", pd.DataFrame({
        "region": ["Europe"] * 6 + ["Asia"] * 4 + ["Europe"] * 3,
        "team": ["Billing"] * 10 + ["Tech"] * 3, "channel": "chat",
        "opened_at": monday(0), "status": "open"}))
    load(s, "customers", pd.DataFrame({
        "customer_id": [f"C{i}" for i in range(10)],
        "region": ["Europe"] * 5 + ["Asia"] * 5,
        "churned": [True, True, False, False, False, True, False, False, False, False]}))
    return s


@pytest.fixture
def settings(store: Store) -> Settings:
    return load_settings().with_db(store.path)


def _nps(engine: Engine, filters: Filters, by: tuple[str, ...] = ()) -> pd.DataFrame:
    return engine.run(MetricQuery("nps", filters, by=by)).rows


def test_engine_query_in_scope_equals_the_same_where_filter(store: Store,
                                                             settings: Settings) -> None:
    engine = Engine(store, settings)
    scoped = _nps(engine, Filters().within(EUROPE))
    assert scoped["n"].tolist() == [40]
    assert scoped["value"].iloc[0] == pytest.approx(10.0)  # (16 - 12) / 40, hand-counted
    where = _nps(engine, Filters.of(region="Europe"))
    assert scoped[["value", "n", "ci_low", "ci_high"]].equals(where[["value", "n", "ci_low",
                                                                       "ci_high"]])
    assert "$p0" in engine.explain(MetricQuery("nps", Filters().within(EUROPE)))  # bound value
    assert "Europe" not in engine.explain(MetricQuery("nps", Filters().within(EUROPE)))


def test_a_filter_cannot_widen_the_scope(store: Store, settings: Settings) -> None:
    engine = Engine(store, settings)
    assert _nps(engine, Filters.of(region="Asia").within(EUROPE))["n"].tolist() == [0]
    grouped = _nps(engine, Filters.of(region=["Asia", "Europe"]).within(EUROPE), by=("region",))
    assert grouped["region"].tolist() == ["Europe"]


def test_an_engine_with_a_scope_overrides_whatever_scope_a_query_carries(
        store: Store, settings: Settings) -> None:
    engine = Engine(store, settings, scope=EUROPE)
    assert _nps(engine, Filters())["n"].tolist() == [40]
    assert _nps(engine, Filters().within(Scope(((),))))["n"].tolist() == [40]


def test_no_signed_in_person_sees_no_rows(store: Store, settings: Settings) -> None:
    assert _nps(Engine(store, settings), Filters().within(NOBODY))["n"].tolist() == [0]


def test_union_of_two_clauses(store: Store, settings: Settings) -> None:
    both = Scope((clause_of({"region": ["America"]}), clause_of({"channel": ["sms"]})))
    rows = _nps(Engine(store, settings), Filters().within(both), by=("region",))
    assert dict(zip(rows["region"], rows["n"])) == {"America": 10, "Asia": 20}


def test_sidebar_values_list_nothing_outside_the_scope(store: Store, settings: Settings) -> None:
    engine = Engine(store, settings)
    assert engine.dimension_values("responses", "channel") == ["chat", "email", "sms"]
    assert engine.dimension_values("responses", "channel", Filters().within(EUROPE)) == [
        "chat", "email"]
    assert engine.dimension_values("responses", "region", Filters().within(EUROPE)) == ["Europe"]
    assert Engine(store, settings, scope=EUROPE).dimension_values("tickets", "team") == [
        "Billing", "Tech"]
    assert Engine(store, settings, scope=BILLING).dimension_values("tickets", "region") == [
        "Asia", "Europe"]


def test_explorer_page_and_total_stay_in_scope(store: Store, settings: Settings) -> None:
    page = fetch_records(store, settings, RecordQuery("responses", Filters().within(EUROPE),
                                                      page_size=500))
    assert page.total == 40 and set(page.rows["region"]) == {"Europe"}
    wide = fetch_records(store, settings, RecordQuery("responses", page_size=500))
    assert wide.total == 90  # the same query without a scope sees every row


def test_export_csv_holds_only_rows_in_scope(store: Store, settings: Settings) -> None:
    query = RecordQuery("responses", Filters().within(EUROPE), page_size=7)
    frame = pd.read_csv(io.BytesIO(records_csv(store, settings, query)), encoding="utf-8-sig")
    assert len(frame) == 40 and set(frame["region"]) == {"Europe"}


def test_drill_down_from_a_tampered_url_shows_nothing_outside_the_scope(
        store: Store, settings: Settings) -> None:
    drill = drill_from_params({"drill_table": ["responses"], "drill_f_region": ["Asia"]})
    assert drill is not None
    query = stamp(RecordQuery(drill.table, drill.filters), EUROPE)  # what cx.ui.cached does
    assert fetch_records(store, settings, query).total == 0
    unstamped = fetch_records(store, settings, RecordQuery(drill.table, drill.filters))
    assert unstamped.total == 40  # the same link without a scope does reach Asia


def test_segments_show_no_value_outside_the_scope_and_count_only_rows_in_it(
        store: Store, settings: Settings) -> None:
    table = segment_table(Engine(store, settings), "nps", "channel",
                          Filters().within(EUROPE)).table
    assert sorted(table["segment"]) == ["chat", "email"]
    assert int(table["n"].sum()) == 40  # the "n of total" figures are within the scope
    # chat NPS +30, rest (email) -10: diff 40 points, hand-counted
    assert table.set_index("segment").loc["chat", "diff_vs_rest"] == pytest.approx(40.0)


def test_heat_map_grid_holds_only_cells_in_scope(store: Store, settings: Settings) -> None:
    grid = _nps(Engine(store, settings), Filters().within(EUROPE), by=("channel", "region"))
    assert set(grid["region"]) == {"Europe"} and int(grid["n"].sum()) == 40


def test_analysis_rows_drivers_and_correlation_read_only_the_scope(
        store: Store, settings: Settings) -> None:
    rows = fetch_rows(Engine(store, settings, scope=EUROPE), "responses", {"nps": col("nps")})
    assert rows.values.shape == (40, 1)
    assert rows.values[:, 0].sum() == pytest.approx(12 * 5 + 12 * 7 + 16 * 10)


def test_tickets_and_customers_views_stay_in_scope(store: Store, settings: Settings) -> None:
    backlog = tickets_view.open_backlog(store, settings, Filters().within(BILLING))
    assert int(backlog["tickets"].sum()) == 10  # Billing: 6 Europe + 4 Asia, all open
    europe_billing = Scope((clause_of({"region": "Europe", "team": "Billing"}),))
    assert int(tickets_view.open_backlog(store, settings, Filters().within(europe_billing))[
        "tickets"].sum()) == 6
    # customers have no team: a team scope sees none of them (fail closed)
    churn = customers_view.churn_by_tenure(store, settings, Filters().within(BILLING))
    assert churn.empty
    europe = customers_view.churn_by_tenure(store, settings, Filters().within(EUROPE))
    assert int(europe["n"].sum()) == 5 and int(europe["churned"].sum()) == 2


def test_nps_by_churn_links_only_customers_inside_the_scope(store: Store,
                                                           settings: Settings) -> None:
    # Responses of Asia's customers (C5-C9) are outside a scope of Europe's responses anyway;
    # a scope on region keeps customers of other regions out of the join as well.
    frame = customers_view.nps_by_churn(store, settings, Filters().within(EUROPE))
    everyone = customers_view.nps_by_churn(store, settings, Filters.of(region="Europe"))
    assert int(frame["n"].sum()) == 20  # Europe answers from customers C0-C4 (half of 40)
    assert int(everyone["n"].sum()) == 40  # a filter alone links them to every customer


def test_open_tickets_are_aged_at_the_scope_s_latest_ticket(tmp_path: Path) -> None:
    """Kaplan–Meier censors an open ticket at the latest ticket time (METHODS.md §4). For a scoped
    reader that clock is the scope's own: a newer ticket in another region must not stretch a
    Europe ticket's follow-up (nor show when that region last had a ticket)."""
    s = Store(tmp_path / "ttr.duckdb")
    opened = pd.Timestamp("2026-01-05 00:00")
    solved, still_open = 10, 10  # Europe; and one Asia ticket 100 days later
    load(s, "tickets", pd.DataFrame({
        "region": ["Europe"] * (solved + still_open) + ["Asia"],
        "opened_at": [opened] * (solved + still_open) + [opened + pd.Timedelta(days=100)],
        "resolved_at": [opened + pd.Timedelta(hours=10)] * solved + [pd.NaT] * (still_open + 1),
        "resolution_hours": [10.0] * solved + [None] * (still_open + 1),
        "status": ["solved"] * solved + ["open"] * (still_open + 1)}))
    engine = Engine(s, load_settings().with_db(s.path))
    query = MetricQuery("resolved_within_24h", Filters().within(EUROPE))
    scoped = engine.run(query).rows.iloc[0]
    # Europe's clock is its own latest timestamp, 10 h after opening: the open tickets are followed
    # for 10 h only, so nothing was followed for 24 h and the share is not identified.
    own_clock = engine.run(MetricQuery("resolved_within_24h", Filters.of(region="Europe"),
                                       as_of=(opened + pd.Timedelta(hours=10)).to_pydatetime()))
    world_clock = engine.run(MetricQuery("resolved_within_24h", Filters.of(region="Europe")))
    assert scoped["reliability"] == "no_data" and scoped["n"] == solved + still_open
    assert own_clock.rows.iloc[0]["reliability"] == "no_data"
    # With everyone's clock (Asia's ticket 100 days later) the open tickets count as followed for
    # 2,400 h, and 1 - S(24 h) = 1 - (1 - 10/20) = 0.5.
    assert world_clock.rows.iloc[0]["value"] == pytest.approx(0.5)
