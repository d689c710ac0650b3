"""CSV downloads neutralise spreadsheet formulas in text cells and nothing else."""

from __future__ import annotations

import io

import pandas as pd

from cx.views.export import neutralise_cell, to_csv_bytes


def test_formula_like_text_becomes_plain_text() -> None:
    for cell in ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]:
        assert neutralise_cell(cell) == "'" + cell
    for cell in ["fine", "a=b", "", "3-4"]:
        assert neutralise_cell(cell) == cell
    assert neutralise_cell(-5) == -5  # numbers stay numbers


def test_csv_bytes_have_exactly_the_rows_shown() -> None:
    df = pd.DataFrame({"comment": ["=1+1 slow", "great"], "nps": [-1, 10]})
    raw = to_csv_bytes(df)
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert list(back["comment"]) == ["'=1+1 slow", "great"]
    assert list(back["nps"]) == [-1, 10]
    assert len(back) == 2


# --- numbers as numbers, Excel beside CSV, every record of the filter (issue 11, item 8) ---

def _metric_table() -> pd.DataFrame:
    from cx.ui.components import metric_export  # noqa: PLC0415 - the page's own export frame

    rows = pd.DataFrame({"channel": ["=cmd|' /C calc'!A0", "chat"], "value": [-0.1155, 0.8123],
                         "ci_low": [-0.2, 0.7112], "ci_high": [0.01, 0.8666], "n": [412, 9],
                         "reliability": ["ok", "low_n"]})
    return metric_export(rows, ["channel"], "fraction")


def test_metric_csv_has_numbers_in_their_own_columns() -> None:
    raw = to_csv_bytes(_metric_table())
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "channel,value,ci_low,ci_high,n,reliability,unit"
    assert text.splitlines()[1] == "'=cmd|' /C calc'!A0,-0.1155,-0.2,0.01,412,ok,fraction"
    assert "\u2212" not in text and "'-" not in text  # plain minus, numbers not neutralised
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert back["value"].dtype.kind == "f" and back["n"].dtype.kind == "i"
    assert back["value"].tolist() == [-0.1155, 0.8123]
    assert back["ci_high"].tolist() == [0.01, 0.8666] and back["n"].tolist() == [412, 9]


def test_typographic_minus_in_text_becomes_ascii() -> None:
    assert neutralise_cell("r = \u22120.32") == "r = -0.32"
    assert neutralise_cell("\u22120.32") == "'-0.32"  # text that starts like a formula


def test_xlsx_keeps_numbers_and_stores_formulas_as_text() -> None:
    from openpyxl import load_workbook

    from cx.views.export import to_xlsx_bytes

    df = _metric_table().assign(when=pd.to_datetime(["2026-03-01 10:00", None], utc=True),
                                note=['=HYPERLINK("http://evil","x")', None])
    book = load_workbook(io.BytesIO(to_xlsx_bytes(df)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("channel", "value", "ci_low", "ci_high", "n", "reliability", "unit",
                       "when", "note")
    assert rows[1][1:5] == (-0.1155, -0.2, 0.01, 412)
    assert isinstance(rows[1][4], int) and rows[1][7].isoformat() == "2026-03-01T10:00:00"
    assert rows[2][7] is None and rows[2][8] is None
    note = sheet.cell(row=2, column=9)
    assert note.data_type == "s" and note.value == '=HYPERLINK("http://evil","x")'
    assert sheet.cell(row=2, column=1).data_type == "s"


def test_records_export_holds_every_record_of_the_filter(tmp_path) -> None:
    from openpyxl import load_workbook

    from cx.config import load_settings
    from cx.domain import DateRange, Filters
    from cx.views.export import record_chunks, records_csv, records_xlsx
    from cx.views.records import MAX_PAGE_SIZE, RecordQuery
    from cx.storage import Store

    total = MAX_PAGE_SIZE * 2 + 37  # more than any page the explorer can show
    rows = pd.DataFrame({
        "response_id": [f"R{i:05d}" for i in range(total)],
        "submitted_at": pd.Timestamp("2026-03-01") + pd.to_timedelta(range(total), unit="min"),
        "channel": ["chat", "email", "phone"] * (total // 3) + ["chat"] * (total % 3),
        "nps": [i % 11 for i in range(total)],
        "comment": ["-neg start" if i % 7 == 0 else "ok" for i in range(total)],
    })
    store = Store(tmp_path / "x.duckdb")
    with store.cursor() as cur:
        cur.register("src", rows)
        cur.execute("INSERT INTO responses BY NAME SELECT * FROM src")
    settings = load_settings()
    chat = int((rows["channel"] == "chat").sum())
    query = RecordQuery("responses", Filters.of(DateRange(), channel=("chat",)), page=2,
                        page_size=25)
    chunks = list(record_chunks(store, settings, query, chunk=100))
    assert [len(c) for c in chunks[:2]] == [100, 100] and sum(map(len, chunks)) == chat
    back = pd.read_csv(io.BytesIO(records_csv(store, settings, query)), encoding="utf-8-sig")
    assert len(back) == chat == 347  # 1,037 // 3 + 2 chats, across four chunks
    assert back["response_id"].is_unique and set(back["channel"]) == {"chat"}
    assert back["nps"].dtype.kind == "i"
    assert (back["comment"].str.startswith("'-")).sum() == (back["comment"] != "ok").sum() > 0
    everything = RecordQuery("responses", Filters.of(DateRange()))
    sheet = load_workbook(io.BytesIO(records_xlsx(store, settings, everything))).active
    assert sheet.max_row == total + 1  # header + every record
