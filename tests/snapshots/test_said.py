"""The snapshot's "what customers said" section on planted comment features (tests/text_rows)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from cx.config import load_settings
from cx.metrics import Engine
from cx.snapshots import IsoWeek
from cx.snapshots.report import _said
from cx.snapshots.said import what_customers_said
from cx.storage import Store
from tests.text_rows import WEEK_B, Said, planted_rows, write_said

WEEK = IsoWeek.of(WEEK_B.date())  # 2026-W46, Monday 9 November


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    store = Store(tmp_path / "said.duckdb")
    rare = [Said(f"R{i}", 1, WEEK_B + dt.timedelta(hours=9, minutes=i), "the app crashed",
                 ("app",)) for i in range(4)]  # 4 detractor mentions: below the floor of 5
    write_said(store, planted_rows() + rare)
    return Engine(store, load_settings().with_db(store.path))


def test_top_detractor_themes_and_emerging_with_examples(engine: Engine) -> None:
    said = what_customers_said(engine, WEEK)
    # week B: 90 planted detractor comments + 4 "app" ones + 10 without a comment (not counted)
    assert said["detractor_comments"] == 94
    top = said["top_detractor_themes"]
    assert [(t["theme"], t["mentions"]) for t in top] == [("delivery", 60), ("price", 30)]
    assert top[0]["share"] == pytest.approx(60 / 94)
    assert top[0]["example"]["comment"] == "the delivery was late again"
    assert top[0]["example"]["at"] == WEEK_B + dt.timedelta(minutes=59)  # the newest
    assert [t["theme"] for t in said["emerging"]] == ["delivery"]
    assert said["emerging"][0]["change"] == pytest.approx(60 / 204 - 20 / 200)
    assert "app" not in {t["theme"] for t in top + said["emerging"]}  # 4 < privacy floor


def test_report_quotes_comments_as_text(engine: Engine) -> None:
    said = what_customers_said(engine, WEEK)
    said["top_detractor_themes"][0]["example"]["comment"] = "<b>late</b> & lost"
    html = _said({"said": said})
    assert "&lt;b&gt;late&lt;/b&gt; &amp; lost" in html and "<b>" not in html
    assert "94 detractor comments" in html
    assert "No theme stood out" in _said({})  # snapshots built before this section


def test_command_line_prints_the_section(engine: Engine, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    from cx import cli

    assert cli.main(["--db", str(engine.store.path), "--json", "snapshot", "--week",
                     str(WEEK)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [t["theme"] for t in out["said"]["emerging"]] == ["delivery"]
    assert out["said"]["top_detractor_themes"][0]["mentions"] == 60
