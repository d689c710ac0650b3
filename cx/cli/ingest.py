"""`python -m cx ingest FILE --table T ...` (PRODUCT.md §6): load a CSV / XLSX / Parquet file."""

from __future__ import annotations

import argparse

from cx.cli.base import CommandRefused, CommandResult
from cx.config import Settings
from cx.ingest import IngestOptions, IngestReport, load, validate
from cx.ingest.options import (
    check_codec, parse_date, parse_date_time, parse_map, parse_missing, parse_na_codes,
    parse_scales, parse_units,
)
from cx.ingest.problems import MAP_COLUMN, ONE_DATE, REPLACE_BATCH, Problem
from cx.engines import open_store, writable
from cx.storage.schema import RECORD_TABLES


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "ingest", parents=[common], help="load a CSV / XLSX / Parquet file as one batch",
        description="Headers are matched to fields where unambiguous; --map overrides. "
                    "Exit 1 when the file is refused (nothing written).",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--table", required=True, choices=RECORD_TABLES)
    p.add_argument("--map", action="append", default=[], metavar="'Source header=field'")
    p.add_argument("--unit", action="append", default=[], metavar="'Source header=seconds'",
                   help="duration unit: seconds, minutes, hours or hms (H:MM:SS)")
    p.add_argument("--scale", action="append", default=[], metavar="'field=1-5'")
    p.add_argument("--missing", action="append", default=[], metavar="'Header=0'",
                   help="a code meaning 'not applicable' (stored as missing); a bare code "
                        "applies to every rating column")
    p.add_argument("--na-codes", metavar="'NA,N/A,-'",
                   help="comma-separated codes that mean 'missing' in every column (default: "
                        "NA, N/A, n/a, NaN, null, -, . and blank)")
    p.add_argument("--reverse", action="append", default=[], metavar="FIELD",
                   help="reverse-code a score at ingestion (e.g. ces where 1 = easy)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="one date for a file without one")
    p.add_argument("--on-error", choices=("reject", "skip"), default="reject")
    p.add_argument("--encoding", type=codec, help="CSV encoding (default: detected per file)")
    p.add_argument("--sheet", help="XLSX sheet name (default: the first)")
    p.add_argument("--delimiter", help="CSV delimiter (default: sniffed)")
    p.add_argument("--date-order", choices=("dmy", "mdy"),
                   help="for dates like 03/04/2023 that the column itself cannot settle")
    p.add_argument("--date-time", action="append", default=[], metavar="'Date header=Time header'",
                   help="read a date column and a time-of-day column as one timestamp "
                        "(found without this when named like Date/Time or Call Date/Call Time)")
    p.add_argument("--replace", action="store_true",
                   help="the same file is loaded already: replace that batch (one transaction)")
    p.add_argument("--dry-run", action="store_true", help="validate and show the mapping only")
    p.set_defaults(func=handle)


def codec(name: str) -> str:
    """--encoding is checked while parsing, so a typo is a usage error (exit 2), not a crash."""
    try:
        check_codec(name)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--encoding ")) from None
    return name


def options_from(args: argparse.Namespace) -> IngestOptions:
    try:
        return IngestOptions(
            table=args.table, mapping=parse_map(args.map), units=parse_units(args.unit),
            scales=parse_scales(args.scale), missing=parse_missing(args.missing),
            na_codes=parse_na_codes(args.na_codes),
            reverse=tuple(args.reverse), date=parse_date(args.date), on_error=args.on_error,
            encoding=args.encoding, sheet=args.sheet, delimiter=args.delimiter,
            date_order=args.date_order, replace=args.replace,
            date_time=parse_date_time(args.date_time),
        )
    except (ValueError, LookupError) as exc:
        raise CommandRefused(str(exc)) from exc


def handle(args: argparse.Namespace, settings: Settings) -> CommandResult:
    options = options_from(args)
    with writable(open_store(settings)) as store:
        report = (validate if args.dry_run else load)(store, args.file, options)
    data = report.as_json()
    if report.refused:
        hint_text = hint(report.problem) or (
            f" (on the command line: {report.flag})" if report.flag else "")
        raise CommandRefused(report.message + hint_text,
                             {k: v for k, v in data.items() if k != "error"})
    return CommandResult(data=data, text=_text(report))


def hint(problem: Problem | None) -> str:
    """The command-line way to settle a problem the core describes without naming flags."""
    if problem is None:
        return ""
    ways = {MAP_COLUMN: f'--map "HEADER={problem.field}"', ONE_DATE: "--date YYYY-MM-DD",
            REPLACE_BATCH: "--replace"}
    flags = [ways[c] for c in problem.choices if c in ways]
    return f" (on the command line: {' or '.join(flags)})" if flags else ""


def _text(report: IngestReport) -> str:
    lines = [report.message, "", "mapping:"]
    for col in report.plan.get("columns", []):
        extra = ", ".join(f"{k} {v}" for k, v in col.items()
                          if k in ("unit", "scale", "missing", "family") and v)
        lines.append(f"  {col['header']!r:40} -> {col['field']} ({col['kind']}, {col['how']}"
                     f"{', ' + extra if extra else ''})")
    for name, how in report.plan.get("derived", {}).items():
        lines.append(f"  {'(derived)':40} -> {name}: {how}")
    missing = {h: n for h, n in report.plan.get("missing", {}).items() if n}
    if missing:
        lines.append("missing values: " + ", ".join(f"{h!r} {n}" for h, n in missing.items()))
    lines.append(f"rows read {report.rows_read}, new {report.rows_loaded}, "
                 f"duplicate {report.rows_duplicate}, rejected {report.rows_rejected}")
    for row, column, message in report.errors.head(20).itertuples(index=False):
        lines.append(f"  row {row}, {column}: {message}")
    if len(report.errors) > 20:
        lines.append(f"  ... and {len(report.errors) - 20} more errors (--json lists 1,000)")
    return "\n".join(lines)
