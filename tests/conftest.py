"""Every test runs with its own database, credentials file and cookie key, never the user's."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT.parent / "shared" / "datasets"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CX_DB", str(tmp_path / "cx.duckdb"))
    monkeypatch.setenv("CX_USERS", str(tmp_path / "credentials.yaml"))
    monkeypatch.setenv("CX_COOKIE_KEY", secrets.token_urlsafe(24))
    monkeypatch.setenv("CX_TZ", "UTC")


def dataset(name: str) -> Path:
    """A real public file from ../shared/datasets, or a skip saying why it is missing."""
    path = DATASETS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent: the real datasets live in ../shared/datasets beside the repo")
    return path
