"""`python -m cx bench [--rows N]`: the performance benchmark whose numbers go in notes and README.

Three measurements, each against a plain-DuckDB baseline where one exists:
- demo generation at a scale large enough to hold about N responses;
- ingest of a generated N-row CSV with full validation vs DuckDB's bare read_csv;
- the metric engine vs a hand-written query for the same counts.
Timings are wall-clock seconds on this machine; nothing here is asserted by a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from cx.cli.base import CommandRefused, CommandResult
from cx.config import Settings
from cx.demo import build_demo
from cx.ingest.bench import ingest_benchmark
from cx.metrics.bench import engine_benchmark
from cx.storage import Store

# Scale 1 of the demo holds about 50,000 responses (data/README.md).
RESPONSES_PER_SCALE = 50_000
DEMO_END = dt.date(2026, 11, 22)


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "bench", parents=[common], help="measure ingest and metric speed on generated data",
        description="Builds demo data with about ROWS responses in a temporary database, times "
                    "ingest of a ROWS-row CSV against DuckDB's read_csv, and the metric engine "
                    "against a hand-written query. Takes minutes at 1M+ rows.",
    )
    p.add_argument("--rows", type=int, default=1_000_000,
                   help="responses in the benchmark data and rows in the ingest file (default 1M)")
    p.add_argument("--skip", choices=("demo", "ingest", "engine"), action="append", default=[],
                   help="leave out one part (repeatable)")
    p.set_defaults(func=handle)


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _demo_and_engine(rows: int, skip: list[str], workdir: Path) -> dict[str, Any]:
    store = Store(workdir / "bench.duckdb")
    scale = rows / RESPONSES_PER_SCALE
    started = time.perf_counter()
    built = build_demo(store, seed=7, scale=scale, end=DEMO_END)
    out: dict[str, Any] = {"demo": {"scale": round(scale, 3), "rows": built.rows,
                                    "seconds": round(time.perf_counter() - started, 2)}}
    if "engine" not in skip:
        out["engine"] = engine_benchmark(store)
    return out


def handle(args: argparse.Namespace, settings: Settings) -> CommandResult:
    if args.rows < 1_000:
        raise CommandRefused("--rows must be at least 1000")
    results: dict[str, Any] = {"rows": args.rows,
                               "measured_at": dt.datetime.now().isoformat(timespec="seconds")}
    with tempfile.TemporaryDirectory(prefix="cx-bench-") as tmp:
        if "demo" not in args.skip:
            results.update(_demo_and_engine(args.rows, args.skip, Path(tmp)))
        if "ingest" not in args.skip:
            results["ingest"] = ingest_benchmark(args.rows, Path(tmp))
    results["peak_rss_mb"] = _peak_rss_mb()
    return CommandResult(results, _text(results))


def _text(r: dict[str, Any]) -> str:
    lines = [f"CX Lens benchmark, {r['rows']:,} rows ({r['measured_at']})"]
    if "demo" in r:
        d = r["demo"]
        lines.append(f"  demo data, scale {d['scale']}: {d['seconds']} s for "
                     + ", ".join(f"{n:,} {t}" for t, n in d["rows"].items()))
    if "engine" in r:
        e = r["engine"]
        lines.append(f"  metric engine: {e['engine_seconds']} s vs hand-written SQL "
                     f"{e['hand_sql_seconds']} s (ratio {e['ratio']}); with a time-zone "
                     f"conversion {e['engine_tz_seconds']} s; counts equal: {e['counts_equal']}")
    if "ingest" in r:
        i = r["ingest"]
        lines.append(f"  ingest ({i['file_mb']} MB CSV): {i['ingest_seconds']} s vs read_csv "
                     f"{i['read_csv_seconds']} s (ratio {i['ratio']}), {i['rows_loaded']:,} loaded")
    lines.append(f"  peak memory: {r['peak_rss_mb']} MB")
    return "\n".join(lines)
