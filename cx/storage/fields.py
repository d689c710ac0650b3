"""Which fields a record table has: the canonical ones plus the extra columns uploads added.

Extra dimensions stay fields (group-by, explorer columns) and become sidebar filters only when
an analyst marks them, so one upload's columns do not fill everyone's sidebar. Every uploaded
batch is tagged with its source in the `source` dimension, which is always a filter: two surveys
loaded into one table can always be told apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from cx.storage.schema import CANONICAL, RECORD_TABLES
from cx.storage.store import run

_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
EXTRA_KINDS = ("dimension", "rating", "measure", "text")
_EXTRA_SQL_TYPE = {"dimension": "VARCHAR", "text": "VARCHAR", "rating": "DOUBLE", "measure": "DOUBLE"}
SOURCE_FIELD = "source"


@dataclass(frozen=True)
class FieldInfo:
    table: str
    name: str
    kind: str  # canonical kinds of schema.Field, or an extra kind of EXTRA_KINDS
    extra: bool
    source_header: str | None = None
    scale_min: float | None = None
    scale_max: float | None = None
    is_filter: bool = False  # offered as a sidebar filter (extra dimensions an analyst marked)


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
        "SELECT field, kind, source_header, scale_min, scale_max, coalesce(is_filter, false) "
        "FROM field_catalog WHERE table_name = ? ORDER BY rowid",
        [table],
    ).fetchall()
    out += [FieldInfo(table, r[0], r[1], True, r[2], r[3], r[4], bool(r[5])) for r in rows]
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
        "INSERT INTO field_catalog (table_name, field, kind, source_header, scale_min, scale_max, "
        "batch_id, is_filter) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [table, info.name, info.kind, info.source_header, info.scale_min, info.scale_max, batch_id,
         info.is_filter and info.kind == "dimension"],
    )


def mark_filters(cur: duckdb.DuckDBPyConnection, table: str, names: tuple[str, ...]) -> None:
    """Offer these extra dimensions as sidebar filters (the analyst marked them at upload)."""
    dimensions = {f.name for f in fields_of(cur, table) if f.extra and f.kind == "dimension"}
    wrong = [n for n in names if n not in dimensions]
    if wrong:
        raise ValueError(f"only extra text dimensions can be filters; not: {', '.join(wrong)}")
    for name in names:
        run(cur, "UPDATE field_catalog SET is_filter = true WHERE table_name = ? AND field = ?",
            [table, name])


def tag_source(cur: duckdb.DuckDBPyConnection, table: str, batch_id: str, label: str) -> None:
    """Write the batch's source into `source` for each of its records (caller's transaction).

    When the column is new, the records of earlier batches get theirs too (an upload's file name
    without its suffix, else the batch's kind: "demo"), so every record has a source.
    """
    existing = {f.name: f for f in fields_of(cur, table)}.get(SOURCE_FIELD)
    if existing is not None and existing.kind != "dimension":
        return  # a file's own numeric column named source: leave it alone
    add_extra_field(cur, table, FieldInfo(table, SOURCE_FIELD, "dimension", True,
                                          is_filter=True), batch_id)
    col = quote_ident(SOURCE_FIELD)
    run(cur, "UPDATE field_catalog SET is_filter = true WHERE table_name = ? AND field = ?",
        [table, SOURCE_FIELD])
    run(cur, f"UPDATE {table} SET {col} = ? WHERE batch_id = ?", [label, batch_id])  # checked
    if existing is None:
        run(cur, f"UPDATE {table} AS t SET {col} = CASE WHEN b.source = 'upload' THEN "
                 "regexp_replace(coalesce(b.file_name, b.batch_id), '\\.[^.]*$', '') ELSE "
                 f"b.source END FROM batches AS b WHERE t.batch_id = b.batch_id AND "
                 f"t.{col} IS NULL")
