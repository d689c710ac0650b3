"""Comment features written straight into the tables of schema migration 7 (cx.text).

Why a fixture and not the analysers: the analyses only aggregate these tables, so their tests
state the features (language, sentiment, themes) row by row and check the numbers by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from cx.storage import FieldInfo, Store, add_extra_field
from cx.storage.batches import Batch, insert_batch, list_batches


@dataclass(frozen=True)
class Said:
    """One response and what its comment was found to say (None comment: no features row)."""

    rid: str
    nps: int | None
    when: dt.datetime
    comment: str | None
    themes: tuple[str, ...] = ()
    sentiment: float | None = None
    label: str | None = None
    lang: str = "en"
    csat: int | None = None
    channel: str = "email"
    batch: str = "b1"
    extra: dict = field(default_factory=dict)


def write_said(store: Store, rows: list[Said], table: str = "responses") -> None:
    """Responses (or tickets) plus their comment_features and comment_themes rows."""
    key, time = ("response_id", "submitted_at") if table == "responses" else (
        "ticket_id", "opened_at")
    records = pd.DataFrame([{key: r.rid, "batch_id": r.batch, time: r.when, "channel": r.channel,
                             **({"nps": r.nps, "comment": r.comment} if table == "responses"
                                else {}), "csat": r.csat, **r.extra} for r in rows])
    text = "comment" if table == "responses" else "description"
    feats = pd.DataFrame([{"table_name": table, "record_id": r.rid, "field": text,
                           "batch_id": r.batch, "lang": r.lang, "sentiment": r.sentiment,
                           "sentiment_label": r.label, "analysed_at": r.when, "theme_version": 1}
                          for r in rows if r.comment is not None],
                         columns=["table_name", "record_id", "field", "batch_id", "lang",
                                  "sentiment", "sentiment_label", "analysed_at", "theme_version"])
    themes = pd.DataFrame([{"table_name": table, "record_id": r.rid, "field": text,
                            "batch_id": r.batch, "theme": t} for r in rows for t in r.themes],
                          columns=["table_name", "record_id", "field", "batch_id", "theme"])
    with store.transaction() as cur:
        known = {b.batch_id for b in list_batches(cur)}
        for batch in sorted({r.batch for r in rows} - known):  # an uploaded batch, not a fresh
            insert_batch(cur, Batch(batch, "upload", table, rows_loaded=len(rows)))  # database
        for name, frame in ((table, records), ("comment_features", feats),
                            ("comment_themes", themes)):
            cur.register("fixture_rows", frame)
            cur.execute(f"INSERT INTO {name} BY NAME SELECT * FROM fixture_rows")  # fixed names
            cur.unregister("fixture_rows")


def add_theme_row(store: Store, table: str, rid: str, batch: str, theme: str,
                  field_name: str = "comment") -> None:
    """One more comment_themes row (a second text field, or a row of another batch)."""
    with store.transaction() as cur:
        cur.execute("INSERT INTO comment_themes VALUES (?, ?, ?, ?, ?)",
                    [table, rid, field_name, batch, theme])


WEEK_A, WEEK_B = dt.datetime(2026, 11, 2, 8), dt.datetime(2026, 11, 9, 8)  # ISO Mondays
TEXTS = {"delivery": "the delivery was late again", "price": "price too expensive",
         "staff": "staff were friendly and helpful", "": "good service overall"}
SENTIMENT = {"delivery": (-0.6, "negative"), "price": (-0.2, "negative"),
             "staff": (0.8, "positive"), "": (0.0, "neutral")}


def _planted(week: str, i: int) -> tuple[tuple[str, ...], int]:
    """Themes and NPS of comment i (0-199) of week A or B (counts in planted_rows)."""
    if week == "A":
        cuts = [(10, ("delivery", "price"), 2), (20, ("delivery",), 2), (50, ("price",), 5),
                (90, ("staff",), 10), (150, (), 8), (200, (), 9)]
    else:
        cuts = [(60, ("delivery",), 2), (90, ("price",), 5), (130, ("staff",), 10),
                (170, (), 8), (200, (), 9)]
    return next((themes, nps) for end, themes, nps in cuts if i < end)


def planted_rows(uncommented: int = 10) -> list[Said]:
    """Two weeks of 200 comments with planted themes (hand counts for the analysis tests):

    week A (2026-11-02): delivery 20 (0-19, 0-9 also price), price 40, staff 40, none 110;
                         detractors 50 (0-49, NPS 2 or 5), promoters 40 staff + 50 none
    week B (2026-11-09): delivery 60 (all detractors), price 30, staff 40, none 70
    Totals: 400 comments = 140 detractors, 100 passives, 160 promoters; plus ``uncommented``
    responses with NPS 0 and no comment in week B (outside every comment analysis).
    """
    rows = []
    for week, start in (("A", WEEK_A), ("B", WEEK_B)):
        for i in range(200):
            themes, nps = _planted(week, i)
            main = themes[0] if themes else ""
            score, label = SENTIMENT[main]
            text = " and ".join(TEXTS[t] for t in themes) if themes else TEXTS[""]
            rows.append(Said(f"{week}{i:03d}", nps, start + dt.timedelta(minutes=i), text,
                             themes, score, label))
    rows += [Said(f"N{i}", 0, WEEK_B + dt.timedelta(hours=5, minutes=i), None)
             for i in range(uncommented)]
    return rows


# Ticket texts: an upload's free-text column (cx.text.records reads it as comments).
TICKET_TEXTS = {"refund": "I want a refund for the double charge",
                "login": "cannot log in to my account", "": "question about my order"}
TICKET_SENTIMENT = {"refund": (-0.5, "negative"), "login": (0.3, "positive"), "": (0.0, "neutral")}
TICKET_HOURS = {"refund": 48.0, "login": 2.0, "": 10.0}


def _ticket(week: str, i: int) -> tuple[str, int]:
    """Theme and CSAT (1-5) of ticket i (0-99) of week A or B (counts in planted_tickets)."""
    refunds = 20 if week == "A" else 50
    logins = refunds + (20 if week == "A" else 10)
    if i < refunds:
        return "refund", 4 if i % 5 == 0 else 2  # 1 in 5 satisfied
    if i < logins:
        return "login", 5
    return "", 4 if i % 2 == 0 else 3  # half satisfied


def planted_tickets() -> list[Said]:
    """Two weeks of 100 tickets, each with a description (hand counts for the tests):

    week A (2026-11-02): refund 20 (0-19), login 20, none 60; week B: refund 50, login 10,
    none 40. Totals: refund 70 (14 satisfied, resolved in 48 h), login 30 (all satisfied,
    2 h), none 100 (50 satisfied, 10 h); resolution times x1 to x1.75; sentiment -0.5 / 0.3 / 0.
    """
    rows = []
    for week, start in (("A", WEEK_A), ("B", WEEK_B)):
        for i in range(100):
            theme, csat = _ticket(week, i)
            score, label = TICKET_SENTIMENT[theme]
            when = start + dt.timedelta(minutes=i)
            hours = TICKET_HOURS[theme] * (1 + (i % 4) / 4)  # x1, 1.25, 1.5, 1.75
            extra = {"description": TICKET_TEXTS[theme], "csat_scale_min": 1,
                     "csat_scale_max": 5, "resolution_hours": hours,
                     "resolved_at": when + dt.timedelta(hours=hours),
                     "resolved": True, "status": "solved"}
            rows.append(Said(f"T{week}{i:03d}", None, when, TICKET_TEXTS[theme],
                             (theme,) if theme else (), score, label, csat=csat, extra=extra))
    return rows


def write_tickets(store: Store, rows: list[Said]) -> None:
    """Tickets with an uploaded `description` text column, and their comment features."""
    with store.transaction() as cur:
        add_extra_field(cur, "tickets", FieldInfo("tickets", "description", "text", True,
                                                  "Description"), "b1")
    write_said(store, rows, "tickets")
