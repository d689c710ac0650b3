"""The engine interface beside the metric compiler: which engine holds the records.

Everything above this package (pages, analyses, snapshots, the command line) gets its store from
`open_store(settings)` and never asks which engine it is:
* connect / run:   `store.cursor()` and `run_compiled(cur, sql, params)` for compiled statements
                   (rendered for `store.dialect`), `cx.storage.run` for DuckDB-shaped read text;
* write a batch:   `with writable(store) as target:` around any write code (ingest, demo);
* drop a batch:    the same block around `cx.ingest.api.rollback`;
* list batches:    `cx.ingest.api.batches(store)`.
CX_ENGINE=duckdb (default) is the DuckDB file of CX_DB; CX_ENGINE=sc://host:port is a Spark
Connect server, with tables in CX_SPARK_DATABASE (cx.engines.spark_store).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from cx.config import Settings, engine_url, spark_database
from cx.storage import Store, run


def open_store(settings: Settings) -> Any:
    """The configured store: a DuckDB `Store` on settings.db_path, or a `SparkStore`."""
    url = engine_url()
    if url.lower() == "duckdb":
        return Store(settings.db_path)
    if not url.startswith("sc://"):
        raise ValueError(f"CX_ENGINE must be 'duckdb' or a Spark Connect URL (sc://host:port), "
                         f"not {url!r}")
    from cx.engines.spark_store import SparkStore  # pyspark only when Spark is configured

    return SparkStore(url, spark_database())


def dialect_of(store: Any) -> str:
    """The SQL dialect the metric compiler renders for this store."""
    return getattr(store, "dialect", "duckdb")


def run_compiled(cur: Any, sql: str, params: Sequence[Any] | dict[str, Any]) -> Any:
    """Run text the compiler rendered for the store's own dialect (no transpiling)."""
    native = getattr(cur, "execute_native", None)
    return native(sql, params) if native is not None else run(cur, sql, params)


@contextmanager
def writable(store: Any) -> Iterator[Any]:
    """The store to run write code on (see cx.engines.staging for Spark)."""
    if dialect_of(store) == "duckdb":
        yield store
        return
    from cx.engines.staging import writable as staged

    with staged(store) as target:
        yield target
