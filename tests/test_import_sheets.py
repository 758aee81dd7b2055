"""Reading staff sheets: .xlsx, .ods and .csv give the same rows, headers in en / zh / ru."""

import pytest

from conftest import ROOT
from scoda_map._import import read_sheet, values
from scoda_map._import.sheets import ALIASES, header_key
from scoda_map._import.values import BadValue

SHEETS = ROOT / "tests" / "data" / "sheets"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".ods"])
def test_the_three_formats_read_the_same_rows(suffix):
    expected = read_sheet(SHEETS / "port_cities_mixed.csv").rows
    rows = read_sheet(SHEETS / f"port_cities_mixed{suffix}").rows
    assert rows == expected
    assert len(rows) == 14 and rows[0]["_row"] == "2"


def test_mixed_language_headers_are_named_canonically():
    sheet = read_sheet(SHEETS / "port_cities_mixed.csv")
    assert sheet.columns == {
        "name": "name", "中文名": "name_zh", "название": "name", "国家": "country", "lat": "lat", "долгота": "lon",
        "expected_lat": "expected_lat", "expected_lon": "expected_lon", "geonameid": "geonameid", "kind": "kind",
        "来源": "source", "url": "url", "date": "date", "可信度": "confidence", "备注": "note"}
    assert sheet.ignored == []
    khorgos = sheet.rows[1]
    # generic name columns are sorted by script: Latin -> en, Cyrillic -> ru
    assert (khorgos["name_en"], khorgos["name_zh"], khorgos["name_ru"]) == ("Khorgos", "霍尔果斯", "Хоргос")
    russian_only = sheet.rows[5]
    assert russian_only["name_ru"] == "Исламабад" and russian_only.get("name_en") is None


@pytest.mark.parametrize("header, field", [
    ("Name (EN)", "name_en"), ("名称（中文）", "name_zh"), ("Название (рус.)", "name_ru"), ("英文名", "name_en"),
    ("纬度", "lat"), ("Широта", "lat"), ("经度", "lon"), ("Longitude", "lon"), ("страна", "country"),
    ("来源", "source"), ("Источник", "source"), ("链接", "url"), ("日期", "date"), ("可信度", "confidence"),
    ("Достоверность", "confidence"), ("备注", "note"), ("城市", "city"), ("Город", "city"), ("GeoNames ID", "geonameid"),
    ("序号", "number"), ("英文标题", "title_en"), ("原文", "text"), ("责任单位", "agencies"), ("措施", "measure"),
])
def test_header_aliases(header, field):
    assert ALIASES[header_key(header)] == field


def test_excel_cells_become_text(tmp_path):
    sheet = read_sheet(SHEETS / "parks_zh.xlsx")
    first = sheet.rows[0]
    assert first["date"] == "2023-06-20"  # a real Excel date cell
    assert first["name_zh"] == "兰州新区综合保税区" and first["city"] == "兰州"
    cited = sheet.rows[7]
    assert (cited["lat"], cited["lon"]) == ("36.28389", "120.00333")


def test_a_gb18030_csv_from_chinese_excel_is_read_and_said(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("名称;国家;可信度\n兰州;中国;推断\n".encode("gb18030"))
    sheet = read_sheet(path)
    assert sheet.rows[0]["name_zh"] == "兰州" and sheet.rows[0]["country"] == "中国"
    assert "GB18030" in sheet.notes[0]


def test_unknown_columns_and_blank_rows(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("name,colour\nAlmaty,red\n,\n", encoding="utf-8")
    sheet = read_sheet(path)
    assert sheet.ignored == ["colour"] and len(sheet.rows) == 1


def test_a_two_column_links_sheet_needs_no_known_headers(tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("A,B\nop24-01,r-almaty\n", encoding="utf-8")
    row = read_sheet(path, kind="links").rows[0]
    assert (row["measure"], row["feature"]) == ("op24-01", "r-almaty")


def test_an_unreadable_file_is_a_clear_error(tmp_path):
    path = tmp_path / "s.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(ValueError, match="use .xlsx, .ods or .csv"):
        read_sheet(path)


@pytest.mark.parametrize("word, level", [
    ("documented", "documented"), ("Reported", "reported"), ("有文件记载", "documented"), ("有报道", "reported"),
    ("推断", "inferred"), ("документально", "documented"), ("по сообщениям", "reported"), ("вывод", "inferred")])
def test_confidence_words(word, level):
    assert values.confidence(word) == level


@pytest.mark.parametrize("word", ["high", "高", "confirmed", "documented?", "", None])
def test_other_confidence_words_are_refused(word):
    with pytest.raises(BadValue):
        values.confidence(word)


def test_dates_and_countries():
    assert values.date("2023/6/20") == "2023-06-20" and values.date("2022年3月25日") == "2022-03-25"
    with pytest.raises(BadValue, match="not a real date"):
        values.date("2023-02-30")
    assert [values.country(c) for c in ("cn", "CHN", "China", "中国", "Китай")] == ["CN"] * 5
    with pytest.raises(BadValue):
        values.country("Atlantis")
