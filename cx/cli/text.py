"""`python -m cx text ...`: per-comment features and themes (issue 15).

Each `text` sub-command lives in its own module with `register(subparsers, common)`, like the
top-level commands; add a module to TEXT_COMMANDS to add one.
"""

from __future__ import annotations

import argparse
import importlib

TEXT_COMMANDS = (
    "cx.cli.text_rebuild",
    "cx.cli.text_themes",
    "cx.cli.text_bench",
)


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "text", parents=[common], help="comment language, sentiment and themes",
        description="Per-comment features computed at load time: rebuild them after a theme "
                    "change, edit the theme dictionary, measure throughput.")
    sub = p.add_subparsers(dest="text_command", metavar="TEXT_COMMAND", required=True)
    for name in TEXT_COMMANDS:
        importlib.import_module(name).register(sub, common)
