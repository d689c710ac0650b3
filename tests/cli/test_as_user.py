"""`users scope` and `--as-user`: the command line answers exactly what a user sees (issue 16).

The fixture is tests/test_scope_surfaces.py's: Europe 40 answers (NPS +10.0), Asia 40, America 10.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cx.auth import audit, users
from cx.cli import main
from cx.config import load_settings
from cx.storage import Store
from tests.analysis.conftest import load
from tests.test_scope_surfaces import _responses


@pytest.fixture
def db(monkeypatch: pytest.MonkeyPatch) -> str:
    settings = load_settings()  # conftest points CX_DB and CX_USERS at this test's own files
    load(Store(settings.db_path), "responses", _responses())
    monkeypatch.setattr(users, "BCRYPT_ROUNDS", 4)
    users.add_user(settings.users_path, "alice", "manager", "alice-password-1")
    users.add_user(settings.users_path, "erin", "executive", "erin-password-1")
    users.add_user(settings.users_path, "olga", "analyst", "olga-password-1")
    return str(settings.db_path)


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    code = main(list(argv) + ["--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def _refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 1
    return capsys.readouterr().err


def test_scope_set_list_clear_and_every_change_is_audited(db: str, capsys) -> None:
    out = _json(capsys, "users", "scope", "alice", "--where", "region=Europe",
                "--where", "region=Asia")
    assert out["scope"] == "region in (Asia, Europe)"
    _json(capsys, "users", "scope", "--group", "emea", "--where", "region=Europe")
    listed = _json(capsys, "users", "scope")["scopes"]
    assert [(r["kind"], r["name"], r["scope"]) for r in listed] == [
        ("user", "alice", "region in (Asia, Europe)"), ("group", "emea", "region = Europe")]
    assert _json(capsys, "users", "scope", "alice", "--clear")["cleared"] is True
    log = audit.entries(Store(db))
    assert [(e.action, e.target) for e in log] == [
        ("scope.clear", "user:alice"), ("scope.set", "group:emea"), ("scope.set", "user:alice")]
    assert log[2].detail == {"where": {"region": ["Asia", "Europe"]}}
    assert all(e.actor.startswith("cli") for e in log)


def test_bad_scopes_are_refused_and_change_nothing(db: str, capsys) -> None:
    assert "scope fields:" in _refused(capsys, "users", "scope", "alice", "--where", "colour=red")
    assert "--clear" in _refused(capsys, "users", "scope", "alice")
    assert "FIELD=VALUE" in _refused(capsys, "users", "scope", "alice", "--where", "region")
    assert audit.entries(Store(db)) == []


def test_metric_as_user_equals_the_same_where(db: str, capsys) -> None:
    _json(capsys, "users", "scope", "alice", "--where", "region=Europe")
    mine = _json(capsys, "metric", "nps", "--as-user", "alice")
    where = _json(capsys, "metric", "nps", "--where", "region=Europe")
    assert mine["rows"] == where["rows"]
    assert mine["rows"][0]["n"] == 40 and mine["rows"][0]["value"] == pytest.approx(10.0)
    assert mine["as_user"] == {"name": "alice", "role": "manager", "scope": "region = Europe"}
    # her own filter cannot reach another region
    other = _json(capsys, "metric", "nps", "--as-user", "alice", "--where", "region=Asia")
    assert other["empty"] is True and other["rows"] == []


def test_analyze_segments_as_user_equals_the_same_where(db: str, capsys) -> None:
    _json(capsys, "users", "scope", "olga", "--where", "region=Europe")
    argv = ("analyze", "segments", "--metric", "nps", "--by", "channel")
    mine = _json(capsys, *argv, "--as-user", "olga")
    where = _json(capsys, *argv, "--where", "region=Europe")
    assert mine["rows"] == where["rows"]
    assert sorted(r["segment"] for r in mine["rows"]) == ["chat", "email"]  # no Asian "sms"


def test_as_user_without_sso_groups_reads_only_the_users_own_scope(
        db: str, capsys) -> None:
    _json(capsys, "users", "scope", "--group", "emea", "--where", "region=Europe")
    # alice has no scope of her own and the command line does not know her SSO groups
    assert _json(capsys, "metric", "nps", "--as-user", "alice")["rows"][0]["n"] == 90


def test_as_user_answers_only_what_the_role_shows(db: str, capsys) -> None:
    err = _refused(capsys, "metric", "nps", "--by", "channel", "--as-user", "erin")
    assert "executive does not see the Segments page" in err
    assert "executive" in _refused(capsys, "analyze", "segments", "--metric", "nps", "--by",
                                   "channel", "--as-user", "erin")
    assert _json(capsys, "metric", "nps", "--as-user", "erin")["rows"][0]["n"] == 90  # Overview
    assert "no such user" in _refused(capsys, "metric", "nps", "--as-user", "mallory")


def test_explain_as_user_shows_the_scope_as_a_bound_parameter(db: str, capsys) -> None:
    _json(capsys, "users", "scope", "alice", "--where", "region=Europe")
    sql = _json(capsys, "metric", "nps", "--as-user", "alice", "--explain")["sql"]
    assert '"region" IN ($p0)' in sql and "Europe" not in sql


def test_user_add_and_remove_are_audited(db: str, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("bob-password-1\n"))
    _json(capsys, "users", "add", "bob", "--role", "analyst", "--password-stdin")
    _json(capsys, "users", "remove", "bob")
    assert [(e.action, e.target, e.detail) for e in audit.entries(Store(db))] == [
        ("user.remove", "user:bob", {}), ("user.add", "user:bob", {"role": "analyst"})]


def test_users_file_is_untouched_by_scopes(db: str, capsys) -> None:
    before = Path(load_settings().users_path).read_bytes()
    _json(capsys, "users", "scope", "alice", "--where", "region=Europe")
    assert Path(load_settings().users_path).read_bytes() == before


# -- people who sign in through a provider: no credentials entry, their groups from sign-in ----
def _signed_in(db: str, email: str, *groups: str, at: float = 1_790_000_000) -> bool:
    from cx.auth import sso_people

    return sso_people.record(Store(db), email, groups, at)


def test_as_user_reads_an_sso_person_with_the_groups_of_their_latest_sign_in(
        db: str, capsys) -> None:
    from cx.auth import group_roles

    group_roles.map_group(Store(db), "cx-managers", "manager", "test")
    _json(capsys, "users", "scope", "--group", "emea", "--where", "region=Europe")
    assert _signed_in(db, "ana@example.com", "cx-managers", "emea")
    mine = _json(capsys, "metric", "nps", "--as-user", "Ana@Example.com")  # as the app names her
    assert mine["rows"] == _json(capsys, "metric", "nps", "--where", "region=Europe")["rows"]
    assert mine["rows"][0]["n"] == 40
    assert mine["as_user"] == {"name": "ana@example.com", "role": "manager",
                               "scope": "region = Europe", "groups": ["cx-managers", "emea"],
                               "signed_in_at": "2026-09-21T14:13:20"}  # iat 1790000000
    # a newer sign-in without the scoped group: all regions; an older one changes nothing
    assert _signed_in(db, "ana@example.com", "cx-managers", at=1_790_000_600)
    assert not _signed_in(db, "ana@example.com", "cx-managers", "emea")
    assert not _signed_in(db, "ana@example.com", "cx-managers", at=1_790_000_600)  # the same one
    assert _json(capsys, "metric", "nps", "--as-user", "ana@example.com")["rows"][0]["n"] == 90
    log = [(e.actor, e.action, e.target, e.detail["groups"]) for e in audit.entries(Store(db))
           if e.action == "sso.sign_in"]
    assert log == [("ana@example.com", "sso.sign_in", "user:ana@example.com", ["cx-managers"]),
                   ("ana@example.com", "sso.sign_in", "user:ana@example.com",
                    ["cx-managers", "emea"])]


def test_as_user_refuses_an_sso_person_it_cannot_answer_for(db: str, capsys,
                                                            monkeypatch) -> None:
    from cx.auth import group_roles

    assert "nobody of this name has signed in" in _refused(
        capsys, "metric", "nps", "--as-user", "bob@example.com")
    _signed_in(db, "bob@example.com", "staff")
    assert "none of their groups (staff) maps to a role" in _refused(
        capsys, "metric", "nps", "--as-user", "bob@example.com")
    group_roles.map_group(Store(db), "staff", "executive", "test")
    assert "executive does not see the Segments page" in _refused(
        capsys, "metric", "nps", "--by", "channel", "--as-user", "bob@example.com")
    assert _json(capsys, "metric", "nps", "--as-user", "bob@example.com")["rows"][0]["n"] == 90
    monkeypatch.setenv("CX_AUTH", "local")
    assert "CX_AUTH=local" in _refused(capsys, "metric", "nps", "--as-user", "bob@example.com")
    monkeypatch.setenv("CX_AUTH", "sso")
    assert "CX_AUTH=sso" in _refused(capsys, "metric", "nps", "--as-user", "alice")
