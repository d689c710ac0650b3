"""AppTest fixtures: a small demo database and one user per role, in the test's own folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cx.auth import users
from cx.demo import build_demo
from cx.domain import Role
from cx.storage import Store
from cx.ui.context import forget_scopes
from tests.app.dashboard_fixtures import DemoFiles, build_demo_files, use_files
from tests.app.session import ROOT, role_user

PASSWORD = "test-password-{role}"  # throw-away users in a temporary file of one test


@pytest.fixture(autouse=True)
def fresh_scope_lookups() -> None:
    """Each test reads data scopes afresh. The app keeps a lookup SCOPE_TTL_SECONDS per
    (database, person), and a module's tests share one demo database: a test that sets a scope
    directly in the database would otherwise meet the "no scope" its predecessor cached."""
    forget_scopes()


@pytest.fixture
def logins(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """role -> username, in the credentials file that CX_USERS points to (tests/conftest.py)."""
    monkeypatch.setattr(users, "BCRYPT_ROUNDS", 4)
    build_demo(Store(os.environ["CX_DB"]), scale=0.02)
    path = Path(os.environ["CX_USERS"])
    found = {}
    for role in Role:
        name = role_user(role)
        users.add_user(path, name, role, PASSWORD.format(role=role.value))
        found[role.value] = name
    return found


def existing_pages() -> set[str]:
    return {p.stem for p in (ROOT / "pages").glob("*.py")}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    """The dashboard demo files (fixed seed and end date), built once per test module."""
    return build_demo_files(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def on_demo(demo: DemoFiles, monkeypatch: pytest.MonkeyPatch) -> DemoFiles:
    """The test's settings point at the module's demo files."""
    use_files(monkeypatch, demo)
    return demo
