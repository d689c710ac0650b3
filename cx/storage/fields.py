"""Which fields a record table has: the canonical ones plus the extra columns uploads added."""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from cx.storage.schema import CANONICAL, RECORD_TABLES

_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
EXTRA_KINDS = ("dimension", "rating", "measure", "text")
_EXTRA_SQL_TYPE = {"dimension": "VARCHAR", "text": "VARCHAR", "rating": "DOUBLE", "measure": "DOUBLE"}


@dataclass(frozen=True)
class FieldInfo:
    table: str
    name: str
    kind: str  # canonical kinds of schema.Field, or an extra kind of EXTRA_KINDS
    extra: bool
    source_header: str | None = None
    scale_min: float | None = None
    scale_max: float | None = None


def quote_ident(name: str) -> str:
    """Quote a column name after checking it is one of ours (snake_case, no quotes possible)."""
    if not _IDENT.match(name):
        raise ValueError(f"not a valid field name: {name!r} (snake_case letters, digits, _)")
    return f'"{name}"'


def _check_table(table: str) -> None:
    if table not in RECORD_TABLES:
        raise ValueError(f"unknown table {table!r}; expected one of {', '.join(RECORD_TABLES)}")


def fields_of(cur: duckdb.DuckDBPyConnection, table: str) -> list[FieldInfo]:
    """Canonical fields first, then extra ones in the order they were added."""
    _check_table(table)
    out = [FieldInfo(table, f.name, f.kind, False) for f in CANONICAL[table]]
    rows = cur.execute(
        "SELECT field, kind, source_header, scale_min, scale_max FROM field_catalog "
        "WHERE table_name = ? ORDER BY rowid",
        [table],
    ).fetchall()
    out += [FieldInfo(table, r[0], r[1], True, r[2], r[3], r[4]) for r in rows]
    return out


def add_extra_field(
    cur: duckdb.DuckDBPyConnection,
    table: str,
    info: FieldInfo,
    batch_id: str,
) -> None:
    """Add a column for an upload's extra field (inside the caller's transaction)."""
    _check_table(table)
    if info.kind not in EXTRA_KINDS:
        raise ValueError(f"extra field kind must be one of {EXTRA_KINDS}, not {info.kind!r}")
    known = {f.name for f in fields_of(cur, table)}
    if info.name in known:
        return
    cur.execute(
        f"ALTER TABLE {table} ADD COLUMN {quote_ident(info.name)} {_EXTRA_SQL_TYPE[info.kind]}"
    )
    cur.execute(
        "INSERT INTO field_catalog VALUES (?, ?, ?, ?, ?, ?, ?)",
        [table, info.name, info.kind, info.source_header, info.scale_min, info.scale_max, batch_id],
    )
