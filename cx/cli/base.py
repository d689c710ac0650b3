"""What every command returns, how values become JSON, and how the command line fails.

Why failures live here: a person at a terminal (or a cron mail) must get one line that says what
is wrong, never a traceback; the traceback of an unexpected failure goes to a log file instead,
under an error id the line quotes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import math
import os
import secrets
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

LOG_NAME = "cx-errors.log"  # beside the database; the temp folder when that is not writable


class CommandRefused(Exception):
    """The operation was refused (bad file, bad argument value); nothing was written. Exit 1."""

    def __init__(self, message: str, payload: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.payload = payload or {}


@dataclass(frozen=True)
class CommandResult:
    data: Any  # what --json prints
    text: str  # what a person reads
    exit_code: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def to_jsonable(value: Any) -> Any:
    """Plain JSON: NaN/inf become null, dates ISO strings, numpy scalars Python numbers."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if hasattr(value, "to_dict"):
        return to_jsonable(value.to_dict())
    return str(value)


class CliParser(argparse.ArgumentParser):
    """argparse with a one-line usage error (argparse prints the whole usage first); exit 2.

    Sub-commands inherit the class (argparse builds them with `type(parent)`)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _log_file(folder: Path) -> Path:
    """An owner-only log file in `folder`, else in the temp folder."""
    for where in (folder, Path(tempfile.gettempdir())):
        path = where / LOG_NAME
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
            return path
        except OSError:
            continue
    raise OSError("no writable folder for the error log")


def log_unexpected(exc: BaseException, command: str, folder: Path) -> str:
    """Write the traceback under a new error id to the log file; return one line for stderr."""
    error_id = secrets.token_hex(4)
    logger = logging.getLogger("cx.cli")
    try:
        handler: logging.Handler = logging.FileHandler(_log_file(folder), encoding="utf-8")
        where = f"details in {handler.baseFilename}"  # type: ignore[attr-defined]
    except OSError:
        handler, where = logging.NullHandler(), "no log file could be written"
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    try:
        logger.error("error id %s in `python -m cx %s` (%s)", error_id, command,
                     " ".join(sys.argv[1:]), exc_info=exc)
    finally:
        logger.removeHandler(handler)
        handler.close()
    return f"unexpected {type(exc).__name__} (error id {error_id}); {where}"
