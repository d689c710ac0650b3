"""The snapshots table: one row per ISO week, inserted once and never updated (PRODUCT.md §4).

Why insert-once: an executive who read "CSAT 81%" last Monday must find the same number on the
page next month, whatever was uploaded since. Two builders racing for the same week (cron and
the app) are fine: the loser of the insert reads the winner's row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import duckdb

from cx.snapshots.week import IsoWeek
from cx.storage import Store, StoreError, run

_COLUMNS = "week, built_at, built_by, tz, batch_ids, data_through, payload, payload_sha256"
_SELECT_WEEK = f"SELECT {_COLUMNS} FROM snapshots WHERE week = ?"  # fixed text; the week is bound


@dataclass(frozen=True)
class Snapshot:
    week: IsoWeek
    built_at: dt.datetime  # naive UTC
    built_by: str
    tz: str
    batch_ids: tuple[str, ...]
    data_through: dt.datetime | None
    payload: dict[str, Any]
    payload_sha256: str

    def metric(self, name: str) -> dict[str, Any] | None:
        return next((m for m in self.payload.get("metrics", []) if m["name"] == name), None)


def payload_json(payload: dict[str, Any]) -> str:
    """Canonical JSON (sorted keys, no NaN) so equal payloads are equal bytes and equal hashes."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":"))


def _row_to_snapshot(row: tuple) -> Snapshot:
    week, built_at, built_by, tz, batch_ids, data_through, payload, sha = row
    return Snapshot(IsoWeek.parse(week), built_at, built_by, tz, tuple(json.loads(batch_ids)),
                    data_through, json.loads(payload), sha)


def load_snapshot(store: Store, week: IsoWeek) -> Snapshot | None:
    rows = store.query(_SELECT_WEEK, [str(week)])
    return _row_to_snapshot(rows[0]) if rows else None


def snapshot_weeks(store: Store) -> list[IsoWeek]:
    """Weeks that have a snapshot, newest first."""
    return [IsoWeek.parse(r[0]) for r in store.query("SELECT week FROM snapshots ORDER BY week DESC")]


def _insert(cur: duckdb.DuckDBPyConnection, snap: Snapshot, text: str) -> None:
    run(cur, f"INSERT INTO snapshots ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [str(snap.week), snap.built_at, snap.built_by, snap.tz, json.dumps(list(snap.batch_ids)),
         snap.data_through, text, snap.payload_sha256])


def save_snapshot(store: Store, week: IsoWeek, payload: dict[str, Any], *, built_by: str,
                  tz: str, batch_ids: list[str], data_through: dt.datetime | None,
                  built_at: dt.datetime | None = None) -> tuple[Snapshot, bool]:
    """Store the week's snapshot unless one exists; returns (the stored snapshot, inserted?)."""
    text = payload_json(payload)
    snap = Snapshot(week, built_at or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
                    built_by, tz, tuple(sorted(batch_ids)), data_through, json.loads(text),
                    hashlib.sha256(text.encode()).hexdigest())
    try:
        with store.transaction() as cur:
            exists = run(cur, "SELECT count(*) FROM snapshots WHERE week = ?", [str(week)]).fetchone()
            if exists[0]:
                inserted = False
            else:
                _insert(cur, snap, text)
                inserted = True
    except StoreError as exc:
        # Another process inserted the same week between our check and our insert.
        if "constraint" not in str(exc).lower() and "conflict" not in str(exc).lower():
            raise
        inserted = False
    stored = load_snapshot(store, week)
    if stored is None:  # only possible if someone deleted the row by hand meanwhile
        raise StoreError(f"the snapshot of {week} could not be stored")
    return stored, inserted
