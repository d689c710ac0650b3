"""Theme analyses on ticket texts (tests/text_rows.planted_tickets: hand counts): the share of
ticket texts per theme, a theme's effect on ticket CSAT against the other texts, resolution
time per theme, emerging themes and sentiment, all from the tickets' own features."""

from __future__ import annotations

import datetime as dt

import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from cx.domain import Filters
from cx.analysis.sentiment import sentiment_trend
from cx.analysis.themes import emerging_themes, theme_effects, theme_shares
from cx.metrics import Engine, MetricQuery
from cx.storage import Store
from cx.views.records import RecordQuery, fetch_records
from tests.text_rows import planted_tickets, write_tickets


@pytest.fixture
def tickets(store: Store) -> Store:
    write_tickets(store, planted_tickets())
    return store


def test_share_of_ticket_texts_per_theme(tickets: Store, engine: Engine) -> None:
    shares = theme_shares(engine, "tickets").set_index("theme")
    assert list(shares.index) == ["refund", "login"]  # most mentioned first
    assert shares.loc["refund", ["mentions", "comments"]].tolist() == [70, 200]
    assert shares.loc["login", "share"] == pytest.approx(30 / 200)
    low, high = proportion_confint(70, 200, alpha=0.05, method="wilson")  # statsmodels Wilson
    assert shares.loc["refund", ["ci_low", "ci_high"]].tolist() == pytest.approx([low, high])


def test_ticket_csat_by_theme_against_the_other_texts(tickets: Store, engine: Engine) -> None:
    effects = theme_effects(engine, "ticket_csat").table.set_index("segment")
    # refund: 14 of 70 satisfied; the other texts: 30 logins + 50 of the 100 without a theme
    # METHODS.md §2.5 / §7.1: statsmodels' Newcombe interval for p1 - p2
    low, high = confint_proportions_2indep(14, 70, 80, 130, method="newcomb")
    assert effects.loc["refund", ["value", "n"]].tolist() == pytest.approx([0.2, 70])
    assert effects.loc["refund", "diff_vs_rest"] == pytest.approx(0.2 - 80 / 130)
    assert effects.loc["refund", ["diff_ci_low", "diff_ci_high"]].tolist() == pytest.approx(
        [low, high])
    assert effects.loc["refund", "badge"] == "lower"


def test_resolution_time_by_theme_has_values_and_intervals(tickets: Store,
                                                          engine: Engine) -> None:
    effects = theme_effects(engine, "ttr_median")
    assert not effects.comparable  # a survival median: intervals, no test against the rest
    table = effects.table.set_index("segment")
    direct = engine.run(MetricQuery("ttr_median", by=("theme",))).rows.set_index("theme")
    for theme in ("refund", "login"):
        assert table.loc[theme, ["value", "n", "ci_low", "ci_high"]].tolist() == pytest.approx(
            direct.loc[theme, ["value", "n", "ci_low", "ci_high"]].tolist())
    # refund tickets take 48, 60, 72 or 84 hours (18, 18, 17, 17 of 70): the median is 60 h
    assert table.loc["refund", "value"] == pytest.approx(60.0)


def test_emerging_ticket_theme_and_sentiment(tickets: Store, engine: Engine) -> None:
    emerging = emerging_themes(engine, table="tickets")
    assert emerging.week == dt.date(2026, 11, 9)
    row = emerging.table.set_index("theme").loc["refund"]
    assert row["change"] == pytest.approx(0.5 - 0.2)  # 20 of 100 -> 50 of 100
    assert row["badge"] == "higher"
    trend = sentiment_trend(engine, table="tickets")
    # week A: (20 x -0.5 + 20 x 0.3) / 100; week B: (50 x -0.5 + 10 x 0.3) / 100
    assert trend["value"].tolist() == pytest.approx([-0.04, -0.22])


def test_search_finds_words_of_an_uploaded_ticket_text(tickets: Store, engine: Engine) -> None:
    page = fetch_records(tickets, engine.settings,
                         RecordQuery("tickets", Filters.of(theme="refund"), "double charge"))
    assert page.total == 70
    page = fetch_records(tickets, engine.settings,
                         RecordQuery("tickets", Filters.of(theme="login"), "double charge"))
    assert page.total == 0
