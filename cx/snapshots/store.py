"""The snapshots table: one row per ISO week and data scope, inserted once, never updated (§4).

Why insert-once: an executive who read "CSAT 81%" last Monday must find the same number on the
page next month, whatever was uploaded since. Two builders racing for the same week (cron and
the app) are fine: the loser of the insert reads the winner's row. Each data scope (cx.auth.scopes)
has its own row per week, keyed by the scope's stable key ('' for all data), so a regional
manager's snapshot holds only her region's numbers and is as frozen as everyone else's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import duckdb

from cx.domain import UNRESTRICTED, Scope
from cx.snapshots.week import IsoWeek
from cx.storage import Store, StoreError, run

_COLUMNS = ("week, built_at, built_by, tz, batch_ids, data_through, payload, payload_sha256, "
            "scope")
# fixed text; the week and the scope key are bound
_SELECT_WEEK = f"SELECT {_COLUMNS} FROM snapshots WHERE week = ? AND scope_key = ?"


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
    scope: Scope = UNRESTRICTED

    def metric(self, name: str) -> dict[str, Any] | None:
        return next((m for m in self.payload.get("metrics", []) if m["name"] == name), None)


def payload_json(payload: dict[str, Any]) -> str:
    """Canonical JSON (sorted keys, no NaN) so equal payloads are equal bytes and equal hashes."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":"))


def _row_to_snapshot(row: tuple) -> Snapshot:
    week, built_at, built_by, tz, batch_ids, data_through, payload, sha, scope = row
    return Snapshot(IsoWeek.parse(week), built_at, built_by, tz, tuple(json.loads(batch_ids)),
                    data_through, json.loads(payload), sha, Scope.from_canonical(scope))


def load_snapshot(store: Store, week: IsoWeek, scope: Scope = UNRESTRICTED) -> Snapshot | None:
    rows = store.query(_SELECT_WEEK, [str(week), scope.key()])
    return _row_to_snapshot(rows[0]) if rows else None


def snapshot_weeks(store: Store, scope: Scope = UNRESTRICTED) -> list[IsoWeek]:
    """Weeks that have a snapshot in this scope, newest first."""
    return [IsoWeek.parse(r[0]) for r in store.query(
        "SELECT week FROM snapshots WHERE scope_key = ? ORDER BY week DESC", [scope.key()])]


def _insert(cur: duckdb.DuckDBPyConnection, snap: Snapshot, text: str) -> None:
    run(cur, f"INSERT INTO snapshots ({_COLUMNS}, scope_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [str(snap.week), snap.built_at, snap.built_by, snap.tz, json.dumps(list(snap.batch_ids)),
         snap.data_through, text, snap.payload_sha256, snap.scope.canonical(), snap.scope.key()])


def save_snapshot(store: Store, week: IsoWeek, payload: dict[str, Any], *, built_by: str,
                  tz: str, batch_ids: list[str], data_through: dt.datetime | None,
                  built_at: dt.datetime | None = None,
                  scope: Scope = UNRESTRICTED) -> tuple[Snapshot, bool]:
    """Store the week's snapshot of `scope` unless one exists; returns (the stored one, inserted?)."""
    text = payload_json(payload)
    snap = Snapshot(week, built_at or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
                    built_by, tz, tuple(sorted(batch_ids)), data_through, json.loads(text),
                    hashlib.sha256(text.encode()).hexdigest(), scope)
    try:
        with store.transaction() as cur:
            exists = run(cur, "SELECT count(*) FROM snapshots WHERE week = ? AND scope_key = ?",
                         [str(week), scope.key()]).fetchone()
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
    stored = load_snapshot(store, week, scope)
    if stored is None:  # only possible if someone deleted the row by hand meanwhile
        raise StoreError(f"the snapshot of {week} could not be stored")
    return stored, inserted
