"""Fixtures for ingestion tests: a fresh database, the command line, and a table fingerprint."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cx import cli
from cx.storage import Store

CliRunner = Callable[..., tuple[int, Any]]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cx.duckdb"


@pytest.fixture
def store(db: Path) -> Store:
    return Store(db)


@pytest.fixture
def cli_modules() -> tuple[str, ...]:
    """The command modules `run_cli` registers (a test folder may override this fixture)."""
    return ("cx.cli.ingest", "cx.cli.batches")


@pytest.fixture
def run_cli(db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
            cli_modules: tuple[str, ...]) -> CliRunner:
    """`python -m cx --db DB --json ARGS...` in process; returns (exit code, parsed JSON).

    Only the ingestion commands are registered, so these tests do not depend on other modules.
    """
    monkeypatch.setattr(cli, "COMMAND_MODULES", cli_modules)

    def run(*args: str) -> tuple[int, Any]:
        capsys.readouterr()
        code = cli.main(["--db", str(db), "--json", *map(str, args)])
        out = capsys.readouterr().out
        return code, json.loads(out) if out.strip() else {}

    return run


def fingerprint(store: Store) -> dict[str, tuple]:
    """Per table: its columns, row count and an order-free hash of every row."""
    out = {}
    with store.cursor() as cur:
        tables = [r[0] for r in cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
        for table in tables:
            cols = tuple(r[0] for r in cur.execute(f'DESCRIBE "{table}"').fetchall())
            count, digest = cur.execute(
                f'SELECT count(*), coalesce(sum(hash(t)), 0) FROM "{table}" t').fetchone()
            out[table] = (cols, count, digest)
    return out
