"""AppTest fixtures: a small demo database and one user per role, in the test's own folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx import users
from cx.demo import build_demo
from cx.domain import Role
from cx.storage import Store

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "test-password-{role}"  # throw-away users in a temporary file of one test


@pytest.fixture
def logins(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """role -> username, in the credentials file that CX_USERS points to (tests/conftest.py)."""
    monkeypatch.setattr(users, "BCRYPT_ROUNDS", 4)
    build_demo(Store(os.environ["CX_DB"]), scale=0.02)
    path = Path(os.environ["CX_USERS"])
    found = {}
    for role in Role:
        name = f"test-{role.value}"
        users.add_user(path, name, role, PASSWORD.format(role=role.value))
        found[role.value] = name
    return found


def app_test(script: str = "app.py") -> AppTest:
    return AppTest.from_file(str(ROOT / script), default_timeout=60)


def existing_pages() -> set[str]:
    return {p.stem for p in (ROOT / "pages").glob("*.py")}
