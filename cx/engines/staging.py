"""Writes on Spark: run the DuckDB write path on a scratch database, then publish the changes.

Why: reading, header matching, validation, the demo generator and rollback rules are DuckDB code
that already holds every rule (duplicates by natural key, same-file replacement, extra fields,
source tags). On Spark they run unchanged against a scratch DuckDB file seeded with what those
rules need from Spark (batches, the field catalog, the theme dictionary, each record's key and
batch); afterwards the difference goes to Spark in this order: new columns, the new batches'
records and their comments' features (cx.text, computed here with Spark's dictionary) as Arrow
chunks, new dictionary rows, the field catalog, the views, and last the batch rows (publish);
rolled-back batches are unpublished first and then their partitions dropped. A refused load
changes nothing on Spark.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa

from cx.engines.spark_schema import FEATURE_TABLES
from cx.engines.spark_store import CHUNK_ROWS, SparkStore, spark_ident
from cx.storage.fields import _EXTRA_SQL_TYPE as EXTRA_SQL_TYPE  # one home for the types
from cx.storage.fields import quote_ident
from cx.storage.schema import NATURAL_KEY, RECORD_TABLES
from cx.storage.store import Store

_SPARK_TYPE = {"VARCHAR": "STRING", "DOUBLE": "DOUBLE", "BOOLEAN": "BOOLEAN", "BIGINT": "BIGINT",
               "SMALLINT": "SMALLINT", "INTEGER": "INT", "TIMESTAMP": "TIMESTAMP_NTZ",
               "DATE": "DATE"}


@contextmanager
def writable(store: Any) -> Iterator[Any]:
    """The store to run write code on: the store itself on DuckDB, a seeded scratch on Spark
    whose changes are published when the block ends without an exception."""
    if not isinstance(store, SparkStore):
        yield store
        return
    with tempfile.TemporaryDirectory(prefix="cx-stage-") as tmp:
        scratch = Store(Path(tmp) / "stage.duckdb")
        before = _seed(store, scratch)
        yield scratch
        publish(store, scratch, before)


def seed_catalog(spark: SparkStore, cur: Any) -> pa.Table:
    """Copy batches, the field catalog (with its columns) and the theme dictionary from Spark
    into a scratch database's transaction; returns the batches."""
    batches = spark.sql("SELECT * FROM batches ORDER BY created_at, batch_id")
    catalog = spark.sql("SELECT * FROM field_catalog ORDER BY rowid").drop_columns(["rowid"])
    cur.register("cx_b", batches)
    cur.execute("INSERT INTO batches BY NAME SELECT * FROM cx_b")
    for row in catalog.to_pylist():
        sql_type = EXTRA_SQL_TYPE[row["kind"]]
        if row["table_name"] not in RECORD_TABLES:  # read back from Spark: never trusted
            raise ValueError(f"field catalog names an unknown table {row['table_name']!r}")
        cur.execute(f"ALTER TABLE {row['table_name']} ADD COLUMN "
                    f"{quote_ident(row['field'])} {sql_type}")
    cur.register("cx_f", catalog)
    cur.execute("INSERT INTO field_catalog BY NAME SELECT * FROM cx_f")
    cur.register("cx_t", spark.sql("SELECT * FROM theme_terms"))
    cur.execute("INSERT INTO theme_terms BY NAME SELECT * FROM cx_t")
    return batches


def _seed(spark: SparkStore, scratch: Store) -> dict[str, str]:
    """Seed the catalog (seed_catalog) and (key, batch) of every record into the scratch."""
    with scratch.transaction() as cur:
        batches = seed_catalog(spark, cur)
        for table in RECORD_TABLES:
            key = quote_ident(NATURAL_KEY[table])
            cur.register("cx_k", spark.sql(f"SELECT {spark_ident(NATURAL_KEY[table])}, "
                                           f"batch_id FROM {table}"))
            cur.execute(f"INSERT INTO {table} ({key}, batch_id) SELECT {key}, batch_id FROM cx_k")
    return {r["batch_id"]: r["status"] for r in batches.to_pylist()}


def publish(spark: SparkStore, scratch: Store, before: dict[str, str]) -> None:
    """Send the scratch database's changes to Spark, publishing each new batch last."""
    with scratch.cursor() as cur:
        rows = cur.sql("SELECT * FROM batches ORDER BY created_at, batch_id")
        rows = rows.to_arrow_table().to_pylist()
        for row in rows:
            if row["status"] != "active" and before.get(row["batch_id"]) == "active":
                spark.drop_batch(row["batch_id"], row)
        new = [r for r in rows if r["batch_id"] not in before]
        for table in {r["table_name"] for r in new}:
            spark.add_columns(table, _column_types(cur, table))
        for row in new:
            for table in (row["table_name"], *FEATURE_TABLES):
                spark.write_batch(table, row["batch_id"], chunks(cur, table, row["batch_id"]))
        _append_dictionary(spark, cur)
        catalog = cur.sql("SELECT *, row_number() OVER () AS rowid FROM field_catalog "
                          "ORDER BY rowid").to_arrow_table()
    changed = _replace_catalog(spark, catalog)
    for row in new:
        spark.publish_batch(row)
    if new or changed:
        spark.refresh_views()  # the switch: from here on readers see the new batches


def _column_types(cur: Any, table: str) -> dict[str, str]:
    rows = cur.execute("SELECT column_name, data_type FROM information_schema.columns "
                       "WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall()
    return {name: _SPARK_TYPE.get(kind.upper(), "STRING") for name, kind in rows}


def chunks(cur: Any, table: str, batch_id: str) -> Iterator[pa.Table]:
    """A batch's rows of a scratch table (checked names only), CHUNK_ROWS at a time."""
    reader = cur.sql(f"SELECT * EXCLUDE (batch_id) FROM {table} WHERE batch_id = ?",
                         params=[batch_id]).to_arrow_reader(CHUNK_ROWS)
    for batch in reader:
        yield pa.Table.from_batches([batch])


def _append_dictionary(spark: SparkStore, cur: Any) -> None:
    """Dictionary rows the write code added (the defaults, seeded into a database that never had
    a dictionary) go to Spark before the features matched with them are published."""
    have = spark.sql("SELECT coalesce(max(version), 0) AS v FROM theme_terms")["v"][0].as_py()
    added = cur.sql("SELECT * FROM theme_terms WHERE version > ?", params=[have])
    added = added.to_arrow_table()
    if added.num_rows:
        target = spark.session.table("theme_terms").schema
        spark.session.createDataFrame(added.select(target.names).to_pandas(), schema=target
                                      ).write.insertInto("theme_terms")


def _replace_catalog(spark: SparkStore, catalog: pa.Table) -> bool:
    """The field catalog is small: rewritten whole (Spark tables cannot be updated)."""
    current = spark.sql("SELECT * FROM field_catalog ORDER BY rowid")
    cols = [c for c in current.column_names]
    if catalog.select(cols).to_pylist() == current.to_pylist():
        return False
    frame = spark.session.createDataFrame(catalog.select(cols).to_pandas(),
                                          schema=spark.session.table("field_catalog").schema)
    frame.write.insertInto("field_catalog", overwrite=True)
    return True
