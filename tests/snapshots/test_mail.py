"""Mail delivery: URL parsing and a real SMTP conversation with a local aiosmtpd server."""

from __future__ import annotations

import contextlib
import email
import io
import json
import socket
from collections.abc import Iterator
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from cx.cli import main
from cx.snapshots.mail import parse_recipients, parse_smtp_url
from tests.snapshots.conftest import BAD_WEEK


def test_smtp_urls() -> None:
    c = parse_smtp_url("smtp+starttls://reports%40acme.com@mail.acme.com:2587", "s3cret")
    assert (c.host, c.port, c.security, c.username, c.password, c.sender) == (
        "mail.acme.com", 2587, "starttls", "reports@acme.com", "s3cret", "reports@acme.com")
    c = parse_smtp_url("smtps://relay.example.org?from=cx@example.org")
    assert (c.port, c.security, c.sender, c.password) == (465, "ssl", "cx@example.org", "")
    assert parse_smtp_url("smtp://localhost").port == 25
    assert "s3cret" not in repr(parse_smtp_url("smtp://u:s3cret@h"))
    with pytest.raises(ValueError, match="CX_SMTP_URL must start with"):
        parse_smtp_url("http://mail.acme.com")
    with pytest.raises(ValueError, match="no mail server configured"):
        parse_smtp_url("")


def test_recipients() -> None:
    assert parse_recipients("a@x.com, b@y.org,") == ["a@x.com", "b@y.org"]
    with pytest.raises(ValueError, match="'bob' is not an e-mail address"):
        parse_recipients("a@x.com,bob")


class _Inbox:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001 - aiosmtpd API
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def smtp_inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Inbox]:
    """A local SMTP server for the test, with CX_SMTP_URL pointing at it."""
    inbox, port = _Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("CX_SMTP_URL", f"smtp://127.0.0.1:{port}?from=cx@acme.test")
        yield inbox
    finally:
        controller.stop()


def test_snapshot_is_mailed_with_flagged_subject_and_attachment(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    with smtp_inbox(monkeypatch) as inbox, contextlib.redirect_stdout(out):
        code = main(["snapshot", "--week", str(BAD_WEEK), "--db", str(db), "--json",
                     "--email", "ceo@acme.test,cfo@acme.test"])
    assert code == 0, out.getvalue()
    assert len(inbox.envelopes) == 1
    env = inbox.envelopes[0]
    assert env.mail_from == "cx@acme.test"
    assert env.rcpt_tos == ["ceo@acme.test", "cfo@acme.test"]
    msg = email.message_from_bytes(env.content, policy=policy.default)
    subject = "CX weekly 2026-W42 — CSAT (top-2-box) dropped 23.4 pp, significant, out of control"
    assert msg["Subject"] == subject
    assert json.loads(out.getvalue())["email"]["subject"] == subject
    body = msg.get_body(preferencelist=("html",)).get_content()
    assert "63.0%" in body and body.count('<svg class="cx-chart"') == 9
    files = [(p.get_filename(), p.get_content()) for p in msg.iter_attachments()]
    assert [name for name, _ in files] == ["cx-weekly-2026-W42.html"]
    def same(text: str) -> str:
        return text.replace("\r\n", "\n").strip()

    assert same(files[0][1]) == same(body)  # the attachment is the report itself
    text = msg.get_body(preferencelist=("plain",)).get_content()
    assert "CSAT (top-2-box) dropped 23.4 pp to 63.0% from 86.3%" in text


def test_mail_without_a_server_is_refused_clearly(db: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture) -> None:
    monkeypatch.delenv("CX_SMTP_URL", raising=False)
    monkeypatch.setenv("CX_SMTP_URL", "")
    code = main(["snapshot", "--week", str(BAD_WEEK), "--db", str(db), "--email", "a@x.com"])
    assert code == 1
    assert "mail not sent: no mail server configured: set CX_SMTP_URL" in capsys.readouterr().err
