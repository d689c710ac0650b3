"""The demo generator's contract: deterministic, the documented row counts, consistent records,
its own batches (source 'demo'), removable in one step."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from cx.demo import DemoResult, build_demo, ensure_demo, remove_demo
from cx.demo.calendar import last_complete_sunday, parse_end
from cx.storage import Store, fields_of
from tests.demo.conftest import END

RATINGS = ["rating_resolution", "rating_agent_knowledge", "rating_wait_time",
           "rating_ease_of_contact", "rating_friendliness", "rating_website"]
_KEYS = {"responses": "response_id", "tickets": "ticket_id", "customers": "customer_id"}


def content_hash(path: Path) -> dict[str, str]:
    """md5 over every record (batch ids excluded: they are new on every build)."""
    with duckdb.connect(str(path), read_only=True) as con:
        return {table: con.execute(
            f"SELECT md5(string_agg(CAST(row_ AS VARCHAR), '|' ORDER BY {key})) "
            f"FROM (SELECT * EXCLUDE (batch_id) FROM {table}) row_").fetchone()[0]
            for table, key in _KEYS.items()}


def small(tmp_path: Path, name: str, seed: int = 7, end: dt.date = END) -> DemoResult:
    return build_demo(Store(tmp_path / name), seed=seed, scale=0.05, end=end)


def test_same_seed_same_data_other_seed_other_data(tmp_path: Path) -> None:
    small(tmp_path, "a.duckdb")
    small(tmp_path, "b.duckdb")
    small(tmp_path, "c.duckdb", seed=8)
    a, b, c = (content_hash(tmp_path / f"{x}.duckdb") for x in "abc")
    assert a == b
    assert all(a[t] != c[t] for t in a)


def test_end_date_only_shifts_the_calendar(tmp_path: Path) -> None:
    # the same seed gives the same answers for any end Sunday, 4 weeks later here
    small(tmp_path, "a.duckdb")
    small(tmp_path, "b.duckdb", end=END + dt.timedelta(weeks=4))
    sql = ("SELECT response_id, submitted_at, nps, csat, comment FROM responses "
           "ORDER BY response_id")
    with duckdb.connect(str(tmp_path / "a.duckdb")) as ca, \
            duckdb.connect(str(tmp_path / "b.duckdb")) as cb:
        ra, rb = ca.execute(sql).fetchall(), cb.execute(sql).fetchall()
    assert len(ra) == len(rb) > 2000
    assert all(x[0] == y[0] and x[2:] == y[2:] for x, y in zip(ra, rb, strict=True))
    assert {y[1] - x[1] for x, y in zip(ra, rb, strict=True)} == {dt.timedelta(weeks=4)}


def test_row_counts_follow_the_scale(demo_scale1: tuple[Path, DemoResult], tmp_path: Path) -> None:
    # data/README.md: 20k customers, 100k tickets, ~50k responses per unit of scale
    rows1 = demo_scale1[1].rows
    assert rows1["customers"] == 20_000 and rows1["tickets"] == 100_000
    assert rows1["responses"] == pytest.approx(50_000, rel=0.02)
    rows = small(tmp_path, "s.duckdb").rows
    assert rows["customers"] == 1_000 and rows["tickets"] == 5_000
    assert rows["responses"] == pytest.approx(2_500, rel=0.05)
    assert Store(tmp_path / "s.duckdb").table_counts() == {**rows, "batches": 3}


def test_batches_and_extra_fields(demo_scale1: tuple[Path, DemoResult]) -> None:
    path, result = demo_scale1
    store = Store(path)
    batches = store.query("SELECT batch_id, source, table_name, rows_loaded, status, file_name "
                          "FROM batches ORDER BY table_name")
    assert sorted(b[0] for b in batches) == sorted(result.batches)
    assert {(b[1], b[2], b[3], b[4]) for b in batches} == {
        ("demo", t, n, "active") for t, n in result.rows.items()}
    assert batches[0][5] == "demo (seed 7, scale 1)"
    with store.cursor() as cur:
        extra = {t: [(f.name, f.kind, f.scale_max) for f in fields_of(cur, t) if f.extra]
                 for t in ("responses", "tickets")}
    assert extra["responses"] == [(r, "rating", 5.0) for r in RATINGS]
    assert extra["tickets"] == [("language", "dimension", None)]


def test_tickets_are_consistent(con1: duckdb.DuckDBPyConnection) -> None:
    row = con1.execute("""
        SELECT count(*) FILTER (abs(resolution_hours
                 - date_diff('second', opened_at, resolved_at) / 3600) > 0.001),
               count(*) FILTER (abs(first_response_hours
                 - date_diff('second', opened_at, first_response_at) / 3600) > 0.001),
               count(*) FILTER (first_response_hours > resolution_hours),
               avg((status IN ('open', 'pending'))::INT),
               count(*) FILTER ((status IN ('open', 'pending')) <> (resolved_at IS NULL)),
               avg((csat IS NOT NULL)::INT) FILTER (status IN ('solved', 'closed')),
               count(*) FILTER (csat IS NOT NULL AND status IN ('open', 'pending')),
               count(DISTINCT team), count(DISTINCT agent), min(csat), max(csat),
               count(*) FILTER (resolved_at > TIMESTAMP '2026-11-23')
        FROM tickets""").fetchone()
    assert row[:3] == (0, 0, 0)
    assert row[3] == pytest.approx(0.03, abs=0.005)  # ~3 % still open
    assert row[4] == 0
    assert row[5] == pytest.approx(0.35, abs=0.01)
    assert row[6:] == (0, 6, 60, 1, 5, 0)
    recent, older = con1.execute("""
        SELECT avg((resolved_at IS NULL)::INT) FILTER (opened_at >= TIMESTAMP '2026-10-26'),
               avg((resolved_at IS NULL)::INT) FILTER (opened_at < TIMESTAMP '2026-10-26')
        FROM tickets""").fetchone()
    assert recent > 3 * older  # more open among the newest tickets


def test_responses_agree_with_their_ticket_and_customer(con1: duckdb.DuckDBPyConnection) -> None:
    row = con1.execute("""
        SELECT avg((r.ticket_id IS NOT NULL)::INT),
               count(*) FILTER (t.ticket_id IS NOT NULL AND (r.channel <> t.channel
                   OR r.product <> t.product OR r.submitted_at < t.resolved_at
                   OR r.customer_id <> t.customer_id)),
               count(*) FILTER (r.region <> c.region OR r.segment <> c.segment),
               count(*) FILTER (r.submitted_at < c.signup_at OR r.submitted_at > c.churned_at),
               count(*) FILTER (c.customer_id IS NULL),
               min(r.nps), max(r.nps), min(r.ces), max(r.ces), max(r.csat_scale_max),
               max(r.ces_scale_max), avg((r.nps IS NULL)::INT)
        FROM responses r LEFT JOIN tickets t USING (ticket_id)
        LEFT JOIN customers c ON c.customer_id = r.customer_id""").fetchone()
    assert row[0] == pytest.approx(0.6, abs=0.02)
    assert row[1:5] == (0, 0, 0, 0)
    assert row[5:11] == (0, 10, 1, 7, 5, 7)
    assert 0.3 < row[11] < 0.5  # not every survey asks NPS


def test_comments_vary_and_include_formula_like_text(con1: duckdb.DuckDBPyConnection) -> None:
    distinct, share, risky = con1.execute("""
        SELECT count(DISTINCT comment), avg((comment IS NOT NULL)::INT),
               count(*) FILTER (left(comment, 1) IN ('=', '+', '-', '@')) FROM responses
    """).fetchone()
    assert distinct > 300 and 0.3 < share < 0.5 and risky > 50
    low, high = con1.execute("""
        SELECT avg((comment ILIKE '%slow%' OR comment ILIKE '%waited%')::INT) FILTER (csat <= 2),
               avg((comment ILIKE '%slow%' OR comment ILIKE '%waited%')::INT) FILTER (csat >= 4)
        FROM responses WHERE comment IS NOT NULL""").fetchone()
    assert low > 5 * high  # complaints come with low scores


def test_customers(con1: duckdb.DuckDBPyConnection) -> None:
    row = con1.execute("""
        SELECT avg(churned::INT), count(*) FILTER (churned <> (churned_at IS NOT NULL)),
               avg((signup_at < TIMESTAMP '2024-11-25')::INT), count(clv),
               count(*) FILTER (tenure_months < 0), count(DISTINCT plan),
               median(monthly_revenue) FILTER (plan = 'Basic'),
               median(monthly_revenue) FILTER (plan = 'Enterprise')
        FROM customers""").fetchone()
    assert row[0] == pytest.approx(0.15, abs=0.03)
    assert row[1] == 0 and row[3] == 0 and row[4] == 0 and row[5] == 3
    assert row[2] == pytest.approx(0.55, abs=0.02)  # signed up before the window
    assert row[6] == pytest.approx(49, rel=0.05) and row[7] == pytest.approx(1500, rel=0.1)
    outside = con1.execute("""
        SELECT count(*) FROM tickets t JOIN customers c USING (customer_id)
        WHERE t.opened_at < c.signup_at OR t.opened_at > c.churned_at""").fetchone()[0]
    assert outside == 0  # no activity before sign-up or after churn


def test_rebuild_replaces_and_remove_empties(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.duckdb")
    first = build_demo(store, scale=0.02, end=END)
    second = build_demo(store, scale=0.02, end=END)
    assert second.removed == sum(first.rows.values())
    assert store.table_counts() == {**second.rows, "batches": 6}
    assert store.scalar("SELECT count(*) FROM batches WHERE status = 'active'") == 3
    assert remove_demo(store) == sum(second.rows.values())
    assert store.table_counts() == {"responses": 0, "tickets": 0, "customers": 0, "batches": 6}
    with store.cursor() as cur:  # the demo's extra columns went with it
        assert not [f for t in ("responses", "tickets") for f in fields_of(cur, t) if f.extra]
    assert ensure_demo(store) is False  # removed on purpose: not rebuilt on the next start


def test_ensure_demo_builds_only_on_an_empty_database(tmp_path: Path) -> None:
    store = Store(tmp_path / "e.duckdb")
    assert ensure_demo(store) is True
    assert store.table_counts()["tickets"] == 100_000
    assert ensure_demo(store) is False


def test_arguments_are_checked(tmp_path: Path) -> None:
    assert parse_end("2026-11-22") == END
    assert last_complete_sunday(dt.date(2026, 11, 23)) == END
    assert last_complete_sunday(dt.date(2026, 11, 22)) == dt.date(2026, 11, 15)
    with pytest.raises(ValueError, match="is a Friday.*2026-11-22"):
        parse_end("2026-11-20")
    with pytest.raises(ValueError, match="not a date"):
        parse_end("22/11/2026")
    with pytest.raises(ValueError, match="scale must be between"):
        build_demo(Store(tmp_path / "x.duckdb"), scale=0)
