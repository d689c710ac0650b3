"""Batch bookkeeping: provenance is recorded and a rollback removes exactly one batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from cx.storage import Store, StoreError
from cx.storage.batches import Batch, get_batch, insert_batch, list_batches, new_batch_id, rollback_batch


def _load(store: Store, table: str, key: str, ids: list[str]) -> Batch:
    batch = Batch(new_batch_id(), "upload", table, file_name=f"{table}.csv", rows_read=len(ids),
                  rows_loaded=len(ids), mapping={"ID": key})
    with store.transaction() as cur:
        insert_batch(cur, batch)
        for i in ids:
            cur.execute(f"INSERT INTO {table} ({key}, batch_id) VALUES (?, ?)", [i, batch.batch_id])
    return batch


def test_rollback_removes_exactly_that_batch(tmp_path: Path) -> None:
    store = Store(tmp_path / "b.duckdb")
    first = _load(store, "tickets", "ticket_id", ["t1", "t2", "t3"])
    second = _load(store, "tickets", "ticket_id", ["t4", "t5"])
    other = _load(store, "customers", "customer_id", ["c1"])
    with store.transaction() as cur:
        assert rollback_batch(cur, second.batch_id) == 2
    assert store.query("SELECT ticket_id FROM tickets ORDER BY 1") == [("t1",), ("t2",), ("t3",)]
    assert store.table_counts()["customers"] == 1
    with store.cursor() as cur:
        listed = {b.batch_id: b for b in list_batches(cur)}
        assert listed[second.batch_id].status == "rolled_back"
        assert listed[first.batch_id].status == "active"
        assert listed[other.batch_id].mapping == {"ID": "customer_id"}
        assert get_batch(cur, "nope") is None
        assert len(list_batches(cur, include_rolled_back=False)) == 2


def test_rolling_back_twice_or_an_unknown_batch_is_refused(tmp_path: Path) -> None:
    store = Store(tmp_path / "b.duckdb")
    batch = _load(store, "responses", "response_id", ["r1"])
    with store.transaction() as cur:
        rollback_batch(cur, batch.batch_id)
    with pytest.raises(StoreError, match="already rolled back"):
        with store.transaction() as cur:
            rollback_batch(cur, batch.batch_id)
    with pytest.raises(StoreError, match="no batch"):
        with store.transaction() as cur:
            rollback_batch(cur, "missing")


def test_batch_ids_are_unique_and_sortable() -> None:
    ids = [new_batch_id() for _ in range(50)]
    assert len(set(ids)) == 50
    assert all(len(i) == 22 and i[8] == "T" for i in ids)
