"""`python -m cx demo` as a user runs it (PRODUCT.md §6)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cx.cli import main
from cx.storage import Store

ROOT = Path(__file__).resolve().parents[2]


def test_demo_json_prints_row_counts_and_exits_0(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    proc = subprocess.run(
        [sys.executable, "-m", "cx", "demo", "--db", str(db), "--json", "--end", "2026-11-22",
         "--scale", "0.05"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["seed"] == 7 and out["scale"] == 0.05 and out["end"] == "2026-11-22"
    assert out["rows"]["customers"] == 1_000 and out["rows"]["tickets"] == 5_000
    assert out["rows"]["responses"] == pytest.approx(2_500, rel=0.05)
    assert len(out["batches"]) == 3 and out["seconds"] > 0
    assert Store(db).table_counts() == {**out["rows"], "batches": 3}


def test_remove_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "demo.duckdb")
    assert main(["demo", "--db", db, "--scale", "0.01", "--seed", "3", "--end", "2026-11-22"]) == 0
    text = capsys.readouterr().out
    assert "seed 3, scale 0.01" in text and "tickets" in text and "1,000" in text
    assert main(["demo", "--db", db, "--remove", "--json"]) == 0
    removed = json.loads(capsys.readouterr().out)["removed_rows"]
    assert removed > 1_000
    assert Store(db).table_counts()["tickets"] == 0
    assert main(["demo", "--db", db, "--end", "2026-11-20", "--json"]) == 1
    assert "is a Friday" in json.loads(capsys.readouterr().out)["error"]
    assert main(["demo", "--db", db, "--scale", "-1"]) == 1
    assert "scale must be between" in capsys.readouterr().err


def test_users_flag_prints_the_demo_logins(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("cx.auth.users", reason="cx.auth.users (demo logins) is written by another task")
    db = str(tmp_path / "demo.duckdb")
    assert main(["demo", "--db", db, "--scale", "0.01", "--end", "2026-11-22", "--users",
                 "--json"]) == 0
    users = json.loads(capsys.readouterr().out)["users"]
    assert {u["role"] for u in users} == {"executive", "manager", "analyst", "admin"}
    assert all(len(u["password"]) >= 12 for u in users)
    assert (tmp_path / "credentials.yaml").is_file()  # CX_USERS from tests/conftest.py
