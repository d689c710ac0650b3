"""`groups map GROUP ROLE | unmap GROUP | list`: which SSO group gives which role (issue 16).

The same table the Users page edits (cx.auth.group_roles), in the database given by --db or
CX_DB; every change names its actor, `cli:<system user>`, in the audit log.
"""

from __future__ import annotations

import argparse
import getpass

from cx.auth import group_roles
from cx.cli.base import CommandRefused, CommandResult
from cx.config import Settings
from cx.domain import Role
from cx.storage import Store


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("groups", parents=[common],
                                   help="map single sign-on groups to roles")
    actions = parser.add_subparsers(dest="groups_action", metavar="ACTION", required=True)

    mapping = actions.add_parser("map", parents=[common], help="give a group's members a role")
    mapping.add_argument("group", help="the group name exactly as the provider sends it")
    mapping.add_argument("role", choices=[r.value for r in Role])
    mapping.set_defaults(func=_map)

    unmap = actions.add_parser("unmap", parents=[common], help="a group gives no role any more")
    unmap.add_argument("group")
    unmap.set_defaults(func=_unmap)

    actions.add_parser("list", parents=[common], help="list group -> role").set_defaults(
        func=_list)


def actor() -> str:
    """Who ran the command, as the audit log names them."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for this uid (a container): still say where from
        return "cli"


def _map(args: argparse.Namespace, settings: Settings) -> CommandResult:
    try:
        before = group_roles.map_group(Store(settings.db_path), args.group, args.role, actor())
    except group_roles.GroupError as exc:
        raise CommandRefused(str(exc)) from exc
    group = args.group.strip()
    was = f" (was {before})" if before else ""
    return CommandResult(data={"group": group, "role": args.role, "before": before},
                         text=f"group {group!r} -> {args.role}{was}")


def _unmap(args: argparse.Namespace, settings: Settings) -> CommandResult:
    try:
        before = group_roles.unmap_group(Store(settings.db_path), args.group, actor())
    except group_roles.GroupError as exc:
        raise CommandRefused(str(exc)) from exc
    group = args.group.strip()
    return CommandResult(data={"group": group, "removed_role": before},
                         text=f"group {group!r} no longer gives a role (was {before})")


def _list(args: argparse.Namespace, settings: Settings) -> CommandResult:
    rows = [{"group": m.group, "role": m.role.value, "changed_by": m.changed_by,
             "changed_at": m.changed_at} for m in group_roles.list_mappings(Store(settings.db_path))]
    width = max((len(r["group"]) for r in rows), default=0)
    lines = [f"{r['group']:<{width}}  {r['role']:<9}  {r['changed_by']}" for r in rows]
    return CommandResult(data={"groups": rows},
                         text="\n".join(lines) if lines else "no group is mapped to a role")
