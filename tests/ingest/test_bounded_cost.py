"""Bounded cost (issue 12 item 2): wide files validate in seconds, limits refuse up front.

Figures measured on the 2-core CI box (median of 3, see the commit message): 250 columns x 5
rows took 35 s and 914 MB before the long-form profile, about 1 s and 240 MB after.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

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
