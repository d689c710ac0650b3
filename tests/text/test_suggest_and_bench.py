"""Suggested themes (TF-IDF + NMF) can be accepted into the dictionary; the bench measures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cx.demo import build_demo
from cx.storage import Store
from cx.text.bench import text_benchmark
from cx.text.suggest import suggest
from tests.ingest.conftest import CliRunner


@pytest.fixture
def demo(store: Store) -> Store:
    build_demo(store, seed=7, scale=0.1, end=dt.date(2026, 11, 22))
    return store


def test_suggestions_find_the_demo_topics_and_one_can_be_accepted(
        demo: Store, run_cli: CliRunner) -> None:
    found = suggest(demo, "en", k=6)
    assert len(found) == 6 and [s.number for s in found] == [1, 2, 3, 4, 5, 6]
    assert sum(s.comments for s in found) > 1000
    assert found == sorted(found, key=lambda s: s.comments, reverse=True)
    words = {w for s in found for t in s.terms for w in t.split()}
    # planted vocabulary of the demo's attributes comes back among the top phrases
    assert len(words & {"wait", "queue", "agent", "friendly", "website", "solve", "answer",
                        "reach", "contact", "portal"}) >= 4
    code, out = run_cli("text", "themes", "accept", "2", "--name", "found it", "-k", "6")
    assert code == 0 and out["theme"] == "found it" and out["lang"] == "en"
    assert out["terms"] == list(found[1].terms) and out["stale_comments"] > 0
    code, out = run_cli("text", "themes", "accept", "9", "-k", "6")
    assert code == 1 and "no suggestion 9" in out["error"]
    assert suggest(demo, "fr", k=4)  # French comments are numerous enough too
    with pytest.raises(ValueError, match="available for en, fr"):
        suggest(demo, "de")


def test_bench_reports_rate_and_memory(tmp_path: Path) -> None:
    result = text_benchmark(600, chunk=200)
    assert result["comments"] == 600 and result["chunk"] == 200
    assert result["comments_per_second"] > 0 and result["peak_rss_mib"] >= result["rss_before_mib"]
    assert set(result["languages"]) >= {"en", "fr"} and sum(result["languages"].values()) == 600
