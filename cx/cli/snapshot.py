"""`python -m cx snapshot [--week YYYY-Www] [--out FILE.html|FILE.pdf] [--email a@x,b@y]`.

Builds the week's snapshot once (or reads the stored one), optionally writes it as HTML or PDF
and mails it. Safe from cron while the app runs: the store waits for the database lock, and a
week is inserted once whoever gets there first.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cx.cli import as_user
from cx.cli.base import CommandRefused, CommandResult
from cx.config import Settings
from cx.engines import open_store
from cx.snapshots import (
    PdfUnavailable, SnapshotRefused, Snapshot, default_week, get_or_build, html_to_pdf,
    render_html, restated, send_snapshot,
)
from cx.domain import UNRESTRICTED, Scope
from cx.snapshots.week import IsoWeek
from cx.storage import Store


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "snapshot", parents=[common], help="build (once) or read a week's executive snapshot",
        description="Build the weekly snapshot (default: the last complete ISO week; when that "
                    "week has no data, the data's last complete week), export it, mail it.")
    p.add_argument("--week", metavar="YYYY-Www", help="ISO week, e.g. 2026-W47")
    p.add_argument("--out", metavar="FILE", help="write FILE.html (self-contained) or FILE.pdf")
    p.add_argument("--email", metavar="ADDR[,ADDR]",
                   help="mail the report through CX_SMTP_URL to these addresses")
    as_user.add_flag(p)
    p.add_argument("--as-group", dest="as_group", action="append", default=[], metavar="GROUP",
                   help="the snapshot of this SSO group's data scope (repeat: their union), "
                        "e.g. to mail each scope's recipients from cron")
    p.set_defaults(func=handle)


def _week(args: argparse.Namespace, store: Store, settings: Settings, scope: Scope) -> IsoWeek:
    if not args.week:  # the week the reader's snapshot page opens on
        return default_week(store, settings, scope=scope)
    try:
        return IsoWeek.parse(args.week)
    except ValueError as exc:
        raise CommandRefused(f"--week: {exc}") from None


def _export(out: str, html: str) -> Path:
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise CommandRefused(f"--out {out!r}: the file name must end in .html or .pdf")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".pdf":
        try:
            return html_to_pdf(html, path)
        except PdfUnavailable as exc:
            raise CommandRefused(str(exc)) from None
    path.write_text(html, encoding="utf-8")
    return path


def summary(snap: Snapshot, built: bool) -> dict[str, Any]:
    p = snap.payload
    return {
        "week": str(snap.week), "built": built, "built_at": snap.built_at, "built_by": snap.built_by,
        "tz": snap.tz, "batch_ids": list(snap.batch_ids), "payload_sha256": snap.payload_sha256,
        "scope": snap.scope.describe(),
        "headlines": p["headlines"],
        "metrics": [{"name": m["name"], "unit": m["unit"], "value": m["value"], "n": m["n"],
                     "ci_low": m["ci_low"], "ci_high": m["ci_high"], "change": m["change"]["diff"],
                     "change_ci_low": m["change"]["ci_low"], "change_ci_high": m["change"]["ci_high"],
                     "p": m["change"]["p"], "q": m["change"]["q"],
                     "significant": m["change"]["significant"],
                     "control": (m.get("control") or {}).get("status")} for m in p["metrics"]],
        "movers": (p.get("movers") or {}).get("rows", []),
        "drivers": (p.get("drivers") or {}).get("rows", []),
        "said": p.get("said"),  # what customers said (None in snapshots built before it)
    }


def handle(args: argparse.Namespace, settings: Settings) -> CommandResult:
    store = open_store(settings)
    state = Store(settings.db_path)  # scopes live beside the credentials (cx.ui.context)
    scope = as_user.reader_scope(args, settings, state, "snapshot",
                                 tuple(args.as_group)) or UNRESTRICTED
    week = _week(args, store, settings, scope)
    try:
        snap, built = get_or_build(store, settings, week, built_by="cli", scope=scope)
    except SnapshotRefused as exc:
        raise CommandRefused(str(exc), {"week": str(week)}) from None
    changes = restated(store, settings, snap)
    data = summary(snap, built)
    data["restated"] = [{"name": r.name, "reported": r.reported, "restated": r.restated,
                         "difference": r.difference, "reported_n": r.reported_n,
                         "restated_n": r.restated_n} for r in changes]
    lines = [f"{'Built' if built else 'Stored'} snapshot {snap.payload['title']}"]
    lines += [f"  {s}" for s in snap.payload["headlines"]]
    lines += [f"  restated: {r.label} {r.reported} -> {r.restated}" for r in changes]
    html = render_html(snap, changes) if args.out or args.email else ""
    if args.out:
        data["out"] = str(_export(args.out, html))
        lines.append(f"Wrote {data['out']}")
    if args.email:
        try:
            data["email"] = send_snapshot(settings, snap, html, args.email)
        except (ValueError, OSError) as exc:
            raise CommandRefused(f"mail not sent: {exc}", data) from None
        lines.append(f"Mailed to {', '.join(data['email']['to'])}: {data['email']['subject']}")
    return CommandResult(data=data, text="\n".join(lines))
