"""The store: schema creation, forward migrations, bind parameters, threads, a second process."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import duckdb
import pytest

from cx.storage import Store, StoreError, fields_of, quote_ident
from cx.storage.schema import CANONICAL, LATEST_VERSION, MIGRATIONS
from cx.storage.store import forget_migrations, migrate

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "cx.duckdb")


def test_new_database_gets_every_table_and_the_latest_version(store: Store) -> None:
    assert store.table_counts() == {"responses": 0, "tickets": 0, "customers": 0, "batches": 0}
    assert store.schema_version() == LATEST_VERSION == 9
    for table, fields in CANONICAL.items():
        cols = [r[0] for r in store.query(f"DESCRIBE {table}")]
        assert cols == [f.name for f in fields]


def test_migration_from_an_older_version_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    conn = duckdb.connect(str(path))
    assert migrate(conn, target=1) == 1  # a database as version 1 left it
    conn.execute("INSERT INTO responses (response_id, nps) VALUES ('r1', 9)")
    assert conn.execute("SELECT count(*) FROM information_schema.tables "
                        "WHERE table_name = 'field_catalog'").fetchone()[0] == 0
    conn.close()
    forget_migrations()
    store = Store(path)
    assert store.schema_version() == LATEST_VERSION
    assert store.query("SELECT response_id, nps FROM responses") == [("r1", 9)]
    assert store.query("SELECT count(*) FROM field_catalog") == [(0,)]
    # and migrating again is a no-op
    with store.connect() as conn:
        assert migrate(conn) == LATEST_VERSION
    assert [v for v, _ in MIGRATIONS] == sorted(v for v, _ in MIGRATIONS)


def test_migration_4_adds_the_resolved_flag_to_a_version_3_database(tmp_path: Path) -> None:
    path = tmp_path / "v3.duckdb"
    conn = duckdb.connect(str(path))
    assert migrate(conn, target=3) == 3
    conn.execute("INSERT INTO tickets (ticket_id, opened_at) VALUES ('t1', '2024-01-02')")
    conn.close()
    forget_migrations()
    store = Store(path)
    assert store.schema_version() == LATEST_VERSION
    assert [r[0] for r in store.query("DESCRIBE tickets")] == [f.name for f in CANONICAL["tickets"]]
    assert store.query("SELECT ticket_id, resolved FROM tickets") == [("t1", None)]


def test_migration_6_keeps_snapshots_and_keys_them_by_week_and_scope(tmp_path: Path) -> None:
    path = tmp_path / "v5.duckdb"
    conn = duckdb.connect(str(path))
    assert migrate(conn, target=5) == 5
    conn.execute("INSERT INTO snapshots VALUES ('2026-W01', '2026-01-05', 'cli', 'UTC', '[]', "
                 "NULL, '{}', 'abc')")
    conn.close()
    forget_migrations()
    store = Store(path)
    assert store.schema_version() == LATEST_VERSION
    assert store.query("SELECT week, scope_key, scope, payload_sha256 FROM snapshots") == [
        ("2026-W01", "", "", "abc")]
    with store.transaction() as cur:  # a second scope of the same week is a row of its own
        cur.execute("INSERT INTO snapshots (week, scope_key, scope, built_at, built_by, tz, "
                    "batch_ids, payload, payload_sha256) VALUES ('2026-W01', 'k1', '[]', "
                    "'2026-01-05', 'cli', 'UTC', '[]', '{}', 'def')")
    assert store.scalar("SELECT count(*) FROM snapshots WHERE week = '2026-W01'") == 2
    assert store.query("SELECT count(*) FROM audit_log") == [(0,)]
    assert store.query("SELECT count(*) FROM data_scopes") == [(0,)]


def test_values_travel_as_parameters_not_sql(store: Store) -> None:
    hostile = "x'); DROP TABLE responses; --"
    with store.transaction() as cur:
        cur.execute("INSERT INTO responses (response_id, comment) VALUES (?, ?)", ["r1", hostile])
    assert store.query("SELECT comment FROM responses WHERE response_id = ?", ["r1"]) == [(hostile,)]
    assert store.table_counts()["responses"] == 1


def test_a_failed_transaction_leaves_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError):
        with store.transaction() as cur:
            cur.execute("INSERT INTO tickets (ticket_id) VALUES ('t1')")
            raise RuntimeError("boom")
    assert store.table_counts()["tickets"] == 0


def test_duckdb_errors_become_readable_store_errors(store: Store) -> None:
    with pytest.raises(StoreError, match="nosuchtable"):
        store.query("SELECT * FROM nosuchtable")


def test_identifiers_are_checked_before_quoting() -> None:
    assert quote_ident("type_of_travel") == '"type_of_travel"'
    for bad in ['a"b', "Drop Table", "1abc", "", "x;y"]:
        with pytest.raises(ValueError):
            quote_ident(bad)


def test_extra_fields_are_listed_after_canonical_ones(store: Store) -> None:
    from cx.storage.fields import FieldInfo, add_extra_field

    with store.transaction() as cur:
        add_extra_field(cur, "responses", FieldInfo("responses", "class", "dimension", True), "b1")
        add_extra_field(cur, "responses", FieldInfo("responses", "seat_comfort", "rating", True,
                                                     "Seat comfort", 1, 5), "b1")
    with store.cursor() as cur:
        names = [f.name for f in fields_of(cur, "responses")]
        extra = [f for f in fields_of(cur, "responses") if f.extra]
    assert names[-2:] == ["class", "seat_comfort"]
    assert (extra[1].kind, extra[1].scale_min, extra[1].scale_max) == ("rating", 1, 5)


def test_a_cursor_per_thread_under_concurrent_use(store: Store) -> None:
    with store.transaction() as cur:
        cur.execute("INSERT INTO responses (response_id, nps) SELECT 'r' || i, i % 11 FROM range(1000) t(i)")
    results: list[int] = []
    errors: list[Exception] = []

    def worker(k: int) -> None:
        try:
            for _ in range(20):
                n = store.scalar("SELECT count(*) FROM responses WHERE nps >= ?", [k % 11])
                results.append(int(n))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 160
    # nps = i % 11 over 1000 rows: values 0..10; count(nps >= 0) = 1000
    assert results.count(1000) >= 20


def test_a_second_process_waits_for_the_lock_instead_of_failing(tmp_path: Path) -> None:
    path = tmp_path / "shared.duckdb"
    Store(path).table_counts()
    holder = textwrap.dedent(
        f"""
        import sys, time, duckdb
        conn = duckdb.connect({str(path)!r})
        conn.execute("INSERT INTO tickets (ticket_id) VALUES ('held')")
        print("locked", flush=True)
        time.sleep(1.5)
        conn.close()
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    forget_migrations()
    n = Store(path, lock_timeout=30).scalar("SELECT count(*) FROM tickets")
    proc.wait(timeout=30)
    assert n == 1


def test_a_busy_database_gives_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "busy.duckdb"
    Store(path).table_counts()
    holder = f"import time, duckdb; c = duckdb.connect({str(path)!r}); print('locked', flush=True); time.sleep(5)"
    proc = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        forget_migrations()
        with pytest.raises(StoreError, match="busy"):
            Store(path, lock_timeout=0.5).table_counts()
    finally:
        proc.kill()
        proc.wait()


def test_nested_calls_of_one_thread_share_one_connection(store: Store,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    store.table_counts()  # schema in place
    opened: list[str] = []
    real = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", lambda path, *a, **k: opened.append(path) or real(
        path, *a, **k))
    with store.connect() as outer:
        with store.transaction() as cur:
            cur.execute("INSERT INTO responses (response_id, nps) VALUES ('r1', 9), ('r2', 3)")
        assert store.scalar("SELECT count(*) FROM responses") == 2
        assert store.query_df("SELECT nps FROM responses ORDER BY nps")["nps"].tolist() == [3, 9]
        with store.connect() as inner:
            assert inner is outer
        # another thread gets a connection of its own (DuckDB connections are not thread-safe)
        seen: list[object] = []
        worker = threading.Thread(target=lambda: seen.append(store.scalar(
            "SELECT sum(nps) FROM responses")))
        worker.start()
        worker.join()
        assert seen == [12]
    assert opened == [str(store.path)] * 2  # this thread once, the other thread once
    with pytest.raises(duckdb.ConnectionException):
        outer.execute("SELECT 1")  # closed with the outermost call: the file lock is released


def test_command_line_ingest_beside_an_app_run(tmp_path: Path) -> None:
    """`python -m cx ingest` while the app holds the file for a script run: the command waits
    for the run to end (it does not fail), loads, and the app's next run sees the rows."""
    path = tmp_path / "shared.duckdb"
    store = Store(path)
    csv = tmp_path / "answers.csv"
    csv.write_text("Response ID,Responded at,NPS\nn1,2024-03-01,10\nn2,2024-03-02,2\n"
                   "n3,2024-03-03,8\n", encoding="utf-8")
    command = [sys.executable, "-m", "cx", "--db", str(path), "ingest", str(csv), "--table",
               "responses", "--map", "Responded at=submitted_at", "--json"]
    with store.connect():  # one app script run, in progress
        assert store.table_counts()["responses"] == 0
        cli = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
        try:
            cli.wait(timeout=3)  # it cannot write while the run holds the file
        except subprocess.TimeoutExpired:
            pass
        assert cli.returncode is None
    out, err = cli.communicate(timeout=120)
    assert cli.returncode == 0, err
    assert json.loads(out)["rows_loaded"] == 3
    # the next run: the new rows
    assert store.query("SELECT response_id, nps FROM responses ORDER BY response_id") == [
        ("n1", 10), ("n2", 2), ("n3", 8)]
