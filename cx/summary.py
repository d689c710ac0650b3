"""What is in the database, in a few numbers: record counts, the dates they span, demo or not.

Used by the first Overview page and by the start-up check (demo mode decides whether the public
demo cookie key is acceptable), so it lives in the core, not in a page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cx.storage import Store, run
from cx.storage.schema import TIME_FIELD


@dataclass(frozen=True)
class DataSummary:
    responses: int
    tickets: int
    customers: int
    batches: int  # active batches
    first_date: dt.date | None  # earliest record time over the three tables
    last_date: dt.date | None
    uploaded_batches: int  # active batches that are not the built-in demo

    @property
    def demo_mode(self) -> bool:
        """Demo mode: the database holds only demo batches (or nothing), no uploads."""
        return self.uploaded_batches == 0


def _span_sql() -> str:
    # Table and column names come from the fixed schema, never from user input.
    parts = [f"SELECT min({col}) AS lo, max({col}) AS hi FROM {table}"
             for table, col in TIME_FIELD.items()]
    return "SELECT min(lo), max(hi) FROM (" + " UNION ALL ".join(parts) + ")"


def data_summary(store: Store) -> DataSummary:
    counts = store.table_counts()
    with store.cursor() as cur:
        lo, hi = run(cur, _span_sql()).fetchone()
        active, uploaded = run(
            cur,
            "SELECT count(*), count(*) FILTER (WHERE source <> ?) FROM batches WHERE status = ?",
            ["demo", "active"],
        ).fetchone()
    return DataSummary(
        responses=counts["responses"], tickets=counts["tickets"], customers=counts["customers"],
        batches=int(active), first_date=lo.date() if lo else None,
        last_date=hi.date() if hi else None, uploaded_batches=int(uploaded),
    )
