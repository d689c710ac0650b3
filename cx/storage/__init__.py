"""DuckDB storage: the only package that talks to the database driver."""

from cx.storage.fields import FieldInfo, add_extra_field, fields_of, quote_ident
from cx.storage.store import Store, StoreBusyError, StoreError, run

__all__ = [
    "FieldInfo",
    "Store",
    "StoreBusyError",
    "StoreError",
    "add_extra_field",
    "fields_of",
    "quote_ident",
    "run",
]
