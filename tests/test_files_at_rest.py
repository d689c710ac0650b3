"""Files at rest are owner-only (issue 12 item 7): database and its .wal, credentials, cookie key;
and none of them can be committed by accident."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from cx.auth import cookie_key, users
from cx.storage import Store

ROOT = Path(__file__).resolve().parent.parent


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_and_wal_are_created_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual login default, under which DuckDB made 0644 files
    try:
        db = tmp_path / "fresh" / "cx.duckdb"
        store = Store(db)
        with store.transaction() as cur:
            cur.execute("CREATE TABLE t (a INTEGER)")
            cur.execute("INSERT INTO t VALUES (1)")
            wal = db.with_name(db.name + ".wal")
            assert wal.exists() and _mode(wal) == 0o600
        assert _mode(db) == 0o600
    finally:
        os.umask(old)


def test_credentials_and_key_files_are_owner_only(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "BCRYPT_ROUNDS", 4)
    old = os.umask(0o022)
    try:
        creds = tmp_path / "credentials.yaml"
        users.ensure_first_admin(creds)
        users.add_user(creds, "ana", "analyst")
        cookie_key.load_or_create(tmp_path / "cookie.key")
        assert (_mode(creds), _mode(tmp_path / "cookie.key")) == (0o600, 0o600)
    finally:
        os.umask(old)


def test_the_default_key_file_is_git_ignored() -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(["git", "check-ignore", "data/cookie.key", "data/cx.duckdb.wal"],
                         cwd=ROOT, capture_output=True, text=True).stdout
    assert out.split() == ["data/cookie.key", "data/cx.duckdb.wal"]
