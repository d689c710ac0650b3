"""README's performance table from `python -m cx bench pages --out FILE` results.

`python -m cx.bench.report RUN.json [RUN.json …] [--before OLD.json …]` prints a Markdown table:
per role and page, the median over the runs of the cold (first visit of the session) and warm
(second visit) seconds, then server start to the login page, and server memory; with --before,
each cell shows before → after. Medians of separate runs, because one run on a shared machine
moves with its load (each JSON says when it was measured and, from our drivers, the load).
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def _median(values: Sequence[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return statistics.median(found) if found else None


def page_medians(runs: Sequence[dict[str, Any]]) -> dict[tuple[str, str], dict[str, float]]:
    """(role, page) -> median over the runs that timed it of each figure of a visit: cold and
    warm seconds, and where the runs measured them their server and browser CPU seconds."""
    out: dict[tuple[str, str], dict[str, float]] = {}
    keys = [(role, page) for role, found in runs[0]["roles"].items() for page in found["pages"]]
    for role, page in keys:
        times = [r["roles"][role]["pages"][page] for r in runs
                 if page in r["roles"].get(role, {}).get("pages", {})]
        figures = dict.fromkeys(k for t in times for k in t)
        out[(role, page)] = {k: _median([t.get(k) for t in times]) for k in figures}
    return out


def _cell(after: float | None, before: float | None, unit: str = "") -> str:
    text = "–" if after is None else f"{after:.2f}{unit}"
    return text if before is None else f"{before:.2f} → {text}"


def markdown(runs: Sequence[dict[str, Any]], before: Sequence[dict[str, Any]] = ()) -> str:
    """The table (after only, or before → after)."""
    now, then = page_medians(runs), page_medians(before) if before else {}
    lines = ["| role | page | first visit (s) | again (s) |", "|---|---|---|---|"]
    for (role, page), t in now.items():
        b = then.get((role, page), {})
        lines.append(f"| {role} | {page} | {_cell(t['cold_seconds'], b.get('cold_seconds'))} | "
                     f"{_cell(t['warm_seconds'], b.get('warm_seconds'))} |")
    for key, label, unit in (("first_page_seconds", "server start to login page drawn", " s"),
                             ("first_login_seconds", "first login right after that, to the "
                              "landing page drawn", " s"),
                             ("warm_up_seconds", "server warm-up (in the background)", " s"),
                             ("server_rss_mb", "server memory at the end", " MB")):
        after = _median([r.get(key) for r in runs])
        prior = _median([r.get(key) for r in before]) if before else None
        if after is None and prior is None:
            continue  # runs of an older `bench pages` did not measure it
        lines.append(f"| all | {label} | {_cell(after, prior, unit)} | |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path)
    parser.add_argument("--before", nargs="*", type=Path, default=[])
    args = parser.parse_args(argv)

    def load(paths: Sequence[Path]) -> list[dict[str, Any]]:
        return [json.loads(p.read_text(encoding="utf-8")) for p in paths]

    print(markdown(load(args.runs), load(args.before)))


if __name__ == "__main__":
    main()
