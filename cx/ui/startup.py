"""What app.py does before anyone logs in: demo data, the first admin, the cookie-key check."""

from __future__ import annotations

import sys

import streamlit as st

from cx.auth import cookie_key, users
from cx.config import Settings, engine_url, load_settings
from cx.demo import ensure_demo
from cx.engines import open_store, writable
from cx.views.summary import demo_mode


@st.cache_resource(show_spinner="Preparing the demo data (first start only)…")
def _bootstrap(where: str) -> bool:
    """Once per server process and database: a fresh database gets the demo data set."""
    store = open_store(load_settings())
    if int(store.scalar("SELECT count(*) FROM batches") or 0) > 0:
        return False  # ensure_demo would say the same; on Spark this skips staging a scratch copy
    with writable(store) as target:
        return ensure_demo(target)


def prepare_data(settings: Settings) -> bool:
    """Demo data on a fresh database (once per process); returns whether this is demo mode."""
    _bootstrap(f"{engine_url()} {settings.db_path}")
    return demo_mode(open_store(settings))


def ensure_first_admin(settings: Settings) -> None:
    """First run without a credentials file: create `admin` with a random password and print it
    once to the server console (never to the browser: whoever opens the page first is not
    necessarily the person who started the server)."""
    password = users.ensure_first_admin(settings.users_path)
    if password is None:
        return
    print(
        f"\nCX Lens first run: created user 'admin' (role admin) in {settings.users_path}\n"
        f"  password: {password}\n"
        "  This is shown once. Log in and change it on the Users page, or add users with\n"
        "  `python -m cx users add NAME --role ROLE`.\n",
        file=sys.stderr, flush=True,
    )


def refuse_unsafe_start(settings: Settings, in_demo_mode: bool) -> None:
    """Outside demo mode, stop with the reason when a configured cookie key is weak.

    No key configured is fine in every mode: cx.auth.cookie_key generates one and keeps it in an
    owner-only file (so the first upload, which ends demo mode, locks nobody out). In demo mode a
    weak configured key is not refused but ignored (the generated key signs instead), with a
    warning on the console.
    """
    problem = console = cookie_key.problem(settings.cookie_key, in_demo_mode)
    if problem is None:
        try:  # creates the key on the first start; a damaged key file is a reason to stop
            cookie_key.signing_key(settings.cookie_key, settings.key_file)
        except cookie_key.CookieKeyError as exc:
            console = str(exc)  # names the file: for the console only, never the page
            problem = ("The stored cookie key cannot be used. The server console says which "
                       "file to check.")
    if problem:
        print(f"CX Lens refused to start: {console}", file=sys.stderr, flush=True)
        st.error(f"**CX Lens cannot start.** {problem}")
        st.stop()
    if in_demo_mode and settings.cookie_key and cookie_key.weakness(settings.cookie_key):
        _warn_once(f"{cookie_key.weakness(settings.cookie_key)} Demo mode: it is ignored and a "
                   f"generated key ({settings.key_file}) signs the login cookies instead.")


@st.cache_resource(show_spinner=False)
def _warn_once(message: str) -> None:
    print(f"CX Lens warning: {message}", file=sys.stderr, flush=True)
