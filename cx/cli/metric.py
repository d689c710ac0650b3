"""`python -m cx metric NAME [--by F]... [--where F=V]... [--from D] [--to D] [--grain G]`."""

from __future__ import annotations

import argparse
import datetime as dt
import math
from typing import Any

from cx.cli.base import CommandRefused, CommandResult
from cx.config import Settings
from cx.domain import DateRange, Filters, Grain
from cx.metrics import CATALOG, Engine, MetricQuery, MetricResult
from cx.engines import open_store


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "metric", parents=[common], help="compute one metric (value, n, 95%% CI, reliability)",
        description="Metrics: " + ", ".join(m.name for m in CATALOG),
    )
    p.add_argument("name", help="metric name, e.g. nps, csat, churn_rate")
    p.add_argument("--by", action="append", default=[], metavar="FIELD", help="group by a field")
    p.add_argument("--where", action="append", default=[], metavar="FIELD=VALUE",
                   help="keep records with FIELD=VALUE (repeat a field for OR)")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="first day (inclusive)")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="last day (inclusive)")
    p.add_argument("--grain", choices=[g.value for g in Grain], help="one row per period")
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DDTHH:MM",
                   help="age open tickets at this UTC time (default: latest ticket timestamp)")
    p.add_argument("--interval", default="adjusted_wald",
                   choices=["adjusted_wald", "score", "wald"],
                   help="NPS interval method")
    p.add_argument("--explain", action="store_true", help="print the SQL instead of running it")
    p.set_defaults(func=handle)


def _date(text: str | None, flag: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandRefused(f"{flag} {text!r} is not a date like 2024-01-31") from None


def _filters(args: argparse.Namespace) -> Filters:
    values: dict[str, list[str]] = {}
    for item in args.where:
        field, sep, value = item.partition("=")
        if not sep or not field.strip():
            raise CommandRefused(f"--where {item!r} must look like FIELD=VALUE")
        values.setdefault(field.strip(), []).append(value.strip())
    try:
        dates = DateRange(_date(args.date_from, "--from"), _date(args.date_to, "--to"))
    except ValueError as exc:
        raise CommandRefused(str(exc)) from None
    return Filters.of(dates, **values)


def build_query(args: argparse.Namespace) -> MetricQuery:
    as_of = None
    if args.as_of:
        try:
            as_of = dt.datetime.fromisoformat(args.as_of)
        except ValueError:
            raise CommandRefused(f"--as-of {args.as_of!r} is not a timestamp") from None
    try:
        return MetricQuery(metric=args.name, filters=_filters(args), by=tuple(args.by),
                           grain=Grain(args.grain) if args.grain else None, as_of=as_of,
                           nps_method=args.interval)
    except ValueError as exc:
        raise CommandRefused(str(exc)) from None


NOTHING_MATCHES = ("nothing matches the filters: no record in scope has a value for this "
                   "{what}; widen --where / --from / --to")


def empty_shape(data: dict[str, Any], empty: bool, what: str, *lists: str) -> dict[str, Any]:
    """One empty shape for every reading command (issue 14 item 9): the same keys as an answer
    with data, plus ``empty``; when nothing matches, the row lists named are [] (no rows of
    zeros or nulls) and ``notes`` says so first. The exit code stays 0: an empty answer is an
    answer, not an error."""
    data["empty"] = empty
    if empty:
        for name in lists:
            data[name] = []
        data["notes"] = [NOTHING_MATCHES.format(what=what), *data.get("notes", [])]
    return data


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:.4f}"
    return str(value)


def _text(result: MetricResult) -> str:
    lines = [f"{result.metric.label} ({result.metric.unit.value})"]
    cols = list(result.query.keys) + ["value", "n", "ci_low", "ci_high", "reliability"]
    lines.append("  ".join(cols))
    for row in result.rows[cols].itertuples(index=False):
        lines.append("  ".join(_fmt(v) for v in row))
    lines += [f"note: {n}" for n in result.notes]
    return "\n".join(lines)


def handle(args: argparse.Namespace, settings: Settings) -> CommandResult:
    query = build_query(args)
    engine = Engine(open_store(settings), settings)
    try:
        if args.explain:
            sql = engine.explain(query)
            return CommandResult(data={"metric": query.metric, "sql": sql}, text=sql)
        result = engine.run(query)
    except ValueError as exc:
        raise CommandRefused(str(exc)) from None
    empty = bool(result.rows.empty or (result.rows["n"].fillna(0) == 0).all())
    data = empty_shape(result.to_dict(), empty, "metric", "rows")
    text = _text(result) + (f"\nnote: {data['notes'][0]}" if empty else "")
    return CommandResult(data=data, text=text)
