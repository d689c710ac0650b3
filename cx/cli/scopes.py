"""`users scope NAME --where F=V... | --clear`, `users scope --group G ...`, `users scope` (list).

A data scope limits the rows a user (or every member of an SSO group) sees: in the app, in
exports and snapshots, and on the command line with `--as-user` (cx.auth.scopes). Every change is
written to the audit log with the operating-system user who ran the command.
"""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from cx.auth import scopes
from cx.cli.base import CommandRefused, CommandResult
from cx.config import Settings
from cx.storage import Store


def register(actions: Any, common: argparse.ArgumentParser) -> None:
    p = actions.add_parser("scope", parents=[common], help="set, clear or list data scopes",
                           description="Limit what a user or an SSO group sees to the rows "
                                       "matching --where (repeat a field for OR, different "
                                       "fields are AND). Without a name: list every scope.")
    p.add_argument("name", nargs="?", help="the username (or, with --group, the group)")
    p.add_argument("--group", action="store_true", help="NAME is an SSO group, not a user")
    p.add_argument("--where", action="append", default=[], metavar="FIELD=VALUE",
                   help=f"scope fields: {', '.join(scopes.SCOPE_FIELDS)}")
    p.add_argument("--clear", action="store_true", help="remove the scope (see everything)")
    p.set_defaults(func=handle)


def actor() -> str:
    """Who ran the command, for the audit log."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for this uid (a bare container)
        return "cli"


def _listing(store: Store) -> CommandResult:
    rows = [{"kind": kind, "name": name, "where": {k: list(v) for k, v in clause},
             "scope": scopes.Scope((clause,)).describe()}
            for kind, name, clause in scopes.all_scopes(store)]
    text = "\n".join(f"{r['kind']:<6} {r['name']:<24} {r['scope']}" for r in rows)
    return CommandResult(data={"scopes": rows}, text=text or "no data scopes: everyone sees all")


def handle(args: argparse.Namespace, settings: Settings) -> CommandResult:
    store = Store(settings.db_path)
    if not args.name:
        if args.where or args.clear or args.group:
            raise CommandRefused("name the user (or, with --group, the group) to scope")
        return _listing(store)
    if args.clear == bool(args.where):
        raise CommandRefused("give either --where FIELD=VALUE (one or more) or --clear")
    kind: scopes.ScopeKind = "group" if args.group else "user"
    try:
        clause = None if args.clear else scopes.parse_where(args.where)
        changed = scopes.change_scope(store, kind, args.name, clause, actor())
    except ValueError as exc:
        raise CommandRefused(str(exc)) from None
    if clause is None:
        text = f"cleared the scope of {kind} {args.name}" if changed else \
            f"{kind} {args.name} had no scope; nothing changed"
        return CommandResult(data={"kind": kind, "name": args.name, "cleared": changed}, text=text)
    described = scopes.Scope((clause,)).describe()
    return CommandResult(data={"kind": kind, "name": args.name,
                               "where": {k: list(v) for k, v in clause}, "scope": described},
                         text=f"{kind} {args.name} now sees: {described}")
