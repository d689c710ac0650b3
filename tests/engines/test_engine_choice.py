"""Which engine CX_ENGINE selects, and what the Spark side refuses or translates (no server)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cx.config import load_settings
from cx.engines import dialect_of, open_store
from cx.engines.spark_cursor import spark_value, to_spark_sql
from cx.engines.spark_schema import translate
from cx.engines.spark_store import SparkStore
from cx.metrics import Engine
from cx.storage import Store, StoreError
from cx.storage.schema import MIGRATIONS


def test_duckdb_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CX_ENGINE", raising=False)
    store = open_store(load_settings())
    assert isinstance(store, Store) and store.path == load_settings().db_path
    assert Engine(store, load_settings()).dialect.name == "duckdb"


def test_a_spark_connect_url_selects_spark(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CX_ENGINE", "sc://127.0.0.1:15002")
    monkeypatch.setenv("CX_SPARK_DATABASE", "cx_prod")
    store = open_store(load_settings())  # nothing connects until the first query
    assert isinstance(store, SparkStore) and store.database == "cx_prod"
    assert dialect_of(store) == "spark" and Engine(store, load_settings()).dialect.name == "spark"


def test_other_engines_and_bad_database_names_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CX_ENGINE", "postgres://db")
    with pytest.raises(ValueError, match="duckdb' or a Spark Connect URL"):
        open_store(load_settings())
    with pytest.raises(ValueError, match="snake_case"):
        SparkStore("sc://h:1", "cx; DROP")


def test_inexact_quantiles_are_refused_not_approximated() -> None:
    with pytest.raises(StoreError, match="exact quantile") as err:
        to_spark_sql("SELECT quantile_cont(x, 0.5) FROM responses")
    assert "SELECT" not in str(err.value)  # no SQL text in a message a user sees


def test_duckdb_text_becomes_spark_text_with_markers() -> None:
    sql = to_spark_sql("SELECT count(*) FILTER (WHERE nps >= ?) FROM responses WHERE x = $p0 "
                       "ORDER BY channel")
    assert sql == ("SELECT COUNT(*) FILTER(WHERE nps >= ?) FROM responses WHERE x = :p0 "
                   "ORDER BY channel NULLS LAST")  # DuckDB sorts NULLs last; Spark would not


def test_naive_datetimes_travel_as_utc_instants() -> None:
    import datetime as dt

    assert spark_value(dt.datetime(2026, 1, 1, 12)).tzinfo is dt.UTC


def test_migrations_translate_to_partitioned_tables() -> None:
    first = [translate(s) for s in MIGRATIONS[0][1]]
    assert first[1][1].startswith("CREATE TABLE IF NOT EXISTS responses_data (")
    assert all(text.endswith("USING parquet PARTITIONED BY (batch_id)") for _, text in first)
    assert "PRIMARY KEY" not in first[0][1] and "NOT NULL" not in first[0][1]
    catalog = translate(MIGRATIONS[1][1][0])[1]
    assert "rowid BIGINT" in catalog and "PARTITIONED" not in catalog
    assert translate("ALTER TABLE tickets ADD COLUMN resolved BOOLEAN") == (
        "ddl", "ALTER TABLE tickets_data ADD COLUMNS (resolved BOOLEAN)")


def test_row_updates_in_migrations_are_named_not_run() -> None:
    assert translate("UPDATE field_catalog SET is_filter = (kind = 'dimension')") == (
        "update", "field_catalog")


def test_an_unreachable_server_fails_in_seconds_and_the_process_exits(tmp_path: Path) -> None:
    """pyspark retries a lost server for over ten minutes by default, and its exit hook retries
    once more: a wrong CX_ENGINE hung `cx metric` for minutes. Now the command says so and ends."""
    from tests.engines.spark_server import free_port

    result = subprocess.run(
        [sys.executable, "-m", "cx", "metric", "nps"], capture_output=True, text=True,
        timeout=120, env={**os.environ, "CX_ENGINE": f"sc://127.0.0.1:{free_port()}",
                          "CX_DB": str(tmp_path / "cx.duckdb")})
    assert result.returncode != 0
    assert "cannot reach the Spark Connect server sc://127.0.0.1:" in result.stderr
    assert "Traceback" not in result.stderr
