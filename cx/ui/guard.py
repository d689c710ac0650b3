"""The first statement of every page: stop unless the logged-in user may see this page.

Why every page needs it even though `app.py` only offers allowed pages: on a freshly started
server Streamlit serves `pages/<name>.py` directly (legacy multipage mode) until `st.navigation`
has run once in the process, so a page can run without `app.py` and without any login.
"""

from __future__ import annotations

import streamlit as st

from cx.auth import access
from cx.ui import context, navigation
from cx.ui.auth import CurrentUser, current_user


def require_page(name: str) -> CurrentUser:
    """Return the user if their role allows page `name`; otherwise say why and stop the script."""
    spec = access.page(name)  # an unknown name is a programming error: raise, do not render
    user = current_user(context.settings())
    if user is None:
        navigation.leave_legacy_pages_mode()  # a fresh server: rerun this request via app.py
        st.warning("**No access**: you are not logged in. [Open the login page](./)")
        st.stop()
    if not access.can_view(user.roles, spec.name):
        need = ", ".join(sorted(r.value for r in spec.roles))
        st.error(f"**No access**: the page {spec.title} needs one of these roles: {need}.")
        st.stop()
    return user


def require_action(name: str) -> CurrentUser:
    """Check an action (upload, rollback, manage_users) again where it happens.

    Reads the role afresh from the credentials file; raises `cx.auth.access.AccessDenied` (the caller
    shows it) rather than stopping, so a form can report the refusal in place.
    """
    user = current_user(context.settings())
    if user is None:
        raise access.AccessDenied("not logged in (or the account was removed)")
    access.require_action(user.roles, name)
    return user


def may_open(name: str) -> bool:
    """Whether the logged-in user's role may open page `name`.

    For links and drill-downs: nothing should offer a page that its guard would then refuse.
    """
    user = current_user(context.settings())
    return user is not None and access.can_view(user.roles, name)
