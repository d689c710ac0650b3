"""Downloads people can use (issue 11, item 8), in Chromium: the explorer's "all records"
download holds every record of the filter (not the 50 on the page), and a table's CSV and Excel
files carry numbers as numbers."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page

from cx.domain import Role
from tests.browser.conftest import Prepared, Server
from tests.browser.steps import explorer_all_time, log_in, open_page, wait_idle

pytestmark = pytest.mark.timeout(400)


def _download(page: Page, name: str) -> bytes:
    wait_idle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name=name).first.click()
    return Path(info.value.path()).read_bytes()


def test_records_export_holds_every_record_of_the_filter(app: Server, prepared: Prepared,
                                                          page: Page) -> None:
    page.goto(app.url())
    caption = explorer_all_time(page, prepared)
    total = int(re.match(r"([\d,]+) responses match", caption.inner_text()).group(1)
                .replace(",", ""))
    assert total > 500  # more than the largest page
    label = f"All {total:,} as CSV"
    rows = list(csv.DictReader(io.StringIO(_download(page, label).decode("utf-8-sig"))))
    assert len(rows) == total and len({r["response_id"] for r in rows}) == total
    book = load_workbook(io.BytesIO(_download(page, f"All {total:,} as Excel")), read_only=True)
    assert sum(1 for _ in book.active.iter_rows(values_only=True)) == total + 1  # and a header


def test_table_downloads_carry_numbers(app: Server, prepared: Prepared, page: Page) -> None:
    page.goto(app.url())
    log_in(page, prepared, Role.ANALYST)
    open_page(page, "Segments")
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    text = _download(page, "Download CSV").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"value", "ci_low", "ci_high", "n", "unit"} <= set(rows[0])
    for r in rows:
        assert re.fullmatch(r"-?\d+", r["n"]), r
        if r["value"]:
            float(r["value"]), float(r["ci_low"]), float(r["ci_high"])  # numbers, not "81.2%"
    sheet = load_workbook(io.BytesIO(_download(page, "Download Excel"))).active
    header = [c.value for c in sheet[1]]
    n_col, value_col = header.index("n"), header.index("value")
    values = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(values) == len(rows)
    assert all(isinstance(v[n_col], int) for v in values)
    assert any(isinstance(v[value_col], float) for v in values)
