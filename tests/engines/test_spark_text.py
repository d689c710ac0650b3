"""Comment features on Spark (issue 17 with issue 15): computed in the load's staging, published
with their batch, dropped with it, `text rebuild` by whole batches, and every theme analysis,
`text top|emerging` and the snapshot's "what customers said" equal to DuckDB's on the same demo
data (counts exact, estimates within 1e-9 relative: tests/engines/compare.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from cx.analysis.sentiment import sentiment_trend
from cx.analysis.themes import emerging_themes, theme_by_group, theme_effects
from cx.analysis.words import distinguishing_themes, distinguishing_words, example_comment
from cx.config import Settings
from cx.domain import DateRange, Filters
from cx.engines import writable
from cx.engines.spark_store import SparkStore
from cx.ingest import IngestOptions, load, rollback
from cx.metrics import Engine
from cx.snapshots.said import what_customers_said
from cx.snapshots.week import IsoWeek
from cx.storage import Store
from cx.text import service
from cx.text.batch import rebuild
from tests.engines.compare import same
from tests.engines.conftest import new_database
from tests.engines.test_spark_cli import cli

WINDOW = DateRange(dt.date(2026, 8, 31), dt.date(2026, 11, 22))
FEATURES = ("SELECT table_name, field, lang, sentiment_label, theme_version, count(*) AS n, "
            "sum(sentiment) AS total FROM comment_features "
            "GROUP BY table_name, field, lang, sentiment_label, theme_version")
THEMES = ("SELECT table_name, theme, count(*) AS n, count(DISTINCT record_id) AS records "
          "FROM comment_themes GROUP BY table_name, theme")


def test_features_travel_with_the_batch(demo_pair) -> None:
    duck, spark = demo_pair
    for sql in (FEATURES, THEMES):
        a, b = duck.query_df(sql), spark.query_df(sql)
        assert a["n"].sum() > 500, "the demo has comments with features"
        assert same(a, b, sql.split(" FROM ")[1].split()[0]) == []
    ids = "SELECT DISTINCT batch_id FROM comment_features"
    assert spark.query(ids) == [(spark.scalar(
        "SELECT batch_id FROM batches WHERE table_name = 'responses'"),)]


def test_theme_analyses_equal_on_spark(engines) -> None:
    filters = Filters(dates=WINDOW)
    runs = {
        "theme by group": lambda e: theme_by_group(e, filters),
        "theme effects on nps": lambda e: theme_effects(e, "nps", filters).to_dict(),
        "emerging themes": lambda e: emerging_themes(e, filters).to_dict(),
        "distinguishing words": lambda e: distinguishing_words(e, filters),
        "distinguishing themes": lambda e: distinguishing_themes(e, filters),
        "sentiment trend": lambda e: sentiment_trend(e, filters),
    }
    for name, run in runs.items():
        a, b = (run(e) for e in engines)
        assert len(a) > 0, f"{name}: nothing compared"
        assert same(a, b, name) == []
    groups = runs["theme by group"](engines[0])
    theme = groups.sort_values("mentions", ascending=False)["theme"].iloc[0]
    a, b = (example_comment(e, theme, filters, detractors=True) for e in engines)
    assert a is not None and same(a, b, f"example of {theme}") == []


def test_what_customers_said_equal_on_spark(demo_pair, parity_settings: Settings) -> None:
    """The snapshot section with its example comments: at scale 0.05 the week has too few
    detractor comments for the privacy floor, so the floor is 1 here to have themes to compare."""
    floor = dataclasses.replace(parity_settings.thresholds, privacy_floor_n=1)
    settings = dataclasses.replace(parity_settings, thresholds=floor)
    a, b = (what_customers_said(Engine(s, settings), IsoWeek.parse("2026-W47"))
            for s in demo_pair)
    assert a["top_detractor_themes"] and a["top_detractor_themes"][0]["example"]["comment"]
    assert same(a, b, "what customers said 2026-W47") == []


def test_text_top_and_emerging_equal_on_spark(demo_pair, spark_url: str, capsys,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    duck, spark = demo_pair
    argv = [("text", "top", "--from", "2026-08-31", "--to", "2026-11-22"),
            ("text", "emerging", "--week", "2026-11-16")]
    monkeypatch.setenv("CX_DB", str(duck.path))
    on_duck = [cli(capsys, *a) for a in argv]
    monkeypatch.setenv("CX_ENGINE", spark_url)
    monkeypatch.setenv("CX_SPARK_DATABASE", spark.database)
    on_spark = [cli(capsys, *a) for a in argv]
    assert on_duck[0]["detractor_themes"] and on_duck[1]["rows"]
    for a, b, args in zip(on_duck, on_spark, argv, strict=True):
        assert same(a, b, " ".join(args)) == []


COMMENTS = ("response_id,submitted_at,nps,comment\n"
            "t1,2026-11-17 09:00,9,Hello! The agent was friendly and solved it fast\n"
            "t2,2026-11-17 10:00,2,I waited two hours on hold and nobody answered\n"
            "t3,2026-11-18 11:00,4,\"Billing charged me twice, hello refund?\"\n"
            "t4,2026-11-18 12:00,10,Le conseiller était très aimable merci\n"
            "t5,2026-11-19 13:00,7,ok\n")
SNAPSHOT = ("SELECT f.record_id, f.lang, f.sentiment, f.sentiment_label, f.theme_version, "
            "t.theme FROM comment_features f LEFT JOIN comment_themes t "
            "ON t.record_id = f.record_id ORDER BY f.record_id, t.theme")


def _load(store: object, file: Path) -> str:
    with writable(store) as target:
        report = load(target, file, IngestOptions(table="responses"))
    assert report.rows_loaded == 5, report.message
    return report.batch_id


def test_rebuild_and_rollback_on_spark(spark_url: str, tmp_path: Path) -> None:
    file = tmp_path / "comments.csv"
    file.write_text(COMMENTS)
    duck, spark = Store(tmp_path / "cx.duckdb"), SparkStore(spark_url, new_database())
    batches = {id(s): _load(s, file) for s in (duck, spark)}
    assert same(duck.query(SNAPSHOT), spark.query(SNAPSHOT), "at load") == []
    for store in (duck, spark):  # a new theme: every comment is stale until the rebuild
        change = service.add(store, "greetings", "en", ["hello"], "test")
        assert (change["version"], change["stale_comments"]) == (2, 5)
    reports = [rebuild(s) for s in (duck, spark)]
    assert [(r.theme_version, r.analysed, r.remaining) for r in reports] == [(2, 5, 0)] * 2
    greeted = "SELECT record_id FROM comment_themes WHERE theme = 'greetings' ORDER BY 1"
    assert spark.query(greeted) == [("t1",), ("t3",)] == duck.query(greeted)
    assert same(duck.query(SNAPSHOT), spark.query(SNAPSHOT), "after rebuild") == []
    assert rebuild(spark).analysed == 0  # nothing stale is left: a second run does nothing
    with writable(spark) as target:
        rollback(target, batches[id(spark)])
    for table in ("comment_features", "comment_themes"):  # the view and the partitions
        assert spark.scalar(f"SELECT count(*) FROM {table}") == 0  # noqa: S608 fixed names
        assert spark.scalar(f"SELECT count(*) FROM {table}_data") == 0  # noqa: S608


def test_a_database_of_the_old_layout_gets_partitioned_feature_tables(spark_url: str) -> None:
    """Spark databases migrated before features were published had plain, empty feature
    tables: at the next connect they are replaced by the partitioned tables and their views."""
    from cx.engines import spark_store

    store = SparkStore(spark_url, new_database())
    store.sql("DROP VIEW comment_themes")
    store.sql("DROP TABLE comment_themes_data")
    store.sql("CREATE TABLE comment_themes (table_name STRING, record_id STRING, field STRING, "
              "batch_id STRING, theme STRING) USING parquet")
    spark_store._migrated.discard((store.url, store.database))  # as a new process would
    assert store.session.catalog.tableExists("comment_themes_data")
    assert [c.name for c in store.session.table("comment_themes_data").schema][-1] == "batch_id"
    assert store.scalar("SELECT count(*) FROM comment_themes") == 0  # the view of it
