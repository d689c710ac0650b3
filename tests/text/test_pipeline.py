"""Features are computed in the load transaction, dropped with the batch, rebuilt on demand."""

from __future__ import annotations

from pathlib import Path

from cx.storage import Store
from cx.text.batch import rebuild
from tests.ingest.conftest import CliRunner, fingerprint

CSV = """response_id,submitted_at,nps,comment
r1,2026-01-05,9,"Great support, the agent was very friendly!"
r2,2026-01-06,2,"The delivery was late and the courier was rude."
r3,2026-01-06,3,"Livraison en retard, le colis est arrivé abîmé."
r4,2026-01-07,10,"Super rapide, merci !"
r5,2026-01-07,5,
r6,2026-01-08,7,"Sehr guter Service, vielen Dank"
r7,2026-01-08,8,"   "
"""


def _load(run_cli: CliRunner, tmp_path: Path, text: str = CSV, *extra: str) -> dict:
    path = tmp_path / "survey.csv"
    path.write_text(text, encoding="utf-8")
    code, out = run_cli("ingest", path, "--table", "responses", *extra)
    assert code == 0, out
    return out


def test_an_upload_stores_one_row_per_non_empty_comment(run_cli: CliRunner, store: Store,
                                                        tmp_path: Path) -> None:
    batch = _load(run_cli, tmp_path)["batch_id"]
    rows = store.query("SELECT record_id, field, batch_id, lang, sentiment_label, theme_version "
                       "FROM comment_features ORDER BY record_id")
    assert [r[0] for r in rows] == ["r1", "r2", "r3", "r4", "r6"]  # r5, r7 have no text
    assert {(r[1], r[2], r[5]) for r in rows} == {("comment", batch, 1)}
    assert [r[3] for r in rows] == ["en", "en", "fr", "fr", "de"]
    labels = {r[0]: r[4] for r in rows}
    assert labels["r1"] == "positive" and labels["r6"] is None  # German: counted, not scored
    themes = store.query("SELECT record_id, theme FROM comment_themes ORDER BY 1, 2")
    assert themes == [("r1", "friendliness"), ("r2", "delivery"), ("r2", "friendliness"),
                      ("r3", "delivery"), ("r4", "wait time")]


def test_rollback_removes_the_batch_features(run_cli: CliRunner, store: Store,
                                             tmp_path: Path) -> None:
    batch = _load(run_cli, tmp_path)["batch_id"]
    code, _ = run_cli("rollback", batch)
    assert code == 0
    assert store.query("SELECT count(*) FROM comment_features") == [(0,)]
    assert store.query("SELECT count(*) FROM comment_themes") == [(0,)]


def test_a_refused_upload_writes_no_features(run_cli: CliRunner, store: Store,
                                             tmp_path: Path) -> None:
    _load(run_cli, tmp_path)
    before = fingerprint(store)
    bad = tmp_path / "bad.csv"
    bad.write_text("response_id,submitted_at,nps,comment\nz1,2026-01-09,11,Lovely staff\n",
                   encoding="utf-8")
    code, out = run_cli("ingest", bad, "--table", "responses")
    assert code == 1 and out["status"] == "refused"
    assert fingerprint(store) == before


def test_theme_change_then_rebuild_is_resumable(run_cli: CliRunner, store: Store,
                                                tmp_path: Path) -> None:
    _load(run_cli, tmp_path)
    code, out = run_cli("text", "themes", "add", "Greetings", "--lang", "de",
                        "--terms", "Dank, danke")
    assert code == 0 and out["version"] == 2 and out["stale_comments"] == 5
    seen: list[tuple[int, int]] = []
    first = rebuild(store, progress=lambda done, total: seen.append((done, total)), chunk=2,
                    limit=3)  # stopped after 3 of 5, as an interrupted run would be
    assert (first.analysed, first.remaining) == (3, 2)
    assert seen == [(0, 5), (2, 5), (3, 5)]
    assert store.query("SELECT theme_version, count(*) FROM comment_features GROUP BY 1 "
                       "ORDER BY 1") == [(1, 2), (2, 3)]
    code, out = run_cli("text", "rebuild", "--chunk", "2")
    assert code == 0 and (out["analysed"], out["remaining"], out["theme_version"]) == (2, 0, 2)
    assert store.query("SELECT count(*), min(theme_version) FROM comment_features") == [(5, 2)]
    assert store.query("SELECT record_id FROM comment_themes WHERE theme = 'greetings'") == [
        ("r6",)]
    code, out = run_cli("text", "rebuild")
    assert code == 0 and out["analysed"] == 0  # nothing stale any more


def test_themes_command_lists_adds_removes_with_history(run_cli: CliRunner,
                                                       tmp_path: Path) -> None:
    _load(run_cli, tmp_path)
    code, out = run_cli("text", "themes")
    assert code == 0 and out["version"] == 1
    listed = {(t["theme"], t["lang"]): t["comments"] for t in out["themes"]}
    assert listed[("delivery", "en")] == 2 and listed[("billing", "fr")] == 0
    code, out = run_cli("text", "themes", "remove", "delivery", "--lang", "fr")
    assert code == 0 and out["removed_lists"] == 1 and out["version"] == 2
    code, out = run_cli("text", "themes", "history", "delivery")
    assert [(e["version"], e["lang"], e["removed"]) for e in out] == [
        (2, "fr", True), (1, "en", False), (1, "fr", False)]
    code, out = run_cli("text", "themes", "add", "billing")
    assert code == 1 and "--terms" in out["error"]
    code, out = run_cli("text", "themes", "remove", "nothing-like-it")
    assert code == 1 and "no theme" in out["error"]


def test_a_ticket_description_is_analysed_but_names_and_emails_are_not(
        run_cli: CliRunner, store: Store, tmp_path: Path) -> None:
    # 30 distinct values: enough for the upload to keep these columns as text, not dimensions
    texts = ("The invoice shows a double charge for order {i}.",
             "My parcel {i} was never delivered to my house.",
             "The app crashes every time I open screen {i}.")
    lines = ["ticket_id,opened_at,customer_name,customer_email,description"]
    lines += [f"t{i:02d},2026-01-05,Customer {i},c{i}@example.com,{texts[i % 3].format(i=i)}"
              for i in range(30)]
    path = tmp_path / "tickets.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = run_cli("ingest", path, "--table", "tickets")
    assert code == 0, out
    assert store.query("SELECT DISTINCT field FROM comment_features") == [("description",)]
    assert store.query("SELECT count(*) FROM comment_features") == [(30,)]
    assert store.query("SELECT record_id, theme FROM comment_themes ORDER BY 1 LIMIT 3") == [
        ("t00", "billing"), ("t01", "delivery"), ("t02", "app crashes")]
    assert store.query("SELECT count(DISTINCT record_id) FROM comment_themes") == [(30,)]
