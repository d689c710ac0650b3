"""AppTest: the Upload page finishes an upload without the command line (issue 11 items 3, 4, 9;
issue 12 item 2): every column with a pick list and the missing field named, one date for every
row, no command-line flag in any message, the scale shown is the scale used (an implied scale is
proposed), saved mappings, extra columns as filters only when marked, the batch's source, the
newest batch as the rollback default, and one preview per file."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
import streamlit as st

from cx.ingest import api
from cx.ingest.templates import save_template
from cx.views.records import filter_fields
from cx.storage import Store
from cx.ui.upload_mapping import editor_rows, options_from, scales_used
from tests.app.session import app_test

# A survey export without any date column (the shape of the French NPS survey of issue 11).
SURVEY = ("Répondant,Recommandation,Satisfaction,Magasin,Commentaire\n"
          "a1,9,4,Lyon,Très bien\na2,10,5,Paris,Parfait\na3,3,2,Lyon,Trop lent\n"
          "a4,7,3,Nice,Correct\na5,8,4,Paris,Bien\n").encode("utf-8")
SURVEY_ROWS = 5
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")


def _upload_page(username: str, name: str, data: bytes, table: str = "responses") -> object:
    st.cache_data.clear()
    at = app_test()
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.switch_page("pages/upload.py").run()
    at.file_uploader(key="upload_file").set_value((name, data, "text/csv")).run()
    if table != "responses":
        at.selectbox(key="upload_table").set_value(table).run()
    assert not at.exception, at.exception
    return at


def _shown_text(at: object) -> str:
    parts = [e.value for kind in ("error", "warning", "success", "caption", "markdown", "info")
             for e in getattr(at, kind)]
    for frame in at.dataframe:
        parts += [str(v) for v in frame.value.astype(str).to_numpy().ravel()]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))  # as read: Markdown escapes undone


def _editor(at: object) -> object:
    """The mapping editor's rows (the page's other tables have no field column)."""
    return next(d.value for d in at.dataframe if {"header", "field"} <= set(d.value.columns))


def _labelled(widgets: object, label: str) -> object:
    return next(w for w in widgets if w.label == label)


def _one_date(at: object) -> None:
    _labelled(at.radio, "Date of each record").set_value("one_date").run()


def _load(at: object) -> None:
    at.checkbox(key="upload_sure").check().run()
    at.button(key="upload_load").click().run()
    assert not at.exception, at.exception
    assert "Loaded: " in _shown_text(at), _shown_text(at)  # a refused load fails here, not later


def _store() -> Store:
    return Store(os.environ["CX_DB"])


def test_a_file_without_a_date_shows_every_column_and_loads_with_one_date(
        logins: dict[str, str]) -> None:
    at = _upload_page(logins["analyst"], "enquete-nps.csv", SURVEY)
    rows = _editor(at)  # the mapping editor: every column of the file, with its field
    assert list(rows["header"]) == SURVEY.decode().splitlines()[0].split(",")
    assert any("Required field not recognised: **submitted_at**" in w.value for w in at.warning)
    assert not FLAG.search(_shown_text(at)), FLAG.findall(_shown_text(at))

    _one_date(at)
    day = dt.date(2024, 3, 1)
    at.date_input[0].set_value(day).run()
    _load(at)
    assert "Loaded: enquete-nps.csv → responses" in _shown_text(at)
    got = _store().query("SELECT count(*), min(submitted_at), max(submitted_at), "
                         "min(source), max(source) FROM responses WHERE source = ?",
                         ["enquete-nps"])
    assert got == [(SURVEY_ROWS, dt.datetime(2024, 3, 1), dt.datetime(2024, 3, 1),
                    "enquete-nps", "enquete-nps")]


def test_no_message_on_the_page_names_a_command_line_flag(logins: dict[str, str]) -> None:
    # a refusal with row errors (reject), a missing ticket id, and ambiguous dates
    bad = b"Response ID,Submitted At,CSAT\nr1,2024-01-02,4\nr2,2024-01-02,good\n"
    at = _upload_page(logins["analyst"], "bad.csv", bad)
    at.button(key="upload_validate").click().run()
    text = _shown_text(at)
    assert "nothing was written" in text and "not a number" in text
    assert not FLAG.search(text), FLAG.findall(text)

    # tickets without ids get ids from their content; customers must bring theirs
    at = _upload_page(logins["analyst"], "customers.csv", b"Region,Plan\nEMEA,Pro\n",
                      table="customers")
    at.button(key="upload_validate").click().run()
    text = _shown_text(at)
    assert "**customer_id**" in text and "no column for customer_id" in text
    assert not FLAG.search(text), FLAG.findall(text)

    ambiguous = b"Response ID,Submitted At,CSAT\nr1,03/04/2024,4\nr2,05/06/2024,5\n"
    at = _upload_page(logins["analyst"], "ambiguous.csv", ambiguous)
    text = _shown_text(at)
    assert "declare the date order" in text and not FLAG.search(text), text
    at.selectbox(key="upload_date_order").set_value("dmy").run()
    assert list(_editor(at)["field"])[:2] == ["response_id", "submitted_at"]


def test_a_rating_beyond_its_declared_scale_proposes_the_implied_scale_and_uses_it(
        logins: dict[str, str]) -> None:
    ten = b"Response ID,Submitted At,CSAT\nr1,2024-01-02,10\nr2,2024-01-03,7\nr3,2024-01-03,1\n"
    at = _upload_page(logins["analyst"], "ten.csv", ten)
    editor = _editor(at)
    assert editor.loc[editor["header"] == "CSAT", "scale"].item() == "1-10"  # not the 1-5 default
    assert "values run 1-10, outside 1-5: proposed 1-10" in editor["note"].str.cat()
    assert "Scales used: CSAT → csat 1-10" in _shown_text(at)
    _load(at)
    assert _store().query("SELECT count(*), min(csat_scale_min), max(csat_scale_max) "
                          "FROM responses WHERE source = 'ten'") == [(3, 1, 10)]


def test_a_saved_mapping_is_proposed_again_for_the_same_headers(logins: dict[str, str]) -> None:
    at = _upload_page(logins["analyst"], "enquete-nps.csv", SURVEY)
    at.text_input(key="upload_template_name").input("Enquête NPS mensuelle")
    at.button[[b.label for b in at.button].index("Save mapping")].click().run()
    assert "Saved the mapping “Enquête NPS mensuelle”" in _shown_text(at)
    assert _store().query("SELECT name, table_name, created_by FROM mapping_templates") == [
        ("Enquête NPS mensuelle", "responses", logins["analyst"])]

    # a template that maps the columns as the analyst would, saved for these headers
    headers = SURVEY.decode().splitlines()[0].split(",")
    save_template(_store(), "Survey with store filter", "responses", headers, {
        "Répondant": {"field": "response_id"}, "Recommandation": {"field": "nps"},
        "Satisfaction": {"field": "csat", "scale": "1-5"},
        "Magasin": {"field": "magasin", "filter": True}}, logins["analyst"])
    at = _upload_page(logins["analyst"], "next-month.csv", SURVEY.replace(b"a1,", b"b1,"))
    assert at.selectbox(key="upload_template").value == "Survey with store filter"  # newest
    editor = _editor(at).set_index("header")
    assert list(editor["field"]) == ["response_id", "nps", "csat", "magasin", "commentaire"]
    assert editor.loc["Magasin", "filter"]
    _one_date(at)
    _load(at)
    # the marked extra dimension is a sidebar filter; the unmarked text column is not
    fields = filter_fields(_store(), ("channel",))
    assert fields["magasin"] == ("responses",) and "commentaire" not in fields
    assert _store().query("SELECT count(nps), count(csat) FROM responses "
                          "WHERE source = 'next-month'") == [(SURVEY_ROWS, SURVEY_ROWS)]


def test_extra_columns_are_fields_not_filters_unless_marked_and_each_source_separates(
        logins: dict[str, str]) -> None:
    for name in ("first.csv", "second.csv"):
        data = (b"Response ID,Submitted At,NPS,Store\n" + (
            b"x1,2024-01-02,9,Lyon\nx2,2024-01-03,2,Nice\n" if name == "first.csv" else
            b"y1,2024-01-02,10,Lyon\ny2,2024-01-04,10,Paris\n"))
        _load(_upload_page(logins["analyst"], name, data))
    fields = filter_fields(_store(), ("channel",))
    assert "store" not in fields  # kept as a field (group-by, explorer), not a filter
    assert fields["source"] == ("responses",)
    assert _store().query("SELECT source, count(*), avg(nps) FROM responses "
                          "WHERE source IN ('first', 'second') GROUP BY 1 ORDER BY 1") == [
        ("first", 2, 5.5), ("second", 2, 10.0)]
    assert "store" in {r[0] for r in _store().query(
        "SELECT field FROM field_catalog WHERE table_name = 'responses'")}

    at = app_test()
    at.session_state["authentication_status"] = True
    at.session_state["username"] = logins["analyst"]
    at.query_params["preset"] = "all"  # the uploads are dated 2024, the demo data 2026
    at.run()
    labels = [m.label for m in at.sidebar.multiselect]
    assert "Source" in labels and "Store" not in labels
    at.switch_page("pages/overview.py").run()
    pooled = [c.value for c in at.caption if "pool" in c.value]
    # the demo's responses, first and second: three sources
    assert pooled == ["Survey scores here pool 3 sources (demo, first, second); choose one under "
                      "Source in the sidebar to see it alone."]


def test_rollback_picker_defaults_to_the_newest_batch_and_says_what_it_is(
        logins: dict[str, str]) -> None:
    data = b"Response ID,Submitted At,NPS\nz1,2024-01-02,9\nz2,2024-01-03,2\nz3,2024-01-03,8\n"
    _load(_upload_page(logins["analyst"], "newest.csv", data))
    at = _upload_page(logins["analyst"], "newest.csv", data)
    newest = api.batches(_store())[-1]
    picker = at.selectbox(key="upload_rollback_batch")
    assert picker.value == newest.batch_id
    label = picker.format_func(picker.value)
    assert label.startswith("newest.csv · ") and "· 3 responses · by test-analyst · " in label
    assert f"{newest.created_at:%d %b %Y %H:%M} UTC" in label


def test_the_preview_is_computed_once_per_file_not_on_every_click(
        logins: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = api.preview

    def counting(*args: object, **kwargs: object) -> api.Preview:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "preview", counting)
    at = _upload_page(logins["analyst"], "enquete-nps.csv", SURVEY)
    at.button(key="upload_validate").click().run()
    at.checkbox(key="upload_sure").check().run()
    _labelled(at.text_input, "Source name").input("renamed").run()
    assert not at.exception
    assert len(calls) == 1  # four runs of the page, one preview


def test_a_column_sent_to_nps_is_always_checked_on_0_to_10() -> None:
    # the editor's rows as the analyst leaves them: Recommandation picked as nps, 1-10 typed
    preview = api.preview(SURVEY, api.IngestOptions(table="responses", file_name="e.csv"))
    rows = editor_rows(preview, None)
    rows.loc[rows["header"] == "Recommandation", ["field", "scale"]] = ["nps", "1-10"]
    options = options_from(rows, preview, api.IngestOptions(table="responses"))
    assert "Recommandation" not in options.scales  # the 1-10 typed in the editor is not used
    assert "Recommandation → nps 0-10" in scales_used(rows, options)


def test_the_page_says_what_the_first_real_upload_changes(
        logins: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CX_COOKIE_KEY", raising=False)  # none configured: a generated key signs
    at = _upload_page(logins["analyst"], "enquete.csv", SURVEY)
    notes = [e.value for e in at.info if "demo mode ends" in e.value]
    assert notes == ["This is the first real upload: demo mode ends. The demo data stays beside "
                     "your file until an analyst or admin rolls back its batches (source demo) "
                     "on the Batches tab; logins and sessions keep working as before."]
    monkeypatch.setenv("CX_COOKIE_KEY", "changeme")  # refused outside demo mode
    at.run()
    assert any("app stops with an error for everyone" in w.value for w in at.warning)
    monkeypatch.delenv("CX_COOKIE_KEY")
    _one_date(at)
    _load(at)
    at.run()  # demo mode is over: nothing more to announce
    assert not [e for e in at.info if "demo mode" in e.value]
    assert not [w for w in at.warning if "demo mode" in w.value]
