"""In Chromium, as an analyst would: a survey export without any date column is loaded entirely
through the Upload page ("one date for every row"), and the Overview shows its responses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from cx.domain import Role
from cx.storage import Store
from tests.browser.conftest import Prepared, Server, copy_prepared
from tests.browser.steps import SLOW, drop_file, log_in, open_page, shot, wait_idle

pytestmark = pytest.mark.timeout(300)
ANSWERS = 40  # rows of the export below, each with an NPS and a satisfaction score


def _survey(folder: Path) -> Path:
    """A survey tool's export: respondent, NPS and CSAT questions, shop, comment; no date."""
    lines = ["Respondent ID,Likelihood to recommend,Satisfaction score,Magasin,Comment"]
    shops = ("Lyon", "Paris", "Nice", "Lille")
    for i in range(ANSWERS):
        lines.append(f"R{i:03d},{(i * 7) % 11},{1 + i % 5},{shops[i % 4]},Avis numéro {i}")
    path = folder / "enquete-nps.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _one_date_and_load(page: Page, file_name: str) -> None:
    """Choose "one date for every row" (today, the default), confirm and load."""
    page.get_by_text("one date for every row", exact=True).click()
    page.get_by_text("The date of every row").wait_for()
    wait_idle(page)
    confirm_and_load(page, file_name, "responses")


def confirm_and_load(page: Page, file_name: str, table: str) -> None:
    """Tick "I checked the mapping", press Load and wait for the success line."""
    page.get_by_text("I checked the mapping: load this file").click()
    wait_idle(page)
    page.get_by_role("button", name="Load", exact=True).click()
    page.get_by_text(f"Loaded: {file_name} → {table}").wait_for(timeout=SLOW)


def test_a_survey_without_a_date_is_loaded_through_the_page_and_shown(
        prepared: Prepared, start_server, page: Page, tmp_path: Path) -> None:
    server: Server = start_server(*copy_prepared(prepared, tmp_path / "data"))
    page.goto(server.url())
    log_in(page, prepared, Role.ANALYST)
    open_page(page, "Upload and batches")

    drop_file(page, _survey(tmp_path))
    page.get_by_text("Required field not recognised: submitted_at").wait_for()
    assert not re.search(r"(?<![\w-])--[a-z]", page.locator('[data-testid="stMain"]').inner_text())
    _one_date_and_load(page, "enquete-nps.csv")
    shot(page, "upload-survey-loaded")
    assert Store(server.db).scalar("SELECT count(*) FROM responses WHERE source = "
                                   "'enquete-nps'") == ANSWERS

    page.set_viewport_size({"width": 1280, "height": 1800})  # the Source filter's list on screen
    open_page(page, "Overview")
    page.get_by_text(re.compile(r"Survey scores here pool 2 sources")).wait_for(timeout=SLOW)
    source = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has_text="Source")
    source.locator("input").click()
    page.get_by_role("option", name="enquete-nps", exact=True).click()
    page.keyboard.press("Escape")
    source.get_by_text("enquete-nps").wait_for()
    wait_idle(page)
    page.get_by_text(re.compile(rf"n = {ANSWERS}\b")).first.wait_for(timeout=SLOW)
    shot(page, "overview-survey-source")


def _pick_field(page: Page, row: int, field: str) -> None:
    """In the mapping editor (a canvas grid): row `row`'s field cell, opened with Enter, typed."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(1)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 30, box["y"] + 35 * (row + 1) + 17)  # its header cell
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.keyboard.type(field, delay=50)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_idle(page)


def test_a_column_the_page_does_not_recognise_is_picked_in_the_mapping_table(
        prepared: Prepared, start_server, page: Page, tmp_path: Path) -> None:
    server: Server = start_server(*copy_prepared(prepared, tmp_path / "data"))
    page.set_viewport_size({"width": 1280, "height": 2000})  # the mapping grid on screen
    page.goto(server.url())
    log_in(page, prepared, Role.ANALYST)
    open_page(page, "Upload and batches")
    survey = tmp_path / "enquete.csv"
    survey.write_text("Répondant,Recommandation,Commentaire\n" + "".join(
        f"R{i},{i % 11},Avis {i}\n" for i in range(ANSWERS)), encoding="utf-8")
    drop_file(page, survey)
    page.get_by_text("No score recognised (nps, csat or ces)").wait_for()
    warning = page.get_by_text("No score recognised")
    for _ in range(3):  # keys typed before the grid has focus are lost: pick again
        _pick_field(page, 1, "nps")
        try:
            warning.wait_for(state="detached", timeout=SLOW / 4)
            break
        except PlaywrightTimeout:
            continue
    warning.wait_for(state="detached", timeout=SLOW)
    _one_date_and_load(page, "enquete.csv")
    shot(page, "upload-picked-field")
    assert Store(server.db).query("SELECT count(nps), sum(nps) FROM responses WHERE source = "
                                  "'enquete'") == [(ANSWERS, sum(i % 11 for i in range(ANSWERS)))]
