"""Issue 13: the server's start-up hook warms up in a thread and then takes the objects alive out
of the garbage collector's full passes; a failed warm-up is logged and never stops the server."""

from __future__ import annotations

import asyncio
import gc
import logging
import threading

import pytest

from cx.ui import server_start, warmup


def test_start_up_warms_up_in_a_thread_then_freezes(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []
    monkeypatch.setattr(warmup, "warm_up", lambda: ran.append(
        threading.current_thread().name) or 0.5)

    async def serve() -> None:
        async with server_start.lifespan(None):
            for thread in threading.enumerate():
                if thread.name == "cx-warm-up":
                    thread.join(timeout=60)
            assert gc.get_freeze_count() > 0  # the objects alive at the end of the warm-up
        assert gc.get_freeze_count() == 0  # given back at shutdown

    try:
        asyncio.run(serve())
    finally:
        gc.unfreeze()
    assert ran == ["cx-warm-up"]


def test_a_failed_warm_up_is_logged_not_raised(monkeypatch: pytest.MonkeyPatch,
                                              caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> float:
        raise RuntimeError("database busy")

    monkeypatch.setattr(warmup, "warm_up", broken)
    caplog.set_level(logging.ERROR)
    try:
        server_start._warm_up()
    finally:
        gc.unfreeze()
    assert "warm-up failed" in caplog.text and "database busy" in caplog.text
