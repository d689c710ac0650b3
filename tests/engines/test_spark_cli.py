"""The command line on Spark (CX_ENGINE=sc://...): demo, ingest, batches, metric, analyze,
snapshot and rollback, and two processes that see each other's uploads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cx.cli import main
from tests.engines.compare import same
from tests.engines.conftest import new_database

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = ("response_id,submitted_at,channel,nps\n"
           "s-1,2026-11-17 09:00,Chat,10\ns-2,2026-11-17 10:00,Chat,9\n"
           "s-3,2026-11-18 11:00,Email,3\ns-4,2026-11-19 12:00,Email,7\n")


@pytest.fixture
def on_spark(spark_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = {"CX_ENGINE": spark_url, "CX_SPARK_DATABASE": new_database()}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> dict | list:
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0, capsys.readouterr()
    return json.loads(capsys.readouterr().out)


def test_command_line_writes_on_spark(on_spark, capsys, tmp_path: Path) -> None:
    demo = cli(capsys, "demo", "--scale", "0.02", "--end", "2026-11-22")
    assert demo["rows"]["responses"] > 500
    answers = cli(capsys, "metric", "responses")["rows"][0]
    assert answers["value"] == demo["rows"]["responses"]
    file = tmp_path / "answers.csv"
    file.write_text(ANSWERS)
    loaded = cli(capsys, "ingest", str(file), "--table", "responses")
    assert loaded["rows_loaded"] == 4
    again = cli(capsys, "ingest", str(file), "--table", "responses", "--replace")
    assert again["rows_loaded"] == 4 and again["replaced"] == [loaded["batch_id"]]
    chat = cli(capsys, "metric", "responses", "--where", "source=answers")
    assert chat["rows"][0]["value"] == 4
    gone = cli(capsys, "rollback", again["batch_id"])
    assert gone["rows_removed"] == 4
    assert cli(capsys, "metric", "responses")["rows"][0]["value"] == demo["rows"]["responses"]


def test_command_line_reads_on_spark_as_on_duckdb(demo_pair, spark_url: str, capsys,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    duck, spark = demo_pair
    argv = [("metric", "nps", "--by", "region"),
            ("analyze", "segments", "--metric", "ticket_csat", "--by", "channel")]
    monkeypatch.setenv("CX_DB", str(duck.path))
    on_duck = [cli(capsys, *a) for a in argv]
    monkeypatch.setenv("CX_ENGINE", spark_url)
    monkeypatch.setenv("CX_SPARK_DATABASE", spark.database)
    on_spark = [cli(capsys, *a) for a in argv]
    for a, b, args in zip(on_duck, on_spark, argv, strict=True):
        a.pop("sql", None), b.pop("sql", None)  # the SQL text differs by dialect, on purpose
        assert same(a, b, " ".join(args)) == []
    snap = cli(capsys, "snapshot", "--week", "2026-W47")  # built here or by a page test
    assert {m["name"] for m in snap["metrics"]} >= {"nps", "csat"}
    again = cli(capsys, "snapshot", "--week", "2026-W47")
    assert again["built"] is False and again["payload_sha256"] == snap["payload_sha256"]


def test_two_processes_see_each_others_uploads(on_spark, capsys, tmp_path: Path) -> None:
    file = tmp_path / "answers.csv"
    file.write_text(ANSWERS)
    env = {**os.environ, **on_spark, "PYTHONPATH": str(ROOT)}
    other = subprocess.run([sys.executable, "-m", "cx", "ingest", str(file), "--table",
                            "responses", "--json"], env=env, cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
    assert other.returncode == 0, other.stderr[-2000:]
    batch = json.loads(other.stdout)["batch_id"]
    assert cli(capsys, "metric", "responses")["rows"][0]["value"] == 4  # this process sees it
    assert cli(capsys, "rollback", batch)["rows_removed"] == 4
    listed = subprocess.run([sys.executable, "-m", "cx", "batches", "--json"], env=env,
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert [b["status"] for b in json.loads(listed.stdout)] == ["rolled_back"]
