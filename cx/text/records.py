"""Reading comments and writing their features: chunked, keyed by record and batch.

Why keyset pages (key > last key, LIMIT n) and not one cursor: the features are written on the
same connection inside the load's transaction (a second connection would not see the batch's
uncommitted rows), and a pending result set cannot stay open across those writes. Pages keep
memory bounded whatever the batch size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import duckdb
import pyarrow as pa

from cx.storage import fields_of, quote_ident, run
from cx.storage.schema import NATURAL_KEY
from cx.text.analyse import Features, analyse
from cx.text.themes import Matcher

TEXT_TABLES = ("responses", "tickets")
CHUNK = 5_000
SEEN_MAX = 50_000  # distinct texts remembered within one batch (a few tens of MB at most)
PROSE_WORDS = 4.0  # mean words per value from which an extra text column reads as comments


def text_fields(cur: duckdb.DuckDBPyConnection, table: str,
                batch_id: str | None = None) -> list[str]:
    """The comment columns of a record table: `comment`, and extra text fields of uploads whose
    values read as prose (names, e-mail addresses and codes are text too, but not comments).
    With `batch_id`, the prose test looks at that batch's values only."""
    if table not in TEXT_TABLES:
        return []
    out = []
    for f in fields_of(cur, table):
        if f.kind == "text" and (not f.extra or _mean_words(cur, table, f.name, batch_id)
                                 >= PROSE_WORDS):
            out.append(f.name)
    return out


def _mean_words(cur: duckdb.DuckDBPyConnection, table: str, field: str,
                batch_id: str | None) -> float:
    col = quote_ident(field)
    where, params = ("AND batch_id = ?", [batch_id]) if batch_id else ("", [])
    value = run(cur, f"""SELECT avg(len(regexp_extract_all({col}, '[^\\s]+')))
        FROM (SELECT {col} FROM {table} WHERE {col} IS NOT NULL AND trim({col}) <> '' {where}
              LIMIT 10000)""", params).fetchone()[0]  # checked names
    return float(value or 0.0)


def pages(cur: duckdb.DuckDBPyConnection, table: str, field: str, where: str,
          params: list[object], chunk: int = CHUNK) -> Iterator[list[tuple[str, str, str]]]:
    """(record_id, batch_id, text) of non-empty texts matching `where`, `chunk` at a time."""
    key, col = quote_ident(NATURAL_KEY[table]), quote_ident(field)
    last = ""
    while True:
        rows = run(cur, f"""
            SELECT {key}, batch_id, {col} FROM {table} AS r
            WHERE {key} > ? AND {col} IS NOT NULL AND trim({col}) <> '' AND ({where})
            ORDER BY {key} LIMIT ?""", [last, *params, chunk]).fetchall()  # checked names
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def write(cur: duckdb.DuckDBPyConnection, table: str, field: str,
          rows: list[tuple[str, str, str]], matcher: Matcher, now: dt.datetime,
          seen: dict[str, Features] | None = None,
          many: Callable[[list[str]], list[Features]] | None = None) -> int:
    """Analyse `rows` and insert their features and themes (the caller removed old ones).

    Identical texts ("Great service!", "ok") are analysed once: `seen` carries the results
    from chunk to chunk of one batch (same dictionary), emptied when it reaches SEEN_MAX.
    `many` analyses a list of texts at once (cx.text.workers: on several cores)."""
    seen = {} if seen is None else seen
    if len(seen) > SEEN_MAX:
        seen.clear()
    todo = list(dict.fromkeys(text for _, _, text in rows if text not in seen))
    found = many(todo) if many else [analyse(text, matcher) for text in todo]
    seen.update(zip(todo, found, strict=True))
    features = [(rid, bid, seen[text]) for rid, bid, text in rows]
    _insert(cur, "comment_features", pa.table({
        "table_name": [table] * len(features), "record_id": [f[0] for f in features],
        "field": [field] * len(features), "batch_id": [f[1] for f in features],
        "lang": [f[2].lang for f in features],
        "sentiment": pa.array([f[2].sentiment for f in features], pa.float64()),
        "sentiment_label": pa.array([f[2].label for f in features], pa.string()),
        "analysed_at": pa.array([now] * len(features), pa.timestamp("us")),
        "theme_version": pa.array([matcher.version] * len(features), pa.int32()),
    }))
    themes = [(rid, bid, t) for rid, bid, f in features for t in sorted(f.themes)]
    _insert(cur, "comment_themes", pa.table({
        "table_name": pa.array([table] * len(themes), pa.string()),
        "record_id": pa.array([t[0] for t in themes], pa.string()),
        "field": pa.array([field] * len(themes), pa.string()),
        "batch_id": pa.array([t[1] for t in themes], pa.string()),
        "theme": pa.array([t[2] for t in themes], pa.string()),
    }))
    return len(features)


def _insert(cur: duckdb.DuckDBPyConnection, target: str, data: pa.Table) -> None:
    if not data.num_rows:
        return
    cur.register("text_rows", data)
    try:
        cols = ", ".join(data.column_names)
        run(cur, f"INSERT INTO {target} ({cols}) SELECT {cols} FROM text_rows")  # fixed names
    finally:
        cur.unregister("text_rows")


def delete_records(cur: duckdb.DuckDBPyConnection, table: str, field: str,
                   record_ids: list[str]) -> None:
    """Remove the features of these records' `field` (before they are analysed again)."""
    cur.register("text_ids", pa.table({"record_id": pa.array(record_ids, pa.string())}))
    try:
        for target in ("comment_features", "comment_themes"):
            run(cur, f"DELETE FROM {target} WHERE table_name = ? AND field = ? "
                     "AND record_id IN (SELECT record_id FROM text_ids)", [table, field])
    finally:
        cur.unregister("text_ids")

