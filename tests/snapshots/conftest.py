"""One demo database per session (seed 7, end 2026-11-22, scale 0.3): big enough that the
planted bad week (2026-W42, the end week minus 5) is significant, small enough to build in ~2 s.
Tests that write snapshots work on a private copy."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from cx.config import Settings, load_settings
from cx.demo import build_demo
from cx.snapshots import IsoWeek
from cx.storage import Store

END = dt.date(2026, 11, 22)
SCALE = 0.3
BAD_WEEK = IsoWeek(2026, 42)  # data/README.md: the ISO week end - 5 weeks, CSAT drop
FLAT_WEEK = IsoWeek(2026, 37)  # data/README.md: the documented ordinary week (end - 10)
NOW = dt.datetime(2026, 11, 23, 9, 0)  # the Monday after the data's last week


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("snapdemo") / "demo.duckdb"
    build_demo(Store(path), seed=7, scale=SCALE, end=END)
    return path


@pytest.fixture()
def db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "snap.duckdb"
    shutil.copy2(demo_db, path)
    return path


@pytest.fixture()
def settings(db: Path) -> Settings:
    return load_settings().with_db(db)


@pytest.fixture()
def store(db: Path) -> Store:
    return Store(db)
