"""The error boundary: an unexpected exception in a page becomes one short message with an id.

Why: Streamlit's default shows the traceback in the browser, with server paths, SQL text and
library internals, to whoever clicked. Here the visitor sees a plain sentence and an error id;
the full traceback goes to the server log under the same id, so an admin can find it.

Streamlit's own control flow (st.stop, st.rerun, st.switch_page) raises subclasses of
`ScriptControlException`, which derive from BaseException, not Exception (Streamlit 1.67,
streamlit/runtime/scriptrunner_utils/exceptions.py): `except Exception` lets them through
untouched, as it must.
"""

from __future__ import annotations

import logging
import secrets

import streamlit as st
from streamlit.logger import get_logger
from streamlit.navigation.page import StreamlitPage

# Streamlit's console handler: the server's log (terminal or journal), never the browser.
LOG: logging.Logger = get_logger(__name__)
MESSAGE = ("Something went wrong while drawing this page (error id {error_id}). Reload the "
           "page or change a filter to try again; if it keeps happening, give the error id to "
           "your administrator, who finds the details in the server log.")


def new_error_id() -> str:
    """Eight hex characters: short enough to read out, random enough not to collide in a log."""
    return secrets.token_hex(4)


def report(exc: BaseException, where: str) -> str:
    """Log the traceback under a new id and show the visitor only the id; return the id."""
    error_id = new_error_id()
    LOG.error("error id %s on %s: %s", error_id, where, type(exc).__name__, exc_info=exc)
    st.error(MESSAGE.format(error_id=error_id), icon=":material/error:")
    return error_id


def run_page(page: StreamlitPage) -> None:
    """Run the page st.navigation selected inside the boundary (the one call in app.py)."""
    try:
        page.run()
    except Exception as exc:  # noqa: BLE001 - the boundary: anything unexpected, shown safely
        report(exc, f"page {page.url_path or 'home'}")
