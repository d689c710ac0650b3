"""`users add NAME --role R [--password-stdin] | list | remove NAME | scope ...` (PRODUCT.md §6).

A password never travels as an argument (it would land in shell history and `ps`): it comes from
standard input with --password-stdin, else from a getpass prompt, else (no terminal, e.g. cron)
a random one is generated and printed once.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from cx.auth import audit, users
from cx.cli import scopes as scopes_cli
from cx.cli.base import CommandRefused, CommandResult
from cx.config import Settings
from cx.domain import Role
from cx.storage import Store


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("users", parents=[common], help="manage logins")
    actions = parser.add_subparsers(dest="users_action", metavar="ACTION", required=True)

    add = actions.add_parser("add", parents=[common], help="add a user")
    add.add_argument("name", help="username (lowercase letters, digits, . _ -)")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input")
    add.set_defaults(func=_add)

    actions.add_parser("list", parents=[common], help="list users and roles").set_defaults(
        func=_list)

    remove = actions.add_parser("remove", parents=[common], help="remove a user")
    remove.add_argument("name")
    remove.set_defaults(func=_remove)

    scopes_cli.register(actions, common)  # users scope NAME --where F=V | --clear (data scopes)


def _read_password(args: argparse.Namespace) -> tuple[str | None, bool]:
    """(password or None for a random one, whether it was generated)."""
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise CommandRefused("--password-stdin: standard input held no password")
        return line, False
    if not sys.stdin.isatty():
        return None, True
    first = getpass.getpass("Password (empty for a random one): ")
    if not first:
        return None, True
    if getpass.getpass("Repeat password: ") != first:
        raise CommandRefused("the two passwords differ; nothing was changed")
    return first, False


def _add(args: argparse.Namespace, settings: Settings) -> CommandResult:
    password, generated = _read_password(args)
    try:
        password = users.add_user(settings.users_path, args.name, args.role, password)
    except users.UserError as exc:
        raise CommandRefused(str(exc)) from exc
    audit.record(Store(settings.db_path), scopes_cli.actor(), "user.add", f"user:{args.name}",
                 {"role": args.role})
    data = {"username": args.name, "role": args.role, "users_file": str(settings.users_path)}
    text = f"added {args.name} ({args.role}) to {settings.users_path}"
    if generated:
        data["password"] = password
        text += f"\npassword (shown once): {password}"
    return CommandResult(data=data, text=text)


def _list(args: argparse.Namespace, settings: Settings) -> CommandResult:
    try:
        found = users.load_users(Path(settings.users_path))
    except users.UserError as exc:
        raise CommandRefused(str(exc)) from exc
    rows = [{"username": u.username, "role": u.role.value} for u in found.values()]
    lines = [f"{r['username']:<24} {r['role']}" for r in rows]
    text = "\n".join(lines) if lines else f"no users in {settings.users_path}"
    return CommandResult(data={"users": rows}, text=text)


def _remove(args: argparse.Namespace, settings: Settings) -> CommandResult:
    try:
        users.remove_user(settings.users_path, args.name)
    except users.UserError as exc:
        raise CommandRefused(str(exc)) from exc
    audit.record(Store(settings.db_path), scopes_cli.actor(), "user.remove", f"user:{args.name}")
    return CommandResult(data={"removed": args.name}, text=f"removed {args.name}")
