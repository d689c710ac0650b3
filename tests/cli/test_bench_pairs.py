"""`python -m cx bench` times each side in alternation, at least 7 pairs, and reports min /
median / max and the median of the paired ratios (issue 13 item 1). No timing is asserted."""

from __future__ import annotations

import json
import statistics

import pytest

from cx.cli import main
from cx.bench.timing import MIN_PAIRS, alternate


def test_sides_alternate_and_the_ratio_is_the_median_of_pair_ratios() -> None:
    order: list[str] = []
    a_times = iter([9.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])  # first run is the warm-up
    b_times = iter([9.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 10.0])

    def a() -> float:
        order.append("A")
        return next(a_times)

    def b() -> float:
        order.append("B")
        return next(b_times)

    paired = alternate(a, b, pairs=7)
    assert order == ["A", "B"] * 8
    assert paired.a == (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0)
    # ratios 1, 2, 3, 4, 2.5, 3, 0.7 -> median 2.5, while median(a) / median(b) = 4 / 1 = 4
    assert paired.ratio == 2.5
    out = paired.as_dict("x", "y")
    assert out["x"] == {"min": 1.0, "median": 4.0, "max": 7.0}
    assert out["y"] == {"min": 1.0, "median": 1.0, "max": 10.0}
    assert (out["ratio_min"], out["ratio_max"]) == (0.7, 4.0)
    with pytest.raises(ValueError, match="at least 7 pairs"):
        alternate(a, b, pairs=6)


def _check(timing: dict, a: str, b: str) -> None:
    assert timing["pairs"] >= MIN_PAIRS == 7
    pairs = timing["pair_seconds"]
    assert len(pairs) == timing["pairs"]
    for side, column in ((a, 0), (b, 1)):
        values = [p[column] for p in pairs]
        assert timing[side]["min"] == min(values) and timing[side]["max"] == max(values)
        assert timing[side]["median"] == pytest.approx(statistics.median(values), abs=1e-6)
    ratios = [x / y for x, y in pairs]
    assert timing["ratio"] == pytest.approx(statistics.median(ratios), abs=2e-3)


def test_bench_json_has_alternated_pairs_for_engine_and_ingest(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--rows", "1000", "--pairs", "8", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    engine, ingest = out["engine"], out["ingest"]
    _check(engine["timing"]["utc"], "engine", "hand_sql")
    _check(engine["timing"]["tz"], "engine_tz", "hand_sql_utc")
    _check(ingest["timing"], "ingest", "read_csv")
    assert engine["timing"]["utc"]["pairs"] == 8
    assert engine["ratio"] == engine["timing"]["utc"]["ratio"]
    assert ingest["ingest_seconds"] == ingest["timing"]["ingest"]["median"]
    assert ingest["rows_loaded"] == 1000 and engine["counts_equal"] is True


def test_bench_refuses_fewer_than_seven_pairs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--rows", "1000", "--pairs", "3"]) == 1
    assert "at least 7" in capsys.readouterr().err
