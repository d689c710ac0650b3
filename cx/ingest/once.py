"""A file is loaded once: loads into one table run one at a time, and the same bytes again are
refused naming their batch, or replace it (issue 12 item 1, issue 14 item 6).
"""

from __future__ import annotations

import threading

import duckdb

from cx.ingest.options import IngestOptions
from cx.ingest.problems import ALREADY_LOADED, REPLACE_BATCH, IngestProblem, Problem
from cx.storage import Store
from cx.storage.batches import active_with_sha256, rollback_batch

# One load at a time per database file and table within this process. DuckDB lets inserts of two
# open transactions both commit, so two sessions loading one file at once stored it twice
# (issue 12); other processes are already kept out by the database file's own lock, which a
# load holds from staging to commit.
_LOCKS: dict[tuple[str, str], threading.Lock] = {}
_GUARD = threading.Lock()


def load_lock(store: Store, table: str) -> threading.Lock:
    """Held from the first check for duplicates to the commit of one load."""
    key = (str(store.path.resolve()), table)
    with _GUARD:
        return _LOCKS.setdefault(key, threading.Lock())


def replace_same_file(cur: duckdb.DuckDBPyConnection, options: IngestOptions, sha: str | None,
                      name: str) -> tuple[str, ...]:
    """The same bytes loaded into the same table are refused, naming the batch, unless the
    user asked to replace it: then that batch is rolled back in this load's transaction (a
    refused or failed load leaves it in place)."""
    earlier = active_with_sha256(cur, options.table, sha) if sha else []
    if earlier and not options.replace:
        first = earlier[0]
        raise IngestProblem(Problem(
            ALREADY_LOADED, f"{name}: this file (the same content) is already loaded as batch "
            f"{first.batch_id} ({first.file_name or 'no name'}, {first.created_at:%Y-%m-%d %H:%M}"
            f" UTC, {first.rows_loaded} rows); nothing was written. Replace that batch to load "
            "the file again", choices=(REPLACE_BATCH,), batch_id=first.batch_id))
    for batch in earlier:
        rollback_batch(cur, batch.batch_id)
    return tuple(b.batch_id for b in earlier)
