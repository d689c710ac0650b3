"""SIGKILL during ingest, rollback and snapshot never leaves a half-written state (issue 12).

Real `python -m cx` subprocesses are killed at seeded delays spread over each command's measured
duration; after every kill the database is opened with Store and checked.
"""
from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cx.storage import Store

ROOT = Path(__file__).resolve().parents[2]
ROWS = 100_000
pytestmark = pytest.mark.slow


def _cx(db: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cx", "--db", str(db), *args], cwd=ROOT,
                            env=os.environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _run(db: Path, *args: str) -> tuple[int, float, str]:
    t0 = time.monotonic()
    p = _cx(db, *args)
    _, err = p.communicate(timeout=120)
    return p.returncode, time.monotonic() - t0, err.decode(errors="replace")


def _kill_after(db: Path, delay: float, *args: str) -> bool:
    """Start the command, SIGKILL it after delay; True when it was still running."""
    p = _cx(db, *args)
    time.sleep(delay)
    alive = p.poll() is None
    if alive:
        p.send_signal(signal.SIGKILL)
    p.communicate(timeout=60)
    return alive


def _csv(path: Path, prefix: str) -> Path:
    lines = ["response_id,customer_id,submitted_at,nps,csat,comment"]
    lines += [f"{prefix}{i},C{i % 5000},2026-03-{1 + i % 28:02d} 10:00:00,{i % 11},{1 + i % 5},ok"
              for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _half_written(db: Path) -> int:
    """Batches whose stored record count differs from rows_loaded (active) or is not 0 (rolled back)."""
    store = Store(db)
    rows = store.query(
        "SELECT b.status, b.rows_loaded, (SELECT count(*) FROM responses r WHERE r.batch_id = b.batch_id)"
        " FROM batches b WHERE b.table_name = 'responses'")
    return sum(1 for status, loaded, n in rows
               if (n != loaded if status == "active" else n != 0))


def _file_state(db: Path, prefix: str) -> tuple[int, int]:
    store = Store(db)
    n, distinct = store.query("SELECT count(*), count(DISTINCT response_id) FROM responses"
                              " WHERE response_id LIKE ?", [prefix + "%"])[0]
    return n, distinct


def _delays(duration: float, seed: int, k: int = 6) -> list[float]:
    rng = random.Random(seed)
    return sorted(rng.uniform(0.05, 1.0) * duration for _ in range(k))


def test_sigkill_during_ingest_and_rollback(tmp_path):
    t0 = time.monotonic()
    db, probe = tmp_path / "kill.duckdb", tmp_path / "probe.duckdb"
    src = _csv(tmp_path / "a.csv", "A")
    rc, took, err = _run(probe, "ingest", str(src), "--table", "responses")
    assert rc == 0, err
    kills = half = 0
    for delay in _delays(took, seed=12):
        kills += _kill_after(db, delay, "ingest", str(src), "--table", "responses")
        half += _half_written(db)
        n, distinct = _file_state(db, "A")
        assert n == distinct and n in (0, ROWS), (delay, n, distinct)
    rc, _, err = _run(db, "ingest", str(src), "--table", "responses")
    assert _file_state(db, "A") == (ROWS, ROWS)
    rc, _, err = _run(db, "ingest", str(src), "--table", "responses")
    assert rc != 0 and "batch" in err.lower(), err  # same bytes refused, naming the batch
    assert _file_state(db, "A") == (ROWS, ROWS)
    rb_kills = 0
    batch = Store(db).scalar("SELECT batch_id FROM batches WHERE status = 'active'")
    rc, rtook, err = _run(probe, "rollback", Store(probe).scalar("SELECT batch_id FROM batches"))
    assert rc == 0, err
    for delay in _delays(rtook, seed=13):
        rb_kills += _kill_after(db, delay, "rollback", batch)
        half += _half_written(db)
        status = Store(db).scalar("SELECT status FROM batches WHERE batch_id = ?", [batch])
        assert _file_state(db, "A") == ((ROWS, ROWS) if status == "active" else (0, 0)), delay
    print(f"\nkill-atomicity: ingest kills={kills} rollback kills={rb_kills} half-written={half}"
          f" seconds={time.monotonic() - t0:.1f}")
    assert half == 0
    assert kills >= 3


def _snapshot_rows_ok(db: Path) -> int:
    """Number of snapshot rows; each must be complete (payload sha256 matches)."""
    rows = Store(db).query("SELECT week, payload, payload_sha256 FROM snapshots")
    for week, payload, sha in rows:
        assert hashlib.sha256(payload.encode("utf-8")).hexdigest() == sha, week
    return len(rows)


def test_sigkill_during_snapshot(tmp_path):
    t0 = time.monotonic()
    db, probe = tmp_path / "snap.duckdb", tmp_path / "probe.duckdb"
    for target in (db, probe):
        rc, _, err = _run(target, "demo", "--scale", "0.05")
        assert rc == 0, err
    rc, took, err = _run(probe, "snapshot")
    assert rc == 0, err
    assert _snapshot_rows_ok(probe) == 1
    kills = 0
    for delay in _delays(took, seed=14):
        kills += _kill_after(db, delay, "snapshot")
        assert _snapshot_rows_ok(db) in (0, 1), delay
        assert _half_written(db) == 0
    rc, _, err = _run(db, "snapshot")
    assert rc == 0, err
    assert _snapshot_rows_ok(db) == 1
    print(f"\nkill-atomicity: snapshot kills={kills} seconds={time.monotonic() - t0:.1f}")
    assert kills >= 3
