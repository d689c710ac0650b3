"""Ingestion throughput: a generated CSV through the full ingest path vs DuckDB's bare read_csv.

`python -m cx bench` calls `ingest_benchmark(rows)`; numbers go to notes and README, never into
a timed test.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from cx.ingest.api import load
from cx.ingest.options import IngestOptions
from cx.storage import Store
from cx.bench.timing import MIN_PAIRS, alternate

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


def _remove(database: Path) -> None:
    for path in (database, database.with_name(database.name + ".wal")):
        path.unlink(missing_ok=True)


def ingest_benchmark(rows: int = 1_000_000, workdir: Path | None = None,
                     pairs: int = MIN_PAIRS) -> dict[str, Any]:
    """Seconds for `ingest` (read, match, validate, load in one transaction) into an empty
    database and for DuckDB's bare read_csv of the same file into a file database, run in
    alternation (cx.bench.timing), and their paired ratio."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        csv = Path(tmp) / "bench.csv"
        write_csv(csv, rows)
        runs = itertools.count()  # a fresh database file per run

        def bare() -> float:
            target = Path(tmp) / f"bare-{next(runs)}.duckdb"
            start = time.perf_counter()
            with duckdb.connect(str(target)) as con:
                con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(csv)])
            seconds = time.perf_counter() - start
            _remove(target)
            return seconds

        reports = []

        def full() -> float:
            target = Path(tmp) / f"ingest-{next(runs)}.duckdb"
            store = Store(target)
            store.table_counts()  # create the schema outside the timing
            start = time.perf_counter()
            reports.append(load(store, csv, IngestOptions("responses")))
            seconds = time.perf_counter() - start
            _remove(target)
            return seconds

        paired = alternate(full, bare, pairs)
        timing = paired.as_dict("ingest", "read_csv")
        return {
            "rows": rows, "file_mb": round(csv.stat().st_size / 1e6, 1),
            "read_csv_seconds": timing["read_csv"]["median"],
            "ingest_seconds": timing["ingest"]["median"],
            "ratio": timing["ratio"],
            "rows_loaded": reports[-1].rows_loaded, "status": reports[-1].status,
            "timing": timing,
            "measured_at": dt.datetime.now().isoformat(timespec="seconds"),
        }
