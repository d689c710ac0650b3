"""One-time tickets that let the browser fetch its login cookie from the server as HttpOnly.

A Streamlit script talks to the browser over a WebSocket, which cannot set a cookie; JavaScript
could, but then the cookie is readable by any script in the page. So a login (or logout) only
*files* the cookie here under a random ticket, and a small route of our own (cx.ui.cookie_route)
hands it out once, with `Set-Cookie: ...; HttpOnly`, to the browser that presents the ticket.

Why in memory: the route and the scripts run in the same server process, a ticket lives
seconds, and a server restart that loses one only means the browser keeps no cookie (the login
itself holds for that browser tab; a refresh asks for the password again).
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

TICKET_LIFETIME = 120.0  # seconds: the browser fetches at once; this only bounds the table
MAX_TICKETS = 10_000  # the oldest go first beyond this: the table cannot grow without bound


@dataclass(frozen=True)
class Filed:
    """The cookie a ticket stands for; an empty value with max_age 0 deletes it."""

    name: str
    value: str
    max_age: int


_lock = threading.Lock()
_tickets: dict[str, tuple[float, Filed]] = {}


def file(cookie: Filed, now: float | None = None) -> str:
    """Keep `cookie` for one pickup; returns the ticket (256 random bits) that claims it."""
    now = time.monotonic() if now is None else now
    ticket = secrets.token_urlsafe(32)
    with _lock:
        for old in [t for t, (born, _) in _tickets.items() if now - born > TICKET_LIFETIME]:
            del _tickets[old]
        while len(_tickets) >= MAX_TICKETS:
            del _tickets[next(iter(_tickets))]
        _tickets[ticket] = (now, cookie)
    return ticket


def claim(ticket: object, now: float | None = None) -> Filed | None:
    """The cookie behind `ticket`, exactly once and only while it is fresh; else None."""
    now = time.monotonic() if now is None else now
    if not isinstance(ticket, str):
        return None
    with _lock:
        found = _tickets.pop(ticket, None)
    if found is None or now - found[0] > TICKET_LIFETIME:
        return None
    return found[1]


def pending(ticket: str, now: float | None = None) -> bool:
    """Whether `ticket` still waits for its pickup (the page keeps asking the browser until not)."""
    now = time.monotonic() if now is None else now
    with _lock:
        found = _tickets.get(ticket)
    return found is not None and now - found[0] <= TICKET_LIFETIME
