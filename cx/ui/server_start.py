"""The server's start-up hook: the app's imports before the server answers, then the rest of the
warm-up (cx.ui.warmup) in a thread, so the login form is drawn while the queries run.

Why imports first, awaited: every page run, the login form's included, needs them (3 s, of
which scipy.stats 1.3 s), and a login run importing beside the warm-up's queries waited for
both. Why a module of its own: `streamlit run` imports app.py, and with it this hook, before
Streamlit's runtime exists; the app's modules (and their cached functions) must be imported only
after it does, which is when st.App calls the hook.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from streamlit.logger import get_logger

LOG = get_logger(__name__)


def _import_app() -> bool:
    try:
        importlib.import_module("cx.ui.warmup")  # it imports what every page needs
        return True
    except Exception:  # noqa: BLE001 - the first page run will meet (and show) the problem
        LOG.exception("CX Lens could not import its modules at start")
        return False


def _warm_up() -> None:
    """Warm up, then freeze every object alive out of the garbage collector's full passes:
    Streamlit runs one after every script run (runner.postScriptGC), and walking the imported
    libraries' 230,000 objects took 0.5 to 1.9 s of each run (measured)."""
    try:
        from cx.ui.warmup import warm_up

        LOG.info("CX Lens warmed up in %.1f s", warm_up())
    except Exception:  # noqa: BLE001 - a failed warm-up only costs the first visitor time
        LOG.exception("CX Lens warm-up failed; the first visitor will wait for it instead")
    gc.collect()
    gc.freeze()


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """st.App's lifespan: runs once Streamlit's runtime has started."""
    if await asyncio.to_thread(_import_app):
        threading.Thread(target=_warm_up, name="cx-warm-up", daemon=True).start()
    yield
    gc.unfreeze()  # at shutdown: let the interpreter free them as usual
