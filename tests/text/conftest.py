"""Text-feature tests use the ingestion tests' database and command line, plus `text`."""

from __future__ import annotations

import pytest

from tests.ingest.conftest import db, run_cli, store  # noqa: F401 - shared fixtures


@pytest.fixture
def cli_modules() -> tuple[str, ...]:
    return ("cx.cli.ingest", "cx.cli.batches", "cx.cli.text")
