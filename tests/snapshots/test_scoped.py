"""Snapshots per data scope (issue 16): built from the scope's rows only, stored beside the
all-data snapshot, identical when rebuilt, and mailed to the recipients named for that scope."""

from __future__ import annotations

import contextlib
import email
import io
import json
from email import policy
from pathlib import Path

import pytest

from cx.auth import users
from cx.charts.format import format_value
from cx.charts.text import md_plain
from cx.auth.scopes import change_scope
from cx.cli import main
from cx.config import Settings, load_settings
from cx.domain import UNRESTRICTED, Filters, Role, Scope, clause_of
from cx.metrics import Engine, MetricQuery
from cx.snapshots import IsoWeek, get_or_build, load_snapshot, restated, snapshot_weeks
from cx.storage import Store
from tests.app.dashboard_fixtures import DemoFiles, add_role_users, run_page, use_files
from tests.app.session import role_user
from tests.snapshots.conftest import BAD_WEEK, NOW
from tests.snapshots.test_mail import smtp_inbox

EUROPE = Scope((clause_of({"region": ["Europe"]}),))


def test_a_scoped_snapshot_holds_only_the_scopes_numbers(store: Store, settings: Settings) -> None:
    mine, built = get_or_build(store, settings, BAD_WEEK, "cli", now=NOW, scope=EUROPE)
    everyone, _ = get_or_build(store, settings, BAD_WEEK, "cli", now=NOW)
    assert built and mine.scope == EUROPE and everyone.scope == UNRESTRICTED
    week = Filters.of(BAD_WEEK.dates(), region="Europe")
    for block in mine.payload["metrics"]:
        if block["name"] in ("nps", "csat", "ces"):
            direct = Engine(store, settings).run(MetricQuery(block["name"], week)).rows
            assert block["n"] == int(direct["n"].iloc[0])  # the same rows as --where region=Europe
            assert block["value"] == pytest.approx(float(direct["value"].iloc[0]))
    nps = {m["name"]: m["n"] for m in mine.payload["metrics"]}["nps"]
    assert 0 < nps < {m["name"]: m["n"] for m in everyone.payload["metrics"]}["nps"]
    assert mine.payload["scope"] == "region = Europe" and "scope" not in everyone.payload
    movers = (mine.payload.get("movers") or {}).get("rows", [])
    assert all(r["segment"] == "Europe" for r in movers if r["dimension"] == "region")
    assert snapshot_weeks(store, EUROPE) == [BAD_WEEK] == snapshot_weeks(store)
    assert restated(store, settings, mine) == []  # restated in its own scope, unchanged


def test_a_scoped_snapshot_is_identical_when_rebuilt(store: Store, settings: Settings) -> None:
    first, _ = get_or_build(store, settings, BAD_WEEK, "cli", now=NOW, scope=EUROPE)
    again, built = get_or_build(store, settings, BAD_WEEK, "app", now=NOW, scope=EUROPE)
    assert built is False and again == first
    store.query("DELETE FROM snapshots WHERE scope_key = ?", [EUROPE.key()])
    rebuilt, built = get_or_build(store, settings, BAD_WEEK, "app", now=NOW, scope=EUROPE)
    assert built and rebuilt.payload_sha256 == first.payload_sha256
    assert load_snapshot(store, BAD_WEEK, EUROPE) == rebuilt
    assert load_snapshot(store, BAD_WEEK) is None  # the all-data snapshot was never built


def test_cli_snapshot_as_a_group_is_mailed_to_that_scopes_recipients(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    change_scope(Store(db), "group", "emea", clause_of({"region": "Europe"}), "admin")
    out = io.StringIO()
    with smtp_inbox(monkeypatch) as inbox, contextlib.redirect_stdout(out):
        code = main(["snapshot", "--week", str(BAD_WEEK), "--db", str(db), "--json",
                     "--as-group", "emea", "--email", "emea-leads@acme.test"])
    assert code == 0, out.getvalue()
    data = json.loads(out.getvalue())
    stored = load_snapshot(Store(db), BAD_WEEK, EUROPE)
    assert stored is not None and data["payload_sha256"] == stored.payload_sha256
    assert data["scope"] == "region = Europe"
    [env] = inbox.envelopes
    assert env.rcpt_tos == ["emea-leads@acme.test"]
    msg = email.message_from_bytes(env.content, policy=policy.default)
    assert "Data scope: region = Europe" in msg.get_body(preferencelist=("plain",)).get_content()


def test_cli_snapshot_for_a_group_without_a_scope_is_refused_not_sent_with_all_data(
        db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    change_scope(Store(db), "group", "emea", clause_of({"region": "Europe"}), "admin")
    with smtp_inbox(monkeypatch) as inbox:
        code = main(["snapshot", "--week", str(BAD_WEEK), "--db", str(db), "--as-group", "emae",
                     "--email", "emea-leads@acme.test"])
    assert code == 1 and "--as-group emae: no data scope" in capsys.readouterr().err
    assert inbox.envelopes == [] and Store(db).query("SELECT count(*) FROM snapshots") == [(0,)]


def test_cli_snapshot_as_user_reads_the_users_scope(db: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(users, "BCRYPT_ROUNDS", 4)
    monkeypatch.setenv("CX_DB", str(db))
    users.add_user(load_settings().users_path, "erin", "executive", "erin-password-1")
    change_scope(Store(db), "user", "erin", clause_of({"region": "Europe"}), "admin")
    assert main(["snapshot", "--week", str(BAD_WEEK), "--json", "--as-user", "erin"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scope"] == "region = Europe" and data["built"] is True
    assert load_snapshot(Store(db), BAD_WEEK, EUROPE).payload_sha256 == data["payload_sha256"]


def test_the_snapshot_page_shows_a_scoped_executive_their_scopes_snapshot(
        db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    users_file = tmp_path / "credentials.yaml"
    add_role_users(users_file)
    use_files(monkeypatch, DemoFiles(db, users_file))
    change_scope(Store(db), "user", role_user(Role.EXECUTIVE), clause_of({"region": "Europe"}),
                 "admin")
    at = run_page("snapshot", Role.EXECUTIVE)
    assert not at.exception, [e.value for e in at.exception]
    # scope values come from admins' typing: shown as plain text (Markdown escaped)
    assert any(c.value == f"Your data scope: {md_plain('region = Europe')}." for c in at.caption)
    assert Store(db).query("SELECT week, scope_key FROM snapshots") == [("2026-W47", EUROPE.key())]
    stored = load_snapshot(Store(db), IsoWeek(2026, 47), EUROPE)
    shown = {m.label: m.value for m in at.metric}
    for block in stored.payload["metrics"]:
        assert shown[block["label"]] == format_value(block["value"], block["unit"])
