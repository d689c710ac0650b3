"""Fixtures for text-feature tests: a fresh database and the command line with `text`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cx import cli
from cx.storage import Store
from tests.ingest.conftest import CliRunner


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cx.duckdb"


@pytest.fixture
def store(db: Path) -> Store:
    return Store(db)


@pytest.fixture
def run_cli(db: Path, capsys: pytest.CaptureFixture[str],
            monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """`python -m cx --db DB --json ARGS...` in process; returns (exit code, parsed JSON)."""
    monkeypatch.setattr(cli, "COMMAND_MODULES",
                        ("cx.cli.ingest", "cx.cli.batches", "cx.cli.text"))

    def run(*args: str) -> tuple[int, Any]:
        capsys.readouterr()
        code = cli.main(["--db", str(db), "--json", *map(str, args)])
        out = capsys.readouterr().out
        return code, json.loads(out) if out.strip() else {}

    return run
