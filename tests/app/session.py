"""One way to start an AppTest, logged in or not, for every AppTest in the suite.

Why one helper: a logged-in session is what `auth.start` leaves after a login (the
authenticator's status and username keys); when that changes, one place changes with it.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from cx.domain import Role

ROOT = Path(__file__).resolve().parents[2]


def app_test(script: str = "app.py", timeout: float = 60) -> AppTest:
    """An AppTest of `script` (a path relative to the repository), not run yet."""
    return AppTest.from_file(str(ROOT / script), default_timeout=timeout)


def logged_in(username: str, script: str = "app.py", timeout: float = 60) -> AppTest:
    """An AppTest of `script` whose session is logged in as `username`; not run yet."""
    at = app_test(script, timeout)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    return at


def role_user(role: Role) -> str:
    """The username the test fixtures give `role` (tests/app/conftest.py, dashboard_fixtures)."""
    return f"test-{role.value}"
