"""Named upload mappings: saved once, proposed again for a file with the same headers.

A template is keyed by the file's headers (in order, case-folded), so a monthly export from the
same system is mapped the same way without the analyst picking every column again. It stores
only what the analyst can set per column: field, unit, scale and "offer as filter".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cx.storage import Store, run
from cx.storage.schema import RECORD_TABLES

NAME_LIMIT = 80


@dataclass(frozen=True)
class Template:
    name: str
    table: str
    columns: dict[str, dict[str, Any]]  # header -> {field, unit, scale, filter}
    created_by: str | None
    created_at: dt.datetime


def headers_key(headers: list[str] | tuple[str, ...]) -> str:
    """The same headers in the same order give the same key, whatever their case or spacing."""
    norm = [" ".join(str(h).split()).casefold() for h in headers]
    return hashlib.sha256(json.dumps(norm).encode("utf-8")).hexdigest()


def save_template(store: Store, name: str, table: str, headers: list[str],
                  columns: dict[str, dict[str, Any]], user: str | None) -> Template:
    """Save (or replace) the template `name`; the name is what the analyst will recognise."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("give the mapping a name")
    if len(name) > NAME_LIMIT:
        raise ValueError(f"a mapping name has at most {NAME_LIMIT} characters")
    if table not in RECORD_TABLES:
        raise ValueError(f"unknown table {table!r}; expected one of {', '.join(RECORD_TABLES)}")
    unknown = [h for h in columns if h not in headers]
    if unknown:
        raise ValueError(f"the mapping names columns the file does not have: {', '.join(unknown)}")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with store.transaction() as cur:
        run(cur, "DELETE FROM mapping_templates WHERE name = ?", [name])
        run(cur, "INSERT INTO mapping_templates VALUES (?, ?, ?, ?, ?, ?, ?)",
            [name, table, headers_key(headers), json.dumps(list(headers)),
             json.dumps(columns), user, now])
    return Template(name, table, columns, user, now)


def find_templates(store: Store, table: str, headers: list[str]) -> list[Template]:
    """Templates saved for these headers and this table, the newest first."""
    rows = store.query(
        "SELECT name, table_name, columns, created_by, created_at FROM mapping_templates "
        "WHERE table_name = ? AND headers_key = ? ORDER BY created_at DESC, name",
        [table, headers_key(headers)])
    return [Template(r[0], r[1], json.loads(r[2]), r[3], r[4]) for r in rows]
