"""Mail one snapshot: subject flags significant or out-of-control moves, HTML body + attachment."""

from __future__ import annotations

from typing import Any

from cx.config import Settings
from cx.snapshots.headlines import subject_line
from cx.snapshots.mail import build_message, parse_recipients, parse_smtp_url, send
from cx.snapshots.report import render_html, render_text
from cx.snapshots.store import Snapshot


def send_snapshot(settings: Settings, snap: Snapshot, html: str | None,
                  recipients: str) -> dict[str, Any]:
    """Send and return what was sent (recipients, subject, attachment name, server)."""
    to = parse_recipients(recipients)
    config = parse_smtp_url(settings.smtp_url, settings.smtp_password)
    subject = subject_line(snap.payload)
    name = f"cx-weekly-{snap.week}.html"
    msg = build_message(subject, html or render_html(snap), render_text(snap), to, config.sender,
                        name)
    send(config, msg)
    return {"to": to, "subject": subject, "attachment": name,
            "server": f"{config.host}:{config.port} ({config.security})"}
