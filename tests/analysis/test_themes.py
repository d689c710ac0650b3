"""Theme analyses on planted comment features (tests/text_rows.planted_rows: hand counts)."""

from __future__ import annotations

import datetime as dt

import pytest

from cx.analysis.segments import segment_table
from cx.analysis.sentiment import sentiment_trend
from cx.analysis.themes import emerging_themes, theme_by_group, theme_effects
from cx.analysis.words import distinguishing_themes, distinguishing_words, example_comment
from cx.domain import DateRange, Filters, Scope, clause_of
from cx.metrics import Engine
from cx.stats.nps import nps_diff_test
from cx.stats.proportions import two_proportions_test, wilson
from cx.storage import Store
from tests.text_rows import WEEK_A, WEEK_B, Said, planted_rows, write_said


@pytest.fixture
def planted(store: Store) -> Store:
    write_said(store, planted_rows())
    return store


def test_theme_by_nps_group(planted: Store, engine: Engine) -> None:
    table = theme_by_group(engine).set_index(["theme", "group"])
    # delivery: 80 of the 140 detractor comments; price 70 of 140; staff 80 of 160 promoters
    assert table.loc[("delivery", "detractors"), ["mentions", "comments"]].tolist() == [80, 140]
    assert table.loc[("delivery", "detractors"), "share"] == pytest.approx(80 / 140)
    assert table.loc[("price", "detractors"), "mentions"] == 70
    assert table.loc[("staff", "promoters"), ["mentions", "comments"]].tolist() == [80, 160]
    assert table.loc[("staff", "passives"), "comments"] == 100
    ref = wilson(80, 140)  # cx.stats.proportions.wilson = statsmodels proportion_confint wilson
    assert table.loc[("delivery", "detractors"), "ci_low"] == pytest.approx(ref.ci_low)
    # ordered by mentions among detractors: delivery (80), price (70), staff (0)
    assert list(dict.fromkeys(t for t, _ in table.index)) == ["delivery", "price", "staff"]


def test_theme_effect_is_mentions_vs_the_other_comments(planted: Store, engine: Engine) -> None:
    effects = theme_effects(engine, "nps").table.set_index("segment")
    # delivery (80, 0, 0) against the other comments (140-80, 100, 160) = (60, 100, 160); the
    # ten responses without a comment (NPS 0) are in neither side
    ref = nps_diff_test((80, 0, 0), (60, 100, 160))  # METHODS.md §1.5 (NPS-4 method)
    assert effects.loc["delivery", "value"] == pytest.approx(-100.0)
    assert effects.loc["delivery", "diff_vs_rest"] == pytest.approx(ref.estimate * 100)
    assert effects.loc["delivery", "diff_vs_rest"] == pytest.approx(-100 - 31.25)
    assert effects.loc["delivery", "diff_ci_low"] == pytest.approx(ref.ci_low * 100)
    assert effects.loc["delivery", "badge"] == "lower"
    assert effects.loc["staff", "badge"] == "higher"
    assert list(effects.index)[0] == "delivery"  # most negative effect first
    seg = segment_table(engine, "nps", "theme")
    assert seg.heterogeneity is None  # overlapping groups: no omnibus test
    assert int(seg.table.set_index("segment").loc["price", "n"]) == 70


def test_emerging_theme_week_over_week(planted: Store, engine: Engine) -> None:
    result = emerging_themes(engine)
    assert result.week == dt.date(2026, 11, 9) and result.previous == dt.date(2026, 11, 2)
    table = result.table.set_index("theme")
    ref = two_proportions_test(60, 200, 20, 200)  # METHODS.md §8.1 (WOW-1 method)
    assert table.loc["delivery", "change"] == pytest.approx(0.2)
    assert table.loc["delivery", "change_ci_low"] == pytest.approx(ref.ci_low)
    assert table.loc["delivery", "p"] == pytest.approx(ref.p)
    assert table.loc["price", "change"] == pytest.approx(30 / 200 - 40 / 200)
    assert table.loc["staff", "change"] == pytest.approx(0.0)
    assert result.emerging()["theme"].tolist() == ["delivery"]
    series = result.series.set_index(["theme", "period"])
    assert series.loc[("delivery", dt.date(2026, 11, 2)), "share"] == pytest.approx(0.1)


def test_sentiment_trend_mean_and_labels(planted: Store, engine: Engine) -> None:
    trend = sentiment_trend(engine).set_index("period")
    # week A: (20 x -0.6 + 30 x -0.2 + 40 x 0.8) / 200 = 0.07; week B: (-36 - 6 + 32) / 200
    assert trend.loc[dt.date(2026, 11, 2), "value"] == pytest.approx(0.07)
    assert trend.loc[dt.date(2026, 11, 9), "value"] == pytest.approx(-0.05)
    assert trend.loc[dt.date(2026, 11, 9), "share_negative"] == pytest.approx(90 / 200)
    assert trend.loc[dt.date(2026, 11, 9), "n"] == 200
    low, high = trend.loc[dt.date(2026, 11, 2), ["ci_low", "ci_high"]]
    assert low < 0.07 < high


def test_unscored_language_is_counted_not_averaged(store: Store, engine: Engine) -> None:
    rows = [Said(f"e{i}", 9, WEEK_B, "great", sentiment=0.5, label="positive") for i in range(6)]
    rows += [Said(f"f{i}", 2, WEEK_B, "livraison en retard", lang="fr") for i in range(4)]
    write_said(store, rows)
    week = sentiment_trend(engine).iloc[0]
    assert (week["comments"], week["n"], week["unscored"]) == (10, 6, 4)
    assert week["value"] == pytest.approx(0.5)


def test_distinguishing_words_and_themes(planted: Store, engine: Engine) -> None:
    words = distinguishing_words(engine).set_index("term")
    assert words.loc["late", ["detractors", "promoters"]].tolist() == [80, 0]
    assert words.loc["late", "typical_of"] == "detractors"
    assert words.loc["friendly", ["detractors", "promoters"]].tolist() == [0, 80]
    assert words.loc["friendly", "typical_of"] == "promoters"
    assert "the" in words.index and "ok" not in words.index  # two-letter words are not counted
    themes = distinguishing_themes(engine).set_index("term")
    assert themes.loc["delivery", "z"] > 1.96 and themes.loc["staff", "z"] < -1.96


def test_example_comment_is_the_newest(planted: Store, engine: Engine) -> None:
    found = example_comment(engine, "delivery", detractors=True)
    assert found is not None and found["at"] == WEEK_B + dt.timedelta(minutes=59)
    assert found["comment"] == "the delivery was late again"
    week_a = Filters.of(DateRange(dt.date(2026, 11, 2), dt.date(2026, 11, 8)))
    assert example_comment(engine, "delivery", week_a)["at"] == WEEK_A + dt.timedelta(minutes=19)
    assert example_comment(engine, "nothing") is None


@pytest.mark.parametrize("how", ["app", "engine"])
def test_theme_analyses_read_only_the_person_s_scope(planted: Store, engine: Engine,
                                                     how: str) -> None:
    """A scope holding none of the planted comments (they are all email) leaves nothing to show,
    whether the app stamped it on the filters or the engine carries it (snapshots, --as-user).
    Before, the comment-narrowing filters were rebuilt without the scope (theme effects, example
    comments), and the raw reads ignored an engine's own scope."""
    chat = Scope((clause_of({"channel": "chat"}),))
    filters, reader = Filters(), engine
    if how == "app":
        filters = filters.within(chat)
    else:
        reader = Engine(engine.store, engine.settings, scope=chat)
    assert theme_by_group(reader, filters).empty
    assert example_comment(reader, "delivery", filters) is None
    assert distinguishing_words(reader, filters, min_count=1).empty
    assert sentiment_trend(reader, filters).empty
    effects = theme_effects(reader, "nps", filters).table
    assert effects.empty or (effects["n"].fillna(0) == 0).all()
