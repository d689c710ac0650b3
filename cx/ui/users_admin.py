"""The Users page's forms: every change re-checks `manage_users` where it happens."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from cx.auth import audit, users
from cx.auth.access import AccessDenied
from cx.domain import Role
from cx.ui import context
from cx.ui.guard import require_action

ROLE_NAMES = [r.value for r in Role]


def users_table() -> pd.DataFrame:
    rows = [{"username": u.username, "role": u.role.value}
            for u in users.load_users(context.settings().users_path).values()]
    return pd.DataFrame(rows, columns=["username", "role"])


_FLASH = "cx_users_last_change"


def apply_change(change: Callable[[], str | None], done: str, show_password: bool = False
                 ) -> None:
    """Run one user change as an admin, then rerun so the table above shows the result.

    With `show_password`, the password the change returns (a random one) is kept for exactly
    one display by `show_last_change`, then dropped from the session.
    """
    try:
        me = require_action("manage_users")
        password = change()
    except (users.UserError, AccessDenied) as exc:
        st.error(str(exc))
        return
    audit.record(context.state_store(), me.username, "user.change", "", {"change": done})
    st.session_state[_FLASH] = (done, password if show_password else None)
    st.rerun()


def show_last_change() -> None:
    done, password = st.session_state.pop(_FLASH, (None, None))
    if done:
        st.success(done)
    if password:
        st.write("Password (shown once; copy it now and hand it over safely):")
        st.code(password, language=None)


def optional_password(label: str, key: str) -> str | None:
    value = st.text_input(label, type="password", key=key,
                          help="Leave empty for a random password, shown once.")
    return value or None
