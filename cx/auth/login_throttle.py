"""Wrong passwords slow down the one who types them, per (name, client), and lock nobody out.

Why not a lock stored with the account (the old rule: 10 failures locked it for 15 minutes for
everyone): anyone could lock anybody out at will, and since only existing names could lock, the
lock told an outsider which names exist. Here the state is keyed on the typed name *and* the
client address, exists the same way for names that exist and names that do not, and costs only
time: after `free_attempts` failures each further failure doubles the wait (1 s, 2 s, 4 s, ...)
up to `max_delay` seconds. The real user on their own client is never slowed by an attacker's
failures elsewhere. The state is in memory, per server process; a restart forgets it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from cx.auth import users

MAX_ENTRIES = 50_000  # bounded memory: the oldest (name, client) pairs are forgotten first
FORGET_AFTER_SECONDS = 24 * 3600.0  # a day without a failure starts the count from zero


@dataclass
class _Failures:
    count: int
    last: float  # time.monotonic() of the latest failure


class LoginThrottle:
    """Failure counts per (name, client) and the wait each count implies."""

    def __init__(self, free_attempts: int = 5, max_delay: float = 900.0) -> None:
        if free_attempts < 0 or max_delay <= 0:
            raise ValueError("the login slowdown needs free_attempts >= 0 and max_delay > 0")
        self.free_attempts = free_attempts
        self.max_delay = max_delay
        self._entries: OrderedDict[tuple[str, str], _Failures] = OrderedDict()
        self._lock = threading.Lock()

    def delay_after(self, failures: int) -> float:
        """Seconds to wait after `failures` failures in a row: 0, ..., 0, 1, 2, 4, ... max."""
        extra = failures - self.free_attempts
        return 0.0 if extra < 0 else float(min(2.0 ** extra, self.max_delay))

    def wait(self, key: tuple[str, str], now: float) -> float:
        """Seconds until `key` may try again (0: now)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return 0.0
            if now - entry.last > FORGET_AFTER_SECONDS:
                del self._entries[key]
                return 0.0
            return max(0.0, entry.last + self.delay_after(entry.count) - now)

    def failed(self, key: tuple[str, str], now: float) -> None:
        with self._lock:
            entry = self._entries.pop(key, None) or _Failures(0, now)
            self._entries[key] = _Failures(entry.count + 1, now)  # most recent last
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)

    def succeeded(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._entries.pop(key, None)


def attempt(throttle: LoginThrottle, path: Path, username: str, password: str, client: str,
            now: float | None = None) -> users.LoginResult:
    """One login attempt: "wait" (not checked at all), "invalid" or "ok".

    The name is normalised as the login does (trimmed, lower case), so "Ana" and "ana " share a
    count; the existence of the name plays no part in any branch here.
    """
    now = time.monotonic() if now is None else now
    key = ((username or "").strip().lower(), client)
    retry_after = throttle.wait(key, now)
    if retry_after > 0:
        return users.LoginResult("wait", retry_after=retry_after)
    result = users.authenticate(path, username, password)
    if result.status == "ok":
        throttle.succeeded(key)
    else:
        throttle.failed(key, now)
    return result
