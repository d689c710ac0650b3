"""CX Lens: the router. Page config, first start, login, this user's pages, sidebar identity.

Run with `streamlit run app.py`. Every page in pages/ also guards itself (see cx.ui.guard).
`streamlit run` first imports this file to look for an `st.App`: imported (not run as the
script), it is the server, Streamlit plus the route that sets the HttpOnly login cookie
(cx.ui.cookie_route); run as the script (`__main__`, also in AppTest), it is the app below.
"""

import streamlit as st


def main() -> None:
    """One run of the app for one browser session, on one DuckDB connection (cx.storage.store:
    every query of the run shares it; the file is closed when the run ends or stops).

    The app's modules are imported here, not at the top: the server imports this file before
    Streamlit's runtime exists, and their cached functions must first meet the runtime."""
    from cx.ui import context

    with context.store().connect():
        _run()


def _run() -> None:
    from cx.ui import auth, context, errors, sso, startup
    from cx.ui.filters import sidebar_filters
    from cx.ui import navigation as nav

    # No page_title: each st.Page title becomes the browser tab title.
    st.set_page_config(page_icon=nav.FAVICON, layout="wide")  # a file: no icon from the internet
    settings = context.settings()
    with st.empty():  # the first start's spinner must not shift the elements below it
        in_demo_mode = startup.prepare_data(settings)
    startup.refuse_unsafe_start(settings, in_demo_mode)
    sso.refuse_unworkable(settings)
    if sso.allows(settings, "local"):
        startup.ensure_first_admin(settings)
    else:
        sso.hint_first_admin(settings)  # no password admin: a group must give the admin role

    nav.remember_entry_page()  # before auth.start draws the cookie hand-over
    auth.start(settings)
    user = auth.current_user(settings)
    if user is None:
        # Registering a navigation (hidden stand-in pages) first ends Streamlit's legacy pages/
        # mode for this process before any widget exists, so the form is not re-mounted on the
        # next rerun.
        nav.remember_requested_page(nav.anonymous_navigation())
        person = sso.signed_in(settings)
        if person is not None:  # signed in with a provider, but no group of theirs has a role
            sso.no_access(person)
            st.stop()
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


if __name__ == "__main__":
    main()
else:
    from cx.ui.cookie_route import routes
    from cx.ui.server_start import lifespan

    app = st.App(__file__, routes=routes(), lifespan=lifespan)
