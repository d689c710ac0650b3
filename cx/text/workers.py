"""Analysing texts on more than one core: a pool of worker processes, each with the matcher.

Why processes: the analysis (language identification, VADER, lemmas) is pure Python, about nine
tenths of a rebuild's CPU time, and holds the interpreter lock; threads would take turns on one
core. Why "spawn": the parent holds DuckDB connections and threads, which a forked child must
not inherit. Each worker receives the compiled matcher once (its initializer), then lists of
texts; the database is read and written by the parent only, so a chunk is still one
transaction and a stopped rebuild still resumes.
"""

from __future__ import annotations

import multiprocessing
import sys
import types
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from cx.text.analyse import Features, analyse
from cx.text.themes import Matcher

SLICE = 250  # texts per task: large enough that pickling is cheap beside the analysis

_MATCHER: Matcher | None = None  # set in each worker process by _start


def _start(matcher: Matcher) -> None:
    global _MATCHER
    _MATCHER = matcher


def _analyse_slice(texts: list[str]) -> list[Features]:
    assert _MATCHER is not None, "worker started without a matcher"
    return [analyse(text, _MATCHER) for text in texts]


class Analyser:
    """texts -> their features, in this process (workers=1) or in a pool (workers > 1)."""

    def __init__(self, matcher: Matcher, pool: ProcessPoolExecutor | None = None) -> None:
        self.matcher = matcher
        self._pool = pool

    def __call__(self, texts: list[str]) -> list[Features]:
        if self._pool is None or len(texts) <= SLICE:
            return [analyse(text, self.matcher) for text in texts]
        slices = [texts[i:i + SLICE] for i in range(0, len(texts), SLICE)]
        return [f for part in self._pool.map(_analyse_slice, slices) for f in part]


@contextmanager
def analyser(matcher: Matcher, workers: int = 1) -> Iterator[Analyser]:
    """An Analyser for the duration of a block; its worker processes end with the block."""
    if workers < 1:
        raise ValueError(f"workers must be 1 or more, not {workers}")
    if workers == 1:
        yield Analyser(matcher)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                             initargs=(matcher,)) as pool:
        with _plain_main():  # every worker starts now, none later from another __main__
            list(pool.map(_ready, range(workers)))
        yield Analyser(matcher, pool)


def _ready(_: int) -> bool:
    return _MATCHER is not None


@contextmanager
def _plain_main() -> Iterator[None]:
    """A spawned worker first runs the parent's `__main__` file again. Inside Streamlit (or a
    test that ran a page) `__main__` is a page script, which must not run in a worker: while
    the workers start, `__main__` is an empty module, so they import only this module."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main
