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


def test_bench_pages_times_a_copy_of_given_data(tmp_path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """--data: runs to compare time the same data; the original file is never served."""
    from cx.bench import pages
    from cx.storage import Store

    original = Store(tmp_path / "prepared.duckdb")
    with original.transaction() as cur:
        cur.execute("INSERT INTO responses (response_id, nps) SELECT 'r' || i, i % 11 "
                    "FROM range(1234) t(i)")
    served: list = []
    monkeypatch.setattr(pages, "page_benchmark", lambda db, users, work, roles: served.append(
        (db, Store(db).table_counts()["responses"])) or {"roles": {}, "server_rss_mb": 1.0,
                                                        "server_healthy_seconds": 1.0,
                                                        "first_page_seconds": 2.0,
                                                        "first_login_seconds": 1.5,
                                                        "warm_up_seconds": 3.0})
    assert main(["bench", "pages", "--data", str(original.path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rows"] == 1234 and out["demo"] == {
        "copied_from": "prepared.duckdb",
        "rows": {"responses": 1234, "tickets": 0, "customers": 0, "batches": 0}}
    assert served[0][1] == 1234 and served[0][0] != original.path
    assert main(["bench", "pages", "--data", str(tmp_path / "none.duckdb")]) == 1
    assert "no such database file" in capsys.readouterr().err
