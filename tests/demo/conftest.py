"""Demo databases shared by the demo tests: one at scale 1 (the documented sizes) per session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from cx.demo import DemoResult, build_demo
from cx.storage import Store

END = dt.date(2026, 11, 22)  # a Sunday; data/README.md quotes sizes for seed 7 with this end


@pytest.fixture(scope="session")
def demo_scale1(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoResult]:
    path = tmp_path_factory.mktemp("demo1") / "demo.duckdb"
    return path, build_demo(Store(path), seed=7, scale=1.0, end=END)


@pytest.fixture()
def con1(demo_scale1: tuple[Path, DemoResult]) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(demo_scale1[0]), read_only=True)
    try:
        yield con
    finally:
        con.close()
