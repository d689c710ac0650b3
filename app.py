"""CX Lens: the router. Page config, first start, login, this user's pages, sidebar identity.

Run with `streamlit run app.py`. Every page in pages/ also guards itself (see cx.ui.guard).
"""

import streamlit as st

from cx.ui import auth, context, errors, startup
from cx.ui.filters import sidebar_filters
from cx.ui import navigation as nav

# No page_title: each st.Page title becomes the browser tab title.
st.set_page_config(page_icon=nav.FAVICON, layout="wide")  # a file: no icon from the internet
settings = context.settings()
with st.empty():  # the first start's spinner must not shift the elements below it
    in_demo_mode = startup.prepare_data(settings)
startup.refuse_unsafe_start(settings, in_demo_mode)
startup.ensure_first_admin(settings)

nav.remember_entry_page()  # before auth.start draws the cookie component, whose answer reruns
auth.start(settings)
user = auth.current_user(settings)
if user is None:
    # Registering a navigation (hidden stand-in pages) first ends Streamlit's legacy pages/
    # mode for this process before any widget exists, so the form is not re-mounted on the
    # next rerun.
    nav.remember_requested_page(nav.anonymous_navigation())
    note = "Demo mode: the database holds only the built-in demo data." if in_demo_mode else ""
    auth.login_form(settings, note)
    st.stop()

sidebar_filters()  # drawn by the entry script so the values persist across pages
auth.sidebar_identity(user)
navigation = nav.build_navigation(user)
if navigation is None:
    st.error("No page is available for your role. Ask an admin to check your account.")
    st.stop()
nav.open_requested_page(user, navigation)
errors.run_page(navigation)  # unexpected errors: a message with an id, details in the log
