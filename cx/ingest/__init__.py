"""Ingestion: CSV / XLSX / Parquet -> header matching -> coercion and validation -> batch load.

The Upload page and `python -m cx ingest` use cx.ingest.api; see its docstring.
"""

from cx.ingest.api import (
    IngestReport, Preview, batches, errors_csv, load, preview, rollback, validate,
)
from cx.ingest.options import IngestOptions
from cx.ingest.readers import FileRefused

__all__ = [
    "FileRefused", "IngestOptions", "IngestReport", "Preview", "batches", "errors_csv", "load",
    "preview", "rollback", "validate",
]
