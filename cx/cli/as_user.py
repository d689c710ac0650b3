"""`--as-user NAME` on the reading commands: answer exactly what NAME sees in the app.

Both halves of what a person sees apply: their role (a command that shows what their role's
pages do not is refused, as the app would not show the page) and their data scope (the engine
reads only the rows of their scope, through the same compiler path as the app). Why a refusal
and not an empty answer: an empty answer would claim "no data" where the truth is "not yours".
"""

from __future__ import annotations

import argparse
from typing import Any

from cx.auth import access, users
from cx.auth.scopes import scope_for, scoped_groups
from cx.cli.base import CommandRefused
from cx.config import Settings
from cx.domain import Scope
from cx.engines import open_store
from cx.metrics import Engine, get_metric
from cx.storage import Store
from cx.views.kpis import OVERVIEW_METRICS

# The page whose numbers a metric grouped by something is: the table's own page.
_TABLE_PAGE = {"responses": "segments", "tickets": "tickets", "customers": "customers"}


def add_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-user", dest="as_user", metavar="NAME",
                        help="answer as this user sees it in the app: their role's pages and "
                             "only the rows of their data scope")


def metric_page(name: str, by: tuple[str, ...]) -> str:
    """The app page that shows this metric: the Overview (tiles, weekly trend) when ungrouped,
    else the page of its table (Segments for survey metrics)."""
    metric = get_metric(name)
    if not by and (name in OVERVIEW_METRICS or metric.table == "responses"):
        return "overview"
    return _TABLE_PAGE[metric.table]


def reader_scope(args: argparse.Namespace, settings: Settings, store: Store, page: str,
                 groups: tuple[str, ...] = ()) -> Scope | None:
    """The scope to read in: None (no --as-user: everything, as before), else the user's."""
    name = getattr(args, "as_user", None)
    unknown = sorted(set(groups) - set(scoped_groups(store, groups)))
    if unknown:  # a typo must not mail a whole company's numbers to a regional list
        raise CommandRefused(f"--as-group {', '.join(unknown)}: no data scope is stored for "
                             "this group (see `python -m cx users scope`)")
    if not name:
        return scope_for(store, "", groups) if groups else None
    user = users.load_users(settings.users_path).get(name)
    if user is None:
        raise CommandRefused(f"--as-user {name!r}: no such user (see `python -m cx users list`)")
    if not access.can_view(user.role, page):
        raise CommandRefused(f"--as-user {name}: the role {user.role.value} does not see the "
                             f"{access.page(page).title} page, so {name} sees none of this")
    return scope_for(store, name, groups)


def scoped_engine(args: argparse.Namespace, settings: Settings, page: str) -> Engine:
    # the records on the configured engine; who may see what in the local DuckDB file
    state = Store(settings.db_path)
    return Engine(open_store(settings), settings, scope=reader_scope(args, settings, state, page))


def describe(args: argparse.Namespace, engine: Engine) -> dict[str, Any]:
    """What --json says about the reader (empty without --as-user)."""
    if not getattr(args, "as_user", None) or engine.scope is None:
        return {}
    return {"as_user": {"name": args.as_user, "scope": engine.scope.describe()}}
