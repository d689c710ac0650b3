"""`python -m cx text rebuild`: re-analyse every comment whose themes are stale.

Resumable: each chunk is its own transaction and a comment is stale until it carries the
dictionary's current version, so a stopped run is finished by running it again.
"""

from __future__ import annotations

import argparse
import sys
import time

from cx.cli.base import CommandRefused, CommandResult
from cx.config import Settings
from cx.engines import open_store
from cx.text.batch import CHUNK, rebuild


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "rebuild", parents=[common], help="re-analyse comments after a theme change",
        description="Re-analyses every comment analysed with an older theme dictionary (or never "
                    "analysed), one chunk per transaction, with a progress bar on stderr. "
                    "Stopping it loses at most one chunk; run it again to carry on.")
    p.add_argument("--chunk", type=int, default=CHUNK,
                   help=f"comments per transaction (default {CHUNK}; bounds memory)")
    p.add_argument("--limit", type=int, default=None, help="stop after this many comments")
    p.add_argument("--workers", type=int, default=1,
                   help="processes analysing the texts (default 1; 2 uses both cores of a "
                        "two-core machine)")
    p.set_defaults(func=handle)


class ProgressBar:
    """A one-line bar on stderr, redrawn at most ten times a second (silent when not a tty)."""

    def __init__(self, width: int = 30) -> None:
        self.width, self.last, self.started = width, 0.0, time.monotonic()
        self.live = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.live or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        fraction = done / total if total else 1.0
        filled = round(self.width * fraction)
        rate = done / max(now - self.started, 1e-9)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {fraction:6.1%} "
                         f"{done:,}/{total:,} comments, {rate:,.0f}/s")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def handle(args: argparse.Namespace, settings: Settings) -> CommandResult:
    if args.chunk < 1 or args.workers < 1 or (args.limit is not None and args.limit < 1):
        raise CommandRefused("--chunk, --workers and --limit must be positive whole numbers")
    report = rebuild(open_store(settings), progress=ProgressBar(), chunk=args.chunk,
                     limit=args.limit, workers=args.workers)
    text = (f"analysed {report.analysed:,} comments with theme dictionary version "
            f"{report.theme_version} in {report.seconds:.1f} s")
    if report.remaining:
        text += f"; {report.remaining:,} still to do (run `python -m cx text rebuild` again)"
    return CommandResult(report.as_dict(), text)
