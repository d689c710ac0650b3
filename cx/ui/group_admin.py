"""The Users page's SSO groups tab: which provider group gives which role (cx.auth.group_roles).

Every change re-checks `manage_users` where it happens and is audited under the admin's name;
a refused change (cx.auth.group_roles.GroupError, a UserError) shows in place, like the user
changes beside it (cx.ui.users_admin).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cx.auth import group_roles
from cx.charts.text import md_plain
from cx.ui import context
from cx.ui.guard import require_action
from cx.ui.users_admin import ROLE_NAMES, apply_change


def mappings_table() -> pd.DataFrame:
    rows = [{"group": m.group, "role": m.role.value, "changed by": m.changed_by,
             "changed at (UTC)": m.changed_at}
            for m in group_roles.list_mappings(context.state_store())]
    return pd.DataFrame(rows, columns=["group", "role", "changed by", "changed at (UTC)"])


def _map(group: str, role: str) -> None:
    admin = require_action("manage_users")  # again here: it also names who made the change
    group_roles.map_group(context.state_store(), group, role, admin.username)


def _unmap(group: str) -> None:
    admin = require_action("manage_users")
    group_roles.unmap_group(context.state_store(), group, admin.username)


def group_tab() -> None:
    """The mapping table and the forms to map and unmap a group."""
    st.caption("People who sign in with their company account get the strongest role that any of "
               "their groups maps to; with no mapped group they have no access. Group names must "
               "match what the provider sends, exactly.")
    table = mappings_table()
    st.dataframe(table, hide_index=True)
    with st.form("cx_group_map", clear_on_submit=True):
        group = st.text_input("Group", key="cx_group_map_name",
                              help="exactly as the provider sends it in the role claim")
        role = st.selectbox("Role", ROLE_NAMES, key="cx_group_map_role")
        if st.form_submit_button("Map group") and group.strip():
            apply_change(lambda: _map(group, role), f"Group {md_plain(group.strip())} now gives "
                         f"{role}.")
    with st.form("cx_group_unmap"):
        which = st.selectbox("Group", table["group"].tolist(), key="cx_group_unmap_name")
        if st.form_submit_button("Unmap group") and which:
            apply_change(lambda: _unmap(which), f"Group {md_plain(which)} no longer gives a role.")
