"""Core messages name no command-line flag (the Upload page shows them); the CLI adds its own."""

from __future__ import annotations

from pathlib import Path

from cx.ingest import api
from cx.ingest.options import IngestOptions
from tests.ingest.conftest import CliRunner

NO_DATE = "Ticket ID,Channel\nt1,Chat\n"
BAD_ROW = "Response ID,Submitted At,CSAT\nr1,2024-01-02,4\nr2,2024-01-02,good\n"


def test_the_core_says_what_to_declare_and_the_cli_says_which_flag(
        run_cli: CliRunner, tmp_path: Path) -> None:
    preview = api.preview(NO_DATE.encode(), IngestOptions(table="tickets", file_name="t.csv"))
    assert preview.problem == ("no column for opened_at (when the ticket was opened). Choose the "
                               "column that holds opened_at or give one date for every row")
    assert [c["field"] for c in preview.columns] == ["ticket_id", "channel"]  # still proposed
    path = tmp_path / "t.csv"
    path.write_text(NO_DATE, encoding="utf-8")
    code, out = run_cli("ingest", path, "--table", "tickets")
    assert code == 1
    assert out["error"].endswith('(on the command line: --map "HEADER=opened_at" or --date '
                                 "YYYY-MM-DD)")
    path.write_text(BAD_ROW, encoding="utf-8")
    code, out = run_cli("ingest", path, "--table", "responses")
    assert code == 1 and out["error"].endswith("load only the valid rows (on the command line: "
                                               "--on-error skip)")
