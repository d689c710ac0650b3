"""Values read right (issue 12 item 1, issue 14 item 5): offsets, plausible dates, decimal commas,
missing-value codes in text and number columns alike."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cx.ingest import IngestOptions, load
from cx.ingest.options import Limits
from cx.storage import Store
from tests.ingest.conftest import CliRunner, fingerprint


def _csv(tmp_path: Path, text: str, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_utc_offsets_become_utc_instants(tmp_path: Path, store: Store) -> None:
    path = _csv(tmp_path, "Response ID,Submitted At,NPS\nr1,2024-01-02T10:00:00+05:00,9\n"
                          "r2,2024-01-02T10:00:00Z,8\nr3,2024-01-02 10:00:00,7\n")
    assert load(store, path, IngestOptions("responses")).rows_loaded == 3
    assert store.query("SELECT response_id, submitted_at FROM responses ORDER BY 1") == [
        ("r1", dt.datetime(2024, 1, 2, 5, 0)), ("r2", dt.datetime(2024, 1, 2, 10, 0)),
        ("r3", dt.datetime(2024, 1, 2, 10, 0))]


def test_implausible_dates_refused_per_row(tmp_path: Path, store: Store,
                                           run_cli: CliRunner) -> None:
    seed = _csv(tmp_path, "Response ID,Submitted At,NPS\ns1,2024-01-02,9\n", "seed.csv")
    assert run_cli("ingest", seed, "--table", "responses")[0] == 0
    before = fingerprint(store)
    path = _csv(tmp_path, "Response ID,Submitted At,NPS\nr1,0001-01-01,9\nr2,2024-05-06,8\n"
                          "r3,2999-12-31,7\nr4,1989-12-31 23:59,6\n")
    code, out = run_cli("ingest", path, "--table", "responses")
    assert code == 1
    errors = {(e["row"], e["column"]): e["message"] for e in out["errors"]}
    assert sorted(errors) == [(2, "Submitted At"), (4, "Submitted At"), (5, "Submitted At")]
    assert errors[(2, "Submitted At")].startswith(
        "implausible date '0001-01-01': before 1990-01-01 or after")
    assert fingerprint(store) == before
    # configurable: a history file from 1985 loads when the earliest year is lowered
    old = _csv(tmp_path, "Response ID,Submitted At,NPS\nh1,1985-03-04,9\n", "old.csv")
    report = load(store, old, IngestOptions("responses", limits=Limits(min_year=1980)))
    assert report.rows_loaded == 1, report.errors


def test_decimal_commas_load_as_numbers(tmp_path: Path, store: Store) -> None:
    path = _csv(tmp_path, "Customer ID;Monthly Charges;Plan\nc1;29,85;Basic\nc2;56,95;Plus\n"
                          "c3;42;Basic\nc4;NA;Plus\n")
    report = load(store, path, IngestOptions("customers"))
    assert report.rows_loaded == 4, report.errors
    kinds = {c["header"]: c["kind"] for c in report.plan["columns"]}
    assert kinds["Monthly Charges"] == "measure"
    rows = store.query("SELECT customer_id, monthly_revenue FROM customers ORDER BY 1")
    assert rows == [("c1", 29.85), ("c2", 56.95), ("c3", 42.0), ("c4", None)]


def test_missing_codes_in_text_and_numbers(tmp_path: Path, store: Store) -> None:
    path = _csv(tmp_path, "Response ID,Submitted At,NPS,Channel,Comment\n"
                          "r1,2024-01-02,9,Chat,great\nr2,2024-01-02,NA,N/A,n/a\n"
                          "r3,2024-01-02,-,null,.\nr4,2024-01-02,NaN,Email,\n"
                          "r5,2024-01-02,7,Chat,ok\n")
    report = load(store, path, IngestOptions("responses"))
    assert report.rows_loaded == 5, report.errors
    assert store.query("SELECT response_id, nps, channel, comment FROM responses ORDER BY 1") == [
        ("r1", 9, "Chat", "great"), ("r2", None, None, None), ("r3", None, None, None),
        ("r4", None, "Email", None), ("r5", 7, "Chat", "ok")]
    assert report.plan["missing"] == {"Response ID": 0, "Submitted At": 0, "NPS": 3,
                                      "Channel": 2, "Comment": 3}


def test_missing_codes_configurable_per_file_and_column(tmp_path: Path, store: Store,
                                                        run_cli: CliRunner) -> None:
    path = _csv(tmp_path, "Response ID,Submitted At,Channel,Q1\nr1,2024-01-02,?,1\n"
                          "r2,2024-01-02,NA,98\nr3,2024-01-02,Chat,99\nr4,2024-01-02,Chat,3\n"
                          "r5,2024-01-02,Email,5\n")
    code, out = run_cli("ingest", path, "--table", "responses", "--na-codes", "?",
                        "--missing", "Q1=98", "--missing", "Q1=99")
    assert code == 0, out
    assert out["plan"]["missing"]["Channel"] == 1 and out["plan"]["missing"]["Q1"] == 2
    # "NA" is not a code of this file, so it stays a value of the text column
    assert store.query("SELECT channel, count(*) FROM responses GROUP BY 1 ORDER BY 1") == [
        ("Chat", 2), ("Email", 1), ("NA", 1), (None, 1)]
