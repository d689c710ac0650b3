"""One-time cookie tickets (issue 12 item 3): a ticket gives its cookie once, only while fresh,
and an unknown or malformed ticket gives nothing."""

from __future__ import annotations

import pytest

from cx.auth import cookie_tickets
from cx.auth.cookie_tickets import Filed

COOKIE = Filed("cx_lens_auth_x", "sid.0.123.sig", 604_800)


def test_a_ticket_gives_its_cookie_exactly_once() -> None:
    ticket = cookie_tickets.file(COOKIE, now=1000.0)
    assert len(ticket) == 43  # 256 random bits, URL-safe
    assert cookie_tickets.pending(ticket, now=1001.0)
    assert cookie_tickets.claim(ticket, now=1001.0) == COOKIE
    assert not cookie_tickets.pending(ticket, now=1001.0)
    assert cookie_tickets.claim(ticket, now=1001.0) is None  # spent


def test_a_ticket_older_than_its_lifetime_gives_nothing() -> None:
    ticket = cookie_tickets.file(COOKIE, now=1000.0)
    late = 1000.0 + cookie_tickets.TICKET_LIFETIME + 1  # 121 s
    assert not cookie_tickets.pending(ticket, now=late)
    assert cookie_tickets.claim(ticket, now=late) is None


def test_unknown_or_malformed_tickets_give_nothing() -> None:
    cookie_tickets.file(COOKIE, now=1000.0)
    for forged in ["", "x" * 43, None, 42, b"bytes"]:
        assert cookie_tickets.claim(forged, now=1000.0) is None


def test_two_tickets_are_different_and_independent() -> None:
    first, second = cookie_tickets.file(COOKIE, now=0.0), cookie_tickets.file(COOKIE, now=0.0)
    assert first != second
    assert cookie_tickets.claim(first, now=1.0) == COOKIE
    assert cookie_tickets.claim(second, now=1.0) == COOKIE


def test_the_table_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cookie_tickets, "MAX_TICKETS", 3)
    monkeypatch.setattr(cookie_tickets, "_tickets", {})
    tickets = [cookie_tickets.file(COOKIE, now=0.0) for _ in range(5)]
    assert len(cookie_tickets._tickets) == 3
    assert [cookie_tickets.pending(t, now=0.0) for t in tickets] == [False, False, True, True, True]
