"""Batch bookkeeping: every load (upload or demo) is a batch; a batch can be rolled back."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb

from cx.storage.schema import RECORD_TABLES
from cx.storage.store import StoreError, run


@dataclass(frozen=True)
class Batch:
    batch_id: str
    source: str  # 'upload' or 'demo'
    table_name: str
    file_name: str | None = None
    sha256: str | None = None
    uploader: str | None = None
    created_at: dt.datetime = field(default_factory=lambda: _utcnow())
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    mapping: dict[str, Any] = field(default_factory=dict)
    status: str = "active"
    rolled_back_at: dt.datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _utcnow() -> dt.datetime:
    # microseconds kept: two batches made in one second (demo, then an upload) keep their order
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_batch_id() -> str:
    """Sortable by time, unique without coordination: 20261123T154501-3f9a1c."""
    return f"{_utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


_COLUMNS = (
    "batch_id, source, file_name, sha256, table_name, uploader, created_at, rows_read, "
    "rows_loaded, rows_rejected, rows_duplicate, mapping, status, rolled_back_at"
)


def insert_batch(cur: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    if batch.table_name not in RECORD_TABLES:
        raise ValueError(f"unknown table {batch.table_name!r}")
    run(
        cur,
        f"INSERT INTO batches ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            batch.batch_id, batch.source, batch.file_name, batch.sha256, batch.table_name,
            batch.uploader, batch.created_at, batch.rows_read, batch.rows_loaded,
            batch.rows_rejected, batch.rows_duplicate, json.dumps(batch.mapping),
            batch.status, batch.rolled_back_at,
        ],
    )


def _row_to_batch(row: tuple) -> Batch:
    values = dict(zip([c.strip() for c in _COLUMNS.split(",")], row, strict=True))
    values["mapping"] = json.loads(values["mapping"] or "{}")
    return Batch(**values)


def list_batches(cur: duckdb.DuckDBPyConnection, include_rolled_back: bool = True) -> list[Batch]:
    where = "" if include_rolled_back else "WHERE status = 'active'"
    rows = run(cur, f"SELECT {_COLUMNS} FROM batches {where} ORDER BY created_at, batch_id").fetchall()
    return [_row_to_batch(r) for r in rows]


def get_batch(cur: duckdb.DuckDBPyConnection, batch_id: str) -> Batch | None:
    rows = run(cur, f"SELECT {_COLUMNS} FROM batches WHERE batch_id = ?", [batch_id]).fetchall()
    return _row_to_batch(rows[0]) if rows else None


def active_with_sha256(cur: duckdb.DuckDBPyConnection, table: str, sha256: str) -> list[Batch]:
    """Active batches of `table` loaded from a file with these exact bytes (oldest first)."""
    rows = run(cur, f"SELECT {_COLUMNS} FROM batches WHERE table_name = ? AND sha256 = ? "
                    "AND status = 'active' ORDER BY created_at, batch_id", [table, sha256])
    return [_row_to_batch(r) for r in rows.fetchall()]


def rollback_batch(cur: duckdb.DuckDBPyConnection, batch_id: str) -> int:
    """Delete exactly this batch's records (call inside a transaction); returns rows removed."""
    batch = get_batch(cur, batch_id)
    if batch is None:
        raise StoreError(f"no batch with id {batch_id!r}")
    if batch.status != "active":
        raise StoreError(f"batch {batch_id} was already rolled back at {batch.rolled_back_at}")
    removed = run(
        cur, f"DELETE FROM {batch.table_name} WHERE batch_id = ?", [batch_id]  # fixed table names
    ).fetchone()[0]
    for derived in ("comment_features", "comment_themes"):  # text features of its comments
        run(cur, f"DELETE FROM {derived} WHERE batch_id = ?", [batch_id])  # fixed table names
    run(
        cur,
        "UPDATE batches SET status = 'rolled_back', rolled_back_at = ? WHERE batch_id = ?",
        [_utcnow(), batch_id],
    )
    return int(removed)
