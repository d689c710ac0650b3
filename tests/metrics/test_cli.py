"""`python -m cx metric ...` (PRODUCT.md §6): JSON shape, filters, grains, clear refusals."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from cx.cli import main
from cx.storage import Store
from tests.metrics.conftest import insert


@pytest.fixture
def db(store: Store) -> str:
    days = [dt.datetime(2024, 1, 1, 12) + dt.timedelta(days=i) for i in range(14)]
    insert(store, "responses", pd.DataFrame({
        "response_id": [f"r{i}" for i in range(14)], "submitted_at": days,
        "channel": ["chat", "phone"] * 7, "region": ["EU"] * 10 + ["US"] * 4,
        "nps": [10, 0] * 7}))
    return str(store.path)


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(list(argv) + ["--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_metric_json_shape_with_by_where_and_grain(db: str, capsys) -> None:
    out = _json(capsys, "--db", db, "metric", "nps", "--by", "channel", "--where", "region=EU",
                "--grain", "week")
    assert (out["metric"], out["unit"]) == ("nps", "points")
    first = out["rows"][0]
    assert list(first)[:7] == ["channel", "period", "value", "n", "ci_low", "ci_high",
                               "reliability"]
    # chat, week of 2024-01-01 (Mon): days 0, 2, 4, 6 -> 4 promoters; below the floor of 5
    assert (first["channel"], first["period"], first["n"]) == ("chat", "2024-01-01", 4)
    assert first["value"] is None and first["reliability"] == "suppressed"
    assert sum(r["n"] for r in out["rows"]) == 10


def test_metric_dates_are_inclusive(db: str, capsys) -> None:
    out = _json(capsys, "--db", db, "metric", "responses", "--from", "2024-01-02",
                "--to", "2024-01-08")
    assert out["rows"][0]["value"] == 7.0


def test_explain_prints_sql_without_running(db: str, capsys) -> None:
    assert main(["--db", db, "metric", "nps", "--by", "region", "--explain"]) == 0
    sql = capsys.readouterr().out
    assert "GROUP BY" in sql and '"region"' in sql and "$p" not in sql  # no filter, no params


@pytest.mark.parametrize(("argv", "message"), [
    (["metric", "nps", "--by", "colour"], "valid fields: customer_id"),
    (["metric", "nps", "--where", "region"], "must look like FIELD=VALUE"),
    (["metric", "nps", "--from", "2024-13-01"], "is not a date"),
    (["metric", "npx"], "known metrics"),
    (["metric", "churn_rate", "--grain", "month"], "needs both a start and an end date"),
    (["metric", "churn_rate", "--by", "churned"], "computed from that field"),
])
def test_bad_input_is_refused_with_a_clear_message(db: str, capsys, argv: list[str],
                                                   message: str) -> None:
    assert main(["--db", db, *argv]) == 1
    assert message in capsys.readouterr().err
