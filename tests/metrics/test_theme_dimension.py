"""Themes as a multi-valued dimension and `commented` as a flag (cx.metrics.text_fields)."""

from __future__ import annotations

import datetime as dt

import pytest

from cx.domain import DateRange, Filters
from cx.metrics import Engine, MetricQuery
from cx.storage import Store
from tests.text_rows import Said, add_theme_row, write_said

T = dt.datetime(2026, 11, 3, 9)
ROWS = [
    Said("r1", 0, T, "late delivery and too expensive", ("delivery", "price")),
    Said("r2", 3, T, "delivery was late", ("delivery",)),
    Said("r3", 5, T, "price is high", ("price",)),
    Said("r4", 7, T, "ok"),
    Said("r5", 8, T, "staff nice, delivery fine", ("staff", "delivery")),
    Said("r6", 9, T, "staff great", ("staff",)),
    Said("r7", 10, T, "staff helpful", ("staff",)),
    Said("r8", 10, T, None),
    Said("r9", 6, T, "the delivery", ("delivery",)),
]


@pytest.fixture
def said(store: Store) -> Store:
    write_said(store, ROWS)
    add_theme_row(store, "responses", "r9", "b1", "delivery", "other_text")  # same theme twice
    add_theme_row(store, "responses", "r6", "old-batch", "price")  # another batch: not r6 now
    return store


def test_nps_by_theme_counts_a_comment_in_each_theme_it_mentions(said: Store,
                                                                 engine: Engine) -> None:
    stats = engine.sufficient(MetricQuery("nps", by=("theme",))).set_index("theme")
    # delivery: r1 (0), r2 (3), r9 (6) detractors, r5 (8) passive; r9 counted once
    assert stats.loc["delivery", ["det", "pas", "pro"]].tolist() == [3, 1, 0]
    assert stats.loc["price", ["det", "pas", "pro"]].tolist() == [2, 0, 0]  # not r6's old batch
    assert stats.loc["staff", ["det", "pas", "pro"]].tolist() == [0, 1, 2]
    rows = engine.run(MetricQuery("nps", by=("theme",))).rows.set_index("theme")
    assert int(rows.loc["delivery", "n"]) == 4 and int(rows.loc["staff", "n"]) == 3
    assert rows.loc["delivery", "reliability"] == "suppressed"  # n < 5: small-n rules hold


def test_theme_filter_is_a_semi_join(said: Store, engine: Engine) -> None:
    def count(**where: str | tuple[str, ...]) -> int:
        rows = engine.run(MetricQuery("responses", filters=Filters.of(**where))).rows
        return int(rows["value"].iloc[0])

    assert count(theme="delivery") == 4  # r1, r2, r5, r9 (once)
    assert count(theme=("delivery", "price")) == 5  # r1 once although it mentions both
    assert count(theme="delivery", channel="email") == 4
    assert count(commented="true") == 8
    assert count(commented="false") == 1  # r8
    by_theme = engine.run(MetricQuery("responses", by=("theme",),
                                      filters=Filters.of(theme="staff"))).rows
    # records mentioning staff, grouped by every theme they mention
    assert dict(zip(by_theme["theme"], by_theme["value"])) == {"delivery": 1, "staff": 3}


def test_theme_values_and_refusals(said: Store, engine: Engine) -> None:
    assert engine.dimension_values("responses", "theme") == ["delivery", "price", "staff"]
    assert engine.dimension_values("responses", "theme",
                                   Filters.of(theme="price")) == ["delivery", "price"]
    with pytest.raises(ValueError, match="unknown group-by field 'theme' for customers"):
        engine.run(MetricQuery("customers", by=("theme",)))
    with pytest.raises(ValueError, match="commented takes true or false"):
        engine.run(MetricQuery("responses", filters=Filters.of(commented="maybe")))
    sql = engine.explain(MetricQuery("nps", filters=Filters.of(theme="x'; drop table x")))
    assert "drop table" not in sql  # the value is a bind parameter


def test_uploaded_column_named_theme_is_refused_clearly(said: Store, engine: Engine) -> None:
    with said.transaction() as cur:
        cur.execute('ALTER TABLE responses ADD COLUMN "theme" VARCHAR')
        cur.execute("INSERT INTO field_catalog (table_name, field, kind) "
                    "VALUES ('responses', 'theme', 'dimension')")
    with pytest.raises(ValueError, match="uploaded column named 'theme'"):
        engine.run(MetricQuery("nps", by=("theme",)))


def test_theme_reads_keep_only_pairs_of_records_meeting_the_filters(store: Store,
                                                                    engine: Engine) -> None:
    """The pairs are narrowed by the read's own conditions (a semi-join pushed into them):
    themes of records outside the dates or the channel are neither listed nor grouped."""
    old = T - dt.timedelta(days=60)
    write_said(store, [
        Said("n1", 0, T, "late", ("delivery",)),
        Said("n2", 10, T, "late and pricey", ("delivery", "price"), channel="chat"),
        Said("n3", 9, T, "nice staff", ("staff",)),
        Said("o1", 0, old, "rude", ("rudeness",)),
        Said("o2", 2, old, "late", ("delivery",)),
    ])
    recent = DateRange(T.date() - dt.timedelta(days=7), T.date())
    assert engine.dimension_values("responses", "theme") == [
        "delivery", "price", "rudeness", "staff"]
    assert engine.dimension_values("responses", "theme", Filters.of(recent)) == [
        "delivery", "price", "staff"]
    assert engine.dimension_values("responses", "theme",
                                   Filters.of(recent, channel="chat")) == ["delivery", "price"]
    stats = engine.sufficient(MetricQuery("nps", by=("theme",), filters=Filters.of(recent)))
    counts = {r.theme: (r.det, r.pas, r.pro) for r in stats.itertuples()}
    # delivery: n1 (0) detractor, n2 (10) promoter; o2 (2) is outside the dates
    assert counts == {"delivery": (1, 0, 1), "price": (0, 0, 1), "staff": (0, 0, 1)}
    everything = engine.sufficient(MetricQuery("nps", by=("theme",)))
    assert dict(zip(everything["theme"], everything["det"])) == {
        "delivery": 2, "price": 0, "rudeness": 1, "staff": 0}
