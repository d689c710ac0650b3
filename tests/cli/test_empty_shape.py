"""An empty filter gives the same empty shape from every reading command (issue 14 item 9):
exit code 0, the keys of an answer with data plus ``empty``, row lists [] (no rows of zeros or
nulls), and ``notes`` opening with "nothing matches the filters"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cx.cli import main

NONE = ["--where", "channel=no-such-channel"]
# (command, the row lists of its answer)
COMMANDS = [
    (["metric", "csat"], ("rows",)),
    (["metric", "nps", "--by", "channel"], ("rows",)),
    (["metric", "frt_median", "--grain", "week"], ("rows",)),
    (["analyze", "segments", "--metric", "csat", "--by", "channel"], ("rows",)),
    (["analyze", "correlation"], ("by_group", "bins")),
    (["analyze", "correlation", "--control", "priority"], ("by_group", "bins")),
    (["analyze", "drivers", "--outcome", "csat"], ("drivers",)),
    (["analyze", "trend", "--metric", "nps"], ("rows",)),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "demo.duckdb"
    assert main(["--db", str(path), "demo", "--scale", "0.02", "--end", "2026-03-01"]) == 0
    return path


def _json(db: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["--db", str(db), "--json", *args])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("args", "lists"), COMMANDS, ids=[" ".join(c[0]) for c in COMMANDS])
def test_empty_filter_gives_one_shape(db: Path, args: list[str], lists: tuple[str, ...],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, full = _json(db, args, capsys)
    assert code == 0 and full["empty"] is False
    code, none = _json(db, [*args, *NONE], capsys)
    assert code == 0
    assert set(none) == set(full)  # the same keys as an answer with data
    assert none["empty"] is True
    assert all(none[name] == [] for name in lists)
    assert none["notes"][0].startswith("nothing matches the filters")
    if "comparable" in none:
        assert none["comparable"] is False  # nothing to compare
