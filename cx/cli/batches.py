"""`python -m cx batches` and `python -m cx rollback BATCH_ID` (PRODUCT.md §6)."""

from __future__ import annotations

import argparse

from cx.cli.base import CommandRefused, CommandResult
from cx.config import Settings
from cx.ingest import batches, rollback
from cx.engines import open_store, writable
from cx.storage import StoreError


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("batches", parents=[common], help="list loaded batches")
    p.add_argument("--active", action="store_true", help="hide rolled-back batches")
    p.set_defaults(func=handle_batches)
    r = subparsers.add_parser("rollback", parents=[common],
                              help="remove exactly one batch's records")
    r.add_argument("batch_id", metavar="BATCH_ID")
    r.set_defaults(func=handle_rollback)


def handle_batches(args: argparse.Namespace, settings: Settings) -> CommandResult:
    rows = [b.as_dict() for b in batches(open_store(settings), not args.active)]
    lines = [f"{b['batch_id']}  {b['status']:11} {b['table_name']:9} read {b['rows_read']:>8} "
             f"loaded {b['rows_loaded']:>8} dup {b['rows_duplicate']:>8} "
             f"rejected {b['rows_rejected']:>6}  {b['file_name'] or b['source']}" for b in rows]
    return CommandResult(data=rows, text="\n".join(lines) or "no batches yet")


def handle_rollback(args: argparse.Namespace, settings: Settings) -> CommandResult:
    try:
        with writable(open_store(settings)) as store:
            result = rollback(store, args.batch_id)
    except StoreError as exc:
        hint = "; `python -m cx batches` lists them" if "no batch with id" in str(exc) else ""
        raise CommandRefused(f"{exc}{hint}") from exc
    text = f"rolled back {result['batch_id']}: {result['rows_removed']} rows removed from " \
           f"{result['table']}"
    return CommandResult(data=result, text=text)
