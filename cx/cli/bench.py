"""`python -m cx bench [--rows N]`: the performance benchmark whose numbers go in notes and README.

Three measurements, each against a plain-DuckDB baseline where one exists:
- demo generation at a scale large enough to hold about N responses;
- ingest of a generated N-row CSV with full validation vs DuckDB's bare read_csv;
- the metric engine vs a hand-written query for the same counts.
Each comparison runs its two sides in alternation (A, B, A, B …, at least 7 pairs; cx.bench.timing) and
reports min / median / max of each and the median of the paired ratios. Timings are wall-clock
seconds on this machine; nothing here is asserted by a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from cx.cli.base import CommandRefused, CommandResult
from cx.config import Settings
from cx.demo import build_demo
from cx.domain import Role
from cx.ingest.bench import ingest_benchmark
from cx.metrics.bench import engine_benchmark
from cx.storage import Store
from cx.bench.timing import MIN_PAIRS

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
    p.add_argument("part", nargs="?", choices=("all", "pages"), default="all",
                   help="'pages': start a server and time every page in Chromium as each role, "
                        "cold and warm (needs Debian's chromium and playwright)")
    p.add_argument("--role", choices=[r.value for r in Role], action="append", default=None,
                   help="pages: only this role (repeatable; default every role)")
    p.add_argument("--data", type=Path, default=None, metavar="DB",
                   help="pages: time a copy of this database instead of building demo data "
                        "(the same data for runs to compare)")
    p.add_argument("--out", type=Path, default=None,
                   help="also write the JSON result to this file")
    p.add_argument("--rows", type=int, default=1_000_000,
                   help="responses in the benchmark data and rows in the ingest file (default 1M)")
    p.add_argument("--skip", choices=("demo", "ingest", "engine"), action="append", default=[],
                   help="leave out one part (repeatable)")
    p.add_argument("--pairs", type=int, default=MIN_PAIRS,
                   help=f"alternated runs of each side, A B A B … (at least {MIN_PAIRS}, the "
                        "default)")
    p.set_defaults(func=handle)


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _demo_and_engine(rows: int, skip: list[str], workdir: Path, pairs: int) -> dict[str, Any]:
    store = Store(workdir / "bench.duckdb")
    scale = rows / RESPONSES_PER_SCALE
    started = time.perf_counter()
    built = build_demo(store, seed=7, scale=scale, end=DEMO_END)
    out: dict[str, Any] = {"demo": {"scale": round(scale, 3), "rows": built.rows,
                                    "seconds": round(time.perf_counter() - started, 2)}}
    if "engine" not in skip:
        out["engine"] = engine_benchmark(store, pairs=pairs)
    return out


def handle(args: argparse.Namespace, settings: Settings) -> CommandResult:
    if args.rows < 1_000:
        raise CommandRefused("--rows must be at least 1000")
    if args.pairs < MIN_PAIRS:
        raise CommandRefused(f"--pairs must be at least {MIN_PAIRS}: a median of fewer "
                             "alternated runs moves with the machine's load")
    results: dict[str, Any] = {"rows": args.rows,
                               "measured_at": dt.datetime.now().isoformat(timespec="seconds")}
    if args.part == "pages":
        return _pages(args, results)
    with tempfile.TemporaryDirectory(prefix="cx-bench-") as tmp:
        if "demo" not in args.skip:
            results.update(_demo_and_engine(args.rows, args.skip, Path(tmp), args.pairs))
        if "ingest" not in args.skip:
            results["ingest"] = ingest_benchmark(args.rows, Path(tmp), args.pairs)
    results["peak_rss_mb"] = _peak_rss_mb()
    return _done(args, results, _text(results))


def _done(args: argparse.Namespace, results: dict[str, Any], text: str) -> CommandResult:
    if args.out is not None:
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return CommandResult(results, text)


def _pages(args: argparse.Namespace, results: dict[str, Any]) -> CommandResult:
    """Demo data with about ROWS responses, then every page in Chromium as each role."""
    from cx.bench.pages import page_benchmark

    if args.data is not None and not args.data.is_file():
        raise CommandRefused(f"--data {args.data}: no such database file")
    with tempfile.TemporaryDirectory(prefix="cx-bench-pages-") as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        if args.data is not None:
            shutil.copyfile(args.data, store.path)
            counts = store.table_counts()
            results["rows"] = counts["responses"]
            results["demo"] = {"copied_from": args.data.name, "rows": counts}
        else:
            scale = args.rows / RESPONSES_PER_SCALE
            built = build_demo(store, seed=7, scale=scale, end=DEMO_END)
            results["demo"] = {"scale": round(scale, 3), "rows": built.rows}
        roles = [Role(r) for r in args.role] if args.role else list(Role)
        results.update(page_benchmark(store.path, Path(tmp) / "credentials.yaml", Path(tmp),
                                      roles))
    return _done(args, results, _pages_text(results))


def _pages_text(r: dict[str, Any]) -> str:
    lines = [f"CX Lens pages in Chromium, {r['rows']:,} responses ({r['measured_at']})",
             f"  server healthy after {r['server_healthy_seconds']} s, login page drawn after "
             f"{r['first_page_seconds']} s; first login to its landing page drawn "
             f"{r['first_login_seconds']} s; warm-up {r['warm_up_seconds']} s; "
             f"server memory {r['server_rss_mb']} MB at the end",
             f"  {'role':<10} {'page':<10} {'cold s':>7} {'warm s':>7}"]
    for role, found in r["roles"].items():
        for name, t in found["pages"].items():
            lines.append(f"  {role:<10} {name:<10} {t['cold_seconds']:>7.2f} "
                         f"{t['warm_seconds']:>7.2f}")
    return "\n".join(lines)


def _text(r: dict[str, Any]) -> str:
    lines = [f"CX Lens benchmark, {r['rows']:,} rows ({r['measured_at']})"]
    if "demo" in r:
        d = r["demo"]
        lines.append(f"  demo data, scale {d['scale']}: {d['seconds']} s for "
                     + ", ".join(f"{n:,} {t}" for t, n in d["rows"].items()))
    if "engine" in r:
        e, t = r["engine"], r["engine"]["timing"]
        lines.append(f"  metric engine vs hand-written SQL, {t['utc']['pairs']} alternated pairs:"
                     f" counts equal: {e['counts_equal']}")
        lines.append(_pair_line("UTC", t["utc"], "engine", "hand_sql"))
        lines.append(_pair_line("Europe/Berlin", t["tz"], "engine_tz", "hand_sql_utc"))
    if "ingest" in r:
        i = r["ingest"]
        lines.append(f"  ingest ({i['file_mb']} MB CSV) vs read_csv into a file database, "
                     f"{i['timing']['pairs']} alternated pairs: {i['rows_loaded']:,} loaded")
        lines.append(_pair_line("ingest", i["timing"], "ingest", "read_csv"))
    lines.append(f"  peak memory: {r['peak_rss_mb']} MB")
    return "\n".join(lines)


def _pair_line(label: str, timing: dict[str, Any], a: str, b: str) -> str:
    """'    UTC: 0.012 s [0.011–0.015] vs 0.010 s [0.009–0.012], paired ratio 1.21 [1.05–1.4]'."""
    def spread(side: dict[str, float]) -> str:
        return f"{side['median']:.4g} s [{side['min']:.4g}–{side['max']:.4g}]"
    return (f"    {label}: {spread(timing[a])} vs {spread(timing[b])} (median [min–max]), "
            f"paired ratio {timing['ratio']:.3g} [{timing['ratio_min']:.3g}–"
            f"{timing['ratio_max']:.3g}]")
