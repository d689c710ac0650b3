"""AppTest: on the Upload page a person with a data scope sees, and can roll back, only the
files they uploaded (issue 16). A batch's counts are of its whole file, rows of every region,
and a rollback removes them all; before, a Europe-only analyst saw every batch with its counts
(the demo's included) and could roll any of them back."""

from __future__ import annotations

import streamlit as st

from cx.auth.scopes import change_scope
from cx.domain import clause_of
from cx.ingest import api
from tests.app.session import app_test
from tests.app.test_upload_page import _load, _store, _upload_page

DATA = b"Response ID,Submitted At,NPS,Region\nq1,2024-01-02,9,Europe\nq2,2024-01-03,2,Asia\n"


def _batches_tab(username: str) -> object:
    st.cache_data.clear()
    at = app_test()
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.switch_page("pages/upload.py").run()
    assert not at.exception, at.exception
    return at


def _listed(at: object) -> list[str]:
    frames = [d.value for d in at.dataframe if "batch" in d.value.columns]
    return list(frames[0]["batch"]) if frames else []


def test_a_scoped_analyst_sees_and_rolls_back_only_their_own_uploads(
        logins: dict[str, str]) -> None:
    analyst = logins["analyst"]
    change_scope(_store(), "user", analyst, clause_of({"region": "Europe"}), "test")
    demo = [b.batch_id for b in api.batches(_store())]
    assert demo  # the demo's batches, uploaded by nobody
    _load(_upload_page(analyst, "mine.csv", DATA))
    mine = api.batches(_store())[-1]
    assert mine.uploader == analyst and mine.rows_loaded == 2

    at = _batches_tab(analyst)
    assert _listed(at) == [mine.batch_id]
    assert at.selectbox(key="upload_rollback_batch").options == [
        at.selectbox(key="upload_rollback_batch").format_func(mine.batch_id)]
    assert any("only the files you uploaded" in c.value for c in at.caption)

    at = _batches_tab(logins["admin"])  # sees all data: every batch
    assert sorted(_listed(at)) == sorted([*demo, mine.batch_id])
