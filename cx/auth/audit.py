"""The audit log: who changed users, roles, SSO group mappings and data scopes, and when.

Append-only by construction: this module is the only code that touches `audit_log`, and it only
INSERTs and SELECTs. An admin reads it on the Users page; `python -m cx` writes to it for every
change made from the command line. The detail is JSON so a change carries its old and new value.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from cx.storage import Store

MAX_ENTRIES = 1000


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime  # naive UTC
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


def record(store: Store, actor: str, action: str, target: str,
           detail: dict[str, Any] | None = None) -> None:
    """Append one entry. Called in the same breath as the change it describes."""
    if not actor or not action:
        raise ValueError("an audit entry needs an actor and an action")
    text = json.dumps(detail or {}, sort_keys=True, ensure_ascii=False, default=str)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    store.query('INSERT INTO audit_log ("at", actor, action, target, detail) '
                "VALUES (?, ?, ?, ?, ?)", [now, actor, action, target, text])


def entries(store: Store, limit: int = 200) -> list[AuditEntry]:
    """The newest `limit` entries, newest first."""
    limit = max(1, min(int(limit), MAX_ENTRIES))
    rows = store.query(
        'SELECT id, "at", actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?',
        [limit])
    return [AuditEntry(int(i), at, actor, action, target or "", json.loads(detail or "{}"))
            for i, at, actor, action, target, detail in rows]
