"""Two facts about what the database holds: whether it is demo data only, and its latest date.

Used by the start-up check (outside demo mode a weak configured cookie key is refused)
and by the date presets, so it lives in the core, not in a page.
"""

from __future__ import annotations

import datetime as dt

from cx.demo.build import SOURCE as DEMO_SOURCE
from cx.storage import Store
from cx.storage.schema import TIME_FIELD


def demo_mode(store: Store) -> bool:
    """True while no active batch came from anywhere but the built-in demo (or there is none).

    Asked on every run of the app, so one small query on `batches`, nothing on the record tables.
    """
    uploaded = store.scalar("SELECT count(*) FROM batches WHERE status = ? AND source <> ?",
                            ["active", DEMO_SOURCE])
    return int(uploaded) == 0


def _latest_sql() -> str:
    # Table and column names come from the fixed schema, never from user input.
    parts = [f"SELECT max({col}) AS hi FROM {table}" for table, col in TIME_FIELD.items()]
    return "SELECT max(hi) FROM (" + " UNION ALL ".join(parts) + ")"


def last_date(store: Store) -> dt.date | None:
    """The latest record time over the three tables (the anchor of the date presets)."""
    hi = store.scalar(_latest_sql())
    return hi.date() if hi else None
