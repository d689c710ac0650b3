"""`python -m cx analyze segments|correlation|drivers|trend` (PRODUCT.md §6).

Each subcommand parses its flags, calls one cx.analysis function and prints its tidy table
(--json) or the one-line reading plus the table (text). Filters are the `metric` command's
(--where, --from, --to), so the same flags mean the same rows everywhere.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

import pandas as pd

from cx.analysis.correlation import METHODS, correlation_analysis
from cx.analysis.drivers import key_drivers
from cx.analysis.segments import segment_table
from cx.analysis.trends import BASELINES, trend_analysis
from cx.cli.base import CommandRefused, CommandResult
from cx.cli.metric import _filters, empty_shape
from cx.config import Settings
from cx.domain import Grain
from cx.metrics import Engine
from cx.engines import open_store
from cx.storage.schema import RECORD_TABLES


def _filter_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--where", action="append", default=[], metavar="FIELD=VALUE",
                   help="keep records with FIELD=VALUE (repeat a field for OR)")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="first day (inclusive)")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="last day (inclusive)")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    top = subparsers.add_parser("analyze", parents=[common],
                                help="segments, correlation, key drivers, trends")
    sub = top.add_subparsers(dest="analysis", metavar="ANALYSIS", required=True)
    seg = sub.add_parser("segments", parents=[common], help="each segment vs the rest, BH badges")
    seg.add_argument("--metric", required=True, help="catalog metric, e.g. nps, csat")
    seg.add_argument("--by", required=True, metavar="FIELD", help="dimension to split by")
    cor = sub.add_parser("correlation", parents=[common], help="two numeric fields of a table")
    cor.add_argument("--table", default="tickets", choices=RECORD_TABLES)
    cor.add_argument("--x", default="resolution_hours", help="x field (logged by pearson_log)")
    cor.add_argument("--y", default="csat", help="y field")
    cor.add_argument("--method", default="spearman", choices=METHODS)
    cor.add_argument("--control", metavar="FIELD", help="dimension for partial / per-group r")
    drv = sub.add_parser("drivers", parents=[common], help="key driver analysis (Shapley/LMG)")
    drv.add_argument("--table", default="responses", choices=RECORD_TABLES)
    drv.add_argument("--outcome", required=True, metavar="FIELD|FIELD=VALUE")
    drv.add_argument("--drivers", metavar="a,b,...", help="default: every rating column")
    drv.add_argument("--seed", type=int, default=0, help="bootstrap seed")
    trd = sub.add_parser("trend", parents=[common], help="series, change tests, p-chart")
    trd.add_argument("--metric", required=True)
    trd.add_argument("--grain", default="week", choices=[g.value for g in Grain])
    trd.add_argument("--baseline", default="others", choices=BASELINES,
                     help="p-chart limits from the other periods, a trailing window, or all")
    for p, handler in ((seg, _segments), (cor, _correlation), (drv, _drivers), (trd, _trend)):
        _filter_flags(p)
        p.set_defaults(func=_guard(handler))


def _guard(handler: Any) -> Any:
    """Bad field names and arguments become exit-1 refusals with the library's message."""
    def run(args: argparse.Namespace, settings: Settings) -> CommandResult:
        engine = Engine(open_store(settings), settings)
        try:
            return handler(args, engine)
        except ValueError as exc:
            raise CommandRefused(str(exc)) from None
    return run


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:.4f}"
    return str(value)


def _text(reading: str, table: pd.DataFrame, columns: list[str]) -> str:
    lines = [reading, "  ".join(columns)]
    lines += ["  ".join(_fmt(v) for v in row) for row in table[columns].itertuples(index=False)]
    return "\n".join(lines)


def _segments(args: argparse.Namespace, engine: Engine) -> CommandResult:
    res = segment_table(engine, args.metric, args.by, _filters(args))
    cols = ["segment", "value", "n", "ci_low", "ci_high", "diff_vs_rest", "p", "q", "badge"]
    empty = bool(res.table.empty or (res.table["n"].fillna(0) == 0).all())
    data = empty_shape(res.to_dict(), empty, "metric", "rows")
    data["comparable"] = data["comparable"] and not empty  # nothing to compare
    return CommandResult(data=data, text=_text(res.reading, res.table, cols))


def _correlation(args: argparse.Namespace, engine: Engine) -> CommandResult:
    res = correlation_analysis(engine, args.table, args.x, args.y, args.method, args.control,
                               _filters(args))
    data = empty_shape(res.to_dict(), not res.summary["n"], "pair of fields", "by_group",
                       "bins")
    return CommandResult(data=data, text=_text(res.reading, res.by_group,
                                               list(res.by_group.columns)))


def _drivers(args: argparse.Namespace, engine: Engine) -> CommandResult:
    names = [d.strip() for d in args.drivers.split(",") if d.strip()] if args.drivers else None
    res = key_drivers(engine, args.table, args.outcome, names, _filters(args), args.seed)
    cols = ["name", "importance", "share", "ci_low", "ci_high", "r", "performance", "quadrant"]
    data = empty_shape(res.to_dict(), not res.n, "outcome and its drivers", "drivers")
    return CommandResult(data=data, text=_text(res.reading, res.drivers, cols))


def _trend(args: argparse.Namespace, engine: Engine) -> CommandResult:
    res = trend_analysis(engine, args.metric, args.grain, _filters(args), args.baseline)
    cols = ["period", "value", "n", "ci_low", "ci_high", "change", "change_p"]
    empty = bool(res.table.empty or (res.table["n"].fillna(0) == 0).all())
    data = empty_shape(res.to_dict(), empty, "metric", "rows")
    data["comparable"] = data["comparable"] and not empty
    return CommandResult(data=data, text=_text(res.reading, res.table, cols))
