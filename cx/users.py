"""Logins: the credentials file (bcrypt hashes only), roles, session versions and sessions.

The file is YAML in the layout streamlit-authenticator introduced (`credentials: usernames:
NAME: {...}`), plus fields of our own per user: `session_version`, bumped whenever that user's
existing logins must end (logout, password reset, role change), and `sessions`, the digests of
the login cookies currently issued (see cx.sessions). Wrong passwords are slowed down per name and
client by cx.login_throttle, never by a lock stored here: a stored lock was a lever anyone could
pull on someone else's account. Every change is a read-modify-write under a lock and an atomic
replace, so the app and `python -m cx users ...` can change the file at the same time.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import bcrypt
import yaml

from cx.domain import Role

try:  # POSIX only; elsewhere the in-process lock still protects the app's own threads.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)
BCRYPT_ROUNDS = 12  # tests lower this to keep hashing fast; stored hashes carry their own cost
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_BYTES = 72  # bcrypt's limit; bcrypt 5 refuses longer input instead of truncating
DEMO_USERNAMES = {role: f"demo-{role.value}" for role in Role}
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


@dataclass(frozen=True)
class LoginResult:
    status: str  # "ok" or "invalid" (cx.login_throttle adds "wait")
    user: User | None = None
    retry_after: float = 0.0  # seconds, with status "wait"


class UserError(ValueError):
    """A user change that was refused (bad name, unknown user, last admin, weak password)."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# -- validation and hashing ------------------------------------------------------------------
def check_username(username: str) -> str:
    if not USERNAME_RE.match(username or ""):
        raise UserError(
            f"invalid username {username!r}: use 1-32 lowercase letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return username


def check_role(role: str | Role) -> Role:
    try:
        return Role(str(role))
    except ValueError:
        raise UserError(
            f"unknown role {role!r}; roles are: {', '.join(r.value for r in Role)}"
        ) from None


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password too short: use at least {MIN_PASSWORD_LENGTH} characters")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise UserError(f"password too long: at most {MAX_PASSWORD_BYTES} bytes")
    return password


def generate_password() -> str:
    """16 URL-safe characters (96 random bits): strong, and easy to copy from a console."""
    return secrets.token_urlsafe(12)


def hash_password(password: str) -> str:
    check_password(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


def password_matches(password: str, password_hash: str) -> bool:
    data = password.encode("utf-8")
    if len(data) > MAX_PASSWORD_BYTES:
        return False
    try:
        return bcrypt.checkpw(data, password_hash.encode("ascii"))
    except ValueError:  # a damaged hash in the file: never a match
        return False


# -- the file --------------------------------------------------------------------------------
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
def _locked(path: Path) -> Iterator[None]:
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
    with _locked(path):
        parsed = _read(path)
        yield parsed.users
        save_users(path, parsed.users, parsed.skipped)


def ended_sessions(user: User) -> User:
    """The same user with every existing login over (new version, no cookie digests)."""
    return replace(user, session_version=user.session_version + 1, sessions=())


def _get(users: dict[str, User], username: str) -> User:
    try:
        return users[username]
    except KeyError:
        raise UserError(f"no user {username!r}") from None


def _admins_after(users: dict[str, User], username: str, role: Role | None) -> int:
    """How many admins would remain if `username` got `role` (None: removed)."""
    others = sum(1 for u in users.values() if u.username != username and u.role is Role.ADMIN)
    return others + (1 if role is Role.ADMIN else 0)


# -- user changes (CLI and Users page) --------------------------------------------------------
def add_user(path: Path, username: str, role: str | Role, password: str | None = None,
             name: str | None = None) -> str:
    """Create a user; returns the password (a random one when none is given) to show once."""
    check_username(username)
    role = check_role(role)
    password = password if password is not None else generate_password()
    password_hash = hash_password(password)
    with editing(path) as users:
        if username in users:
            raise UserError(f"user {username!r} already exists")
        users[username] = User(username, role, password_hash, name or username)
    return password


def remove_user(path: Path, username: str) -> None:
    with editing(path) as users:
        user = _get(users, username)
        if user.role is Role.ADMIN and _admins_after(users, username, None) == 0:
            raise UserError(f"cannot remove {username!r}: it is the last admin")
        del users[username]


def set_role(path: Path, username: str, role: str | Role) -> None:
    role = check_role(role)
    with editing(path) as users:
        user = _get(users, username)
        if user.role is Role.ADMIN and _admins_after(users, username, role) == 0:
            raise UserError(f"cannot make {username!r} a {role.value}: it is the last admin")
        if role is not user.role:
            users[username] = ended_sessions(replace(user, role=role))


def reset_password(path: Path, username: str, password: str | None = None) -> str:
    """New password (random unless given); ends every login of that user. Returns it, to show
    once."""
    password = password if password is not None else generate_password()
    password_hash = hash_password(password)
    with editing(path) as users:
        users[username] = ended_sessions(replace(_get(users, username),
                                                 password_hash=password_hash))
    return password


# -- logging in ------------------------------------------------------------------------------
@functools.cache
def dummy_hash(rounds: int) -> str:
    """A valid hash at the cost real hashes have, checked when the username is unknown: a wrong
    username then takes as long as a wrong password (about 0.2 s at cost 12, not 1 ms), so
    response times do not reveal which usernames exist."""
    return bcrypt.hashpw(b"cx-lens-no-such-user", bcrypt.gensalt(rounds)).decode("ascii")


def authenticate(path: Path, username: str, password: str) -> LoginResult:
    """Check a password. Nothing is written: failures are counted per name and client by
    cx.login_throttle, so a wrong password costs the file no write and locks nobody out."""
    user = load_users(path).get((username or "").strip().lower())
    if user is None:
        password_matches(password, dummy_hash(BCRYPT_ROUNDS))
        return LoginResult("invalid")
    if password_matches(password, user.password_hash):
        return LoginResult("ok", user=user)
    return LoginResult("invalid")


def ensure_first_admin(path: Path) -> str | None:
    """First run: with no credentials file, create user `admin` with a random password.

    Returns the password (for the caller to print once to the server console) or None when the
    file already exists. Never a known password: the app is not open to the world on first start.
    """
    if Path(path).exists():  # every run asks: answer without waiting behind a login's lock
        return None
    with _locked(path):
        if Path(path).exists():
            return None
        password = generate_password()
        save_users(path, {"admin": User("admin", Role.ADMIN, hash_password(password), "admin")})
        return password


def create_demo_users(users_path: Path) -> dict[str, tuple[str, str]]:
    """One demo user per role (`demo-executive` ... `demo-admin`), each with a fresh random
    password; existing demo users get a new password. Returns username -> (role, password)."""
    created: dict[str, tuple[str, str]] = {}
    hashes: dict[str, str] = {}
    for role, username in DEMO_USERNAMES.items():
        password = generate_password()
        created[username] = (role.value, password)
        hashes[username] = hash_password(password)
    with editing(users_path) as users:
        for role, username in DEMO_USERNAMES.items():
            old = users.get(username)
            version = old.session_version + 1 if old else 0  # a new password ends old logins
            users[username] = User(username, role, hashes[username], username, version)
    return created
