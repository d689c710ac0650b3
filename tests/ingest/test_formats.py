"""Readers, coercion rules and the page-facing API on small hand-checkable files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from cx.ingest import IngestOptions, errors_csv, load, preview, validate
from cx.ingest.bench import ingest_benchmark
from cx.ingest.headers import candidates, normalise, snake_case
from cx.storage import Store
from tests.ingest.conftest import fingerprint


@pytest.mark.parametrize(("header", "expected"), [
    ("customerID", "customer_id"), ("Type of Travel", "type_of_travel"),
    ("Departure/Arrival time convenient", "departure_arrival_time_convenient"),
    ("MonthlyCharges", "monthly_charges"), ("2nd Choice", "c_2nd_choice"),
])
def test_snake_case(header: str, expected: str) -> None:
    assert snake_case(header) == expected  # PRODUCT.md §1 extra-column names


def test_header_candidates() -> None:
    assert normalise("Ticket  Channel") == "ticket channel"
    assert candidates("tickets", "Ticket Channel") == ["channel"]
    assert candidates("responses", "Likelihood to recommend") == ["nps"]
    assert candidates("customers", "Churn") == ["churned"]
    assert sorted(candidates("tickets", "Time to Resolution")) == ["resolution_hours",
                                                                  "resolved_at"]
    assert candidates("responses", "satisfaction") == []  # a label column, not a score


def test_cp1252_and_bom(tmp_path: Path, store: Store) -> None:
    cp = tmp_path / "cp.csv"
    cp.write_bytes("Response ID,Submitted At,Comment\nr1,2024-01-02,caf\xe9 \u20ac5 \u201cok\u201d\n"
                   .encode("cp1252"))
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbfResponse ID,Submitted At,Comment\nr2,2024-01-02,na\xc3\xafve\n")
    assert load(store, cp, IngestOptions("responses")).plan["encoding"] == "cp1252"
    assert load(store, bom, IngestOptions("responses")).mapping["Response ID"] == "response_id"
    declared = tmp_path / "latin.csv"
    declared.write_bytes("Response ID;Submitted At;Comment\nr3;2024-01-02;\xe0 bient\xf4t\n"
                         .encode("latin-1"))
    assert load(store, declared, IngestOptions("responses", encoding="latin-1")).rows_loaded == 1
    assert store.query("SELECT comment FROM responses ORDER BY response_id") == [
        ("café €5 “ok”",), ("naïve",), ("à bientôt",)]


def test_xlsx_sheet_and_parquet(tmp_path: Path, store: Store) -> None:
    book = tmp_path / "book.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="Notes", index=False)
        pd.DataFrame({"Response ID": ["x1", "x2"], "Submitted At": ["2024-02-01", "2024-02-02"],
                      "NPS": [9, 3]}).to_excel(writer, sheet_name="Answers", index=False)
    assert load(store, book, IngestOptions("responses", sheet="Answers")).rows_loaded == 2
    pq = tmp_path / "answers.parquet"
    pd.DataFrame({"Response ID": ["p1"], "Submitted At": [pd.Timestamp("2024-02-03 10:00")],
                  "NPS": [10]}).to_parquet(pq)
    assert load(store, pq, IngestOptions("responses")).rows_loaded == 1
    assert store.query("SELECT response_id, nps FROM responses ORDER BY 1") == [
        ("p1", 10), ("x1", 9), ("x2", 3)]


def test_durations_units_and_derived_hours(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "t.csv"
    path.write_text("Ticket ID,Created,First Response Time,Handle Time,Resolved At\n"
                    "t1,2024-01-02 08:00,5400,1:30:00,2024-01-02 20:00\n"
                    "t2,2024-01-02 09:00,60,0:45,\n", encoding="utf-8")
    report = load(store, path, IngestOptions(
        "tickets", units={"First Response Time": "seconds"},
        mapping={"Handle Time": "handle_time"}))
    assert report.rows_loaded == 2, report.message
    # 5,400 s = 1.5 h; resolution 20:00 - 08:00 = 12 h (derived from the two timestamps)
    assert store.query("SELECT ticket_id, first_response_hours, resolution_hours FROM tickets "
                       "ORDER BY 1") == [("t1", 1.5, 12.0), ("t2", 60 / 3600, None)]


def test_scales_reverse_missing_and_day_first(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "s.csv"
    path.write_text("Response ID,Date,CSAT,Effort,Likelihood to recommend\n"
                    "a,25/12/2023,7,1,0\nb,03/01/2024,1,5,10\n", encoding="utf-8")
    report = load(store, path, IngestOptions(
        "responses", scales={"csat": (1, 7), "ces": (1, 5)}, reverse=("ces",),
        mapping={"Effort": "ces"}))
    assert report.rows_loaded == 2, report.message
    assert store.query("SELECT response_id, submitted_at, csat, csat_scale_max, ces, "
                       "ces_scale_max, nps FROM responses ORDER BY 1") == [
        ("a", dt.datetime(2023, 12, 25), 7, 7, 5, 5, 0),
        ("b", dt.datetime(2024, 1, 3), 1, 7, 1, 5, 10)]


def test_api_preview_validate_progress_and_errors(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "p.csv"
    rows = "".join(f"r{i},2024-01-02,{6 if i % 2 else 4}\n" for i in range(3000))
    path.write_text("Response ID,Submitted At,CSAT\n" + rows, encoding="utf-8")
    seen = preview(path.read_bytes(), IngestOptions("responses", file_name="p.csv"), rows=5)
    assert len(seen.rows) == 5 and seen.problem is None
    assert [c["field"] for c in seen.columns] == ["response_id", "submitted_at", "csat"]
    before = fingerprint(store)
    checked = validate(store, path, IngestOptions("responses", on_error="skip"))
    assert (checked.status, checked.rows_loaded, checked.rows_rejected) == ("validated", 1500, 1500)
    assert fingerprint(store) == before
    stages: list[str] = []
    refused = load(store, path, IngestOptions("responses"),
                   progress=lambda stage, fraction: stages.append(stage))
    assert refused.refused and stages[0] == "reading" and stages[-1] == "done"
    assert len(refused.as_json()["errors"]) == 1000
    assert errors_csv(refused).decode().count("\n") == 1501  # header + every error
    assert fingerprint(store) == before


def test_benchmark_smoke(tmp_path: Path) -> None:
    result = ingest_benchmark(2000, workdir=tmp_path)
    assert (result["rows"], result["rows_loaded"], result["status"]) == (2000, 2000, "loaded")
