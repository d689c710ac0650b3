"""The data model of PRODUCT.md §1 as data, and the forward migrations that build it.

Canonical fields are declared once here; ingestion matches headers to them, the metric engine
validates filters against them. Extra columns of an upload are added to the record tables as real
columns (so they are plain SQL for filters and drivers) and described in `field_catalog`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldKind = Literal["key", "time", "dimension", "score", "measure", "flag", "text", "meta"]
RECORD_TABLES = ("responses", "tickets", "customers")


@dataclass(frozen=True)
class Field:
    name: str
    sql_type: str
    kind: FieldKind


def _f(name: str, sql_type: str, kind: FieldKind) -> Field:
    return Field(name, sql_type, kind)


CANONICAL: dict[str, tuple[Field, ...]] = {
    "responses": (
        _f("response_id", "VARCHAR", "key"),
        _f("batch_id", "VARCHAR", "meta"),
        _f("submitted_at", "TIMESTAMP", "time"),
        _f("customer_id", "VARCHAR", "dimension"),
        _f("ticket_id", "VARCHAR", "dimension"),
        _f("channel", "VARCHAR", "dimension"),
        _f("region", "VARCHAR", "dimension"),
        _f("product", "VARCHAR", "dimension"),
        _f("segment", "VARCHAR", "dimension"),
        _f("nps", "SMALLINT", "score"),
        _f("csat", "SMALLINT", "score"),
        _f("csat_scale_min", "SMALLINT", "meta"),
        _f("csat_scale_max", "SMALLINT", "meta"),
        _f("ces", "SMALLINT", "score"),
        _f("ces_scale_min", "SMALLINT", "meta"),
        _f("ces_scale_max", "SMALLINT", "meta"),
        _f("comment", "VARCHAR", "text"),
    ),
    "tickets": (
        _f("ticket_id", "VARCHAR", "key"),
        _f("batch_id", "VARCHAR", "meta"),
        _f("customer_id", "VARCHAR", "dimension"),
        _f("channel", "VARCHAR", "dimension"),
        _f("region", "VARCHAR", "dimension"),
        _f("product", "VARCHAR", "dimension"),
        _f("segment", "VARCHAR", "dimension"),
        _f("team", "VARCHAR", "dimension"),
        _f("agent", "VARCHAR", "dimension"),
        _f("priority", "VARCHAR", "dimension"),
        _f("status", "VARCHAR", "dimension"),
        _f("opened_at", "TIMESTAMP", "time"),
        _f("first_response_at", "TIMESTAMP", "time"),
        _f("resolved_at", "TIMESTAMP", "time"),
        _f("first_response_hours", "DOUBLE", "measure"),
        _f("resolution_hours", "DOUBLE", "measure"),
        _f("csat", "SMALLINT", "score"),
        _f("csat_scale_min", "SMALLINT", "meta"),
        _f("csat_scale_max", "SMALLINT", "meta"),
        _f("resolved", "BOOLEAN", "flag"),  # migration 4: resolved, even when the time is unknown
    ),
    "customers": (
        _f("customer_id", "VARCHAR", "key"),
        _f("batch_id", "VARCHAR", "meta"),
        _f("signup_at", "TIMESTAMP", "time"),
        _f("churned_at", "TIMESTAMP", "time"),
        _f("churned", "BOOLEAN", "flag"),
        _f("monthly_revenue", "DOUBLE", "measure"),
        _f("clv", "DOUBLE", "measure"),
        _f("tenure_months", "DOUBLE", "measure"),
        _f("region", "VARCHAR", "dimension"),
        _f("segment", "VARCHAR", "dimension"),
        _f("plan", "VARCHAR", "dimension"),
    ),
}

NATURAL_KEY = {"responses": "response_id", "tickets": "ticket_id", "customers": "customer_id"}
# The time column that places a record in a period (date filters, grains).
TIME_FIELD = {"responses": "submitted_at", "tickets": "opened_at", "customers": "signup_at"}


# Canonical fields added by a later migration: the first migration must keep creating the tables
# as they were released, and the later one adds the column.
ADDED_LATER = {("tickets", "resolved"): 4}


def _create_table(table: str) -> str:
    cols = ",\n  ".join(f"{f.name} {f.sql_type}" for f in CANONICAL[table]
                        if (table, f.name) not in ADDED_LATER)
    return f"CREATE TABLE {table} (\n  {cols}\n)"


# Each migration is (version, statements). Append only: never edit a released migration.
MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        1,
        (
            """CREATE TABLE batches (
  batch_id VARCHAR PRIMARY KEY,
  source VARCHAR NOT NULL,          -- 'upload' or 'demo'
  file_name VARCHAR,
  sha256 VARCHAR,
  table_name VARCHAR NOT NULL,
  uploader VARCHAR,
  created_at TIMESTAMP NOT NULL,
  rows_read BIGINT NOT NULL DEFAULT 0,
  rows_loaded BIGINT NOT NULL DEFAULT 0,
  rows_rejected BIGINT NOT NULL DEFAULT 0,
  rows_duplicate BIGINT NOT NULL DEFAULT 0,
  mapping VARCHAR,                  -- JSON: source header -> field, units, scales
  status VARCHAR NOT NULL DEFAULT 'active',  -- 'active' or 'rolled_back'
  rolled_back_at TIMESTAMP
)""",
            _create_table("responses"),
            _create_table("tickets"),
            _create_table("customers"),
        ),
    ),
    (
        2,
        (
            # Extra (non-canonical) columns that uploads added to a record table.
            """CREATE TABLE field_catalog (
  table_name VARCHAR NOT NULL,
  field VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,            -- 'dimension', 'rating', 'measure' or 'text'
  source_header VARCHAR,
  scale_min DOUBLE,
  scale_max DOUBLE,
  batch_id VARCHAR,
  PRIMARY KEY (table_name, field)
)""",
        ),
    ),
    (
        3,
        (
            # Weekly snapshots (PRODUCT.md §4): written once per ISO week, never updated.
            """CREATE TABLE snapshots (
  week VARCHAR PRIMARY KEY,         -- ISO week, e.g. '2026-W47'
  built_at TIMESTAMP NOT NULL,      -- UTC
  built_by VARCHAR NOT NULL,        -- 'cli' or 'app'
  tz VARCHAR NOT NULL,              -- reporting time zone the week was cut in
  batch_ids VARCHAR NOT NULL,       -- JSON list of the active batches it saw
  data_through TIMESTAMP,           -- latest record time it saw (UTC)
  payload VARCHAR NOT NULL,         -- JSON: numbers, tests, movers, drivers, sentences
  payload_sha256 VARCHAR NOT NULL
)""",
        ),
    ),
    (
        4,
        (
            # A yes/no "resolved" column of a call-centre export: true with resolved_at unknown
            # keeps the ticket out of time metrics (it is not open, and its time is not known).
            "ALTER TABLE tickets ADD COLUMN resolved BOOLEAN",
        ),
    ),
    (
        5,
        (
            # Upload mappings saved by name, proposed again for a file with the same headers.
            """CREATE TABLE mapping_templates (
  name VARCHAR PRIMARY KEY,
  table_name VARCHAR NOT NULL,
  headers_key VARCHAR NOT NULL,     -- sha256 of the file's headers, in order, case-folded
  headers VARCHAR NOT NULL,         -- JSON list of the headers as written
  columns VARCHAR NOT NULL,         -- JSON: header -> {field, unit, scale, filter}
  created_by VARCHAR,
  created_at TIMESTAMP NOT NULL
)""",
            # Extra dimensions are sidebar filters only when an analyst marks them; those that
            # were filters before this version stay filters.
            "ALTER TABLE field_catalog ADD COLUMN is_filter BOOLEAN DEFAULT false",
            "UPDATE field_catalog SET is_filter = (kind = 'dimension')",
        ),
    ),
    (
        6,
        (
            # Who changed users, roles, group mappings and scopes, and when. Append-only: the
            # code only ever INSERTs here (cx.auth.audit); the id orders entries of one second.
            "CREATE SEQUENCE audit_log_id START 1",
            """CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id'),
  "at" TIMESTAMP NOT NULL,          -- UTC (quoted: AT is a keyword in DuckDB 2.0)
  actor VARCHAR NOT NULL,           -- the admin (or 'cli:<os user>') who made the change
  action VARCHAR NOT NULL,          -- e.g. 'scope.set', 'scope.clear', 'user.add', 'group.map'
  target VARCHAR,                   -- e.g. 'user:alice' or 'group:emea-managers'
  detail VARCHAR                    -- JSON: what was set (old and new value where useful)
)""",
            # Data scopes (cx.auth.scopes): the rows a user, or every member of an SSO group, may
            # see. filter is JSON {field: [allowed values]}: OR within a field, AND across fields.
            """CREATE TABLE data_scopes (
  kind VARCHAR NOT NULL CHECK (kind IN ('user', 'group')),
  name VARCHAR NOT NULL,
  filter VARCHAR NOT NULL,          -- JSON, e.g. {"region": ["Europe"]}; {} = explicitly all rows
  set_by VARCHAR NOT NULL,
  set_at TIMESTAMP NOT NULL,        -- UTC
  PRIMARY KEY (kind, name)
)""",
            # Snapshots are built and stored per scope: the key becomes (week, scope_key), where
            # scope_key is '' for the unrestricted snapshot (every existing row) and a digest of
            # the canonical scope otherwise. DuckDB cannot change a primary key in place.
            """CREATE TABLE snapshots_v6 (
  week VARCHAR NOT NULL,
  scope_key VARCHAR NOT NULL DEFAULT '',
  scope VARCHAR NOT NULL DEFAULT '',  -- canonical JSON of the scope ('' = unrestricted)
  built_at TIMESTAMP NOT NULL,
  built_by VARCHAR NOT NULL,
  tz VARCHAR NOT NULL,
  batch_ids VARCHAR NOT NULL,
  data_through TIMESTAMP,
  payload VARCHAR NOT NULL,
  payload_sha256 VARCHAR NOT NULL,
  PRIMARY KEY (week, scope_key)
)""",
            """INSERT INTO snapshots_v6 (week, built_at, built_by, tz, batch_ids, data_through,
  payload, payload_sha256)
SELECT week, built_at, built_by, tz, batch_ids, data_through, payload, payload_sha256
FROM snapshots""",
            "DROP TABLE snapshots",
            "ALTER TABLE snapshots_v6 RENAME TO snapshots",
        ),
    ),
    (
        7,
        (
            # Per-comment text features (issue 15), computed at load time, one row per non-empty
            # comment; dropped with their batch. See cx/text/__init__.py.
            """CREATE TABLE comment_features (
  table_name VARCHAR NOT NULL,      -- 'responses' or 'tickets'
  record_id VARCHAR NOT NULL,       -- the record's natural key
  field VARCHAR NOT NULL,           -- the text column: 'comment', or an extra text field
  batch_id VARCHAR NOT NULL,
  lang VARCHAR,                     -- ISO 639-1 code, or 'und' when undetermined
  sentiment DOUBLE,                 -- [-1, 1]; NULL when the language is not scored
  sentiment_label VARCHAR,          -- 'positive', 'neutral', 'negative', 'mixed'; NULL if not scored
  analysed_at TIMESTAMP,
  theme_version INTEGER             -- dictionary version the themes were matched with
)""",
            # One row per (comment, theme it mentions): themes are a multi-valued dimension.
            """CREATE TABLE comment_themes (
  table_name VARCHAR NOT NULL,
  record_id VARCHAR NOT NULL,
  field VARCHAR NOT NULL,
  batch_id VARCHAR NOT NULL,
  theme VARCHAR NOT NULL
)""",
            # The theme dictionary, append-only: the dictionary is the latest version per
            # (theme, lang) that is not removed; older rows are its history.
            """CREATE TABLE theme_terms (
  theme VARCHAR NOT NULL,
  lang VARCHAR NOT NULL,
  terms VARCHAR NOT NULL,           -- JSON list of keywords or phrases
  version INTEGER NOT NULL,
  changed_at TIMESTAMP NOT NULL,
  changed_by VARCHAR,
  removed BOOLEAN NOT NULL DEFAULT false
  )""",
        ),
    ),
    (
        8,
        (
            # Single sign-on: a group named in the identity provider's role claim -> the role its
            # members get (cx.auth.group_roles). Exact, case-sensitive names, as the provider
            # sends them; a person in several mapped groups gets the strongest role.
            """CREATE TABLE sso_group_roles (
  group_name VARCHAR PRIMARY KEY,
  role VARCHAR NOT NULL,
  changed_by VARCHAR NOT NULL,
  changed_at TIMESTAMP NOT NULL
)""",
        ),
    ),
    (
        9,
        (
            # Who signed in through a provider, with the groups its claim named at that sign-in
            # (cx.auth.sso_people): what `--as-user alice@corp` on the command line reads to
            # answer exactly what that person sees, as the app does from the same claims.
            """CREATE TABLE sso_people (
  username VARCHAR PRIMARY KEY,     -- as the app names them: the email, else 'sub:<subject>'
  groups VARCHAR NOT NULL,          -- JSON list, as the role claim named them
  signed_in_at TIMESTAMP NOT NULL,  -- UTC, the ID token's iat: which sign-in this is
  seen_at TIMESTAMP NOT NULL        -- UTC, when the app recorded it
)""",
        ),
    ),
)

LATEST_VERSION = MIGRATIONS[-1][0]
