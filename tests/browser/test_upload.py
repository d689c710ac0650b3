"""In Chromium, as an analyst would: upload the real IBM telco churn file on the Upload page,
validate, load, see the batch summary, then roll the batch back with its confirmation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cx.domain import Role
from cx.storage import Store
from tests.browser.conftest import Prepared, Server, copy_prepared
from tests.browser.steps import SLOW, log_in, open_page, shot, wait_idle
from tests.conftest import dataset

pytestmark = pytest.mark.timeout(300)
TELCO_ROWS = 7_043  # TESTING.md: 7,043 customers, churn 1,869


def _customers(db: Path) -> int:
    return int(Store(db).scalar("SELECT count(*) FROM customers"))


def test_upload_validate_load_and_roll_back_a_real_file(prepared: Prepared, start_server,
                                                        page: Page, tmp_path: Path) -> None:
    telco = dataset("telco_customer_churn_ibm.csv")
    server: Server = start_server(*copy_prepared(prepared, tmp_path / "data"))
    before = prepared.counts["customers"]
    page.goto(server.url())
    log_in(page, prepared, Role.ANALYST)
    open_page(page, "Upload and batches")

    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(telco))
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Load into").click()
    page.get_by_role("option", name="customers", exact=True).click()
    page.get_by_role("heading", name="Mapping", exact=True).wait_for(timeout=SLOW)
    wait_idle(page)

    page.get_by_role("button", name="Validate").click()
    checked = page.get_by_text(re.compile(r"Checked \(nothing written\): telco"))
    checked.wait_for(timeout=SLOW)
    assert _customers(server.db) == before  # a dry run writes nothing

    page.get_by_text("I checked the mapping: load this file").click()
    wait_idle(page)
    page.get_by_role("button", name="Load", exact=True).click()
    page.get_by_text(re.compile(r"Loaded: telco_customer_churn_ibm\.csv → customers")).wait_for(
        timeout=SLOW)
    shot(page, "upload-loaded")
    metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert metrics[:2] == [f"{TELCO_ROWS:,}", f"{TELCO_ROWS:,}"]  # rows read, rows loaded
    assert _customers(server.db) == before + TELCO_ROWS
    batch = re.search(r"Batch (\S+)", page.get_by_text(re.compile(r"^Batch \d{8}T")).inner_text())
    assert batch

    page.get_by_role("tab", name="Batches").click()
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Batch to roll back").click()
    page.get_by_role("option", name=batch.group(1)).click()
    page.get_by_role("button", name="Roll back").click()
    expect(page.get_by_text("Tick the box to confirm the rollback.")).to_be_visible()
    assert _customers(server.db) == before + TELCO_ROWS  # not without the confirmation
    page.get_by_text("Yes, remove every record of this batch.").click()
    page.get_by_role("button", name="Roll back").click()
    page.get_by_text(f"Rolled back batch {batch.group(1)}: {TELCO_ROWS:,} customers").wait_for(
        timeout=SLOW)
    shot(page, "upload-rolled-back")
    assert _customers(server.db) == before
