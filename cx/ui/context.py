"""Settings and the store for the current run: read fresh each run, both cheap to build."""

from __future__ import annotations

from cx.config import Settings, load_settings
from cx.storage import Store


def settings() -> Settings:
    """Read now, so a changed environment or secrets file takes effect without a restart."""
    return load_settings()


def store() -> Store:
    # Store only holds a path and opens short-lived connections, so one per call is fine and
    # there is nothing to share between sessions (or to cache).
    return Store(settings().db_path)
