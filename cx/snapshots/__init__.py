"""Weekly executive snapshots: build once, store frozen, show restatements, export, mail."""

from cx.snapshots.delivery import send_snapshot
from cx.snapshots.pdf import PdfUnavailable, find_chromium, html_to_pdf, pdf_bytes
from cx.snapshots.report import render_html, render_text, restated_text
from cx.snapshots.service import (
    Restatement, SnapshotRefused, build_payload, default_week, get_or_build, restated,
)
from cx.snapshots.store import Snapshot, load_snapshot, snapshot_weeks
from cx.snapshots.week import IsoWeek

__all__ = [
    "IsoWeek", "PdfUnavailable", "Restatement", "Snapshot", "SnapshotRefused", "build_payload",
    "default_week", "find_chromium", "get_or_build", "html_to_pdf", "load_snapshot", "pdf_bytes",
    "render_html", "render_text", "restated", "restated_text", "send_snapshot", "snapshot_weeks",
]
