"""File-level problems a user can settle with a choice, in words that name no command-line flag.

Why structured: the Upload page turns a problem into a control (a pick list for the missing
field, a "one date for every row" date input, a "replace that batch" button); the command line
turns the same problem into a hint naming its flag (`cx.cli.ingest.hint`). The message itself
says what is wrong and where, and fits both.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

MISSING_FIELD = "missing_field"  # a required field (id, date) has no column
ALREADY_LOADED = "already_loaded"  # the same file (same bytes) is an active batch already

# What a user can do about a problem (the page offers these; the CLI names their flags).
MAP_COLUMN = "map_column"  # pick the column that feeds `field`
ONE_DATE = "one_date"  # give one date for every row (IngestOptions.date)
REPLACE_BATCH = "replace_batch"  # replace the earlier batch (IngestOptions.replace)


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    field: str | None = None  # MISSING_FIELD: the field without a column
    columns: tuple[str, ...] = ()  # MISSING_FIELD: headers that could feed it
    choices: tuple[str, ...] = ()  # MAP_COLUMN, ONE_DATE, REPLACE_BATCH
    batch_id: str | None = None  # ALREADY_LOADED: the batch that holds the file

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class IngestProblem(ValueError):
    """A refusal carrying its Problem; a ValueError so every existing refusal path handles it."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem
