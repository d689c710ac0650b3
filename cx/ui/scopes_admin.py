"""The Users page's data scopes and audit log (admins): set or clear what a user or an SSO group
may see, and read who changed what, when. Everything is shown as plain text (st.dataframe)."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from cx.auth import audit, scopes
from cx.auth.access import AccessDenied
from cx.charts.text import md_plain
from cx.ui import context
from cx.ui.guard import require_action

_FLASH = "cx_scopes_last_change"
AUDIT_ROWS = 200


def scopes_table() -> pd.DataFrame:
    rows = [{"kind": kind, "name": name, "sees": scopes.Scope((clause,)).describe()}
            for kind, name, clause in scopes.all_scopes(context.state_store())]
    return pd.DataFrame(rows, columns=["kind", "name", "sees"])


def audit_table(limit: int = AUDIT_ROWS) -> pd.DataFrame:
    rows = [{"at (UTC)": e.at, "who": e.actor, "did": e.action, "to": e.target,
             "detail": json.dumps(e.detail, ensure_ascii=False, sort_keys=True) if e.detail else ""}
            for e in audit.entries(context.state_store(), limit)]
    return pd.DataFrame(rows, columns=["at (UTC)", "who", "did", "to", "detail"])


def _change(kind: scopes.ScopeKind, name: str, where: str | None) -> None:
    """Set (`where`: one FIELD=VALUE per line) or clear (None) a scope, re-checking the admin."""
    try:
        me = require_action("manage_users")
        clause = None if where is None else scopes.parse_where(
            [line.strip() for line in where.splitlines() if line.strip()])
        changed = scopes.change_scope(context.state_store(), kind, name, clause, me.username)
        context.forget_scopes()
    except (ValueError, AccessDenied) as exc:
        st.error(md_plain(str(exc)))  # it may quote what was typed: plain text, never Markdown
        return
    if clause is not None:
        done = f"{kind} {name.strip()} now sees: {scopes.Scope((clause,)).describe()}."
    else:
        done = f"Cleared the scope of {kind} {name.strip()}." if changed else \
            f"{kind} {name.strip()} had no scope; nothing changed."
    st.session_state[_FLASH] = done
    st.rerun()


def scopes_section(usernames: list[str]) -> None:
    """Current scopes, a form to set one, a form to clear one."""
    st.subheader("Data scopes")
    done = st.session_state.pop(_FLASH, None)
    if done:
        st.success(md_plain(done))  # names and values as typed: plain text, never Markdown
    st.caption("A scope limits every page, export, drill-down and snapshot of a user (or of "
               "every member of an SSO group) to matching records. A user's own scope replaces "
               "their groups' scopes; several group scopes add up. No scope: all data.")
    table = scopes_table()
    st.dataframe(table, hide_index=True)
    set_tab, clear_tab = st.tabs(["Set a scope", "Clear a scope"])
    with set_tab, st.form("cx_scope_set"):
        kind = st.radio("For", ["user", "group"], horizontal=True, key="cx_scope_kind")
        name = st.text_input("User or SSO group name", key="cx_scope_name",
                             help="Local users: " + (", ".join(usernames) or "none"))
        where = st.text_area("Sees only records where (one FIELD=VALUE per line; repeat a "
                             "field for OR)", key="cx_scope_where",
                             placeholder="region=Europe\nteam=Billing",
                             help="Fields: " + ", ".join(scopes.SCOPE_FIELDS))
        if st.form_submit_button("Set scope"):
            _change(kind, name, where)
    with clear_tab, st.form("cx_scope_clear"):
        options = [f"{k}:{n}" for k, n in zip(table["kind"], table["name"])]
        chosen = st.selectbox("Scope", options, key="cx_scope_clear_pick")
        if st.form_submit_button("Clear scope") and chosen:
            kind_text, _, who = chosen.partition(":")
            _change("group" if kind_text == "group" else "user", who, None)


def audit_section() -> None:
    st.subheader("Audit log")
    st.caption(f"Who changed users, roles, groups and scopes, newest first (last {AUDIT_ROWS}); "
               "entries are only ever added.")
    st.dataframe(audit_table(), hide_index=True)
