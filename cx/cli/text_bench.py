"""`python -m cx text bench [--comments N]`: comments per second and peak memory."""

from __future__ import annotations

import argparse

from cx.cli.base import CommandRefused, CommandResult
from cx.config import Settings
from cx.text.bench import text_benchmark


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "bench", parents=[common], help="measure comment analysis throughput and memory",
        description="Analyses N generated comments (two demo sentences each, mixed languages) "
                    "as one batch in a temporary database, exactly as an upload does; reports "
                    "comments/s, peak memory and the time 1M comments would take at that rate.")
    p.add_argument("--comments", type=int, default=100_000, help="how many (default 100,000)")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace, settings: Settings) -> CommandResult:
    if args.comments < 1:
        raise CommandRefused("--comments must be a positive whole number")
    result = text_benchmark(args.comments)
    text = (f"{result['comments']:,} comments in {result['seconds']:.1f} s: "
            f"{result['comments_per_second']:,.0f} comments/s ({result['comments_per_cpu_second']:,.0f} "
            f"per CPU second, one core); peak memory "
            f"{result['peak_rss_mib']:.0f} MiB (before analysis {result['rss_before_mib']:.0f} "
            f"MiB); 1M comments would take {result['extrapolated_1m_seconds'] / 60:.1f} min")
    return CommandResult(result, text)
