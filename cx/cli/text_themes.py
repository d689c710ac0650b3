"""`python -m cx text themes [list|add|remove|history|suggest|accept]`: the theme dictionary."""

from __future__ import annotations

import argparse
from typing import Any

from cx.cli.base import CommandRefused, CommandResult
from cx.config import Settings
from cx.engines import open_store
from cx.storage import Store
from cx.text import service
from cx.text.suggest import suggest

ACTIONS = ("list", "add", "set", "remove", "history", "suggest", "accept")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "themes", parents=[common], help="list or edit the theme dictionary, suggest themes",
        description="list: the dictionary in force. add/set THEME --lang L --terms 'a, b': add "
                    "keywords or phrases (set: replace the list). remove THEME [--lang L]. "
                    "history [THEME]. suggest [--lang L]: themes found in the comments (TF-IDF "
                    "+ NMF). accept N [--name NAME]: add suggestion N to the dictionary. A "
                    "change makes comments stale until `python -m cx text rebuild`.")
    p.add_argument("action", nargs="?", choices=ACTIONS, default="list")
    p.add_argument("target", nargs="?", default=None, metavar="THEME|N",
                   help="the theme (add, set, remove, history) or the suggestion number (accept)")
    p.add_argument("--lang", default=None, help="ISO 639-1 code (add, set: required; "
                                                "suggest, accept: default en)")
    p.add_argument("--terms", default=None, help="comma-separated keywords or phrases")
    p.add_argument("--name", default=None, help="accept: the theme's name (default: top phrase)")
    p.add_argument("-k", type=int, default=8, help="suggest, accept: how many themes (default 8)")
    p.add_argument("--unthemed", action="store_true",
                   help="suggest, accept: only comments that match no theme yet")
    p.add_argument("--user", default="cli", help="who made the change (kept in the history)")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace, settings: Settings) -> CommandResult:
    store = open_store(settings)  # the dictionary lives with the records (cx.engines)
    try:
        data = _run(args, store)
    except ValueError as exc:
        raise CommandRefused(str(exc)) from exc
    return CommandResult(data, _text(args.action, data))


def _need(value: Any, what: str, action: str) -> Any:
    if value in (None, ""):
        raise ValueError(f"`text themes {action}` needs {what}")
    return value


def _run(args: argparse.Namespace, store: Store) -> Any:
    action, lang = args.action, args.lang
    if action == "list":
        return service.themes(store)
    if action == "history":
        return service.history(store, args.target)
    if action in ("add", "set"):
        theme = _need(args.target, "a theme name", action)
        terms = _need(args.terms, "--terms 'keyword, phrase, …'", action).split(",")
        return service.add(store, theme, _need(lang, "--lang (en, fr, …)", action), terms,
                           args.user, replace=action == "set")
    if action == "remove":
        return service.remove(store, _need(args.target, "a theme name", action), args.user, lang)
    if action == "suggest":
        return [s.as_dict() for s in suggest(store, lang or "en", k=args.k,
                                             unthemed=args.unthemed)]
    number = _need(args.target, "the suggestion number", action)
    if not str(number).isdigit():
        raise ValueError(f"accept takes a suggestion number from `text themes suggest`, "
                         f"not {number!r}")
    return service.accept(store, int(number), lang or "en", args.user, args.name, k=args.k,
                          unthemed=args.unthemed)


def _text(action: str, data: Any) -> str:
    if action == "list":
        lines = [f"theme dictionary version {data['version']}:"]
        lines += [f"  {t['theme']:<18} {t['lang']}  {t['comments']:>8,} comments  "
                  f"{', '.join(t['terms'])}" for t in data["themes"]]
        return "\n".join(lines)
    if action == "history":
        return "\n".join(f"v{e['version']:<4} {e['changed_at']:%Y-%m-%d %H:%M} "
                         f"{e['changed_by'] or '':<10} {e['theme']:<18} {e['lang']} "
                         f"{'removed' if e['removed'] else ', '.join(e['terms'])}"
                         for e in data) or "no changes yet"
    if action == "suggest":
        return "\n".join(f"  {s['number']}. {s['label']:<45} {s['comments']:>7,} comments "
                         f"({s['share']:.1%})  {', '.join(s['terms'])}" for s in data) \
            or "too few comments in that language to suggest themes"
    what = (f"theme {data['theme']!r} removed" if action == "remove"
            else f"theme {data['theme']!r} ({data['lang']}): {', '.join(data['terms'])}")
    return (f"{what}; dictionary version {data['version']}. {data['stale_comments']:,} comments "
            "are stale: run `python -m cx text rebuild`")
