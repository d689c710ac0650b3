"""Features at load time (one batch, inside its transaction) and `text rebuild` (everything).

Ingest and the demo call `analyse_batch` on the cursor of their own transaction, so a batch and
its features are written, or refused, together; rollback deletes both (cx.storage.batches).
`rebuild` re-analyses every comment whose themes were matched with an older dictionary version,
one chunk per transaction: stopping it loses at most one chunk, and running it again carries on
where it stopped (those comments are still stale). On Spark, whose tables cannot be updated, a
rebuild re-analyses whole batches instead (cx.engines.spark_text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from cx.engines import dialect_of
from cx.storage import Store, quote_ident, run
from cx.storage.schema import NATURAL_KEY
from cx.text import dictionary
from cx.text.analyse import Features
from cx.text.records import CHUNK, TEXT_TABLES, delete_records, pages, text_fields, write
from cx.text.workers import Analyser, analyser

Progress = Callable[[int, int], None]  # (comments done, comments to do)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def analyse_batch(cur: duckdb.DuckDBPyConnection, table: str, batch_id: str,
                  chunk: int = CHUNK, fields: list[str] | None = None) -> int:
    """Compute and store the features of every comment of one batch; returns comments analysed.
    `fields`: the text columns to analyse (default: those that read as comments in this batch)."""
    fields = text_fields(cur, table, batch_id) if fields is None else fields
    if not fields:
        return 0
    dictionary.ensure_defaults(cur)
    matcher, now, done, seen = dictionary.matcher(cur), _now(), 0, {}
    for field in fields:
        for rows in pages(cur, table, field, "batch_id = ?", [batch_id], chunk):
            done += write(cur, table, field, rows, matcher, now, seen)
    return done


def _stale_where(table: str) -> str:
    """Comments with no features, or features from another dictionary version.

    Parameters: table name, field, dictionary version."""
    key = quote_ident(NATURAL_KEY[table])
    return ("NOT EXISTS (SELECT 1 FROM comment_features f WHERE f.table_name = ? "
            f"AND f.field = ? AND f.record_id = r.{key} AND f.theme_version = ?)")


def _targets(cur: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return [(t, f) for t in TEXT_TABLES for f in text_fields(cur, t)]


def stale(store: Store) -> tuple[int, dict[tuple[str, str], int]]:
    """The dictionary version, and how many comments per (table, field) a rebuild would redo."""
    with store.transaction() as cur:
        dictionary.ensure_defaults(cur)
        version = dictionary.version(cur)
        return version, {(t, f): _count(cur, t, f, version) for t, f in _targets(cur)}


def _count(cur: duckdb.DuckDBPyConnection, table: str, field: str, version: int) -> int:
    return sum(stale_batches(cur, table, field, version).values())


def stale_batches(cur: duckdb.DuckDBPyConnection, table: str, field: str,
                  version: int) -> dict[str, int]:
    """Stale comments of one text field per batch id (the unit of a rebuild on Spark)."""
    col = quote_ident(field)
    rows = run(cur, f"SELECT r.batch_id, count(*) FROM {table} AS r WHERE {col} IS NOT NULL "
                    f"AND trim({col}) <> '' AND {_stale_where(table)} GROUP BY r.batch_id",
               [table, field, version]).fetchall()  # checked names
    return {str(b): int(n) for b, n in rows}


@dataclass(frozen=True)
class RebuildReport:
    theme_version: int
    analysed: int
    remaining: int
    seconds: float

    def as_dict(self) -> dict[str, object]:
        return {"theme_version": self.theme_version, "analysed": self.analysed,
                "remaining": self.remaining, "seconds": self.seconds}


def rebuild(store: Store, progress: Progress | None = None, chunk: int = CHUNK,
            limit: int | None = None, workers: int = 1) -> RebuildReport:
    """Re-analyse every stale comment, one chunk per transaction (stop after `limit`); the
    analysis runs on `workers` processes (cx.text.workers), the database on this one. On Spark,
    whole stale batches are re-analysed on this process (no UPDATE there)."""
    if dialect_of(store) != "duckdb":
        from cx.engines.spark_text import rebuild_batches  # whole batches: no UPDATE on Spark

        return rebuild_batches(store, progress, limit)
    started = dt.datetime.now()
    version, todo = stale(store)
    total, done = sum(todo.values()), 0
    tick = progress or (lambda done, total: None)
    tick(0, total)
    with store.cursor() as cur:
        matcher = dictionary.matcher(cur)
    seen: dict[str, Features] = {}
    with analyser(matcher, workers) as many:
        for table, field in [key for key, n in todo.items() if n]:
            while limit is None or done < limit:
                size = chunk if limit is None else min(chunk, limit - done)
                n = _rebuild_chunk(store, table, field, many, size, seen)
                if not n:
                    break
                done += n
                tick(done, total)
    seconds = (dt.datetime.now() - started).total_seconds()
    return RebuildReport(version, done, total - done, round(seconds, 3))


def _rebuild_chunk(store: Store, table: str, field: str, many: Analyser, size: int,
                   seen: dict[str, Features]) -> int:
    with store.transaction() as cur:
        rows = next(pages(cur, table, field, _stale_where(table),
                          [table, field, many.matcher.version], size), [])
        if rows:
            delete_records(cur, table, field, [r[0] for r in rows])
            write(cur, table, field, rows, many.matcher, _now(), seen, many)
        return len(rows)
