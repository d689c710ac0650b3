"""The logged-in user's navigation: only the pages their roles allow, landing page first."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from cx import access
from cx.ui.auth import CurrentUser


def available_pages(user: CurrentUser, root: Path) -> list[access.PageSpec]:
    """Allowed pages whose file exists.

    Transitional rule: the page registry (cx.access) declares all nine pages of PRODUCT.md §5
    while some page files are still being written; a page joins the navigation once
    `pages/<name>.py` exists. Access is still decided by cx.access alone.
    """
    return [p for p in access.pages_for(user.roles) if (root / p.file).is_file()]


def build_navigation(user: CurrentUser, root: Path) -> StreamlitPage | None:
    """st.navigation over the user's pages (None when there is none to show)."""
    pages = available_pages(user, root)
    if not pages:
        return None
    landing = access.landing_page(user.roles, [p.name for p in pages])
    return st.navigation(
        [
            st.Page(p.file, title=p.title, icon=p.icon, url_path=p.name, default=(p == landing))
            for p in pages
        ],
        position="sidebar",
    )


def _login_screen() -> None:
    """The login form is drawn by app.py before navigation; this page adds nothing."""


def anonymous_navigation() -> None:
    """Register a single hidden page for visitors who are not logged in.

    Calling st.navigation at all ends Streamlit's legacy `pages/` mode for the process, so the
    sidebar does not list every page file on the login screen, and any page URL falls back to
    the login form. The page itself is never run.
    """
    st.navigation([st.Page(_login_screen, title="Log in", url_path="login", default=True)],
                  position="hidden")
