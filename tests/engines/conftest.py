"""One Spark Connect server for the whole session, and one demo data set on both engines.

A test that cannot reach a server FAILS (never skips): the parity suite is the proof that the
Spark engine gives the DuckDB answers, and CI must not pass without it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from cx.config import Settings, load_settings
from cx.demo import build_demo
from cx.engines import writable
from cx.metrics import Engine
from cx.storage import Store
from tests.engines import spark_server

DEMO_END = dt.date(2026, 11, 22)  # a Sunday: 2026-W47 is the last complete week
DEMO_SCALE = 0.05  # ~2.5k responses, 5k tickets, 1k customers
REPORTING_TZ = "America/New_York"  # not UTC, so the reporting-zone conversion is exercised


@pytest.fixture(scope="session")
def spark_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("CX_TEST_SPARK_URL")
    if given:
        yield given
        return
    workdir = tmp_path_factory.mktemp("spark")
    try:
        proc, url = spark_server.start(workdir)
    except (RuntimeError, OSError, ImportError) as exc:
        pytest.fail(f"cannot start a local Spark Connect server: {exc}")
    try:
        yield url
    finally:
        from cx.engines.spark_store import close_sessions

        close_sessions()  # while the server still answers: nothing is left to retry at exit
        spark_server.stop(proc)


def new_database() -> str:
    return f"cx_test_{secrets.token_hex(4)}"


@pytest.fixture(scope="session")
def parity_settings() -> Settings:
    return dataclasses.replace(load_settings(), tz=REPORTING_TZ)


@pytest.fixture(scope="session")
def demo_pair(spark_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, object]:
    """The same demo data (seed 7) in a DuckDB file and in a Spark database."""
    from cx.engines.spark_store import SparkStore

    duck = Store(Path(tmp_path_factory.mktemp("duck")) / "cx.duckdb")
    build_demo(duck, seed=7, scale=DEMO_SCALE, end=DEMO_END)
    spark = SparkStore(spark_url, new_database())
    with writable(spark) as target:
        build_demo(target, seed=7, scale=DEMO_SCALE, end=DEMO_END)
    return duck, spark


@pytest.fixture(scope="module")
def engines(demo_pair, parity_settings) -> tuple[Engine, Engine]:
    """A DuckDB and a Spark engine over demo_pair, in the parity time zone."""
    duck, spark = demo_pair
    return Engine(duck, parity_settings), Engine(spark, parity_settings)
