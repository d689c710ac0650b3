"""The one door to DuckDB: connections, cursors, transactions, migrations, friendly errors.

Why short-lived connections: DuckDB lets one process hold a database file open for writing, and
no other process may open it meanwhile. The app and cron jobs (`python -m cx snapshot`, `ingest`)
must share the file, so every unit of work opens the file, does its work and closes it. Inside one
process DuckDB keeps a single instance while any connection is open, so concurrent `connect()`
calls (one per Streamlit session thread) see the same data. When another process holds the lock,
we wait for it (bounded), instead of failing.

Why one connection per unit of work, shared by everything nested in it: opening the file costs
about 20 ms (and drops DuckDB's block cache when the last connection closes), and one page run
made 11 to 50 queries. So `connect()` is re-entrant per thread: the outermost call opens the file
and every `connect()`, `cursor()`, `transaction()` or query of the same thread inside it uses
that connection (a cursor of its own each); the file is closed when the outermost call ends. The
app holds one around each script run (app.py), a snapshot build one around each step, so the
lock is held for one run or one step, never between them.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from cx.config import duckdb_memory_limit
from cx.storage.schema import LATEST_VERSION, MIGRATIONS


class StoreError(Exception):
    """A database problem explained in words a user can act on."""


class StoreBusyError(StoreError):
    """Another process kept the database locked for longer than we were willing to wait."""


# "unique file handle conflict": another thread of this process is opening or closing the same
# file at this instant (DuckDB 2.0 instance cache race under Streamlit sessions); retry it too.
_LOCK_WORDS = ("could not set lock", "conflicting lock", "lock on file",
               "unique file handle conflict")
_migrated: set[str] = set()
_migrate_lock = threading.Lock()
# DuckDB 2.0's instance cache races when two threads of one process open or close the same file
# at the same instant; opening and closing are milliseconds, so doing them one at a time is free.
_open_close_lock = threading.Lock()
# Per thread: resolved database path -> the connection its outermost connect() opened.
_held = threading.local()


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return any(word in text for word in _LOCK_WORDS)


def _friendly(exc: duckdb.Error, sql: str | None = None) -> StoreError:
    kind = type(exc).__name__.replace("Exception", "").replace("Error", "") or "Database"
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else kind
    where = f" (while running: {sql.strip().splitlines()[0][:120]})" if sql else ""
    return StoreError(f"{kind} error: {first_line}{where}")


class Store:
    """A DuckDB database file with the CX Lens schema."""

    def __init__(self, path: str | Path, lock_timeout: float = 60.0) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout

    # -- connections -------------------------------------------------------------------------
    def _open(self) -> duckdb.DuckDBPyConnection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Owner-only files (0600): DuckDB recreates its .wal after every checkpoint, so only the
        # process umask reaches it; no group or world bit is ever wanted for this process's files.
        os.umask(os.umask(0o077) | 0o077)
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.05
        while True:
            try:
                with _open_close_lock:
                    conn = duckdb.connect(str(self.path))
                conn.execute("SET memory_limit = ?", [duckdb_memory_limit()])
                return conn
            except duckdb.Error as exc:
                if not _is_lock_error(exc):
                    raise _friendly(exc) from exc
                if time.monotonic() >= deadline:
                    raise StoreBusyError(
                        f"The database {self.path} is busy (another program is writing to it); "
                        f"gave up after {self.lock_timeout:.0f} s. Try again in a moment."
                    ) from exc
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The calling thread's connection to the file: opened by the outermost call (waiting
        for another process's lock), shared by the calls nested in it, closed when it ends."""
        held: dict[str, duckdb.DuckDBPyConnection] = _held.__dict__.setdefault("by_path", {})
        key = str(self.path.resolve())
        if key in held:
            yield held[key]
            return
        conn = self._open()
        try:
            self._ensure_schema(conn)
            held[key] = conn
            yield conn
        finally:
            held.pop(key, None)
            with _open_close_lock:
                conn.close()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for the calling thread (DuckDB connections are not thread-safe)."""
        with self.connect() as conn:
            cur = conn.cursor()
            try:
                yield cur
            finally:
                cur.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: any exception inside rolls every statement back."""
        with self.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            else:
                try:
                    cur.execute("COMMIT")
                except duckdb.Error as exc:
                    raise _friendly(exc) from exc

    # -- queries -------------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple]:
        with self.cursor() as cur:
            return run(cur, sql, params).fetchall()

    def query_df(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> pd.DataFrame:
        with self.cursor() as cur:
            return run(cur, sql, params).df()

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def table_counts(self) -> dict[str, int]:
        with self.cursor() as cur:
            return {
                t: run(cur, f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 fixed names
                for t in ("responses", "tickets", "customers", "batches")
            }

    def schema_version(self) -> int:
        return int(self.scalar("SELECT max(version) FROM schema_version") or 0)

    # -- migrations ----------------------------------------------------------------------------
    def _ensure_schema(self, conn: duckdb.DuckDBPyConnection) -> None:
        key = str(self.path.resolve())
        if key in _migrated:
            return
        with _migrate_lock:
            if key not in _migrated:
                migrate(conn)
                _migrated.add(key)


def run(
    cur: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | dict[str, Any] = ()
) -> duckdb.DuckDBPyConnection:
    """Execute with bind parameters, turning DuckDB's errors into StoreError."""
    try:
        return cur.execute(sql, params) if params else cur.execute(sql)
    except duckdb.Error as exc:
        raise _friendly(exc, sql) from exc


def migrate(conn: duckdb.DuckDBPyConnection, target: int = LATEST_VERSION) -> int:
    """Apply every migration newer than the database's version, each in its own transaction."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, applied_at TIMESTAMP)"
    )
    current = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
    for version, statements in MIGRATIONS:
        if version <= current or version > target:
            continue
        conn.execute("BEGIN TRANSACTION")
        try:
            for statement in statements:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_version VALUES (?, current_timestamp::TIMESTAMP)", [version]
            )
            conn.execute("COMMIT")
        except duckdb.Error as exc:
            conn.execute("ROLLBACK")
            raise _friendly(exc) from exc
        current = version
    return current


def forget_migrations() -> None:
    """For tests that rebuild a database file at a path this process already migrated."""
    _migrated.clear()
