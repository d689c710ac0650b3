"""`--as-user NAME` on the reading commands: answer exactly what NAME sees in the app.

Both halves of what a person sees apply: their role (a command that shows what their role's
pages do not is refused, as the app would not show the page) and their data scope (the engine
reads only the rows of their scope, through the same compiler path as the app). Why a refusal
and not an empty answer: an empty answer would claim "no data" where the truth is "not yours".

NAME is a local user (the credentials file) or a person who signed in through a provider
(`alice@corp`, or `sub:<subject>` when the provider sent no email): their role and scope come
from the groups of their latest sign-in (cx.auth.sso_people), through today's group mapping and
group scopes, exactly as the app derives them from the same groups.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from typing import Any

from cx.auth import access, group_roles, sso, sso_people, users
from cx.auth.scopes import scope_for, scoped_groups
from cx.cli.base import CommandRefused
from cx.config import Settings
from cx.domain import Role, Scope
from cx.engines import open_store
from cx.metrics import Engine, get_metric
from cx.storage import Store
from cx.views.kpis import OVERVIEW_METRICS

# The page whose numbers a metric grouped by something is: the table's own page.
_TABLE_PAGE = {"responses": "segments", "tickets": "tickets", "customers": "customers"}


def add_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-user", dest="as_user", metavar="NAME",
                        help="answer as this user sees it in the app: their role's pages and "
                             "only the rows of their data scope (a local user, or a person "
                             "who signed in through a provider, e.g. alice@example.com)")


def metric_page(name: str, by: tuple[str, ...]) -> str:
    """The app page that shows this metric: the Overview (tiles, weekly trend) when ungrouped,
    else the page of its table (Segments for survey metrics)."""
    metric = get_metric(name)
    if not by and (name in OVERVIEW_METRICS or metric.table == "responses"):
        return "overview"
    return _TABLE_PAGE[metric.table]


@dataclass(frozen=True)
class Reader:
    """Whom --as-user names: their role now and the groups their scope is read with."""

    name: str
    role: Role
    groups: tuple[str, ...] = ()
    signed_in_at: dt.datetime | None = None  # SSO people: the sign-in their groups are from


def find_reader(settings: Settings, store: Store, name: str) -> Reader:
    """The local user NAME, else the provider's person NAME as of their latest sign-in."""
    mode = (settings.auth_mode or "").strip().lower()  # only a mode set explicitly is known here
    if not sso_people.is_sso_name(name):
        user = users.load_users(settings.users_path).get(name)
        if user is None:
            raise CommandRefused(f"--as-user {name!r}: no such user (see `python -m cx users "
                                 "list`)")
        if mode == "sso":
            raise CommandRefused(f"--as-user {name}: CX_AUTH=sso, so local users cannot log in")
        return Reader(user.username, user.role)
    person = sso_people.find(store, name)
    if person is None:
        raise CommandRefused(f"--as-user {name!r}: nobody of this name has signed in through "
                             "a provider yet, so their groups are unknown")
    if mode == "local":
        raise CommandRefused(f"--as-user {name}: CX_AUTH=local, so nobody signs in through a "
                             "provider")
    role = sso.role_for(person.groups, group_roles.load_mapping(store))
    if role is None:
        raise CommandRefused(f"--as-user {person.username}: none of their groups "
                             f"({', '.join(person.groups) or 'none'}) maps to a role, so the "
                             "app shows them \"No access\" and no data")
    return Reader(person.username, role, person.groups, person.signed_in_at)


def reader_scope(args: argparse.Namespace, settings: Settings, store: Store, page: str,
                 groups: tuple[str, ...] = ()) -> Scope | None:
    """The scope to read in: None (no --as-user: everything, as before), else the user's.

    The reader found is kept on `args.reader` for `describe`."""
    name = getattr(args, "as_user", None)
    unknown = sorted(set(groups) - set(scoped_groups(store, groups)))
    if unknown:  # a typo must not mail a whole company's numbers to a regional list
        raise CommandRefused(f"--as-group {', '.join(unknown)}: no data scope is stored for "
                             "this group (see `python -m cx users scope`)")
    if not name:
        return scope_for(store, "", groups) if groups else None
    reader = args.reader = find_reader(settings, store, name)
    if not access.can_view(reader.role, page):
        raise CommandRefused(f"--as-user {reader.name}: the role {reader.role.value} does not "
                             f"see the {access.page(page).title} page, so {reader.name} sees "
                             "none of this")
    return scope_for(store, reader.name, tuple(dict.fromkeys(reader.groups + groups)))


def scoped_engine(args: argparse.Namespace, settings: Settings, page: str) -> Engine:
    # the records on the configured engine; who may see what in the local DuckDB file
    state = Store(settings.db_path)
    return Engine(open_store(settings), settings, scope=reader_scope(args, settings, state, page))


def describe(args: argparse.Namespace, engine: Engine) -> dict[str, Any]:
    """What --json says about the reader (empty without --as-user)."""
    reader: Reader | None = getattr(args, "reader", None)
    if not getattr(args, "as_user", None) or engine.scope is None or reader is None:
        return {}
    found: dict[str, Any] = {"name": reader.name, "role": reader.role.value,
                             "scope": engine.scope.describe()}
    if reader.signed_in_at is not None:
        found |= {"groups": list(reader.groups), "signed_in_at": reader.signed_in_at.isoformat()}
    return {"as_user": found}
