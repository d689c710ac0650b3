"""`python -m cx text top|emerging --json` on planted comment features (tests/text_rows)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cx import cli
from cx.storage import Store
from cx.stats.proportions import two_proportions_test
from tests.text_rows import planted_rows, write_said


def _run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = cli.main(["--db", str(db), "--json", "text", *args])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "text.duckdb"
    write_said(Store(path), planted_rows())
    return path


def test_text_top(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(db, capsys, "top", "--limit", "2")
    assert code == 0 and out["empty"] is False
    assert [(r["theme"], r["mentions"], r["comments"]) for r in out["detractor_themes"]] == [
        ("delivery", 80, 140), ("price", 70, 140)]
    effect = {r["segment"]: r for r in out["effects"]}
    assert effect["delivery"]["diff_vs_rest"] == pytest.approx(-131.25)  # -100 vs 31.25
    assert effect["staff"]["badge"] == "higher"
    assert out["words_detractors"][0]["typical_of"] == "detractors"
    assert out["words_promoters"][0]["typical_of"] == "promoters"
    code, out = _run(db, capsys, "top", "--where", "channel=phone")
    assert code == 0 and out["empty"] is True and out["effects"] == []


def test_text_emerging(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(db, capsys, "emerging")
    assert code == 0 and out["week"] == "2026-11-09" and out["emerging"] == ["delivery"]
    row = next(r for r in out["rows"] if r["theme"] == "delivery")
    ref = two_proportions_test(60, 200, 20, 200)  # METHODS.md §8.1
    assert row["change"] == pytest.approx(0.2) and row["p"] == pytest.approx(ref.p)
    code, out = _run(db, capsys, "emerging", "--week", "2026-11-02")
    assert code == 0 and out["previous"] == "2026-10-26"
    assert all(r["change"] is None for r in out["rows"])  # no comments the week before
    code, out = _run(db, capsys, "emerging", "--week", "2026-11-03")
    assert code == 1 and "must be a Monday" in out["error"]
    code, out = _run(db, capsys, "emerging", "--where", "colour=red")
    assert code == 1 and "unknown filter field 'colour'" in out["error"]


def test_joins_an_existing_text_group() -> None:
    # cx.cli.text (another module) may create `text` with its own subcommands first
    import argparse

    from cx.cli import text_analyses

    root = argparse.ArgumentParser()
    common = argparse.ArgumentParser(add_help=False)
    subparsers = root.add_subparsers(dest="command")
    group = subparsers.add_parser("text").add_subparsers(dest="text_command")
    group.add_parser("rebuild")
    text_analyses.register(subparsers, common)
    assert set(group.choices) == {"rebuild", "top", "emerging"}
    assert root.parse_args(["text", "emerging", "--week", "2026-11-09"]).week == "2026-11-09"
    nested = argparse.ArgumentParser().add_subparsers(dest="text_command")
    text_analyses.register(nested, common)  # handed the group itself (cx.cli.text's modules)
    assert set(nested.choices) == {"top", "emerging"}
