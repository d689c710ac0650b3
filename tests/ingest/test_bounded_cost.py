"""Bounded cost (issue 12 item 2): wide files validate in seconds, limits refuse up front.

Figures (validate, 250 columns x 3 rows, fresh process each, median of 3 alternated runs on the
shared 2-core box under load; peak = ru_maxrss): before 284 s and 1,013 MB (35 s and 914 MB on a
quieter run), after 1.5 s and 237 MB.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from cx.ingest import IngestOptions, validate
from cx.storage import Store
from tests.ingest.conftest import CliRunner, fingerprint


def wide_csv(path: Path, columns: int, rows: int = 5) -> Path:
    """Id, date, NPS and `columns - 3` extra columns, alternately words and 1-5 ratings."""
    head = ["Response ID", "Submitted At", "NPS"] + [f"Q{i}" for i in range(columns - 3)]
    lines = [",".join(head)]
    for r in range(rows):
        extras = [str((r + i) % 5 + 1) if i % 2 else f"word{(r + i) % 7}"
                  for i in range(columns - 3)]
        lines.append(",".join([f"r{r}", "2024-01-02", str(r % 11), *extras]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_250_columns_validate_in_seconds(tmp_path: Path, store: Store) -> None:
    path = wide_csv(tmp_path / "wide.csv", 250)
    start = time.perf_counter()
    report = validate(store, path, IngestOptions("responses"))
    seconds = time.perf_counter() - start
    assert report.status == "validated", report.message
    assert report.rows_loaded == 5
    kinds = {c["header"]: c["kind"] for c in report.plan["columns"]}
    assert kinds["Q0"] == "dimension" and kinds["Q1"] == "rating"
    assert seconds < 15, f"250 columns took {seconds:.1f} s (was 35 s before the fix)"


def _seeded(run_cli: CliRunner, store: Store, tmp_path: Path) -> dict:
    seed = tmp_path / "seed.csv"
    seed.write_text("Response ID,Submitted At,NPS\ns1,2024-01-02,9\n", encoding="utf-8")
    assert run_cli("ingest", seed, "--table", "responses")[0] == 0
    return fingerprint(store)


def test_too_many_columns_refused_up_front(tmp_path: Path, store: Store,
                                           run_cli: CliRunner) -> None:
    before = _seeded(run_cli, store, tmp_path)
    path = wide_csv(tmp_path / "wider.csv", 1_000, rows=2)
    start = time.perf_counter()
    code, out = run_cli("ingest", path, "--table", "responses")
    assert code == 1
    assert "wider.csv has 1,000 columns; the limit is 500" in out["error"]
    assert time.perf_counter() - start < 10  # 1,000 columns ran DuckDB out of memory before
    assert fingerprint(store) == before


def test_file_size_limit_is_a_setting(tmp_path: Path, store: Store, run_cli: CliRunner,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    before = _seeded(run_cli, store, tmp_path)
    path = wide_csv(tmp_path / "big.csv", 10, rows=30_000)  # about 1.3 MB
    monkeypatch.setenv("CX_MAX_UPLOAD_MB", "1")
    code, out = run_cli("ingest", path, "--table", "responses")
    assert code == 1
    assert "MB; the limit is 1 MB" in out["error"] and "big.csv is 1." in out["error"]
    assert fingerprint(store) == before


def _zip_bomb(path: Path, inflated_mb: int) -> Path:
    """A real workbook plus one member of zeros that deflates about a thousandfold."""
    small = path.with_suffix(".small.xlsx")
    pd.DataFrame({"Response ID": ["r1"], "Submitted At": ["2024-01-02"], "NPS": [9]}).to_excel(
        small, index=False)
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for member in src.infolist():
            dst.writestr(member, src.read(member))
        dst.writestr("xl/media/padding.bin", bytes(inflated_mb * 1_000_000))
    return path


def test_xlsx_zip_bomb_refused_before_parsing(tmp_path: Path, store: Store,
                                              run_cli: CliRunner,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    before = _seeded(run_cli, store, tmp_path)
    path = _zip_bomb(tmp_path / "bomb.xlsx", 60)
    assert path.stat().st_size < 200_000  # 60 MB inside, under 0.2 MB on disk
    monkeypatch.setenv("CX_MAX_UPLOAD_MB", "50")
    start = time.perf_counter()
    code, out = run_cli("ingest", path, "--table", "responses")
    assert code == 1
    assert out["error"].startswith("bomb.xlsx inflates to 60.0 MB; the limit is 50 MB")
    assert time.perf_counter() - start < 5
    assert fingerprint(store) == before


def test_duckdb_runs_with_a_memory_limit(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CX_DUCKDB_MEMORY", "700MB")
    limit = store.scalar("SELECT current_setting('memory_limit')")
    assert limit == "667.5 MiB"  # DuckDB shows 700 MB (10^6) in MiB
