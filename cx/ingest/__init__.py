"""Ingestion: CSV / XLSX / Parquet -> header matching -> coercion and validation -> batch load.

The Upload page and `python -m cx ingest` use cx.ingest.api; see its docstring.
"""

from cx.ingest.api import (
    IngestReport, Preview, batches, errors_csv, load, preview, rollback, validate,
)
from cx.ingest.options import IngestOptions
from cx.ingest.problems import (
    ALREADY_LOADED, MAP_COLUMN, MISSING_FIELD, ONE_DATE, REPLACE_BATCH, Problem,
)
from cx.ingest.readers import FileRefused

__all__ = [
    "ALREADY_LOADED", "FileRefused", "IngestOptions", "IngestReport", "MAP_COLUMN",
    "MISSING_FIELD", "ONE_DATE", "Preview", "Problem", "REPLACE_BATCH", "batches", "errors_csv",
    "load", "preview", "rollback", "validate",
]
