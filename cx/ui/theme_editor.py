"""A small form on the Verbatims page: add keywords to a theme, re-analyse, see the charts move.

The dictionary and the re-analysis belong to cx.text (`service.add`, `batch.rebuild`, the same
calls as `python -m cx text themes add` and `text rebuild`); this module is only the form, for
analysts and admins (action "edit_themes", checked again when the form is sent). A core without
cx.text.service shows no form. The change and its re-analysis run in the request, so the page's
charts are drawn again from the new themes right after it.
"""

from __future__ import annotations

import importlib
import importlib.util

import streamlit as st

from cx.auth import access
from cx.auth.access import AccessDenied
from cx.ui import cached, context
from cx.ui.analysis_views import plain
from cx.ui.auth_session import CurrentUser
from cx.ui.guard import require_action

LANGUAGES = ("en", "fr")
_DONE = "theme_edit_done"


def available() -> bool:
    """Whether the core has the theme dictionary's service (cx.text.service)."""
    return importlib.util.find_spec("cx.text.service") is not None


def _apply(theme: str, lang: str, terms: str) -> str:
    """Add the terms and re-analyse every stale comment; a sentence saying what happened."""
    user = require_action("edit_themes")
    service = importlib.import_module("cx.text.service")
    batch = importlib.import_module("cx.text.batch")
    words = [t.strip() for t in terms.split(",") if t.strip()]
    if not theme.strip() or not words:
        raise ValueError("name a theme and at least one keyword or phrase")
    change = service.add(context.store(), theme, lang, words, user.username)
    report = batch.rebuild(context.store())
    return (f"Theme {change.get('theme', theme)} ({lang}) now has version "
            f"{report.theme_version}; {report.analysed:,} comments re-analysed.")


def theme_editor(user: CurrentUser) -> None:
    """The form, for users whose role may edit themes; nothing for the others."""
    if not available() or not access.allowed(user.roles, "edit_themes"):
        return
    if _DONE in st.session_state:
        st.success(plain(st.session_state.pop(_DONE)))
    with st.expander("Edit a theme (analysts and admins)"):
        with st.form("theme_edit"):
            theme = st.text_input("Theme name", key="theme_edit_name")
            lang = st.selectbox("Language", LANGUAGES, key="theme_edit_lang")
            terms = st.text_input("Keywords or phrases, separated by commas",
                                  key="theme_edit_terms")
            sent = st.form_submit_button("Add and re-analyse the comments")
    if not sent:
        return
    try:
        message = _apply(theme, lang, terms)
    except (AccessDenied, ValueError) as exc:
        st.error(plain(str(exc)))
        return
    cached.clear()
    st.session_state[_DONE] = message
    st.rerun()
