"""Shared AppTest set-up for the dashboard pages: a demo database, one user per role, a runner."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from cx.auth import users
from cx.domain import Role
from cx.storage import Store
from tests.app.session import ROOT, logged_in, role_user

DEMO_SCALE = 0.05
DEMO_END = "2026-11-22"


@dataclass(frozen=True)
class DemoFiles:
    db: Path
    users_file: Path


def build_demo_files(folder: Path) -> DemoFiles:
    from cx.demo import build_demo, parse_end

    db, users_file = folder / "cx.duckdb", folder / "credentials.yaml"
    build_demo(Store(db), seed=7, scale=DEMO_SCALE, end=parse_end(DEMO_END))
    add_role_users(users_file)
    return DemoFiles(db, users_file)


ROLE_PASSWORD = "not-a-real-password-1"


def role_logins() -> dict[Role, tuple[str, str]]:
    """The (username, password) that `add_role_users` gives each role."""
    return {role: (role_user(role), ROLE_PASSWORD) for role in Role}


def add_role_users(users_file: Path) -> None:
    rounds, users.BCRYPT_ROUNDS = users.BCRYPT_ROUNDS, 4  # throw-away users: fast hashes
    try:
        for role, (name, password) in role_logins().items():
            users.add_user(users_file, name, role, password)
    finally:
        users.BCRYPT_ROUNDS = rounds


def use_files(monkeypatch: pytest.MonkeyPatch, files: DemoFiles) -> None:
    monkeypatch.setenv("CX_DB", str(files.db))
    monkeypatch.setenv("CX_USERS", str(files.users_file))


def run_page(name: str, role: Role, timeout: float = 120) -> AppTest:
    """One render of pages/<name>.py for a logged-in user of `role` (as app.py leaves it)."""
    return logged_in(role_user(role), f"pages/{name}.py", timeout).run()


def run_page_on_empty_db(folder: Path, monkeypatch: pytest.MonkeyPatch, name: str,
                         role: Role) -> AppTest:
    """pages/<name>.py for `role` against a database that holds nothing yet (first start)."""
    users_file = folder / "credentials.yaml"
    add_role_users(users_file)
    use_files(monkeypatch, DemoFiles(folder / "empty.duckdb", users_file))
    at = run_page(name, role)
    assert not at.exception, [e.value for e in at.exception]
    return at


def cli_metric(db: Path, *args: str) -> dict:
    """`python -m cx metric ... --json`, run as a user would run it."""
    out = subprocess.run([sys.executable, "-m", "cx", "--db", str(db), "metric", *args, "--json"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)
