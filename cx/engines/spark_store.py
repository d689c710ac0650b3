"""Records on Apache Spark through Spark Connect: the same surface as cx.storage.Store.

The app is a thin client: every table (records, their comments' text features, the theme
dictionary, batches, field catalog, snapshots) lives in the Spark database CX_SPARK_DATABASE.
Record tables and the feature tables are Parquet tables partitioned by batch id, read through
views that show only published (active) batches, so a batch (records and features) is invisible
until its row in `batches` is written as the last step of a load, and a rollback unpublishes it
and then drops its partitions.
"""

from __future__ import annotations

import atexit
import re
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd
import pyarrow as pa
from sqlglot import exp

from cx.engines.spark_cursor import SparkCursor, friendly, spark_args
from cx.engines.spark_schema import BATCH_TABLES, FEATURE_TABLES, physical, translate
from cx.storage.fields import quote_ident
from cx.storage.schema import CANONICAL, LATEST_VERSION, MIGRATIONS, RECORD_TABLES
from cx.storage.store import StoreError

def spark_ident(name: str) -> str:
    """A checked field name (cx.storage.quote_ident's rule), quoted the Spark way."""
    return f"`{quote_ident(name)[1:-1]}`"


_DB_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_sessions: dict[tuple[str, str], Any] = {}
_sessions_lock = threading.Lock()
_write_lock = threading.RLock()  # one write block at a time per process (transaction)
_migrated: set[tuple[str, str]] = set()
_migrate_lock = threading.RLock()  # one migration per process at a time
_ready: set[tuple[str, str]] = set()  # migrated and views refreshed
SPARK_RETRIES = 5  # with the back-off below: about ten seconds in all
SPARK_MAX_BACKOFF_MS = 5_000
CHUNK_ROWS = 100_000  # rows per Arrow chunk sent to Spark (bounded client memory)


def _session(url: str, database: str) -> Any:
    """One Spark Connect session per (server, database) and process, in UTC."""
    key = (url, database)
    with _sessions_lock:
        if key not in _sessions:
            _sessions[key] = _connect(url, database)
            if len(_sessions) == 1:
                # Registered after pyspark's own exit hook, so it runs first (atexit is LIFO).
                atexit.register(close_sessions)
        return _sessions[key]


def _connect(url: str, database: str) -> Any:
    from pyspark.sql import SparkSession  # the client is only needed with CX_ENGINE=sc://
    from pyspark.sql.connect.client.retries import DefaultPolicy

    # The error below says it in one line; pyspark's own warning would repeat it, less clearly.
    warnings.filterwarnings("ignore", message=r"\[RETRIES_EXCEEDED\]", category=UserWarning)
    session = SparkSession.builder.remote(url).create()
    # pyspark's default retries a lost server for over ten minutes, so a wrong CX_ENGINE or a
    # stopped server would hang a page or a command that long: give up after about ten seconds.
    session.client.set_retry_policies([DefaultPolicy(max_retries=SPARK_RETRIES,
                                                     max_backoff=SPARK_MAX_BACKOFF_MS)])
    try:
        session.conf.set("spark.sql.session.timeZone", "UTC")
        session.sql(f"CREATE DATABASE IF NOT EXISTS {database}")
        session.catalog.setCurrentDatabase(database)
    except Exception as exc:
        session.client.close()  # else pyspark's exit hook retries the dead address once more
        raise StoreError(f"cannot reach the Spark Connect server {url.split(';')[0]}: "
                         f"{friendly(exc)}") from exc
    return session


def close_sessions() -> None:
    """Stop this process's Spark Connect sessions, releasing them on the server.

    Why: pyspark's exit hook sends one more call per open session; a stopped session skips it,
    so a process whose server has gone away (a test run that stopped its server) exits at once.
    """
    with _sessions_lock:
        sessions = list(_sessions.values())
        _sessions.clear()
        _migrated.clear()
        _ready.clear()
    for session in sessions:
        session.stop()  # best effort by pyspark's contract: never raises


class SparkStore:
    """Spark Connect at ``url``, tables in ``database``; see the module docstring."""

    dialect = "spark"

    def __init__(self, url: str, database: str = "cx_lens") -> None:
        if not _DB_NAME.match(database):
            raise ValueError(f"CX_SPARK_DATABASE must be a snake_case name, not {database!r}")
        self.url, self.database = url, database
        self.path = f"{url.split(';')[0]}/{database}"  # for messages (no secrets in the URL part)

    @property
    def session(self) -> Any:
        session = _session(self.url, self.database)
        key = (self.url, self.database)
        if key not in _ready or key not in _migrated:  # (a test may forget _migrated)
            # One thread migrates and re-creates the views; the others wait until it is done:
            # the server's warm-up thread and a first visitor's run connected at once, and one
            # re-created the views the other was reading ("TABLE_OR_VIEW_NOT_FOUND ...
            # responses" in the Spark browser test). Re-entrant: the view refresh inside
            # migrate_spark comes back here (and skips, the key being in _migrated by then).
            with _migrate_lock:
                if key not in _migrated:
                    migrate_spark(self, session)
                    _ready.add(key)
        return session

    # -- the Store surface ---------------------------------------------------------------
    @contextmanager
    def cursor(self) -> Iterator[SparkCursor]:
        yield SparkCursor(self.session)

    connect = cursor

    @contextmanager
    def transaction(self) -> Iterator[SparkCursor]:
        """No multi-statement transactions on Spark: loads publish their batch last instead.
        Within one process the blocks run one at a time: a check-then-insert (a snapshot) stays
        whole, and two INSERTs into one Parquet table at once break each other's commit (the
        warm-up and a first visitor both building last week's snapshot did)."""
        with _write_lock:
            yield SparkCursor(self.session)

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple]:
        with self.cursor() as cur:
            return cur.execute(sql, params).fetchall()

    def query_df(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> pd.DataFrame:
        with self.cursor() as cur:
            return cur.execute(sql, params).df()

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def table_counts(self) -> dict[str, int]:
        return {t: int(self.scalar(f"SELECT count(*) FROM {t}"))  # noqa: S608 fixed names
                for t in ("responses", "tickets", "customers", "batches")}

    def schema_version(self) -> int:
        return int(self.scalar("SELECT max(version) FROM schema_version") or 0)

    # -- the engine interface: batches ---------------------------------------------------
    def sql(self, text: str, params: Sequence[Any] | dict[str, Any] = ()) -> pa.Table:
        """Spark SQL text as it is, with bind values (for this module and the staging path)."""
        try:
            return self.session.sql(text, args=spark_args(params)).toArrow()
        except Exception as exc:
            raise friendly(exc) from exc

    def columns(self, table: str) -> list[str]:
        return [f.name for f in self.session.table(table).schema.fields]

    def add_columns(self, table: str, columns: dict[str, str]) -> None:
        """Add record columns (name -> Spark type) that the data table lacks."""
        have = set(self.columns(physical(table)))
        new = [f"{spark_ident(n)} {t}" for n, t in columns.items() if n not in have]
        if new:
            self.sql(f"ALTER TABLE {physical(table)} ADD COLUMNS ({', '.join(new)})")

    def write_batch(self, table: str, batch_id: str, chunks: Iterator[pa.Table]) -> int:
        """Write a batch's records (or its comments' features) as their own partition
        (unpublished until publish_batch)."""
        if table not in BATCH_TABLES:
            raise ValueError(f"unknown table {table!r}")
        target = [c for c in self.columns(physical(table)) if c != "batch_id"]
        written = 0
        for i, chunk in enumerate(chunks):
            view = f"cx_stage_{table}_{batch_id.replace('-', '_')}_{i}".lower()
            frame = self.session.createDataFrame(chunk)  # Arrow as it is: types kept
            frame.createOrReplaceTempView(view)
            have = set(chunk.column_names)
            select = ", ".join(spark_ident(c) if c in have else f"NULL AS {spark_ident(c)}"
                               for c in target)
            self.sql(f"INSERT INTO {physical(table)} PARTITION (batch_id = :b) "
                     f"SELECT {select} FROM {view}", {"b": batch_id})
            self.session.catalog.dropTempView(view)
            written += chunk.num_rows
        return written

    def replace_features(self, table: str, batch_id: str, chunks: Iterator[pa.Table]) -> int:
        """A published batch's features, written again (`text rebuild`): its old partition is
        dropped, then the new rows written; meanwhile readers see that batch without them."""
        if table not in FEATURE_TABLES:
            raise ValueError(f"unknown feature table {table!r}")
        self.sql(f"ALTER TABLE {physical(table)} DROP IF EXISTS PARTITION (batch_id = :b)",
                 {"b": batch_id})
        return self.write_batch(table, batch_id, chunks)

    def publish_batch(self, row: dict[str, Any]) -> None:
        """Write the batch's row: from now on readers see its records (the last step)."""
        cols = [c for c in self.columns("batches") if c != "batch_id"]
        marks = ", ".join(f":{c}" for c in cols)
        self.sql(f"INSERT OVERWRITE TABLE batches PARTITION (batch_id = :batch_id) "
                 f"SELECT {marks}", {c: row.get(c) for c in [*cols, "batch_id"]})

    def drop_batch(self, batch_id: str, row: dict[str, Any]) -> None:
        """Unpublish (the batch row says rolled back, the views forget it), then drop the
        partitions of its records and of their features."""
        self.publish_batch(row)
        self.refresh_views()
        for table in (row["table_name"], *FEATURE_TABLES):
            self.sql(f"ALTER TABLE {physical(table)} DROP IF EXISTS "
                     f"PARTITION (batch_id = :b)", {"b": batch_id})

    def refresh_views(self) -> None:
        """Each record view: canonical and catalogued columns of the published batches.

        The published batch ids are written into the view as literals (rewritten at every
        publish and rollback), so Spark prunes partitions instead of joining `batches`.
        """
        extra = self.sql("SELECT table_name, field, kind FROM field_catalog ORDER BY rowid")
        extra = extra.to_pylist()
        active = self.sql("SELECT batch_id, source, file_name FROM batches "
                          "WHERE status = 'active' ORDER BY batch_id").to_pylist()
        ids = ", ".join(_literal(b["batch_id"]) for b in active) or "NULL"
        for table in RECORD_TABLES:
            have = set(self.columns(physical(table)))
            names = [f.name for f in CANONICAL[table] if f.name in have]
            names += [r["field"] for r in extra if r["table_name"] == table and r["field"] in have]
            select = ", ".join(_view_column(n, extra, table, active) for n in names)
            self.sql(f"CREATE OR REPLACE VIEW {table} AS SELECT {select} "
                     f"FROM {physical(table)} t WHERE t.batch_id IN ({ids})")
        for table in FEATURE_TABLES:
            select = ", ".join(f"t.{spark_ident(c)}" for c in self.columns(physical(table)))
            self.sql(f"CREATE OR REPLACE VIEW {table} AS SELECT {select} "
                     f"FROM {physical(table)} t WHERE t.batch_id IN ({ids})")


def _literal(text: str) -> str:
    """A SQL string literal via sqlglot (batch ids and labels are ours, but never formatted)."""
    return exp.Literal.string(text).sql("spark")


def _view_column(name: str, catalog: list[dict], table: str, active: list[dict]) -> str:
    """`source` of records loaded before the column existed: the batch's label, as on DuckDB
    (cx.storage.fields.tag_source), given here because Spark tables cannot be updated."""
    col = f"t.{spark_ident(name)}"
    if name != "source" or not any(r["table_name"] == table and r["field"] == "source"
                                   and r["kind"] == "dimension" for r in catalog):
        return col
    labels = " ".join(f"WHEN {_literal(b['batch_id'])} THEN {_literal(_label(b))}"
                      for b in active)
    label = f"CASE t.batch_id {labels} END" if labels else "CAST(NULL AS STRING)"
    return f"coalesce({col}, {label}) AS {spark_ident(name)}"


def _label(batch: dict) -> str:
    if batch["source"] != "upload":
        return str(batch["source"])
    return re.sub(r"\.[^.]*$", "", batch["file_name"] or batch["batch_id"])


def migrate_spark(store: SparkStore, session: Any, target: int = LATEST_VERSION) -> int:
    """The forward migrations, translated (cx.engines.spark_schema), applied once each."""
    run = lambda text, args=None: session.sql(text, args=args).toArrow()  # noqa: E731
    run("CREATE TABLE IF NOT EXISTS schema_version (version INT, applied_at TIMESTAMP_NTZ) "
        "USING parquet")
    current = run("SELECT coalesce(max(version), 0) AS v FROM schema_version")["v"][0].as_py()
    for version, statements in MIGRATIONS:
        if version <= current or version > target:
            continue
        try:
            for statement in statements:
                kind, text = translate(statement)
                if kind == "ddl":
                    run(text)
                elif kind == "update" and run(f"SELECT count(*) AS n FROM {physical(text)}")["n"][0].as_py():
                    raise StoreError("this migration updates existing rows, which Spark "
                                     "tables cannot do; migrate before loading data")
            run("INSERT INTO schema_version SELECT :v, current_timestamp()", {"v": version})
        except StoreError:
            raise
        except Exception as exc:
            raise friendly(exc) from exc
    _partition_features(session, run)
    _migrated.add((store.url, store.database))  # before the views: they read through `session`
    store.refresh_views()
    return target


def _partition_features(session: Any, run: Any) -> None:
    """Databases migrated before the text features were published to Spark have them as plain
    tables, which nothing wrote to: replaced by the partitioned `<table>_data` of migration 7."""
    statements = [s for version, group in MIGRATIONS if version == 7 for s in group]
    for table in FEATURE_TABLES:
        if session.catalog.tableExists(physical(table)):
            continue
        if session.catalog.tableExists(table):
            if run(f"SELECT count(*) AS n FROM {table}")["n"][0].as_py():
                raise StoreError(f"{table} has rows in an old layout; reload the batches")
            run(f"DROP TABLE {table}")
        create = next(s for s in statements if re.search(rf"CREATE TABLE {table}\b", s))
        run(translate(create)[1])
