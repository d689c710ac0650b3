"""One way to start an AppTest, logged in or not, for every AppTest in the suite.

Why one helper: a logged-in session is what `auth.start` leaves after a login (the
authenticator's status and username keys); when that changes, one place changes with it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cx.auth import access, users
from cx.domain import Role
from cx.ui.navigation import REQUESTED_PAGE_KEY

ROOT = Path(__file__).resolve().parents[2]
ID_MESSAGE = re.compile(r"\(error id ([0-9a-f]{8})\)")  # what cx.ui.errors shows


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


def rendered_text(at: AppTest) -> str:
    """Every text element of the run, as the browser would receive it."""
    kinds = ("error", "warning", "info", "success", "markdown", "caption", "code", "text",
             "exception", "title", "header", "subheader")
    parts = [str(getattr(e, "value", "")) for kind in kinds for e in getattr(at, kind)]
    parts += [str(getattr(e, "stack_trace", "")) for e in at.exception]
    return "\n".join(parts)


def through_app(username: str, page: str, **state: object) -> AppTest:
    """Run `page` the way the server does after its first run: app.py, then st.navigation.

    AppTest.switch_page would run the page file on its own (Streamlit's legacy pages/ mode, reset
    on every AppTest run); a remembered page makes app.py switch to it inside one run instead.
    """
    at = logged_in(username)
    for key, value in state.items():
        at.session_state[key] = value
    user = users.load_users(Path(os.environ["CX_USERS"]))[username]
    # The landing page is where app.py starts; asking for it again would switch to it forever
    # (nav.open_requested_page compares the name with the default page's url_path, "").
    if access.landing_page(user.role).name != page:
        at.session_state[REQUESTED_PAGE_KEY] = page
    return at.run()
