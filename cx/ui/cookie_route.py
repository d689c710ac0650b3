"""The server side of the HttpOnly login cookie: one route, and the page's request to it.

`streamlit run app.py` finds the `st.App` in app.py and serves it with uvicorn, our route
beside Streamlit's own (the way st.login sets its HttpOnly cookies). A login or logout files
its cookie under a one-time ticket (cx.auth.cookie_tickets); `hand_over` draws a zero-height frame
whose only script POSTs that ticket to the route, and the route answers with the Set-Cookie.
The page's scripts never see the cookie's value: only the ticket, which is spent on first use.
"""

from __future__ import annotations

import json

import streamlit as st
import streamlit.components.v1 as components
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from cx.auth import cookie_tickets

PATH = "/_cx/cookie"
_MAX_TICKET_BYTES = 100


async def _claim(request: Request) -> Response:
    """POST body = a ticket: 204 with its cookie, HttpOnly, or 404 if unknown, spent or old."""
    body = await request.body()
    filed = cookie_tickets.claim(body[:_MAX_TICKET_BYTES].decode("ascii", "replace"))
    if filed is None:
        return Response(status_code=404)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(filed.name, filed.value, max_age=filed.max_age, path="/",
                        httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


def routes() -> list[BaseRoute]:
    """The routes app.py mounts beside Streamlit's."""
    return [Route(PATH, _claim, methods=["POST"])]


def hand_over(ticket: str) -> None:
    """Ask the browser to fetch the cookie behind `ticket` (drawn on every run until claimed).

    The frame shares the page's origin, so its POST carries and receives the page's cookies; a
    rerun that removes the frame before it ran is harmless, the next run draws it again."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    url = f"/{base}{PATH}" if base else PATH
    script = (f"fetch({json.dumps(url)}, {{method: 'POST', credentials: 'same-origin', "
              f"headers: {{'Content-Type': 'text/plain'}}, body: {json.dumps(ticket)}}});")
    components.html(f"<script>{script}</script>", height=0)
