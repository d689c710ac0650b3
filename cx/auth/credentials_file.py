"""The credentials file: its layout, parsing (memoised per file version), atomic owner-only
writes and the cross-process lock around read-modify-write. cx.auth.users builds on it.

The layout is the YAML streamlit-authenticator introduced (`credentials: usernames: NAME:
{...}`), plus fields of our own per user: `session_version`, bumped whenever that user's existing
logins must end, and `sessions`, the digests of the login cookies currently issued (cx.auth.sessions).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from cx.domain import Role

try:  # POSIX only; elsewhere the in-process lock still protects the app's own threads.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)
_HEADER = "# CX Lens logins: bcrypt hashes only. Never commit this file.\n"
_thread_lock = threading.Lock()


@dataclass(frozen=True)
class User:
    username: str
    role: Role
    password_hash: str
    name: str = ""
    session_version: int = 0  # a login made under an older version is over
    sessions: tuple[tuple[str, dt.datetime], ...] = ()  # (cookie digest, expires UTC)


class UserError(ValueError):
    """A user change that was refused (bad name, unknown user, last admin, weak password)."""


def check_role(role: str | Role) -> Role:
    try:
        return Role(str(role))
    except ValueError:
        raise UserError(
            f"unknown role {role!r}; roles are: {', '.join(r.value for r in Role)}"
        ) from None


# -- reading ---------------------------------------------------------------------------------
@dataclass
class _Parsed:
    users: dict[str, User]
    skipped: dict[str, Any]  # entries we could not read, written back untouched


def _parse_time(value: Any) -> dt.datetime:
    t = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _user_from(username: str, entry: dict[str, Any]) -> User:
    roles = entry.get("roles") or []
    if not roles:
        raise UserError(f"user {username!r} has no role")
    sessions = entry.get("sessions") or {}
    return User(
        username=username,
        role=check_role(roles[0]),
        password_hash=str(entry.get("password", "")),
        name=str(entry.get("name") or username),
        session_version=int(entry.get("session_version") or 0),
        sessions=tuple((str(d), _parse_time(t)) for d, t in dict(sessions).items()),
    )


def _parse(path: Path, text: str) -> _Parsed:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise UserError(f"{path}: not valid YAML ({exc})") from exc
    entries = ((data.get("credentials") or {}).get("usernames")) or {}
    parsed = _Parsed({}, {})
    for raw_name, entry in entries.items():
        name = str(raw_name).lower()
        try:
            parsed.users[name] = _user_from(name, entry or {})
        except (UserError, ValueError, TypeError, AttributeError) as exc:
            # One mistyped entry must cost that user their login, not everybody theirs.
            log.warning("%s: user %r skipped (cannot log in until fixed): %s", path, name, exc)
            parsed.skipped[name] = entry
    return parsed


_memo: dict[Path, tuple[tuple[int, int, int], _Parsed]] = {}


def _read(path: Path) -> _Parsed:
    """The parsed file, parsed again only when it changed (inode, size or mtime).

    Why: every run asks who is logged in and the pages ask again; parsing the YAML up to four
    times per run was waste. Every save replaces the file (new inode), so a change is never
    missed, whoever made it.
    """
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        return _Parsed({}, {})
    signature = (st.st_ino, st.st_size, st.st_mtime_ns)
    memo = _memo.get(path)
    if memo is None or memo[0] != signature:
        memo = (signature, _parse(path, path.read_text(encoding="utf-8")))
        _memo[path] = memo
    return _Parsed(dict(memo[1].users), dict(memo[1].skipped))


def load_users(path: Path) -> dict[str, User]:
    """All readable users in the file; an absent file means no users (first run)."""
    return _read(path).users


def _entry(user: User) -> dict[str, Any]:
    return {
        "name": user.name or user.username,
        "email": "",
        "password": user.password_hash,
        "roles": [user.role.value],
        "session_version": user.session_version,
        "sessions": {digest: expires.isoformat() for digest, expires in user.sessions},
    }


def save_users(path: Path, users: dict[str, User], skipped: dict[str, Any] | None = None) -> None:
    """Write atomically (temp file + rename), readable by the owner only."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = {u: _entry(users[u]) for u in users}
    entries.update({u: e for u, e in (skipped or {}).items() if u not in users})
    body = {"credentials": {"usernames": {u: entries[u] for u in sorted(entries)}}}
    text = _HEADER + yaml.safe_dump(body, sort_keys=False)
    fd, tmp = tempfile.mkstemp(prefix=".users-", suffix=".tmp", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Serialise read-modify-write across threads and processes (flock on the folder)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _thread_lock:
        if fcntl is None:  # pragma: no cover
            yield
            return
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


@contextmanager
def editing(path: Path) -> Iterator[dict[str, User]]:
    """Read, let the caller change the dict, write back (skipped entries stay as they were)."""
    with locked(path):
        parsed = _read(path)
        yield parsed.users
        save_users(path, parsed.users, parsed.skipped)


def ended_sessions(user: User) -> User:
    """The same user with every existing login over (new version, no cookie digests)."""
    return replace(user, session_version=user.session_version + 1, sessions=())
