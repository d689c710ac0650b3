"""The cookie route (issue 12 item 3): a ticket POSTed to it comes back as a Set-Cookie that is
HttpOnly, SameSite=Strict, Path=/, 7 days, Secure over https; a spent ticket gets 404."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from starlette.requests import Request

from cx.auth import cookie_tickets
from cx.auth.cookie_tickets import Filed
from cx.ui import cookie_route


def _post(body: bytes, scheme: str = "http") -> tuple[int, list[str]]:
    scope = {"type": "http", "method": "POST", "path": cookie_route.PATH, "scheme": scheme,
             "headers": [(b"host", b"127.0.0.1")], "query_string": b"", "server": ("x", 80)}
    sent = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict:
        return sent.pop(0)

    # in a thread of its own: Playwright's tests in the same run keep an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        response = pool.submit(asyncio.run, cookie_route._claim(Request(scope, receive))).result()
    cookies = [v.decode() for k, v in response.raw_headers if k == b"set-cookie"]
    return response.status_code, cookies


def test_a_ticket_becomes_an_httponly_cookie_once() -> None:
    ticket = cookie_tickets.file(Filed("cx_lens_auth_ab", "sid.0.1.sig", 604_800))
    status, cookies = _post(ticket.encode())
    assert status == 204 and len(cookies) == 1
    parts = [p.strip() for p in cookies[0].split(";")]
    assert parts[0] == "cx_lens_auth_ab=sid.0.1.sig"
    assert {"HttpOnly", "Max-Age=604800", "Path=/", "SameSite=strict"} <= set(parts)
    assert "Secure" not in parts  # plain http (local use): a Secure cookie would never return
    assert _post(ticket.encode()) == (404, [])  # single use


def test_over_https_the_cookie_is_secure_and_a_logout_ticket_deletes_it() -> None:
    ticket = cookie_tickets.file(Filed("cx_lens_auth_ab", "", 0))
    status, cookies = _post(ticket.encode(), scheme="https")
    parts = [p.strip() for p in cookies[0].split(";")]
    assert status == 204 and parts[0] == 'cx_lens_auth_ab=""'
    assert {"HttpOnly", "Max-Age=0", "Secure", "SameSite=strict"} <= set(parts)


def test_unknown_or_oversized_tickets_set_nothing() -> None:
    ticket = cookie_tickets.file(Filed("cx_lens_auth_ab", "v", 60))
    for body in [b"", b"nope", b"\xff\xfe", ticket.encode() + b"x" * 200]:
        assert _post(body) == (404, [])
