"""The demo's planted text effects come back out of the stored features (issue 15, item 6).

The truth is the generator's own: every demo sentence has a known language and topic
(cx.demo.comments.sentence_topics), billing and app-crash comments are planted with fixed
shares (cx.demo.spec), and crashes rise in one week (spec.EMERGING_WEEK).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from statsmodels.stats.proportion import proportions_ztest

from cx.demo import build_demo, spec
from cx.demo.calendar import Window
from cx.demo.comments import THEMES, sentence_topics
from cx.storage import Store

END = dt.date(2026, 11, 22)
SCALE = 0.5


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    path: Path = tmp_path_factory.mktemp("demo-text") / "demo.duckdb"
    build_demo(Store(path), seed=7, scale=SCALE, end=END)
    conn = duckdb.connect(str(path), read_only=True)
    yield conn
    conn.close()


def _comments(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("""
        SELECT r.comment, r.submitted_at, f.lang, f.sentiment, r.csat,
               list(t.theme ORDER BY t.theme) FILTER (WHERE t.theme IS NOT NULL)
        FROM responses r
        JOIN comment_features f ON f.table_name = 'responses' AND f.record_id = r.response_id
        LEFT JOIN comment_themes t ON t.table_name = 'responses' AND t.record_id = r.response_id
        GROUP BY ALL""").fetchall()


def test_every_comment_has_features_and_languages_are_found(con: duckdb.DuckDBPyConnection) -> None:
    n_comments = con.execute("SELECT count(comment) FROM responses").fetchone()[0]
    rows = _comments(con)
    assert len(rows) == n_comments > 8000
    truth = sentence_topics()
    right = sum(truth[r[0]][0] == r[2] for r in rows)
    assert right / len(rows) >= 0.98  # the rest are very short ones left 'und'
    mistaken = sum(truth[r[0]][0] != r[2] != "und" for r in rows)
    assert mistaken / len(rows) < 0.005  # e.g. "Support correct." is French and English alike
    by_lang = Counter(r[2] for r in rows)
    assert by_lang["fr"] > 800 and by_lang["de"] > 100 and by_lang["es"] > 100
    scored = Counter(r[2] for r in rows if r[3] is not None)
    assert scored["de"] == scored["es"] == scored["und"] == 0  # counted, never scored
    assert scored["en"] == by_lang["en"] and scored["fr"] == by_lang["fr"]


@pytest.mark.parametrize("theme", THEMES)
def test_planted_themes_are_recovered(con: duckdb.DuckDBPyConnection, theme: str) -> None:
    truth = sentence_topics()
    rows = [r for r in _comments(con) if r[2] in ("en", "fr")]
    planted = [THEMES[truth[r[0]][1]] == theme if truth[r[0]][1] >= 0 else False for r in rows]
    found = [theme in (r[5] or []) for r in rows]
    hits = sum(p and f for p, f in zip(planted, found, strict=True))
    recall, precision = hits / sum(planted), hits / max(sum(found), 1)
    # precision of "resolution" is the lowest (0.84 at scale 0.5): negative comments end with
    # "please fix this", which does mention fixing
    assert recall >= 0.90 and precision >= 0.80, (recall, precision)
    share_found, share_planted = sum(found) / len(rows), sum(planted) / len(rows)
    assert share_found == pytest.approx(share_planted, abs=0.04)
    if theme == "billing":  # planted at a fixed share of English and French comments
        assert share_planted == pytest.approx(spec.BILLING_SHARE, abs=0.01)


def test_the_emerging_theme_rises_in_its_week(con: duckdb.DuckDBPyConnection) -> None:
    start, stop = Window(END).week_bounds(spec.EMERGING_WEEK)
    rows = [r for r in _comments(con) if r[2] in ("en", "fr")]
    inside = [r for r in rows if start <= r[1] < stop]
    before = [r for r in rows if start - dt.timedelta(weeks=8) <= r[1] < start]
    k_in = sum("app crashes" in (r[5] or []) for r in inside)
    k_before = sum("app crashes" in (r[5] or []) for r in before)
    share_in, share_before = k_in / len(inside), k_before / len(before)
    assert share_in == pytest.approx(spec.CRASH_SHARE_EMERGING, abs=0.06)
    assert share_before == pytest.approx(spec.CRASH_SHARE, abs=0.015)
    # statsmodels.stats.proportion.proportions_ztest([k1, k2], [n1, n2]): a real rise
    _, p_value = proportions_ztest([k_in, k_before], [len(inside), len(before)])
    assert p_value < 1e-6


def test_sentiment_follows_the_score_in_both_languages(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("""
        SELECT f.lang, avg(f.sentiment) FILTER (WHERE r.csat <= 2),
               avg(f.sentiment) FILTER (WHERE r.csat >= 4)
        FROM responses r JOIN comment_features f ON f.record_id = r.response_id
        WHERE f.lang IN ('en', 'fr') GROUP BY 1 ORDER BY 1""").fetchall()
    # VADER reads complaints without emotive words ("I waited far too long for a reply") as
    # neutral, so unhappy respondents' comments average near 0, happy ones clearly above
    assert [r[0] for r in rows] == ["en", "fr"]
    for lang, low, high in rows:
        assert low < 0.1 and high > 0.3 and high - low > 0.3, (lang, low, high)
