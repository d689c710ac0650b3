"""The command line of PRODUCT.md §6.

Each command lives in its own module under cx.cli with `register(subparsers, common)`; the module
sets `func(args, settings) -> CommandResult` on its parser. Exit codes: 0 success, 1 the operation
was refused (nothing written) or failed unexpectedly, 2 usage error (argparse's own code);
130 interrupted. Every failure is one line on stderr, never a traceback (cx.cli.base).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from cx.cli.base import CliParser, CommandRefused, CommandResult, log_unexpected, to_jsonable
from cx.config import load_settings
from cx.storage import StoreError

# One line per command module; add yours here.
COMMAND_MODULES = (
    "cx.cli.demo",
    "cx.cli.users",
    "cx.cli.groups",
    "cx.cli.metric",
    "cx.cli.snapshot",
    "cx.cli.ingest",
    "cx.cli.batches",
    "cx.cli.analyze",
    "cx.cli.bench",
    "cx.cli.text",
    "cx.cli.text_analyses",  # after cx.cli.text when that exists: joins its `text` group
)


def _common_options() -> argparse.ArgumentParser:
    """--db and --json, accepted before or after the command name."""
    common = CliParser(add_help=False)
    common.add_argument(
        "--db", default=argparse.SUPPRESS,
        help="database file (default: env CX_DB, else data/cx.duckdb)",
    )
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS,
        help="machine-readable output on stdout",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = CliParser(
        prog="python -m cx", description="CX Lens command line.", parents=[common]
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # usage errors: one line, exit 2
    as_json = bool(getattr(args, "json", False))
    settings = None
    try:
        settings = load_settings()
        if getattr(args, "db", None):
            settings = settings.with_db(args.db)
        result: CommandResult = args.func(args, settings)
    except CommandRefused as exc:
        _emit_refusal(str(exc), exc.payload, as_json)
        return 1
    except StoreError as exc:
        _emit_refusal(str(exc), {}, as_json)
        return 1
    except OSError as exc:  # a file the user named: missing, a folder, not writable
        _emit_refusal(_os_message(exc), {}, as_json)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback on screen
        folder = Path(settings.db_path).parent if settings else Path.cwd()
        _emit_refusal(log_unexpected(exc, str(args.command), folder), {}, as_json)
        return 1
    if as_json:
        print(json.dumps(to_jsonable(result.data), indent=2, ensure_ascii=False))
    else:
        print(result.text)
    return result.exit_code


def _os_message(exc: OSError) -> str:
    if exc.filename is None:
        return exc.strerror or str(exc)
    return f"{exc.filename}: {exc.strerror or type(exc).__name__}"


def _emit_refusal(message: str, payload: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(to_jsonable({"error": message, **payload}), indent=2, ensure_ascii=False))
    print(f"error: {message}", file=sys.stderr)
