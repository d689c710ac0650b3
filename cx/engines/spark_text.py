"""`text rebuild` on Spark: stale batches re-analysed whole, their feature partitions replaced.

Why whole batches: Spark tables cannot be updated, and the features are partitioned by batch id
(cx.engines.spark_schema), so a batch's features are replaced as one partition. Each batch is
analysed in a scratch DuckDB file with the same code as a load (cx.text.batch.analyse_batch,
with Spark's field catalog and theme dictionary), so a rebuild gives exactly what loading the
batch again would. Stopping loses at most the batch in progress; running again carries on (a
batch stays stale until its features carry the dictionary's version).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa

from cx.engines.spark_schema import FEATURE_TABLES, physical
from cx.engines.spark_store import SparkStore, spark_ident
from cx.engines.staging import chunks, seed_catalog
from cx.storage import Store, fields_of, quote_ident
from cx.storage.schema import NATURAL_KEY
from cx.text import dictionary
from cx.text.batch import Progress, RebuildReport, analyse_batch, stale_batches
from cx.text.records import TEXT_TABLES, text_fields


def _stale(store: SparkStore) -> tuple[int, dict[str, list[str]], dict[tuple[str, str], int]]:
    """The dictionary version, each table's text fields (as `text rebuild` on DuckDB sees
    them) and the stale comments per (table, batch id)."""
    with store.transaction() as cur:
        dictionary.ensure_defaults(cur)
        version = dictionary.version(cur)
        fields = {table: text_fields(cur, table) for table in TEXT_TABLES}
        todo: dict[tuple[str, str], int] = {}
        for table, names in fields.items():
            for field in names:
                for batch_id, n in stale_batches(cur, table, field, version).items():
                    todo[(table, batch_id)] = todo.get((table, batch_id), 0) + n
    return version, fields, todo


def rebuild_batches(store: SparkStore, progress: Progress | None = None,
                    limit: int | None = None) -> RebuildReport:
    """Re-analyse every batch with stale comments, one batch at a time; with `limit`, stop
    once that many comments are done (whole batches: it may go past it)."""
    started = dt.datetime.now()
    version, fields, todo = _stale(store)
    total, done = sum(todo.values()), 0
    tick = progress or (lambda done, total: None)
    tick(0, total)
    for (table, batch_id), n in sorted(todo.items()):
        if limit is not None and done >= limit:
            break
        reanalyse(store, table, batch_id, fields[table])
        done += n
        tick(done, total)
    seconds = (dt.datetime.now() - started).total_seconds()
    return RebuildReport(version, done, total - done, round(seconds, 3))


def reanalyse(store: SparkStore, table: str, batch_id: str, fields: list[str]) -> None:
    """Analyse the `fields` of one published batch again and replace its feature partitions."""
    with tempfile.TemporaryDirectory(prefix="cx-text-") as tmp:
        scratch = Store(Path(tmp) / "text.duckdb")
        with scratch.transaction() as cur:
            seed_catalog(store, cur)
            _copy_texts(store, cur, table, batch_id)
            analyse_batch(cur, table, batch_id, fields=fields)
        with scratch.cursor() as cur:
            for target in FEATURE_TABLES:
                store.replace_features(target, batch_id, chunks(cur, target, batch_id))


def _copy_texts(store: SparkStore, cur: Any, table: str, batch_id: str) -> None:
    """The batch's keys and text columns (only what the analysis reads) into the scratch."""
    texts = [f.name for f in fields_of(cur, table) if f.kind == "text"]
    names = [NATURAL_KEY[table], *texts]
    rows: pa.Table = store.sql(
        f"SELECT {', '.join(spark_ident(n) for n in names)} FROM {physical(table)} "
        "WHERE batch_id = :b", {"b": batch_id})
    cur.register("cx_texts", rows)
    cols = ", ".join(quote_ident(n) for n in names)
    cur.execute(f"INSERT INTO {table} ({cols}, batch_id) SELECT {cols}, ? FROM cx_texts",
                [batch_id])
    cur.unregister("cx_texts")

