"""The UI cache answers repeated questions once, and asks again when the data version changes."""

from __future__ import annotations

import pytest
import streamlit as st

from cx.config import Settings
from cx.ui import cached


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    st.cache_data.clear()
    seen: list[tuple] = []

    def probe(settings: Settings, a: int, b: str) -> str:
        seen.append((a, b))
        return f"{b}{a * 2}"

    monkeypatch.setattr(cached, "version", lambda: (1, "first load"))
    wrapped = cached.cached(probe)
    monkeypatch.setattr(cached, "probe_call", wrapped, raising=False)
    yield seen
    cached._QUERIES.pop("probe", None)
    st.cache_data.clear()


def test_same_arguments_and_data_are_answered_from_the_cache(calls: list[tuple]) -> None:
    assert cached.probe_call(2, "x") == "x4"
    assert cached.probe_call(2, "x") == "x4"
    assert cached.probe_call(3, "x") == "x6"
    assert calls == [(2, "x"), (3, "x")]


def test_a_new_batch_changes_the_version_and_the_answer_is_recomputed(
        calls: list[tuple], monkeypatch: pytest.MonkeyPatch) -> None:
    cached.probe_call(2, "x")
    monkeypatch.setattr(cached, "version", lambda: (2, "second load"))
    cached.probe_call(2, "x")
    assert calls == [(2, "x"), (2, "x")]


def test_every_page_query_is_registered_under_its_own_name() -> None:
    for name in ("metric", "tiles", "segments", "drivers", "record_page", "_latest_date"):
        assert cached._QUERIES[name].__name__ == name
        assert getattr(cached, name).__wrapped__ is cached._QUERIES[name]
