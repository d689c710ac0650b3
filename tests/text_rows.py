"""Comment features written straight into the tables of schema migration 7 (cx.text).

Why a fixture and not the analysers: the analyses only aggregate these tables, so their tests
state the features (language, sentiment, themes) row by row and check the numbers by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from cx.storage import Store


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
