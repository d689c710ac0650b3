"""Settings: one home for every knob, read the same way by the app, the command line and tests.

Precedence is environment variable > `.streamlit/secrets.toml` > default, so one machine can run
several isolated instances just by changing the environment.
"""

from __future__ import annotations

import os
import threading
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"


@dataclass(frozen=True)
class Thresholds:
    """Reliability rules of METHODS.md §7.3; configurable, one set per dashboard."""

    privacy_floor_n: int = 5  # below this: hide the value, show the count only
    reliable_n: int = 30  # below this: greyed, no badge, no ranking
    max_half_width_share: float = 0.10  # ±10 percentage points for proportions
    max_half_width_nps: float = 20.0  # ±20 NPS points
    p90_min_n: int = 36  # p90 of times needs n ≥ 36 for a finite upper bound
    kda_min_n: int = 50  # key drivers need n ≥ max(50, 10·p)


@dataclass(frozen=True)
class Settings:
    db_path: Path
    users_path: Path
    cookie_key: str  # as configured; "" when none is (then a generated, stored key is used)
    tz: str
    smtp_url: str
    smtp_password: str
    confidence: float = 0.95
    thresholds: Thresholds = Thresholds()
    cookie_key_path: Path | None = None  # the generated key's file; None: beside users_path
    login_free_attempts: int = 5  # wrong passwords per (name, client) before any delay
    login_max_delay_seconds: float = 900.0  # the delay doubles per failure up to this
    # Upload limits (issue 12): refused up front, before the file is parsed.
    max_upload_columns: int = 500
    max_upload_mb: float = 200.0  # file bytes; for .xlsx its inflated size
    min_date_year: int = 1990  # earlier dates are refused per row
    max_future_days: int = 1  # dates after today + this are refused per row
    # Sign-in (issue 16): "local", "sso" or "both"; "" = both when an [auth] provider is set.
    auth_mode: str = ""
    sso_role_claim: str = "groups"  # the ID-token claim whose values cx.auth.group_roles maps
    sso_max_age_hours: float = 24.0  # an older sign-in goes back through the provider

    @property
    def key_file(self) -> Path:
        return self.cookie_key_path or self.users_path.with_name("cookie.key")

    def with_db(self, path: str | Path) -> "Settings":
        return replace(self, db_path=Path(path))


_secrets_memo: dict[Path, tuple[tuple[int, int, int], dict[str, Any]]] = {}
_secrets_lock = threading.Lock()


def _read_secrets(path: Path) -> dict[str, Any]:
    """The secrets file, parsed again only when it changed (inode, size or mtime).

    Why: every page asks for the settings many times per run (34 calls were counted); parsing
    the TOML each time was pure waste, while a stat per call still notices an edit at once.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        return {}
    signature = (st.st_ino, st.st_size, st.st_mtime_ns)
    with _secrets_lock:
        memo = _secrets_memo.get(path)
        if memo is not None and memo[0] == signature:
            return memo[1]
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    with _secrets_lock:
        _secrets_memo[path] = (signature, data)
    return data


def _pick(name: str, secrets: dict[str, Any], default: str) -> str:
    value = os.environ.get(name)
    if value is None:
        value = secrets.get(name)
    return default if value in (None, "") else str(value)


def _resolve(path: str) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() else (Path.cwd() / p)


def load_settings(secrets_file: Path = SECRETS_FILE) -> Settings:
    """Read settings now (not at import), so tests can change the environment per test."""
    secrets = _read_secrets(secrets_file)
    key_file = _pick("CX_COOKIE_KEY_FILE", secrets, "")
    return Settings(
        db_path=_resolve(_pick("CX_DB", secrets, str(PROJECT_ROOT / "data" / "cx.duckdb"))),
        users_path=_resolve(
            _pick("CX_USERS", secrets, str(PROJECT_ROOT / "data" / "credentials.yaml"))
        ),
        # Not _pick: a key of only spaces must reach the key check and be refused there.
        cookie_key=str(os.environ.get("CX_COOKIE_KEY", secrets.get("CX_COOKIE_KEY", ""))),
        cookie_key_path=_resolve(key_file) if key_file else None,
        tz=_pick("CX_TZ", secrets, "UTC"),
        smtp_url=_pick("CX_SMTP_URL", secrets, ""),
        smtp_password=_pick("CX_SMTP_PASSWORD", secrets, ""),
        confidence=float(_pick("CX_CONFIDENCE", secrets, "0.95")),
        login_free_attempts=int(_pick("CX_LOGIN_FREE_ATTEMPTS", secrets, "5")),
        login_max_delay_seconds=float(_pick("CX_LOGIN_MAX_DELAY_SECONDS", secrets, "900")),
        max_upload_columns=int(_pick("CX_MAX_UPLOAD_COLUMNS", secrets, "500")),
        max_upload_mb=float(_pick("CX_MAX_UPLOAD_MB", secrets, "200")),
        min_date_year=int(_pick("CX_MIN_DATE_YEAR", secrets, "1990")),
        max_future_days=int(_pick("CX_MAX_FUTURE_DAYS", secrets, "1")),
        auth_mode=_pick("CX_AUTH", secrets, ""),
        sso_role_claim=_pick("CX_SSO_ROLE_CLAIM", secrets, "groups"),
        sso_max_age_hours=float(_pick("CX_SSO_MAX_AGE_HOURS", secrets, "24")),
    )


def duckdb_memory_limit() -> str:
    """DuckDB's memory_limit for every connection (env CX_DUCKDB_MEMORY, e.g. "2GB"): a wide or
    hostile file then fails with a message instead of taking the server's memory."""
    return os.environ.get("CX_DUCKDB_MEMORY") or "2GB"


def engine_url() -> str:
    """Which engine holds the records (env CX_ENGINE): "duckdb" (default, the CX_DB file) or a
    Spark Connect URL such as sc://host:15002 (README "Running on Spark")."""
    return (os.environ.get("CX_ENGINE") or "duckdb").strip()


def spark_database() -> str:
    """The Spark database (schema) that holds CX Lens tables (env CX_SPARK_DATABASE)."""
    return (os.environ.get("CX_SPARK_DATABASE") or "cx_lens").strip()
