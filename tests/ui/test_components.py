"""Overview tiles speak plainly (issue 11, item 6): a change is coloured only when it is real
(significant) and not zero; the test's p-value waits in the tooltip, never "p = 0.000"."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cx.charts import figures
from cx.domain import DateRange
from cx.views.kpis import Tile
from cx.ui.components import _delta, _tile_words


def _tile(change: float, p: float, tested: bool = True, higher_is_better: bool = True) -> Tile:
    # one tile alone: its BH q equals its p (cx.views.kpis.tiles corrects over the tiles shown)
    return Tile("csat", "CSAT", "fraction", higher_is_better, "", 0.8, 400, 0.76, 0.84, "ok",
                0.8 - change, change, p, tested, (), DateRange(), None,
                in_family=tested, q=p if tested else math.nan)


@pytest.mark.parametrize(("change", "p", "tested", "better", "delta", "colour", "words"), [
    (0.0, 1.0, True, True, "0.0 pp", "off", "within normal noise"),
    (0.0, 0.0, True, True, "0.0 pp ✱", "off", "a real change"),
    (-0.05, 0.30, True, True, "-5.0 pp", "off", "within normal noise"),
    (-0.05, 0.001, True, True, "-5.0 pp ✱", "normal", "a real change"),
    (0.05, 0.001, True, False, "+5.0 pp ✱", "inverse", "a real change"),
    (-0.05, math.nan, False, True, "-5.0 pp", "off",
     "not tested (a median or a volume): compare the intervals"),
])
def test_only_real_changes_are_coloured(change: float, p: float, tested: bool, better: bool,
                                        delta: str, colour: str, words: str) -> None:
    t = _tile(change, p, tested, better)
    assert _delta(t) == (delta, colour)
    assert _tile_words(t) == words


def test_trend_title_names_a_band_only_when_one_is_drawn() -> None:
    periods = pd.to_datetime(["2026-01-05", "2026-01-12"])
    counts = pd.DataFrame({"period": periods, "value": [120.0, 130.0], "ci_low": [math.nan] * 2,
                           "ci_high": [math.nan] * 2, "n": [120, 130], "reliability": ["ok"] * 2})
    fig = figures.trend(counts, "count", "Responses", "Responses by week")
    assert fig.layout.title.text == "Responses by week" and len(fig.data) == 1
    shares = counts.assign(value=[0.8, 0.7], ci_low=[0.75, 0.65], ci_high=[0.85, 0.75])
    fig = figures.trend(shares, "fraction", "CSAT", "CSAT by week")
    assert fig.layout.title.text == "CSAT by week (95% CI band)" and len(fig.data) == 2
