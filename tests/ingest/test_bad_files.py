"""Bad files: each gets a clear message (what and where), exit 1, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from cx.storage import Store
from tests.ingest.conftest import CliRunner, fingerprint

GOOD = "Response ID,Submitted At,Channel,CSAT\nr1,2024-01-02,Chat,4\nr2,2024-01-03,Email,5\n"


def _text(body: str | bytes, name: str = "bad.csv") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
        return path
    return make


def _truncated_xlsx(folder: Path) -> Path:
    whole = folder / "whole.xlsx"
    pd.DataFrame({"Response ID": ["r1", "r2"], "CSAT": [4, 5]}).to_excel(whole, index=False)
    path = folder / "truncated.xlsx"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    return path


def _parquet_two_nps(folder: Path) -> Path:
    path = folder / "two_nps.parquet"
    pq.write_table(pa.table([pa.array(["r1"]), pa.array(["2024-01-02"]), pa.array([9]),
                             pa.array([3])], names=["Response ID", "Submitted At", "nps", "nps"]),
                   path)
    return path


def _parquet_nul(folder: Path) -> Path:
    path = folder / "nul.parquet"
    pq.write_table(pa.table({"Response ID": ["r1", "r2"], "Submitted At": ["2024-01-02"] * 2,
                             "Comment": ["fine", "a\x00b"]}), path)
    return path


def _xlsx_unsaved_formula(folder: Path) -> Path:
    """openpyxl writes formulas without their results, as a script-made workbook has them."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Response ID", "Submitted At", "Q1", "Q2", "Total"])
    sheet.append(["r1", "2024-01-02", 2, 3, "=C2+D2"])
    sheet.append(["r2", "2024-01-03", 4, 1, "=C3+D3"])
    path = folder / "formulas.xlsx"
    book.save(path)
    return path


# (id, file maker, extra arguments, words the message must contain, (row, column) of an error)
CASES = [
    ("empty", _text(""), (), "empty", None),
    ("header_only", _text("Response ID,Submitted At,CSAT\n"), (), "no data rows", None),
    ("binary_junk", _text(bytes(range(256)) * 40), (), "binary", None),
    ("wrong_delimiter", _text("Response ID;Submitted At;CSAT\nr1;2024-01-02;4\n"),
     ("--delimiter", ","), "delimiter", None),
    ("ragged_rows", _text("Response ID,Submitted At,CSAT\nr1,2024-01-02,4,extra,more\n"), (),
     "CSV structure", None),
    ("mixed_dates", _text("Response ID,Submitted At,CSAT\nr1,2024-01-25,4\nr2,26/01/2024,5\n"),
     (), "not a date/time", (3, "Submitted At")),
    ("ambiguous_dates", _text("Response ID,Submitted At,CSAT\nr1,03/04/2024,4\nr2,05/06/2024,5\n"),
     (), "day-first and month-first", None),
    ("out_of_range", _text("Response ID,Submitted At,CSAT\nr1,2024-01-02,4\nr2,2024-01-02,9\n"),
     (), "outside the csat scale 1-5", (3, "CSAT")),
    ("text_in_number", _text("Response ID,Submitted At,CSAT\nr1,2024-01-02,good\nr2,2024-01-02,3\n"),
     (), "not a number: 'good'", (2, "CSAT")),
    ("duplicate_headers", _text("Response ID,CSAT,csat\nr1,4,5\n"), (),
     "duplicate column headers", None),
    ("duplicate_keys", _text("Response ID,Submitted At,CSAT\nr1,2024-01-02,4\nr1,2024-01-03,5\n"),
     (), "duplicate response_id 'r1' (first in row 2)", (3, "Response ID")),
    ("ten_point_as_five", _text("Response ID,Submitted At,CSAT\nr1,2024-01-02,0\nr2,2024-01-02,10\n"),
     ("--scale", "csat=1-5"), "outside the csat scale 1-5", (2, "CSAT")),
    ("truncated_xlsx", _truncated_xlsx, (), "not a readable .xlsx", None),
    ("nps_eleven", _text("Response ID,Submitted At,NPS\nr1,2024-01-02,11\n"), (),
     "outside the nps scale 0-10", (2, "NPS")),
    ("half_point", _text("Response ID,Submitted At,CSAT\nr1,2024-01-02,3.5\n"), (),
     "not a whole number", (2, "CSAT")),
    ("bad_boolean", _text("Customer ID,Churn\nc1,Yes\nc2,maybe\n"), ("--table", "customers"),
     "not a yes/no value: 'maybe'", (3, "Churn")),
    # tickets and answers without an id get content-derived ids (issue 14 item 6); customers
    # need theirs, since surveys and tickets link to it
    ("no_customer_id", _text("Region,Signup Date\nEU,2024-01-02\n"), ("--table", "customers"),
     "no column for customer_id", None),
    ("no_open_time", _text("Ticket ID,Channel\nt1,Chat\n"), ("--table", "tickets"),
     "no column for opened_at", None),
    ("negative_duration", _text("Ticket ID,Opened At,Handle Time\nt1,2024-01-02,-30\n"),
     ("--table", "tickets", "--map", "Handle Time=resolution_hours", "--unit",
      "Handle Time=minutes"), "negative duration", (2, "Handle Time")),
    ("empty_key", _text("Response ID,Submitted At,CSAT\n,2024-01-02,4\n"), (),
     "empty response_id", (2, "Response ID")),
    ("unknown_map_header", _text(GOOD), ("--map", "Score=csat"), "not in the file", None),
    ("nps_scale_changed", _text(GOOD), ("--scale", "nps=1-5"), "NPS is always 0-10", None),
    ("parquet_duplicate_nps", _parquet_two_nps, (), "duplicate column headers", None),
    ("parquet_nul_byte", _parquet_nul, (), "row 3, column 'Comment' holds a NUL byte", None),
    ("xlsx_unsaved_formulas", _xlsx_unsaved_formula, (),
     "2 formula cell(s) have no saved result (cells E2, E3; column(s) 'Total')", None),
]


@pytest.mark.parametrize(("case", "make", "args", "words", "where"), CASES,
                         ids=[c[0] for c in CASES])
def test_bad_file_refused_and_nothing_changes(
    run_cli: CliRunner, store: Store, tmp_path: Path, case: str,
    make: Callable[[Path], Path], args: tuple[str, ...], words: str,
    where: tuple[int, str] | None,
) -> None:
    seed = tmp_path / "seed.csv"
    seed.write_text(GOOD, encoding="utf-8")
    assert run_cli("ingest", seed, "--table", "responses")[0] == 0
    before = fingerprint(store)
    table = () if "--table" in args else ("--table", "responses")
    code, out = run_cli("ingest", make(tmp_path), *table, *args)
    assert code == 1, out
    messages = " | ".join([out.get("error", "")] + [e["message"] for e in out.get("errors", [])])
    assert words in messages
    if where is not None:
        assert (where[0], where[1]) in {(e["row"], e["column"]) for e in out["errors"]}
    assert fingerprint(store) == before


def test_formula_like_cells_stay_plain_text(run_cli: CliRunner, store: Store,
                                            tmp_path: Path) -> None:
    path = tmp_path / "formulas.csv"
    path.write_text('Response ID,Submitted At,Comment\nr1,2024-01-02,"=HYPERLINK(""http://x"",'
                    '""y"")"\nr2,2024-01-02,+1+2\n', encoding="utf-8")
    code, out = run_cli("ingest", path, "--table", "responses")
    assert code == 0, out
    assert store.query("SELECT comment FROM responses ORDER BY response_id") == [
        ('=HYPERLINK("http://x","y")',), ("+1+2",)]
