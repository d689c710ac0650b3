"""Ingestion throughput: a generated CSV through the full ingest path vs DuckDB's bare read_csv.

`python -m cx bench` calls `ingest_benchmark(rows)`; numbers go to notes and README, never into
a timed test.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from cx.ingest.api import load
from cx.ingest.options import IngestOptions
from cx.storage import Store

_CHANNELS = ["'Chat'", "'Email'", "'Phone'", "'Social media'"]


def write_csv(path: Path, rows: int) -> None:
    """A survey export: id, ISO timestamp, channel, region, nps, csat, ces, comment."""
    channels = f"[{', '.join(_CHANNELS)}]"
    duckdb.execute(
        f"""COPY (
            SELECT 'r' || i AS "Response ID",
                   TIMESTAMP '2024-01-01' + to_seconds(i * 37 % 31536000) AS "Submitted At",
                   {channels}[1 + i % 4] AS "Channel",
                   'Region ' || (i % 7) AS "Region",
                   i % 11 AS "Likelihood to recommend",
                   1 + i % 5 AS "CSAT",
                   1 + i % 7 AS "Customer Effort Score",
                   'comment number ' || i AS "Comment"
            FROM range(?) t(i)
        ) TO '{_quoted(path)}' (HEADER, DELIMITER ',')""",
        [rows],
    )


def _quoted(path: Path) -> str:
    if "'" in str(path):
        raise ValueError(f"benchmark path must not contain a quote: {path}")
    return str(path)


def ingest_benchmark(rows: int = 1_000_000, workdir: Path | None = None) -> dict[str, Any]:
    """Seconds for DuckDB's bare read_csv of the file and for `ingest` (read, match, validate,
    load in one transaction) into an empty database, and their ratio."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        csv = Path(tmp) / "bench.csv"
        write_csv(csv, rows)
        start = time.perf_counter()
        con = duckdb.connect()
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(csv)])
        bare = time.perf_counter() - start
        con.close()
        store = Store(Path(tmp) / "bench.duckdb")
        store.table_counts()  # create the schema outside the timing
        start = time.perf_counter()
        report = load(store, csv, IngestOptions("responses"))
        full = time.perf_counter() - start
        return {
            "rows": rows, "file_mb": round(csv.stat().st_size / 1e6, 1),
            "read_csv_seconds": round(bare, 3), "ingest_seconds": round(full, 3),
            "ratio": round(full / bare, 2) if bare else None,
            "rows_loaded": report.rows_loaded, "status": report.status,
            "measured_at": dt.datetime.now().isoformat(timespec="seconds"),
        }
