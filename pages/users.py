"""Users (admins): logins and roles (add, change role, reset a password, remove), SSO group
roles, data scopes, and the audit log."""

import streamlit as st

from cx.auth import users
from cx.ui import context
from cx.ui.group_admin import group_tab
from cx.ui.guard import require_page
from cx.ui.users_admin import ROLE_NAMES, apply_change, optional_password, show_last_change
from cx.ui.users_admin import users_table
from cx.ui.scopes_admin import audit_section, scopes_section

me = require_page("users")

st.title("Users")
st.caption("The sidebar filters do not apply here.")
show_last_change()
path = context.settings().users_path
table = users_table()
st.dataframe(table, hide_index=True)
names = table["username"].tolist()

add, role, reset, remove, groups = st.tabs(["Add", "Change role", "Reset password", "Remove",
                                            "SSO groups"])
with add, st.form("cx_user_add", clear_on_submit=True):
    new_name = st.text_input("Username", key="cx_user_add_name", help="lowercase letters, digits, '.', '_' or '-'")
    new_role = st.selectbox("Role", ROLE_NAMES, index=0, key="cx_user_add_role")
    new_password = optional_password("Password", "cx_user_add_pw")
    if st.form_submit_button("Add user"):
        apply_change(lambda: users.add_user(path, new_name.strip(), new_role, new_password),
                     f"Added {new_name.strip()} ({new_role}).", new_password is None)

with role, st.form("cx_user_role"):
    who = st.selectbox("User", names, key="cx_role_user")
    to_role = st.selectbox("New role", ROLE_NAMES, key="cx_role_role")
    if st.form_submit_button("Change role") and who:
        apply_change(lambda: users.set_role(path, who, to_role), f"{who} is now {to_role}.")

with reset, st.form("cx_user_reset", clear_on_submit=True):
    who_reset = st.selectbox("User", names, key="cx_reset_user")
    reset_password = optional_password("New password", "cx_reset_pw")
    if st.form_submit_button("Reset password") and who_reset:
        apply_change(lambda: users.reset_password(path, who_reset, reset_password),
                     f"New password set for {who_reset}; their existing logins have ended.",
                     reset_password is None)

with remove, st.form("cx_user_remove"):
    who_remove = st.selectbox("User", [n for n in names if n != me.username], key="cx_rm_user")
    sure = st.checkbox("Yes, remove this user. They can no longer log in.", key="cx_rm_sure")
    if st.form_submit_button("Remove user", type="primary") and who_remove:
        if not sure:
            st.warning("Tick the box to confirm the removal.")
        else:
            apply_change(lambda: users.remove_user(path, who_remove), f"Removed {who_remove}.")

with groups:
    group_tab()

scopes_section(names)
audit_section()
