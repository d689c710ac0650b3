"""`python -m cx text top|emerging` (issue 15 item 7): what comments talk about, and what grows.

Why a module of its own: cx.cli.text (the text features' owner) registers the `text` group with
`rebuild` and `themes`; these two subcommands are analyses and join that group here. When this
module registers first (or alone), it creates the group itself, so either order works.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from cx.analysis.themes import emerging_themes, theme_by_group, theme_effects
from cx.analysis.words import distinguishing_words
from cx.cli import as_user
from cx.cli.analyze import _filter_flags, _guard, _text
from cx.cli.base import CommandRefused, CommandResult
from cx.cli.metric import _filters, empty_shape
from cx.metrics import Engine

EFFECT_METRICS = ("nps", "csat", "csat_mean")


def _text_group(subparsers: Any, common: argparse.ArgumentParser) -> Any:
    """The `text` command's subparsers, created here unless another module made them."""
    parser = subparsers.choices.get("text")
    if parser is None:
        parser = subparsers.add_parser("text", parents=[common],
                                       help="comment themes and sentiment")
        return parser.add_subparsers(dest="text_command", metavar="TEXT_COMMAND", required=True)
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Called with the top-level subparsers (COMMAND_MODULES) or with the `text` group's own
    (cx.cli.text's TEXT_COMMANDS, dest "text_command"): either way top and emerging join it."""
    is_group = getattr(subparsers, "dest", None) == "text_command"
    sub = subparsers if is_group else _text_group(subparsers, common)
    top = sub.add_parser("top", parents=[common],
                         help="themes among detractors, their effect on a metric, telling words")
    top.add_argument("--metric", default="nps", choices=EFFECT_METRICS,
                     help="metric whose difference (theme vs the other comments) is tested")
    top.add_argument("--limit", type=int, default=10, help="rows per list")
    emg = sub.add_parser("emerging", parents=[common],
                         help="each theme's share this week against last week")
    emg.add_argument("--week", metavar="YYYY-MM-DD",
                     help="Monday of the week (default: the latest week with comments)")
    for p, handler in ((top, _top), (emg, _emerging)):
        _filter_flags(p)
        as_user.add_flag(p)
        p.set_defaults(func=_guard(handler, "verbatims"))


def _top(args: argparse.Namespace, engine: Engine) -> CommandResult:
    filters = _filters(args)
    groups = theme_by_group(engine, filters)
    detractors = groups[groups["group"] == "detractors"].head(args.limit)
    effects = theme_effects(engine, args.metric, filters)
    words = distinguishing_words(engine, filters)
    data = {"metric": args.metric, "detractor_themes": detractors.to_dict(orient="records"),
            "effects": effects.to_dict()["rows"], "notes": list(effects.notes),
            "words_detractors": words.head(args.limit).to_dict(orient="records"),
            "words_promoters": words.iloc[::-1].head(args.limit).to_dict(orient="records")}
    empty = bool(groups.empty)
    data = empty_shape(data, empty, "comment with a theme", "detractor_themes", "effects",
                       "words_detractors", "words_promoters")
    text = _text("Themes among detractors (share of their comments):", detractors,
                 ["theme", "mentions", "comments", "share", "ci_low", "ci_high"])
    text += "\n\n" + _text(f"Effect on {args.metric} (theme vs the other comments):",
                           effects.table, ["segment", "value", "n", "diff_vs_rest",
                                           "diff_ci_low", "diff_ci_high", "q", "badge"])
    return CommandResult(data=data, text=text)


def _week(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandRefused(f"--week {value!r} is not a date (YYYY-MM-DD)") from None
    if day.weekday() != 0:
        raise CommandRefused(f"--week must be a Monday, got {day} ({day:%A})")
    return day


def _emerging(args: argparse.Namespace, engine: Engine) -> CommandResult:
    result = emerging_themes(engine, _filters(args), week=_week(args.week))
    data = result.to_dict()
    data["emerging"] = result.emerging()["theme"].tolist()
    data = empty_shape(data, result.week is None, "comment", "rows", "series", "emerging")
    reading = (f"Week of {result.week} against the week before: "
               f"{', '.join(data['emerging']) or 'no theme'} grew significantly "
               "(two-proportion score test, Benjamini-Hochberg over the themes).")
    cols = ["theme", "mentions", "comments", "share", "previous_share", "change",
            "change_ci_low", "change_ci_high", "q", "badge"]
    return CommandResult(data=data, text=_text(reading, result.table, cols))
