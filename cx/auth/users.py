"""Logins: users and roles, passwords (bcrypt), the last-admin rule, ending sessions.

Users live in the credentials file (cx.auth.credentials_file: layout, parsing, atomic owner-only
writes, locking). Wrong passwords are slowed down per name and client by cx.auth.login_throttle,
never by a lock stored here: a stored lock was a lever anyone could pull on someone else's
account. Every change is a read-modify-write under a lock and an atomic replace, so the app and
`python -m cx users ...` can change the file at the same time.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

import bcrypt

from cx.auth.credentials_file import (  # noqa: F401 - re-exported: callers know them as users.*
    User, UserError, check_role, editing, ended_sessions, load_users, locked, save_users,
)
from cx.domain import Role

BCRYPT_ROUNDS = 12  # tests lower this to keep hashing fast; stored hashes carry their own cost
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_BYTES = 72  # bcrypt's limit; bcrypt 5 refuses longer input instead of truncating
DEMO_USERNAMES = {role: f"demo-{role.value}" for role in Role}


@dataclass(frozen=True)
class LoginResult:
    status: str  # "ok" or "invalid" (cx.auth.login_throttle adds "wait")
    user: User | None = None
    retry_after: float = 0.0  # seconds, with status "wait"


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
    cx.auth.login_throttle, so a wrong password costs the file no write and locks nobody out."""
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
    with locked(path):
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
