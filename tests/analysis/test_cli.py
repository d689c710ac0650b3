"""`python -m cx analyze ...`: JSON shapes of PRODUCT.md §6 and refusals (exit 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from cx import cli
from cx.storage import Store
from tests.analysis.conftest import load, monday, nps_answers


def _run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = cli.main(["--db", str(db), "--json", "analyze", *args])
    return code, json.loads(capsys.readouterr().out)


def test_analyze_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.duckdb"
    scores = nps_answers(20, 30, 50) + nps_answers(30, 30, 40)
    frame = pd.DataFrame({"nps": scores, "channel": ["A"] * 100 + ["B"] * 100,
                          "submitted_at": [monday(0)] * 150 + [monday(1)] * 50})
    load(Store(db), "responses", frame)
    code, out = _run(db, capsys, "segments", "--metric", "nps", "--by", "channel")
    assert code == 0
    row = next(r for r in out["rows"] if r["segment"] == "A")
    assert {"segment", "value", "n", "ci_low", "ci_high", "diff_vs_rest", "p", "q",
            "badge"} <= set(row)
    assert row["p"] == pytest.approx(0.0832, abs=1e-4)  # METHODS.md NPS-4
    code, out = _run(db, capsys, "trend", "--metric", "nps", "--where", "channel=B")
    assert code == 0 and [r["n"] for r in out["rows"]] == [50, 50]
    code, out = _run(db, capsys, "correlation", "--table", "responses", "--x", "nps",
                     "--y", "csat")
    assert code == 0 and out["n"] == 0 and out["r"] is None
    assert {"method", "r", "p", "ci_low", "ci_high", "n", "partial_r", "by_group"} <= set(out)
    code, out = _run(db, capsys, "segments", "--metric", "nps", "--by", "colour")
    assert code == 1 and "unknown group-by field 'colour'" in out["error"]
    code, out = _run(db, capsys, "drivers", "--outcome", "nps", "--drivers", "nps,csat")
    assert code == 1 and "cannot also be one of its drivers" in out["error"]
    code, out = _run(db, capsys, "drivers", "--outcome", "nps", "--drivers", "csat,ces")
    assert code == 0 and out["suppressed"] and out["n"] == 0  # no row has all three

