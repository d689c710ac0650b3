"""The forward migrations of cx.storage.schema, translated for Spark tables.

Why translated rather than written twice: one list of migrations is the schema's history for
both engines. Spark (Parquet tables, no transactions, no UPDATE) differs in three ways, each
handled here: record tables and the per-comment text features (`comment_features`,
`comment_themes`) live in `<table>_data` partitioned by batch id and are read through a view
`<table>` that shows only published batches; the batches table is partitioned by batch id
so publishing or unpublishing one batch rewrites only its own partition; constraints and
defaults are dropped (the app enforces keys; Spark Parquet tables cannot).
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp

from cx.storage.schema import RECORD_TABLES

# Rows derived from a batch's records (cx.text): they travel, appear and go with their batch.
FEATURE_TABLES = ("comment_features", "comment_themes")
# Tables read through a view of the published batches (see physical).
BATCH_TABLES = (*RECORD_TABLES, *FEATURE_TABLES)
# Tables partitioned by batch id: a batch is written, published and dropped as whole partitions.
PARTITIONED = (*BATCH_TABLES, "batches")


def physical(table: str) -> str:
    """Where a batch table's rows live; readers use the view named like the table."""
    return f"{table}_data" if table in BATCH_TABLES else table


def _strip_constraints(create: exp.Create) -> None:
    schema = create.this
    keep = []
    for item in schema.expressions:
        if isinstance(item, exp.ColumnDef):
            item.set("constraints", [])
            keep.append(item)
    schema.set("expressions", keep)


def _create(create: exp.Create) -> str:
    name = create.this.this.name
    _strip_constraints(create)
    create.this.this.set("this", exp.to_identifier(physical(name)))
    if name == "field_catalog":  # insertion order is the order fields were added (DuckDB rowid)
        create.this.append("expressions", exp.ColumnDef(
            this=exp.to_identifier("rowid"), kind=exp.DataType.build("BIGINT")))
    sql = create.sql("spark") + " USING parquet"
    if name in PARTITIONED:
        sql += " PARTITIONED BY (batch_id)"
    return sql.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1)


# DuckDB rebuilds a table to change its primary key (migration 6: snapshots keyed by week and
# scope). Spark tables have no keys, so there the rebuild is only the new columns (renaming a
# Parquet table in the session catalog leaves its files behind).
KEY_REBUILDS = {"snapshots_v6": ("snapshots", "scope_key STRING, scope STRING")}
_REBUILT = {base for base, _ in KEY_REBUILDS.values()}

_ADD_COLUMN = re.compile(r"^\s*ALTER TABLE (\w+) ADD COLUMN (\w+) (\w+)", re.IGNORECASE)


def translate(statement: str) -> tuple[str, str]:
    """("ddl", Spark SQL) for one DuckDB migration statement; ("update", table name) for an
    UPDATE, DELETE or INSERT ... SELECT, which Spark tables cannot run: the store allows it when
    that table (the source of an INSERT) is empty, where it changes nothing; ("none", "") for
    what Spark has no use for (sequences)."""
    added = _ADD_COLUMN.match(statement)
    if added:
        table, column, sql_type = added.groups()
        spark_type = exp.DataType.build(sql_type, dialect="duckdb").sql("spark")
        return "ddl", (f"ALTER TABLE {physical(table)} ADD COLUMNS ({column} {spark_type})")
    tree = sqlglot.parse_one(statement, read="duckdb")
    rebuilt = _key_rebuild(tree)
    if rebuilt is not None:
        return rebuilt
    if isinstance(tree, exp.Create) and tree.kind == "SEQUENCE":
        return "none", ""  # only the local audit log numbers its rows (cx.ui.context.state_store)
    if isinstance(tree, exp.Create) and tree.kind == "TABLE":
        return "ddl", _create(tree)
    if isinstance(tree, exp.Insert):  # rows copied between tables: fine from an empty source
        return "update", tree.expression.find(exp.Table).name
    if isinstance(tree, (exp.Update, exp.Delete)):  # fine on an empty table: nothing to change
        return "update", tree.find(exp.Table).name
    if isinstance(tree, (exp.Create, exp.Alter, exp.Drop)):
        return "ddl", tree.sql("spark")
    raise ValueError(f"a migration statement Spark cannot apply: {statement.splitlines()[0]}")


def _key_rebuild(tree: exp.Expression) -> tuple[str, str] | None:
    """A statement of a KEY_REBUILDS rebuild: the new columns, or nothing to do on Spark."""
    table = tree.find(exp.Table)
    name = table.name if table is not None else ""
    if isinstance(tree, exp.Create) and tree.kind == "TABLE" and name in KEY_REBUILDS:
        base, columns = KEY_REBUILDS[name]
        return "ddl", f"ALTER TABLE {physical(base)} ADD COLUMNS ({columns})"
    if isinstance(tree, (exp.Insert, exp.Alter)) and name in KEY_REBUILDS:
        return "none", ""
    if isinstance(tree, exp.Drop) and name in _REBUILT:
        return "none", ""
    return None
