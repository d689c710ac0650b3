"""What app.py does before anyone logs in: demo data, the first admin, the cookie-key check."""

from __future__ import annotations

import sys

import streamlit as st

from cx import access, users
from cx.config import Settings
from cx.demo import ensure_demo
from cx.storage import Store
from cx.summary import demo_mode


@st.cache_resource(show_spinner="Preparing the demo data (first start only)…")
def _bootstrap(db_path: str) -> bool:
    """Once per server process and database: a fresh database gets the demo data set."""
    return ensure_demo(Store(db_path))


def prepare_data(settings: Settings) -> bool:
    """Demo data on a fresh database (once per process); returns whether this is demo mode."""
    _bootstrap(str(settings.db_path))
    return demo_mode(Store(settings.db_path))


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
    """Outside demo mode, stop with instructions when the cookie key is missing or public."""
    problem = access.cookie_key_problem(
        settings.cookie_key, settings.cookie_key_is_default, in_demo_mode
    )
    if problem:
        print(f"CX Lens refused to start: {problem}", file=sys.stderr, flush=True)
        st.error(f"**CX Lens cannot start.** {problem}")
        st.stop()
