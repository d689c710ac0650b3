"""Upload the real public files as a user would (auto-matching, fewest overrides), then check
their known figures (TESTING.md) with plain SQL over the loaded rows."""

from __future__ import annotations

import pytest

from cx.storage import Store
from tests.conftest import dataset
from tests.ingest.conftest import CliRunner, fingerprint

TICKETS = "customer_support_tickets.csv"
# The file has no ticket-opened time: one date for the batch; `Time to Resolution` (a timestamp,
# earlier than `First Response Time` in 1,365 closed tickets) kept as a plain text column.
TICKETS_ALL_ROWS = ("--date", "2023-06-01", "--map", "Time to Resolution=resolution_reported")


def test_telco_customers(run_cli: CliRunner, store: Store) -> None:
    code, out = run_cli("ingest", dataset("telco_customer_churn_ibm.csv"), "--table", "customers")
    assert code == 0, out
    assert (out["rows_read"], out["rows_loaded"], out["rows_rejected"]) == (7043, 7043, 0)
    assert out["mapping"]["Churn"] == "churned"
    assert out["mapping"]["MonthlyCharges"] == "monthly_revenue"
    assert out["mapping"]["tenure"] == "tenure_months"
    assert out["mapping"]["Contract"] == "contract"
    # TESTING.md: churn 1,869 / 7,043; by Contract 42.71% / 11.27% / 2.83%
    assert store.query("SELECT count(*) FILTER (WHERE churned), count(*) FROM customers") == [
        (1869, 7043)]
    by_contract = dict(store.query(
        "SELECT contract, round(100 * avg(churned::INT), 2) FROM customers GROUP BY 1"))
    assert by_contract == {"Month-to-month": 42.71, "One year": 11.27, "Two year": 2.83}
    # 11 blank TotalCharges (tenure 0) are missing values, not errors
    assert store.query("SELECT count(*) FROM customers WHERE total_charges IS NULL "
                       "AND tenure_months = 0") == [(11,)]
    kinds = dict(store.query("SELECT field, kind FROM field_catalog WHERE table_name = "
                             "'customers'"))
    assert kinds["contract"] == "dimension" and kinds["total_charges"] == "measure"


def test_tickets_negative_durations_rejected_by_default(run_cli: CliRunner, store: Store) -> None:
    before = fingerprint(store)
    code, out = run_cli("ingest", dataset(TICKETS), "--table", "tickets", "--date", "2023-06-01")
    assert code == 1
    assert out["rows_read"] == 8469  # multi-line quoted descriptions parse as one record each
    assert out["rows_rejected"] == 1365 and out["errors_total"] == 1365
    assert len(out["errors"]) == 1000  # the first 1,000 in JSON
    assert {e["column"] for e in out["errors"]} == {"Time to Resolution"}
    assert out["errors"][0]["row"] == 5 and "negative duration" in out["errors"][0]["message"]
    assert fingerprint(store) == before


def test_tickets_skip_loads_the_rest(run_cli: CliRunner, store: Store) -> None:
    code, out = run_cli("ingest", dataset(TICKETS), "--table", "tickets", "--date", "2023-06-01",
                        "--on-error", "skip")
    assert code == 0
    assert (out["rows_loaded"], out["rows_rejected"]) == (8469 - 1365, 1365)
    # every negative-duration row is a rated Closed ticket, so skipping them leaves 1,404 of the
    # 2,769 ratings and moves the means (Chat 3.1859 over 355 instead of 3.0831 over 674)
    rated = store.query("SELECT count(csat), round(avg(csat), 4) FROM tickets "
                        "WHERE channel = 'Chat'")
    assert rated == [(355, 3.1859)]
    assert store.scalar("SELECT count(csat) FROM tickets") == 1404
    assert store.scalar("SELECT count(*) FROM tickets WHERE resolved_at < first_response_at") == 0


def test_tickets_all_rows_and_rating_figures(run_cli: CliRunner, store: Store) -> None:
    code, out = run_cli("ingest", dataset(TICKETS), "--table", "tickets", *TICKETS_ALL_ROWS)
    assert code == 0, out
    assert (out["rows_loaded"], out["rows_rejected"]) == (8469, 0)
    assert out["mapping"]["Customer Satisfaction Rating"] == "csat"
    assert out["mapping"]["First Response Time"] == "first_response_at"
    # TESTING.md: only Closed tickets (2,769) rated; mean 2.9913; top-2-box 39.26%
    assert store.query("SELECT count(csat), count(csat) FILTER (WHERE status = 'Closed'), "
                       "round(avg(csat), 4), round(100 * avg((csat >= 4)::INT), 2), "
                       "min(csat_scale_min), max(csat_scale_max) FROM tickets") == [
        (2769, 2769, 2.9913, 39.26, 1, 5)]
    by_channel = store.query("SELECT channel, round(avg(csat), 4), count(csat) FROM tickets "
                             "GROUP BY 1 ORDER BY 1")
    assert by_channel == [("Chat", 3.0831, 674), ("Email", 2.9639, 720),
                          ("Phone", 2.9522, 691), ("Social media", 2.9693, 684)]
    multi_line = store.scalar("SELECT count(*) FROM tickets WHERE contains(ticket_description, "
                              "chr(10))")
    assert multi_line > 1000


def test_airline_responses(run_cli: CliRunner, store: Store) -> None:
    path = dataset("airline_passenger_satisfaction_test.csv")
    code, out = run_cli("ingest", path, "--table", "responses", "--date", "2024-03-01",
                        "--missing", "0")
    assert code == 0, out
    assert out["rows_loaded"] == 25976 and out["mapping"]["id"] == "response_id"
    ratings = store.query("SELECT field, scale_min, scale_max FROM field_catalog "
                          "WHERE table_name = 'responses' AND kind = 'rating' ORDER BY field")
    assert len(ratings) == 14 and {(lo, hi) for _, lo, hi in ratings} == {(1.0, 5.0)}
    kinds = dict(store.query("SELECT field, kind FROM field_catalog"))
    assert kinds["class"] == kinds["type_of_travel"] == kinds["satisfaction"] == "dimension"
    # TESTING.md: satisfied 11,403 (43.90%); by Class Business 69.5%, Eco 19.4%, Eco Plus 24.8%
    assert dict(store.query("SELECT satisfaction, count(*) FROM responses GROUP BY 1")) == {
        "satisfied": 11403, "neutral or dissatisfied": 14573}
    by_class = dict(store.query("SELECT class, round(100 * avg((satisfaction = 'satisfied')"
                                "::INT), 1) FROM responses GROUP BY 1"))
    assert by_class == {"Business": 69.5, "Eco": 19.4, "Eco Plus": 24.8}
    # a 0 ("not applicable") is stored as NULL; count zeros in the file with DuckDB directly
    zeros = store.scalar("SELECT count(*) FROM read_csv(?) WHERE \"Inflight wifi service\" = 0",
                         [str(path)])
    assert store.scalar("SELECT count(*) FROM responses WHERE inflight_wifi_service IS NULL") \
        == zeros > 0
    assert store.scalar("SELECT count(DISTINCT submitted_at) FROM responses") == 1


@pytest.mark.parametrize(("name", "table", "extra"), [
    ("telco_customer_churn_ibm.csv", "customers", ()),
    (TICKETS, "tickets", TICKETS_ALL_ROWS),
    ("airline_passenger_satisfaction_test.csv", "responses", ("--date", "2024-03-01")),
])
def test_reupload_is_refused_replace_reloads_and_rollback_restores(
    run_cli: CliRunner, store: Store, name: str, table: str, extra: tuple[str, ...],
) -> None:
    path = dataset(name)
    counts0 = store.table_counts()
    code, first = run_cli("ingest", path, "--table", table, *extra)
    assert code == 0
    loaded = fingerprint(store)
    code, again = run_cli("ingest", path, "--table", table, *extra)  # same bytes: refused
    assert code == 1 and first["batch_id"] in again["error"] and "--replace" in again["error"]
    assert again["problem"]["batch_id"] == first["batch_id"]
    assert fingerprint(store) == loaded
    code, replaced = run_cli("ingest", path, "--table", table, *extra, "--replace")
    assert code == 0 and replaced["replaced"] == [first["batch_id"]]
    assert replaced["rows_loaded"] == first["rows_loaded"]
    assert fingerprint(store)[table][1] == loaded[table][1]
    code, rolled = run_cli("rollback", replaced["batch_id"])
    assert code == 0 and rolled["rows_removed"] == first["rows_loaded"]
    assert store.table_counts()[table] == counts0[table]
    code, listed = run_cli("batches")
    status = {b["batch_id"]: b["status"] for b in listed}
    assert status == {first["batch_id"]: "rolled_back", replaced["batch_id"]: "rolled_back"}
