"""Publish-last on Spark: a written but unpublished batch is invisible, a rollback unpublishes
and drops the partition, and a refused upload leaves Spark exactly as it was."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pyarrow as pa

from cx.engines import writable
from cx.engines.spark_store import SparkStore
from cx.ingest import IngestOptions, load
from cx.storage.batches import Batch
from tests.engines.conftest import new_database


def _count(store: SparkStore, table: str) -> int:
    return int(store.scalar(f"SELECT count(*) FROM {table}"))  # noqa: S608 fixed names


def test_a_batch_is_visible_only_once_published(spark_url: str) -> None:
    store = SparkStore(spark_url, new_database())
    chunk = pa.table({"response_id": ["x1", "x2"],
                      "submitted_at": [dt.datetime(2026, 11, 17, 9), dt.datetime(2026, 11, 18)],
                      "nps": pa.array([9, 3], pa.int16())})
    assert store.write_batch("responses", "b-1", iter([chunk, chunk.slice(0, 1)])) == 3
    assert _count(store, "responses_data") == 3 and _count(store, "responses") == 0
    row = {**dataclasses.asdict(Batch("b-1", "upload", "responses", "a.csv")), "mapping": "{}"}
    store.publish_batch(row)
    store.refresh_views()
    assert _count(store, "responses") == 3
    assert store.query("SELECT max(submitted_at) FROM responses") == [(dt.datetime(2026, 11, 18),)]
    store.drop_batch("b-1", {**row, "status": "rolled_back",
                             "rolled_back_at": dt.datetime(2026, 11, 29)})
    assert _count(store, "responses") == 0 and _count(store, "responses_data") == 0
    assert store.query("SELECT status FROM batches") == [("rolled_back",)]


def test_a_refused_upload_leaves_spark_as_it_was(spark_url: str, tmp_path) -> None:
    store = SparkStore(spark_url, new_database())
    good = tmp_path / "good.csv"
    good.write_text("response_id,submitted_at,nps\nr1,2026-11-17,9\nr2,2026-11-18,4\n")
    with writable(store) as target:
        assert load(target, good, IngestOptions(table="responses")).rows_loaded == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("response_id,submitted_at,nps\nr3,2026-11-17,9\nr4,not a date,11\n")
    with writable(store) as target:
        report = load(target, bad, IngestOptions(table="responses"))
    assert report.status == "refused" and report.rows_rejected == 1
    assert _count(store, "responses") == 2 and _count(store, "responses_data") == 2
    assert [r[0] for r in store.query("SELECT file_name FROM batches")] == ["good.csv"]
    with writable(store) as target:  # the same file again: refused, as on DuckDB
        same = load(target, good, IngestOptions(table="responses"))
    assert same.status == "refused" and same.problem.choices == ("replace_batch",)
    more = tmp_path / "more.csv"
    more.write_text("response_id,submitted_at,nps\nr1,2026-11-17,9\nr5,2026-11-19,10\n")
    with writable(store) as target:  # r1 is there already: counted as a duplicate, not stored
        again = load(target, more, IngestOptions(table="responses"))
    assert (again.rows_duplicate, again.rows_loaded, _count(store, "responses")) == (1, 1, 3)
