"""Natural keys: standard id headers map to their fields, and nothing is stored twice.

Issue 12 item 1: `response_id` + `customer_id` used to demote both to extra columns (the prefix
rule read `customer_id` as the key phrase `id` too), so the explorer's own CSV export, uploaded
back, added every row again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from pathlib import Path

from cx.config import load_settings
from cx.views.export import to_csv_bytes
from cx.ingest import IngestOptions, load
from cx.ingest.headers import ranked_candidates
from cx.ingest.problems import ALREADY_LOADED, REPLACE_BATCH
from cx.views.records import RecordQuery, fetch_records
from cx.storage import Store
from tests.ingest.conftest import fingerprint


def _survey(path: Path, rows: int) -> Path:
    lines = ["response_id,customer_id,submitted_at,nps,csat,comment"]
    lines += [f"r{i},c{i % 50},2024-03-{1 + i % 28:02d} 10:{i % 60:02d},{i % 11},{1 + i % 5},"
              f"answer {i}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_own_field_name_beats_the_prefix_reading() -> None:
    # `customer_id` is tier 0 for customer_id; its prefix-stripped `id` is only tier 2 for the key
    assert ranked_candidates("responses", "customer_id") == [(0, "customer_id"),
                                                             (2, "response_id")]
    assert ranked_candidates("responses", "Response ID") == [(0, "response_id")]
    assert ranked_candidates("tickets", "ID") == [(1, "ticket_id")]


def test_standard_id_headers_map_to_their_fields(tmp_path: Path, store: Store) -> None:
    report = load(store, _survey(tmp_path / "s.csv", 3), IngestOptions("responses"))
    assert report.mapping["response_id"] == "response_id"
    assert report.mapping["customer_id"] == "customer_id"
    assert store.query("SELECT response_id, customer_id FROM responses ORDER BY 1") == [
        ("r0", "c0"), ("r1", "c1"), ("r2", "c2")]
    tickets = tmp_path / "t.csv"
    tickets.write_text("ticket_id,customer_id,opened_at\nt1,c1,2024-01-02 09:00\n"
                       "t2,c2,2024-01-03 09:00\n", encoding="utf-8")
    report = load(store, tickets, IngestOptions("tickets"))  # was refused: no column for ticket_id
    assert (report.status, report.rows_loaded) == ("loaded", 2), report.message
    assert store.query("SELECT ticket_id, customer_id FROM tickets ORDER BY 1") == [
        ("t1", "c1"), ("t2", "c2")]


def test_explorer_export_uploaded_back_adds_nothing(tmp_path: Path, store: Store) -> None:
    first = load(store, _survey(tmp_path / "s.csv", 500), IngestOptions("responses"))
    assert first.rows_loaded == 500, first.message
    page = fetch_records(store, load_settings(), RecordQuery("responses", page_size=500))
    exported = to_csv_bytes(page.rows)  # what the explorer's "Download CSV" button gives
    columns_before = store.query("SELECT count(*) FROM information_schema.columns "
                                 "WHERE table_name = 'responses'")
    again = load(store, exported, IngestOptions("responses", file_name="records.csv"))
    # before the fix: 500 new rows (keys invented, response_id kept as response_id_2)
    assert (again.rows_loaded, again.rows_duplicate) == (0, 500), again.message
    assert store.scalar("SELECT count(*) FROM responses") == 500
    # the export's bookkeeping (batch_id, scale ends) adds no batch_id_2 / csat_scale_min_2
    assert store.query("SELECT count(*) FROM information_schema.columns "
                       "WHERE table_name = 'responses'") == columns_before
    assert set(again.plan["ignored"]) == {"batch_id", "csat_scale_min", "csat_scale_max",
                                          "ces_scale_min", "ces_scale_max"}


def test_exported_scale_columns_carry_the_scale(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "ten.csv"
    path.write_text("response_id,submitted_at,csat,csat_scale_min,csat_scale_max\n"
                    "a,2024-01-01,9,1,10\nb,2024-01-02,3,1,10\n", encoding="utf-8")
    report = load(store, path, IngestOptions("responses"))  # 9 is outside the default 1-5
    assert report.rows_loaded == 2, report.message
    assert store.query("SELECT csat, csat_scale_min, csat_scale_max FROM responses "
                       "ORDER BY 1") == [(3, 1, 10), (9, 1, 10)]
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("response_id,submitted_at,csat,csat_scale_min,csat_scale_max\n"
                     "c,2024-01-01,4,1,5\nd,2024-01-02,9,1,10\n", encoding="utf-8")
    refused = load(store, mixed, IngestOptions("responses"))
    assert refused.refused and "mixes csat scales" in refused.message


def test_concurrent_loads_of_one_file_store_it_once(tmp_path: Path, store: Store) -> None:
    """Four sessions of one app (threads) load the same 20,000-row file at the same moment."""
    path = tmp_path / "same.csv"
    path.write_text("response_id,submitted_at,nps\n" + "".join(
        f"r{i},2024-03-01,{i % 11}\n" for i in range(20_000)), encoding="utf-8")
    store.table_counts()  # schema first, so the threads race on the load, not the migration
    start, reports = threading.Barrier(4), []

    def one() -> None:
        start.wait()
        reports.append(load(store, path, IngestOptions("responses")))

    threads = [threading.Thread(target=one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # before: 80,000 rows for 20,000 ids (every transaction inserted, none saw the others)
    assert store.query("SELECT count(*), count(DISTINCT response_id) FROM responses") == [
        (20_000, 20_000)]
    assert sorted(r.rows_loaded for r in reports)[-1] == 20_000
    assert sum(r.rows_loaded for r in reports) == 20_000


NO_IDS = ("Submitted At,Channel,NPS,Comment\n"
          "2024-05-01,Chat,9,fine\n2024-05-01,Chat,9,fine\n2024-05-02,Email,3,slow\n"
          "2024-05-03,Phone,10,\n")


def test_same_file_again_is_refused_naming_its_batch(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(NO_IDS, encoding="utf-8")
    first = load(store, path, IngestOptions("responses"))
    assert first.rows_loaded == 4, first.message
    before = fingerprint(store)
    # the same bytes under another mapping (Channel kept as an extra column) and another name
    again = load(store, path.read_bytes(), IngestOptions(
        "responses", mapping={"Channel": "contact_channel"}, file_name="copy.csv"))
    assert again.refused and first.batch_id in again.message  # before: loaded, 0 new rows
    assert again.problem is not None and again.problem.code == ALREADY_LOADED
    assert (again.problem.batch_id, again.problem.choices) == (first.batch_id, (REPLACE_BATCH,))
    assert "--" not in again.message  # no command-line flag in the core's words
    assert fingerprint(store) == before
    stored = store.scalar("SELECT sha256 FROM batches WHERE batch_id = ?", [first.batch_id])
    assert stored == first.sha256 == hashlib.sha256(NO_IDS.encode()).hexdigest()


def test_replace_rolls_back_and_loads_in_one_transaction(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(NO_IDS, encoding="utf-8")
    first = load(store, path, IngestOptions("responses"))
    before = fingerprint(store)
    # a replacement that is itself refused (NPS sent to csat on 1-5: 9 and 10 are out of range)
    # leaves the earlier batch in place
    failed = load(store, path, IngestOptions("responses", mapping={"NPS": "csat"}, replace=True))
    assert failed.refused and failed.replaced == ()
    assert "outside the csat scale 1-5" in failed.errors["message"].iloc[0]
    assert fingerprint(store) == before
    done = load(store, path, IngestOptions("responses", mapping={"Channel": "contact_channel"},
                                           replace=True))
    assert (done.status, done.rows_loaded, done.replaced) == ("loaded", 4, (first.batch_id,))
    assert dict(store.query("SELECT batch_id, status FROM batches")) == {
        first.batch_id: "rolled_back", done.batch_id: "active"}
    assert store.query("SELECT count(*), count(channel), count(contact_channel) "
                       "FROM responses") == [(4, 0, 4)]


def test_ids_from_content_survive_reordering_and_remapping(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "answers.csv"
    path.write_text(NO_IDS, encoding="utf-8")
    first = load(store, path, IngestOptions("responses"))
    assert first.rows_loaded == 4  # the two identical Chat answers stay two
    ids = [r[0] for r in store.query("SELECT response_id FROM responses ORDER BY response_id")]
    assert len(set(ids)) == 4 and sum(i.endswith("-2") for i in ids) == 1
    header, *rows = NO_IDS.splitlines()
    shuffled = tmp_path / "shuffled.csv"  # other bytes: the file hash does not catch it
    shuffled.write_text("\n".join([header, *reversed(rows)]) + "\n", encoding="utf-8")
    again = load(store, shuffled, IngestOptions("responses", mapping={"Comment": "note"}))
    # before: 4 more rows (keys were the file hash + row number)
    assert (again.status, again.rows_loaded, again.rows_duplicate) == ("loaded", 0, 4)
    extended = tmp_path / "more.csv"  # the same answers plus a third identical Chat answer
    extended.write_text(NO_IDS + "2024-05-01,Chat,9,fine\n", encoding="utf-8")
    more = load(store, extended, IngestOptions("responses"))
    assert (more.rows_loaded, more.rows_duplicate) == (1, 4)
    assert store.scalar("SELECT count(*) FROM responses WHERE channel = 'Chat'") == 3


def test_tickets_without_an_id_get_content_ids(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "calls.csv"
    path.write_text("Opened At,Team\n2024-05-01 09:00,A\n2024-05-01 09:00,A\n", encoding="utf-8")
    report = load(store, path, IngestOptions("tickets"))  # before: refused, no ticket_id
    assert (report.rows_loaded, report.plan["synthetic_key"]) == (2, True), report.message
    assert "ticket_id" in report.plan["derived"]


def test_one_date_is_part_of_the_content_only_without_a_date_column(tmp_path: Path,
                                                                     store: Store) -> None:
    dated = tmp_path / "dated.csv"
    dated.write_text("Submitted At,NPS\n2024-05-01,9\n,7\n", encoding="utf-8")
    assert load(store, dated, IngestOptions("responses", date=dt.date(2024, 5, 2))).rows_loaded \
        == 2
    copy = tmp_path / "copy.csv"  # the same rows in another order, another date for the blank
    copy.write_text("Submitted At,NPS\n,7\n2024-05-01,9\n", encoding="utf-8")
    again = load(store, copy, IngestOptions("responses", date=dt.date(2024, 5, 9)))
    assert (again.rows_loaded, again.rows_duplicate) == (0, 2)
    undated = tmp_path / "undated.csv"  # no date column: the date given says which wave it is
    undated.write_text("NPS\n9\n7\n", encoding="utf-8")
    assert load(store, undated, IngestOptions("responses", date=dt.date(2024, 6, 1))) \
        .rows_loaded == 2
    wave = tmp_path / "wave2.csv"
    wave.write_text("NPS\n7\n9\n", encoding="utf-8")
    assert load(store, wave, IngestOptions("responses", date=dt.date(2024, 7, 1))).rows_loaded \
        == 2
    assert load(store, wave, IngestOptions("responses", date=dt.date(2024, 6, 1),
                                           file_name="w.csv", replace=True)).rows_loaded == 0
