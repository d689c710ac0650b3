"""`python -m cx demo`: (re)create or remove the demo data set (PRODUCT.md §6, §7)."""

from __future__ import annotations

import argparse
from typing import Any

from cx.cli.base import CommandRefused, CommandResult
from cx.config import Settings
from cx.demo import build_demo, parse_end, remove_demo
from cx.engines import open_store, writable


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "demo", parents=[common], help="(re)create the demo data set, or remove it",
        description="Builds about two years of demo data with planted effects (data/README.md) "
                    "as its own batches (source 'demo'); re-running replaces the previous demo.",
    )
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.add_argument("--scale", type=float, default=1.0,
                   help="1 = ~100k tickets, 50k responses, 20k customers; 10 = ten times that")
    p.add_argument("--end", default=None, metavar="YYYY-MM-DD",
                   help="the Sunday ending the last week (default: last complete week, UTC)")
    p.add_argument("--remove", action="store_true", help="remove all demo data and stop")
    p.add_argument("--users", action="store_true",
                   help="also create demo logins (one per role) and print their passwords")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace, settings: Settings) -> CommandResult:
    if args.remove:
        with writable(open_store(settings)) as store:
            removed = remove_demo(store)
        return CommandResult({"removed_rows": removed},
                             f"Removed the demo data ({removed} records) from {settings.db_path}.")
    try:
        end = parse_end(args.end) if args.end else None
        with writable(open_store(settings)) as store:
            result = build_demo(store, seed=args.seed, scale=args.scale, end=end)
    except ValueError as exc:
        raise CommandRefused(str(exc)) from exc
    data: dict[str, Any] = {
        "seed": result.seed, "scale": result.scale, "end": result.end.isoformat(),
        "batches": result.batches, "rows": result.rows, "seconds": result.seconds,
    }
    lines = [
        f"Demo data (seed {result.seed}, scale {result.scale:g}, weeks ending "
        f"{result.end.isoformat()}) written to {settings.db_path} in {result.seconds:.1f} s:",
        *(f"  {table:<10} {n:>12,}" for table, n in result.rows.items()),
        f"  batches: {', '.join(result.batches)}",
    ]
    if result.removed:
        lines.append(f"  (replaced the previous demo data: {result.removed:,} records)")
    if args.users:
        data["users"], user_lines = _demo_users(settings)
        lines += user_lines
    return CommandResult(data, "\n".join(lines))


def _demo_users(settings: Settings) -> tuple[list[dict[str, str]], list[str]]:
    """Create one demo login per role (cx.auth.users) and report the passwords once."""
    from cx.auth.users import create_demo_users  # only when --users is given

    created = create_demo_users(settings.users_path)
    users = [{"username": name, "role": role, "password": password}
             for name, (role, password) in sorted(created.items())]
    lines = [f"Demo logins written to {settings.users_path} (shown once, keep them safe):"]
    width = max((len(u["username"]) for u in users), default=0)
    lines += [f"  {u['username']:<{width}}  {u['role']:<9}  {u['password']}" for u in users]
    return users, lines
