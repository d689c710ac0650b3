"""Login cookies: an opaque, signed, revocable session token, and nothing about the user in it.

The cookie is `SID.VERSION.EXPIRES.SIGNATURE`: SID is 256 random bits, VERSION the user's session
version when it was issued, EXPIRES a Unix time, SIGNATURE an HMAC-SHA256 over the rest with the
cookie key. The server keeps only a SHA-256 digest of SID with the user in the credentials file.
A cookie logs in only if all of these hold: the shape is exact, the signature verifies, it has
not expired (and does not claim to live longer than any cookie we issue), its SID digest is
stored with a user, and its VERSION is that user's current session version. Anything else is
"no login" (None), never an exception: a forged or stale cookie just shows the login form.

Why not a JWT with the username (what streamlit-authenticator writes): such a cookie names the
user to anyone who can read it, cannot be revoked before it expires, and its header lets the
sender pick the algorithm, which every verifier must then remember to refuse.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

from cx.auth import users

MAX_AGE = dt.timedelta(days=7)
MAX_SESSIONS_PER_USER = 20  # the oldest is dropped beyond this: the file cannot grow forever
_SHAPE = re.compile(r"([A-Za-z0-9_-]{43})\.(\d{1,6})\.(\d{1,12})\.([A-Za-z0-9_-]{43})")


@dataclass(frozen=True)
class Login:
    """Who a valid cookie belongs to, and the session version it was issued under."""

    username: str
    version: int


def _sign(key: str, body: str) -> str:
    mac = hmac.new(key.encode("utf-8"), b"cx-lens-session." + body.encode("ascii"),
                   hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode("ascii")).hexdigest()


def issue(path: Path, key: str, username: str, now: dt.datetime | None = None) -> str:
    """Start a session for `username` (who just gave the right password); returns the cookie."""
    now = now or users.utcnow()
    sid = secrets.token_urlsafe(32)
    expires = now + MAX_AGE
    with users.editing(path) as found:
        user = found[username]
        alive = sorted((s for s in user.sessions if s[1] > now), key=lambda s: s[1])
        kept = (*alive[-(MAX_SESSIONS_PER_USER - 1):], (_digest(sid), expires))
        found[username] = replace(user, sessions=kept)
        version = user.session_version
    body = f"{sid}.{version}.{int(expires.timestamp())}"
    return f"{body}.{_sign(key, body)}"


def verify(path: Path, key: str, cookie: object, now: dt.datetime | None = None) -> Login | None:
    """The login a cookie proves, or None for anything that does not verify (see module doc)."""
    now = now or users.utcnow()
    match = _SHAPE.fullmatch(cookie) if isinstance(cookie, str) else None
    if match is None:
        return None
    sid, version, expires, signature = match.groups()
    if not hmac.compare_digest(signature, _sign(key, f"{sid}.{version}.{expires}")):
        return None
    if not now.timestamp() < int(expires) <= (now + MAX_AGE).timestamp() + 60:
        return None
    digest = _digest(sid)
    for user in users.load_users(path).values():
        for stored, until in user.sessions:
            if hmac.compare_digest(stored, digest):
                if until > now and int(version) == user.session_version:
                    return Login(user.username, user.session_version)
                return None
    return None


def end_all(path: Path, username: str) -> None:
    """Log `username` out everywhere: bump the session version and forget every cookie digest.

    Called on logout. Why everywhere and not just this browser: a logout is often the reaction to
    "someone else may be using my login", and only ending every session answers that.
    """
    with users.editing(path) as found:
        if username in found:
            found[username] = users.ended_sessions(found[username])
