"""`text rebuild --workers 2`: the analysis on two processes gives exactly the features of one
process, so using both cores changes the speed, not a single stored value."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from cx.storage import Store, run
from cx.storage.batches import Batch, insert_batch
from cx.text import dictionary
from cx.text.batch import rebuild
from cx.text.bench import _comments
from cx.text.workers import SLICE, analyser

N = 3 * SLICE + 17  # more than one slice per chunk: the pool is used


def _store(path: Path) -> Store:
    store = Store(path)
    with store.transaction() as cur:
        cur.register("rows", _comments(N, seed=3))
        run(cur, "INSERT INTO responses (response_id, batch_id, comment) "
                 "SELECT response_id, 'b1', comment FROM rows")
        cur.unregister("rows")
        insert_batch(cur, Batch("b1", "upload", "responses", "test", rows_loaded=N))
    return store


def _features(store: Store) -> list[tuple]:
    return store.query("SELECT f.record_id, lang, sentiment, sentiment_label, "
                       "list_sort(list(t.theme) FILTER (WHERE t.theme IS NOT NULL)) "
                       "FROM comment_features f LEFT JOIN comment_themes t USING (record_id) "
                       "GROUP BY ALL ORDER BY 1")


def test_two_workers_store_what_one_stores(tmp_path: Path) -> None:
    one, two = _store(tmp_path / "one.duckdb"), _store(tmp_path / "two.duckdb")
    assert rebuild(one, chunk=2 * SLICE).analysed == N
    report = rebuild(two, chunk=2 * SLICE, workers=2)
    assert (report.analysed, report.remaining) == (N, 0)
    expected = _features(one)
    assert len(expected) == N and sum(1 for r in expected if r[4]) > N // 4  # themes found
    assert _features(two) == expected


def test_workers_never_run_the_parent_s_main_script(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # Streamlit leaves a page script as __main__ (an AppTest run did, in a full test run): a
    # spawned worker that ran it again failed before analysing anything.
    script = tmp_path / "page.py"
    script.write_text("raise SystemExit('a page script ran in a worker')\n")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    store = _store(tmp_path / "main.duckdb")
    assert rebuild(store, chunk=2 * SLICE, workers=2).analysed == N
    assert sys.modules["__main__"] is page


def test_workers_must_be_positive(tmp_path: Path) -> None:
    with Store(tmp_path / "x.duckdb").cursor() as cur:
        matcher = dictionary.matcher(cur)
    with pytest.raises(ValueError, match="workers must be 1 or more"):
        with analyser(matcher, 0):
            pass
