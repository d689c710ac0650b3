"""Settings and the store for the current run: read fresh each run, both cheap to build."""

from __future__ import annotations

from cx.config import Settings, load_settings
from cx.engines import open_store
from cx.storage import Store


def settings() -> Settings:
    """Read now, so a changed environment or secrets file takes effect without a restart."""
    return load_settings()


def store() -> Store:
    # The configured engine's store (cx.engines): DuckDB's holds a path and opens short-lived
    # connections, Spark's reuses one Connect session per process; one per call is fine and
    # there is nothing to share between sessions (or to cache).
    return open_store(settings())
