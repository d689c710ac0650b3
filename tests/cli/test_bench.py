"""`python -m cx bench` runs all three measurements end to end on a small size."""

from __future__ import annotations

import json

import pytest

from cx.cli import main


def test_bench_reports_every_part_with_baselines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--rows", "5000", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rows"] == 5000
    # demo at scale 0.1 holds 10% of scale 1's 100,000 tickets and 20,000 customers
    assert out["demo"]["scale"] == 0.1
    assert out["demo"]["rows"]["tickets"] == 10_000
    assert out["demo"]["rows"]["customers"] == 2_000
    assert out["engine"]["counts_equal"] is True
    assert out["engine"]["engine_seconds"] > 0 and out["engine"]["hand_sql_seconds"] > 0
    assert out["ingest"]["rows_loaded"] == 5000 and out["ingest"]["status"] == "loaded"
    assert out["peak_rss_mb"] > 0


def test_bench_refuses_a_size_too_small_to_mean_anything(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--rows", "10"]) == 1
    assert "at least 1000" in capsys.readouterr().err
