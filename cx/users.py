"""Logins: the credentials file (bcrypt hashes only), roles, and the failed-login lockout.

The file is YAML in streamlit-authenticator's layout (`credentials: usernames: NAME: {...}`), so
the authenticator can be fed from it, plus two fields of our own per user: `failed_login_attempts`
and `locked_until`. We count failures ourselves because streamlit-authenticator 0.4.2 only
counts them in memory when given a dict (its object is rebuilt on every run, so the count never
grows) and, given a path, locks an account forever with no time limit and also expects the cookie
key in the same file. Every change is a read-modify-write under a lock and an atomic replace,
so the app and `python -m cx users ...` can change the file at the same time.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import bcrypt
import yaml

from cx.domain import Role

try:  # POSIX only; elsewhere the in-process lock still protects the app's own threads.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

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
    failed_login_attempts: int = 0
    locked_until: dt.datetime | None = None  # UTC, aware

    def is_locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


@dataclass(frozen=True)
class LockoutPolicy:
    max_attempts: int = 10
    lock_minutes: float = 15.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.lock_minutes <= 0:
            raise ValueError("lockout needs max_attempts >= 1 and lock_minutes > 0")


@dataclass(frozen=True)
class LoginResult:
    status: Literal["ok", "invalid", "locked"]
    user: User | None = None
    locked_until: dt.datetime | None = None


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
def _parse_time(value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    t = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _user_from(username: str, entry: dict[str, Any], path: Path) -> User:
    roles = entry.get("roles") or []
    if not roles:
        raise UserError(f"{path}: user {username!r} has no role")
    return User(
        username=username,
        role=check_role(roles[0]),
        password_hash=str(entry.get("password", "")),
        name=str(entry.get("name") or username),
        failed_login_attempts=int(entry.get("failed_login_attempts") or 0),
        locked_until=_parse_time(entry.get("locked_until")),
    )


def load_users(path: Path) -> dict[str, User]:
    """All users in the file; an absent file means no users (first run)."""
    path = Path(path)
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise UserError(f"{path}: not valid YAML ({exc})") from exc
    entries = ((data.get("credentials") or {}).get("usernames")) or {}
    return {str(u).lower(): _user_from(str(u).lower(), e or {}, path) for u, e in entries.items()}


def _entry(user: User) -> dict[str, Any]:
    return {
        "name": user.name or user.username,
        "email": "",
        "password": user.password_hash,
        "roles": [user.role.value],
        "failed_login_attempts": user.failed_login_attempts,
        "locked_until": user.locked_until.isoformat() if user.locked_until else None,
    }


def save_users(path: Path, users: dict[str, User]) -> None:
    """Write atomically (temp file + rename), readable by the owner only."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"credentials": {"usernames": {u: _entry(users[u]) for u in sorted(users)}}}
    text = _HEADER + yaml.safe_dump(body, sort_keys=False)
    fd, tmp = tempfile.mkstemp(prefix=".users-", suffix=".tmp", dir=path.parent)
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
def _editing(path: Path) -> Iterator[dict[str, User]]:
    with _locked(path):
        users = load_users(path)
        yield users
        save_users(path, users)


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
    with _editing(path) as users:
        if username in users:
            raise UserError(f"user {username!r} already exists")
        users[username] = User(username, role, password_hash, name or username)
    return password


def remove_user(path: Path, username: str) -> None:
    with _editing(path) as users:
        user = _get(users, username)
        if user.role is Role.ADMIN and _admins_after(users, username, None) == 0:
            raise UserError(f"cannot remove {username!r}: it is the last admin")
        del users[username]


def set_role(path: Path, username: str, role: str | Role) -> None:
    role = check_role(role)
    with _editing(path) as users:
        user = _get(users, username)
        if user.role is Role.ADMIN and _admins_after(users, username, role) == 0:
            raise UserError(f"cannot make {username!r} a {role.value}: it is the last admin")
        users[username] = replace(user, role=role)


def reset_password(path: Path, username: str, password: str | None = None) -> str:
    """New password (random unless given); also lifts a lock. Returns it, to show once."""
    password = password if password is not None else generate_password()
    password_hash = hash_password(password)
    with _editing(path) as users:
        user = _get(users, username)
        users[username] = replace(
            user, password_hash=password_hash, failed_login_attempts=0, locked_until=None
        )
    return password


# -- logging in ------------------------------------------------------------------------------
@functools.cache
def dummy_hash(rounds: int) -> str:
    """A valid hash at the cost real hashes have, checked when the username is unknown: a wrong
    username then takes as long as a wrong password (about 0.2 s at cost 12, not 1 ms), so
    response times do not reveal which usernames exist."""
    return bcrypt.hashpw(b"cx-lens-no-such-user", bcrypt.gensalt(rounds)).decode("ascii")


def authenticate(path: Path, username: str, password: str, policy: LockoutPolicy = LockoutPolicy(),
                 now: dt.datetime | None = None) -> LoginResult:
    """Check a password, counting failures: `policy.max_attempts` wrong passwords in a row lock
    the account for `policy.lock_minutes`, during which even the right password is refused."""
    now = now or utcnow()
    username = (username or "").strip().lower()
    with _locked(path):
        users = load_users(path)
        user = users.get(username)
        if user is None:
            password_matches(password, dummy_hash(BCRYPT_ROUNDS))
            return LoginResult("invalid")
        if user.is_locked(now):
            return LoginResult("locked", locked_until=user.locked_until)
        if password_matches(password, user.password_hash):
            if user.failed_login_attempts or user.locked_until:
                user = replace(user, failed_login_attempts=0, locked_until=None)
                users[username] = user
                save_users(path, users)
            return LoginResult("ok", user=user)
        failed = user.failed_login_attempts + 1
        if failed >= policy.max_attempts:
            until = now + dt.timedelta(minutes=policy.lock_minutes)
            users[username] = replace(user, failed_login_attempts=0, locked_until=until)
            save_users(path, users)
            return LoginResult("locked", locked_until=until)
        users[username] = replace(user, failed_login_attempts=failed, locked_until=None)
        save_users(path, users)
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
    with _editing(users_path) as users:
        for role, username in DEMO_USERNAMES.items():
            users[username] = User(username, role, hashes[username], username)
    return created
