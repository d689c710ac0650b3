"""Login cookies (issue 12 item 3): only a cookie we issued, unexpired, under the user's current
session version logs in; every forged, stale or malformed cookie is None, never an exception."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
from pathlib import Path

import pytest

from cx.auth import sessions, users
from cx.auth.cookie_key import signing_key

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
KEY = secrets.token_urlsafe(32)


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(users, "BCRYPT_ROUNDS", 4)
    path = tmp_path / "credentials.yaml"
    users.add_user(path, "admin", "admin", "right-password")
    users.add_user(path, "ana", "analyst", "right-password")
    return path


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwt(claims: dict, key: str, alg: str = "HS256") -> str:
    """A JWT as streamlit-authenticator wrote it (the old cookie), built by hand."""
    head = _b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    body = _b64(json.dumps(claims).encode())
    digest = {"HS256": hashlib.sha256, "HS512": hashlib.sha512}.get(alg)
    sig = _b64(hmac.new(key.encode(), f"{head}.{body}".encode(), digest).digest()) if digest else ""
    return f"{head}.{body}.{sig}"


def ours(sid: str, version: int, expires: int, key: str = KEY) -> str:
    """A cookie in our own shape, signed with `key` (a forger who knows the key)."""
    body = f"{sid}.{version}.{expires}"
    return f"{body}.{sessions._sign(key, body)}"


def test_an_issued_cookie_logs_in_names_nobody_and_lasts_seven_days(path: Path) -> None:
    cookie = sessions.issue(path, KEY, "ana", now=T0)
    assert "ana" not in cookie and len(cookie) < 120
    assert sessions.verify(path, KEY, cookie, now=T0) == sessions.Login("ana", 0)
    assert sessions.verify(path, KEY, cookie, now=T0 + dt.timedelta(days=6, hours=23)) is not None
    assert sessions.verify(path, KEY, cookie, now=T0 + dt.timedelta(days=7)) is None
    assert sessions.verify(path, secrets.token_urlsafe(32), cookie, now=T0) is None  # other key
    stored = users.load_users(path)["ana"].sessions
    assert [d for d, _ in stored] == [hashlib.sha256(cookie.split(".")[0].encode()).hexdigest()]
    assert cookie.split(".")[0] not in path.read_text()  # only a digest is kept


def _forged(path: Path) -> dict[str, object]:
    real = sessions.issue(path, KEY, "admin", now=T0)
    sid, version, expires, _signature = real.split(".")
    future = int((T0 + dt.timedelta(days=1)).timestamp())
    old_style = {"username": "admin", "exp_date": future}
    return {
        "jwt HS256 with the real key": jwt(old_style, KEY),
        "jwt alg none": jwt(old_style, KEY, alg="none"),
        "jwt HS512": jwt(old_style, KEY, alg="HS512"),
        "jwt without exp_date": jwt({"username": "admin"}, KEY),
        "jwt with odd exp_date": jwt({"username": "admin", "exp_date": "soon"}, KEY),
        "no expiry part": f"{sid}.{version}.{real.split('.')[3]}",
        "expiry not a number": real.replace(f".{expires}.", ".soon."),
        "expired, validly signed": ours(sid, 0, int(T0.timestamp()) - 1),
        "expiry too far, validly signed": ours(sid, 0, int(T0.timestamp()) + 10 * 365 * 86400),
        "unknown session id, validly signed": ours(secrets.token_urlsafe(32), 0, future),
        "signed with 'x'": ours(sid, 0, future, key="x"),
        "signature of another cookie": f"{sid}.{version}.{future}.{real.split('.')[3]}",
        "garbage": "%%%not a cookie%%%",
        "empty": "",
        "huge": "A" * 100_000,
        "not text": 12345,
        "None": None,
    }


FORGED = ("jwt HS256 with the real key", "jwt alg none", "jwt HS512", "jwt without exp_date",
          "jwt with odd exp_date", "no expiry part", "expiry not a number",
          "expired, validly signed", "expiry too far, validly signed",
          "unknown session id, validly signed", "signed with 'x'", "signature of another cookie",
          "garbage", "empty", "huge", "not text", "None")


@pytest.mark.parametrize("variant", FORGED)
def test_a_forged_or_malformed_cookie_never_logs_in_and_never_raises(path: Path,
                                                                      variant: str) -> None:
    forged = _forged(path)
    assert set(forged) == set(FORGED)
    assert sessions.verify(path, KEY, forged[variant], now=T0) is None


def test_logout_ends_every_session_of_that_user_only(path: Path) -> None:
    phone = sessions.issue(path, KEY, "ana", now=T0)
    laptop = sessions.issue(path, KEY, "ana", now=T0)
    other = sessions.issue(path, KEY, "admin", now=T0)
    sessions.end_all(path, "ana")
    assert sessions.verify(path, KEY, phone, now=T0) is None
    assert sessions.verify(path, KEY, laptop, now=T0) is None
    assert sessions.verify(path, KEY, other, now=T0) == sessions.Login("admin", 0)
    again = sessions.issue(path, KEY, "ana", now=T0)  # a new login works, under version 1
    assert sessions.verify(path, KEY, again, now=T0) == sessions.Login("ana", 1)


@pytest.mark.parametrize("change", ["reset", "role", "remove"])
def test_password_reset_role_change_and_removal_end_the_cookie(path: Path, change: str) -> None:
    cookie = sessions.issue(path, KEY, "ana", now=T0)
    {"reset": lambda: users.reset_password(path, "ana"),
     "role": lambda: users.set_role(path, "ana", "manager"),
     "remove": lambda: users.remove_user(path, "ana")}[change]()
    assert sessions.verify(path, KEY, cookie, now=T0) is None


def test_an_old_version_is_refused_even_with_its_digest_put_back(path: Path) -> None:
    cookie = sessions.issue(path, KEY, "ana", now=T0)
    stored = users.load_users(path)["ana"].sessions
    users.reset_password(path, "ana")  # version 0 -> 1
    with users.editing(path) as found:  # someone restores the old digest by hand
        found["ana"] = users.User(**{**found["ana"].__dict__, "sessions": stored})
    assert sessions.verify(path, KEY, cookie, now=T0) is None


def test_sessions_per_user_are_bounded(path: Path) -> None:
    cookies = [sessions.issue(path, KEY, "ana", now=T0) for _ in range(25)]
    assert len(users.load_users(path)["ana"].sessions) == sessions.MAX_SESSIONS_PER_USER
    assert sessions.verify(path, KEY, cookies[0], now=T0) is None  # the oldest went
    assert sessions.verify(path, KEY, cookies[-1], now=T0) is not None


@pytest.mark.parametrize("weak", ["x", " ", "cx-lens-demo-only-cookie-key"])
def test_a_cookie_signed_with_a_weak_configured_key_never_logs_in(path: Path, tmp_path: Path,
                                                                  weak: str) -> None:
    # In demo mode a weak configured key is ignored, not used: the stored generated key signs.
    key = signing_key(weak, tmp_path / "cookie.key")
    assert key != weak and len(key) >= 32
    forged = ours(secrets.token_urlsafe(32), 0, int(T0.timestamp()) + 3600, key=weak)
    assert sessions.verify(path, key, forged, now=T0) is None
    real = sessions.issue(path, key, "admin", now=T0)
    resigned = ".".join(real.split(".")[:3]) + "." + sessions._sign(weak, ".".join(
        real.split(".")[:3]))
    assert sessions.verify(path, key, resigned, now=T0) is None
