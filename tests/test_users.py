"""Logins: bcrypt-only credentials file, roles, last-admin rule, session versions, the file's
memo and its tolerance of one bad entry, the users command."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import pytest

from cx.auth import credentials_file, users
from cx.cli import main
from cx.domain import Role


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "credentials.yaml"


def test_file_holds_bcrypt_hashes_only_and_is_private(path: Path) -> None:
    password = users.add_user(path, "ana", "analyst", "correct horse battery")
    text = path.read_text()
    assert password == "correct horse battery"
    assert "correct horse" not in text
    assert "$2b$04$" in text  # bcrypt, cost 4 in tests
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    user = users.load_users(path)["ana"]
    assert (user.role, user.session_version, user.sessions) == (Role.ANALYST, 0, ())


def test_random_password_is_returned_once_and_works(path: Path) -> None:
    password = users.add_user(path, "eve", "executive")
    assert len(password) == 16  # secrets.token_urlsafe(12)
    assert users.authenticate(path, "eve", password).status == "ok"
    assert users.authenticate(path, "EVE ", password).status == "ok"  # as typed
    assert users.add_user(path, "max", "manager") != password


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [("Bad Name", "analyst", "longenough", "invalid username"),
     ("ok", "owner", "longenough", "unknown role 'owner'"),
     ("ok", "analyst", "short", "at least 8"),
     ("ok", "analyst", "x" * 73, "at most 72 bytes")],
)
def test_bad_input_is_refused_with_the_reason(path: Path, name: str, role: str, password: str,
                                              message: str) -> None:
    with pytest.raises(users.UserError, match=message):
        users.add_user(path, name, role, password)
    assert not path.exists()


def test_duplicate_and_unknown_users(path: Path) -> None:
    users.add_user(path, "ana", "analyst")
    with pytest.raises(users.UserError, match="already exists"):
        users.add_user(path, "ana", "admin")
    with pytest.raises(users.UserError, match="no user 'bob'"):
        users.remove_user(path, "bob")


def test_last_admin_cannot_be_removed_or_demoted(path: Path) -> None:
    users.add_user(path, "root", "admin")
    users.add_user(path, "ana", "analyst")
    with pytest.raises(users.UserError, match="last admin"):
        users.remove_user(path, "root")
    with pytest.raises(users.UserError, match="last admin"):
        users.set_role(path, "root", "manager")
    users.set_role(path, "ana", "admin")  # now two admins: one may go
    users.remove_user(path, "root")
    assert {u: v.role for u, v in users.load_users(path).items()} == {"ana": Role.ADMIN}


def test_reset_role_change_and_demo_passwords_end_existing_logins(path: Path) -> None:
    users.add_user(path, "ana", "analyst", "right-password")
    users.add_user(path, "root", "admin", "right-password")
    assert users.load_users(path)["ana"].session_version == 0
    users.reset_password(path, "ana")
    assert users.load_users(path)["ana"].session_version == 1
    users.set_role(path, "ana", "manager")
    assert users.load_users(path)["ana"].session_version == 2
    users.set_role(path, "ana", "manager")  # no change: nothing to end
    assert users.load_users(path)["ana"].session_version == 2
    assert users.load_users(path)["root"].session_version == 0  # others untouched
    users.create_demo_users(path)
    users.create_demo_users(path)  # new passwords for existing demo users
    assert users.load_users(path)["demo-admin"].session_version == 1


def test_a_wrong_password_writes_nothing(path: Path) -> None:
    # Failures are counted in memory per (name, client) by cx.auth.login_throttle, not in the file:
    # a stored count was the lever that let anyone lock an account (issue 12 item 6).
    users.add_user(path, "ana", "analyst", "right-password")
    before = path.read_bytes(), path.stat().st_mtime_ns
    for _ in range(20):
        assert users.authenticate(path, "ana", "wrong").status == "invalid"
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert users.authenticate(path, "ana", "right-password").status == "ok"


def test_a_mistyped_role_skips_that_entry_only_and_keeps_it(
        path: Path, caplog: pytest.LogCaptureFixture) -> None:
    users.add_user(path, "root", "admin", "right-password")
    text = path.read_text().replace("credentials:\n  usernames:\n",
                                    "credentials:\n  usernames:\n    typo:\n"
                                    "      password: x\n      roles: [analsyt]\n", 1)
    path.write_text(text)
    with caplog.at_level("WARNING", logger="cx.auth.credentials_file"):
        found = users.load_users(path)
    assert list(found) == ["root"]  # everyone else still logs in
    assert "'typo' skipped" in caplog.text and "unknown role 'analsyt'" in caplog.text
    assert users.authenticate(path, "root", "right-password").status == "ok"
    users.add_user(path, "ana", "analyst")  # a change elsewhere keeps the broken entry
    assert "analsyt" in path.read_text()
    assert sorted(users.load_users(path)) == ["ana", "root"]


def test_the_file_is_parsed_once_until_it_changes(path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    users.add_user(path, "ana", "analyst", "right-password")
    parses = []
    real = credentials_file.yaml.safe_load
    monkeypatch.setattr(credentials_file.yaml, "safe_load", lambda text: parses.append(1) or real(text))
    for _ in range(10):
        users.load_users(path)
    assert len(parses) == 1  # was one parse per call (up to 4 per run)
    users.set_role(path, "ana", "manager")  # editing: the change is seen at once
    assert users.load_users(path)["ana"].role is Role.MANAGER
    assert len(parses) == 2
    found = users.load_users(path)
    found.clear()  # a caller's dict is its own
    assert list(users.load_users(path)) == ["ana"]


def test_unknown_user_is_invalid_and_creates_nothing(path: Path) -> None:
    assert users.authenticate(path, "nobody", "whatever").status == "invalid"
    assert not path.exists()


def test_an_unknown_username_is_checked_at_the_real_hash_cost() -> None:
    # The decoy hash must cost what real ones cost, or timing tells usernames apart
    # (a cost-4 decoy answered in 0.9 ms against 226 ms for a wrong password at cost 12).
    assert users.dummy_hash(12).startswith("$2b$12$")
    assert users.dummy_hash(users.BCRYPT_ROUNDS).startswith(f"$2b${users.BCRYPT_ROUNDS:02d}$")


def test_first_run_creates_one_admin_with_a_random_password_once(path: Path) -> None:
    first = users.ensure_first_admin(path)
    assert first is not None and len(first) == 16
    assert users.ensure_first_admin(path) is None  # the file exists: never again
    found = users.load_users(path)
    assert list(found) == ["admin"] and found["admin"].role is Role.ADMIN
    assert users.authenticate(path, "admin", first).status == "ok"


def test_demo_users_one_per_role_fresh_passwords(path: Path) -> None:
    first = users.create_demo_users(path)
    assert {role for role, _ in first.values()} == {r.value for r in Role}
    again = users.create_demo_users(path)
    for name, (role, password) in again.items():
        assert users.load_users(path)[name].role.value == role
        assert users.authenticate(path, name, password).status == "ok"
        assert password != first[name][1]


# -- the command line (PRODUCT.md §6) --------------------------------------------------------
def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_add_list_remove(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                             tmp_path: Path) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-enough\n"))
    code, out, _ = _run(["users", "add", "ana", "--role", "analyst", "--password-stdin",
                         "--json"], capsys)
    assert code == 0 and json.loads(out)["role"] == "analyst"
    assert "password" not in json.loads(out)  # chosen by the caller: not echoed
    users_file = tmp_path / "credentials.yaml"  # CX_USERS from tests/conftest.py
    assert users.authenticate(users_file, "ana", "s3cret-enough").status == "ok"

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: random, printed once
    code, out, _ = _run(["users", "add", "root", "--role", "admin"], capsys)
    assert code == 0 and "password (shown once): " in out
    code, out, _ = _run(["users", "list", "--json"], capsys)
    assert json.loads(out)["users"] == [
        {"username": "ana", "role": "analyst"},
        {"username": "root", "role": "admin"},
    ]
    code, _, err = _run(["users", "remove", "root"], capsys)
    assert code == 1 and "last admin" in err
    code, out, _ = _run(["users", "remove", "ana"], capsys)
    assert code == 0 and "removed ana" in out


def test_cli_refuses_a_password_argument_and_bad_roles(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["users", "add", "ana", "--role", "analyst", "--password", "x"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["users", "add", "ana", "--role", "owner"])
    assert exc.value.code == 2
