"""Logins: bcrypt-only credentials file, roles, last-admin rule, lockout, the users command."""

from __future__ import annotations

import datetime as dt
import io
import json
import stat
from pathlib import Path

import pytest

from cx import users
from cx.cli import main
from cx.domain import Role

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


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
    assert (user.role, user.failed_login_attempts, user.locked_until) == (Role.ANALYST, 0, None)


def test_random_password_is_returned_once_and_works(path: Path) -> None:
    password = users.add_user(path, "eve", "executive")
    assert len(password) == 16  # secrets.token_urlsafe(12)
    assert users.authenticate(path, "eve", password, now=T0).status == "ok"
    assert users.authenticate(path, "EVE ", password, now=T0).status == "ok"  # as typed
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


def test_ten_wrong_passwords_lock_the_account_until_the_lock_ends(path: Path) -> None:
    users.add_user(path, "ana", "analyst", "right-password")
    policy = users.LockoutPolicy(max_attempts=10, lock_minutes=15)
    for i in range(9):
        result = users.authenticate(path, "ana", "wrong", policy, now=T0)
        assert result.status == "invalid"
        assert users.load_users(path)["ana"].failed_login_attempts == i + 1
    tenth = users.authenticate(path, "ana", "wrong", policy, now=T0)
    assert tenth.status == "locked"
    assert tenth.locked_until == T0 + dt.timedelta(minutes=15)
    # during the lock even the right password is refused
    during = users.authenticate(path, "ana", "right-password", policy,
                                now=T0 + dt.timedelta(minutes=14, seconds=59))
    assert (during.status, during.user) == ("locked", None)
    after = users.authenticate(path, "ana", "right-password", policy,
                               now=T0 + dt.timedelta(minutes=15))
    assert after.status == "ok"
    assert users.load_users(path)["ana"].locked_until is None


def test_a_correct_password_resets_the_count(path: Path) -> None:
    users.add_user(path, "ana", "analyst", "right-password")
    policy = users.LockoutPolicy(max_attempts=3, lock_minutes=1)
    for _ in range(2):
        users.authenticate(path, "ana", "wrong", policy, now=T0)
    assert users.authenticate(path, "ana", "right-password", policy, now=T0).status == "ok"
    assert users.load_users(path)["ana"].failed_login_attempts == 0
    for _ in range(2):
        assert users.authenticate(path, "ana", "wrong", policy, now=T0).status == "invalid"


def test_reset_password_lifts_the_lock(path: Path) -> None:
    users.add_user(path, "ana", "analyst", "right-password")
    policy = users.LockoutPolicy(max_attempts=1, lock_minutes=60)
    assert users.authenticate(path, "ana", "wrong", policy, now=T0).status == "locked"
    new = users.reset_password(path, "ana")
    assert users.authenticate(path, "ana", new, policy, now=T0).status == "ok"
    assert users.authenticate(path, "ana", "right-password", policy, now=T0).status != "ok"


def test_unknown_user_is_invalid_and_creates_nothing(path: Path) -> None:
    assert users.authenticate(path, "nobody", "whatever", now=T0).status == "invalid"
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
    assert users.authenticate(path, "admin", first, now=T0).status == "ok"


def test_demo_users_one_per_role_fresh_passwords(path: Path) -> None:
    first = users.create_demo_users(path)
    assert {role for role, _ in first.values()} == {r.value for r in Role}
    again = users.create_demo_users(path)
    for name, (role, password) in again.items():
        assert users.load_users(path)[name].role.value == role
        assert users.authenticate(path, name, password, now=T0).status == "ok"
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
    assert users.authenticate(users_file, "ana", "s3cret-enough", now=T0).status == "ok"

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: random, printed once
    code, out, _ = _run(["users", "add", "root", "--role", "admin"], capsys)
    assert code == 0 and "password (shown once): " in out
    code, out, _ = _run(["users", "list", "--json"], capsys)
    assert json.loads(out)["users"] == [
        {"username": "ana", "role": "analyst", "locked_until": None},
        {"username": "root", "role": "admin", "locked_until": None},
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
