"""The mistakes of issue 16, made on purpose in staff sheets: refused or held, never added silently."""

import csv
import hashlib
import io
import shutil
import sys

import openpyxl
import pytest

import scoda_map
from conftest import ROOT
from scoda_map import cli
from scoda_map._import import plan_import, read_sheet
from scoda_map._import.names import split_languages
from scoda_map._import.values import BadValue, country

HEADER = ["序号", "名称", "国家", "纬度", "经度", "来源", "链接", "日期", "可信度"]
SOURCE = ["测试来源", "https://example.org/a", "2025", "有报道"]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """A copy of the shipped data (with its basemap), for import plans; never written."""
    target = tmp_path_factory.mktemp("shipped") / "data"
    shutil.copytree(ROOT / "geodata", target)
    return target


def sheet(path, rows, header=HEADER):
    workbook = openpyxl.Workbook()
    for row in [header, *rows]:
        workbook.active.append(row)
    workbook.save(path)
    return path


def by_row(plan):
    return {r.row: r for r in plan.results}


def snapshot(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def test_swapped_and_misplaced_coordinates_are_refused(shipped, tmp_path):
    path = sheet(tmp_path / "parks.xlsx", [
        [1, "明斯克测试园", "白俄罗斯", 27.5615, 53.9045, *SOURCE],    # 纬度 / 经度 swapped
        [2, "杜尚别测试园", "塔吉克斯坦", 53.9045, 27.5615, *SOURCE],  # a Minsk point for Tajikistan
    ])
    rows = by_row(plan_import(path, "parks", data=shipped))
    assert rows[2].outcome == "rejected"
    assert rows[2].details.startswith("lat / lon: latitude and longitude swapped? The point (latitude 27.5615, "
                                      "longitude 53.9045) is in Iran; swapped, it is in Belarus, as the row says")
    assert "swap them" in rows[2].what_to_do
    assert rows[3].outcome == "rejected"
    assert "is in Belarus, the row says Tajikistan (TJ)" in rows[3].details


def test_the_cli_writes_nothing_and_says_why(shipped, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    path = sheet(tmp_path / "parks.xlsx", [[1, "明斯克测试园", "BY", 27.5615, 53.9045, *SOURCE]])
    before = snapshot(shipped)
    assert cli.main(["import", str(path), "--layer", "parks", "--data", str(shipped), "--yes"]) == 1
    out = capsys.readouterr().out
    assert "row 2    rejected  明斯克测试园: lat / lon: latitude and longitude swapped?" in out
    assert snapshot(shipped) == before


GREAT_STONE = ["中白工业园 (China–Belarus Great Stone Industrial Park)", "Great Stone Industrial Park"]


def test_the_great_stone_near_duplicates_are_held_side_by_side(shipped, tmp_path):
    path = sheet(tmp_path / "parks.xlsx", [[i, name, "Belarus", None, None, *SOURCE] for i, name in enumerate(GREAT_STONE, 1)])
    plan = plan_import(path, "parks", data=shipped)
    rows = by_row(plan)
    for number in (2, 3):
        assert rows[number].outcome == "held", rows[number]
        assert rows[number].same_as == "park-great-stone"
        shown = rows[number].same_as_record  # the shipped record beside the row: id, its names, country
        assert shown.startswith("park-great-stone: China-Belarus Industrial Park (Great Stone) / 中白工业园")
        assert "(BY" in shown
    assert rows[2].name == "China–Belarus Great Stone Industrial Park / 中白工业园"  # the cell, split
    assert "same zh name '中白工业园'" in rows[2].details
    assert "resembles its name 'China-Belarus Industrial Park (Great Stone)'" in rows[3].details
    assert "write its id (see same_as) in the sheet's id column" in rows[3].what_to_do
    assert plan.counts()["added"] == 0 and plan.changes == {}
    report = plan.report.set_index("row")
    assert report.loc[3, "same_as"] == "park-great-stone" and "中白工业园" in report.loc[3, "same_as_record"]
    summary = plan.summary()
    assert "held 2" in summary and "the data:  park-great-stone: China-Belarus Industrial Park (Great Stone)" in summary


def test_a_held_row_goes_in_once_a_person_names_the_record(shipped, tmp_path):
    path = sheet(tmp_path / "parks.xlsx", [["park-great-stone", "Great Stone Industrial Park", "BY", None, None, *SOURCE]],
                 header=["id", *HEADER[1:]])
    row = by_row(plan_import(path, "parks", data=shipped))[2]
    assert row.outcome != "held" and row.record == "park-great-stone"  # an update of that record, never a second park


def test_a_point_next_to_a_record_of_the_layer_is_held(shipped, tmp_path):
    qingdao = scoda_map.load(shipped).layer("port_cities").dropna(subset=["geometry"]).iloc[0]
    point = qingdao["geometry"]
    path = sheet(tmp_path / "ports.xlsx", [[1, "Some other name", qingdao["country"], point.y + 0.001, point.x, *SOURCE]])
    row = by_row(plan_import(path, "port_cities", data=shipped))[2]
    assert row.outcome == "held" and row.same_as == qingdao.name and "km from its point" in row.details


@pytest.mark.parametrize("cell, zh, en", [
    ("中白工业园 (China–Belarus Great Stone Industrial Park)", "中白工业园", "China–Belarus Great Stone Industrial Park"),
    ("Great Stone (中白工业园)", "中白工业园", "Great Stone"),
    ("Great Stone / 中白工业园", "中白工业园", "Great Stone"),
    ("中白工业园／Great Stone", "中白工业园", "Great Stone"),
    ("中白工业园（Great Stone）", "中白工业园", "Great Stone"),
])
def test_name_cells_in_two_languages_are_split(tmp_path, cell, zh, en):
    path = tmp_path / "s.csv"
    path.write_text(f"名称,国家\n\"{cell}\",BY\n", encoding="utf-8")
    row = read_sheet(path).rows[0]
    assert (row["name_zh"], row["name_en"]) == (zh, en)


def test_a_bilingual_cell_in_a_chinese_name_column_fills_english_too(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("中文名,国家\n中白工业园 (Great Stone),BY\n", encoding="utf-8")
    row = read_sheet(path).rows[0]
    assert (row["name_zh"], row["name_en"]) == ("中白工业园", "Great Stone")


def test_one_name_with_brackets_is_not_split():
    assert split_languages("China-Belarus Industrial Park (Great Stone)") == {}
    assert split_languages("兰州新区（综合保税区）") == {}


@pytest.mark.parametrize("written, code", [
    ("Russian Federation", "RU"), ("Kyrgyz Republic", "KG"), ("Республика Беларусь", "BY"), ("中华人民共和国", "CN"),
    ("巴基斯坦伊斯兰共和国", "PK"), ("哈萨克", "KZ"), ("Kazakhstan", "KZ"), ("Казахстан", "KZ"), ("吉尔吉斯斯坦", "KG"),
    ("Кыргызстан", "KG"), ("Islamic Republic of Iran", "IR"), ("Lao People's Democratic Republic", "LA"), ("Viet Nam", "VN"),
    ("uzb", "UZ"), ("CN", "CN"),
])
def test_official_and_short_country_names_are_accepted(written, code):
    assert country(written) == code


def test_an_ambiguous_country_is_refused_with_the_candidates():
    with pytest.raises(BadValue, match=r"'Korea' could be KP \(North Korea\) or KR \(South Korea\)"):
        country("Korea")
    with pytest.raises(BadValue, match="use a two-letter country code such as KZ, or a country name.*did you mean Kazakhstan"):
        country("Kazakstan")


def test_rows_with_official_country_names_go_in(shipped, tmp_path):
    path = sheet(tmp_path / "parks.xlsx", [[1, "Test Park Osh", "Kyrgyz Republic", 40.5283, 72.7985, *SOURCE],
                                           [2, "Test Park Karachi", "巴基斯坦伊斯兰共和国", 24.8607, 67.0011, *SOURCE]])
    rows = by_row(plan_import(path, "parks", data=shipped))
    assert [rows[2].outcome, rows[3].outcome] == ["added", "added"]


def test_a_semicolon_sheet_is_read_and_said_the_same_way_validate_finds_it(shipped, tmp_path):
    path = tmp_path / "parks.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerow([1, "Test Park Osh", "KG", "40,5283", "72,7985", *SOURCE])  # decimal commas, as such Excels write
    table = read_sheet(path)
    assert table.rows[0]["name_en"] == "Test Park Osh" and table.rows[0]["lat"] == "40,5283"
    assert any("separated by semicolons (;)" in note for note in table.notes)
    assert by_row(plan_import(path, "parks", data=shipped))[2].outcome == "added"


def test_an_ignored_column_is_named(shipped, tmp_path):
    path = sheet(tmp_path / "parks.xlsx", [[1, "Test Park Osh", "KG", 40.5283, 72.7985, *SOURCE]])
    assert read_sheet(path).ignored == ["序号"]
    assert "note: columns not used: 序号 (their cells are ignored" in plan_import(path, "parks", data=shipped).summary()
