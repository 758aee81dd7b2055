"""Sample sheets into copies of the data and back out through the loader."""

import shutil

import pandas as pd
import pytest

import scoda_map
from conftest import ROOT
from scoda_map._import import apply_import, plan_import

SHEETS = ROOT / "tests" / "data" / "sheets"

#: What becomes of each row of port_cities_mixed.* on the minimal fixture.
MIXED = {
    2: ("ambiguous", "4 GeoNames places in CN"),  # Pingxiang
    3: ("added", "place khorgos-cn: name_ru"),  # Khorgos: the fixture already has the place (pinned to 1529377)
    4: ("ambiguous", "Tongjiang (2034408)"),  # 471 km from the expected point
    5: ("ambiguous", "Moshiyi (8997931)"),  # Mohan
    6: ("ambiguous", "3 GeoNames places are named 'Islamabad'"),  # no country: Chattogram too
    7: ("added", "GeoNames 1176615 'Islamabad' (PK), matched by its alternate name 'Исламабад'"),
    8: ("updated", "port-incheon: confidence"),
    9: ("added", "new place alashankou"),
    10: ("rejected", "confidence 'high' is not one of"),
    11: ("rejected", "looks like HTML markup"),
    12: ("rejected", "duplicate of row 3"),
    13: ("added", "GeoNames 1797929 'Qingdao' (CN), matched by its alternate name '青岛'"),
    14: ("added", "GeoNames 1524537 'Druzhba' (KZ), chosen in the sheet"),
    15: ("added", "new place vorsino"),
}


def outcomes(plan):
    return {r.row: (r.outcome, r.details) for r in plan.results}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".ods"])
def test_mixed_sheet_round_trip(minimal_copy, suffix):
    plan = plan_import(SHEETS / f"port_cities_mixed{suffix}", "port_cities", data=minimal_copy)
    got = outcomes(plan)
    for row, (outcome, words) in MIXED.items():
        assert got[row][0] == outcome and words in got[row][1], (row, got[row])
    assert plan.counts() == {"added": 6, "updated": 1, "unchanged": 0, "rejected": 3, "ambiguous": 4, "held": 0}
    assert plan.problems == [] and set(plan.files) == {"datapackage.json", "places.geojson", "port_cities.csv", "sources.csv"}
    apply_import(plan)

    atlas = scoda_map.load(minimal_copy)
    ports = atlas.layer("port_cities")
    assert ports.loc["port-dostyk", "geonameid"] == 1524537 and ports.loc["port-dostyk", "on_map"]
    assert ports.loc["port-alashankou", "coord_source"] == "cited"
    assert tuple(atlas.places.loc["alashankou"].geometry.coords)[0] == (82.570278, 45.170278)
    assert not ports.loc["port-vorsino", "on_map"] and ports.loc["port-vorsino", "coord_source"] == "none"
    assert ports.loc["port-incheon", "confidence"] == "documented"  # raised by a documented row
    russian = ports[ports["name_ru"] == "Исламабад"].iloc[0]
    assert russian["geonameid"] == 1176615 and russian["name_en"] == "Исламабад"  # no English name: repeated, not invented
    assert "Pingxiang" not in set(ports["name_en"])  # left out until a person chooses
    # every imported record carries its source, and the source has the sheet's URL
    source_id = ports.loc["port-khorgos", "source_ids"][0]
    assert atlas.sources.loc[source_id, "url"] == "https://m.guanhai.com.cn/p/51554.html"
    assert "src-geonames" in atlas.places.loc["port-place-import-002", "source_ids"]
    assert atlas.last_import["last_import_file"] == f"port_cities_mixed{suffix}"


def test_importing_the_same_sheet_again_changes_nothing(minimal_copy):
    apply_import(plan_import(SHEETS / "port_cities_mixed.csv", "port_cities", data=minimal_copy))
    again = plan_import(SHEETS / "port_cities_mixed.csv", "port_cities", data=minimal_copy)
    assert again.changes == {} and again.counts()["unchanged"] == 7
    assert apply_import(again) is None


def test_a_person_s_decisions_are_taken_on_the_next_import(minimal_copy, tmp_path):
    sheet = pd.read_csv(SHEETS / "port_cities_mixed.csv", dtype=str, keep_default_na=False)
    sheet.loc[0, "geonameid"] = "1798655"  # Pingxiang: the Guangxi record, from the report's candidates
    sheet.loc[2, ["lat", "долгота"]] = ["47.65", "132.5"]  # Tongjiang: the cited point instead of GeoNames
    sheet.loc[4, "国家"] = "PK"  # Islamabad: the country settles it
    sheet.loc[3, "geonameid"] = "none"  # Mohan: not in GeoNames; listed without a point
    decided = tmp_path / "decided.csv"
    sheet.to_csv(decided, index=False)
    plan = plan_import(decided, "port_cities", data=minimal_copy)
    got = outcomes(plan)
    assert got[2][0] == "added" and "GeoNames 1798655 'Pingxiang' (CN), chosen in the sheet" in got[2][1]
    assert [got[row][0] for row in (4, 5, 6)] == ["added", "added", "added"]
    assert plan.counts()["ambiguous"] == 0
    apply_import(plan)
    places = scoda_map.load(minimal_copy).places
    assert places.loc["pingxiang", "geonameid"] == 1798655
    assert places.loc["tongjiang", "coord_source"] == "cited" and places.loc["mohan", "coord_source"] == "none"
    assert places.loc["islamabad", "geonameid"] == 1176615


def test_ten_chinese_park_names_on_the_minimal_data(minimal_copy):
    plan = plan_import(SHEETS / "parks_zh.xlsx", "parks", data=minimal_copy)
    assert plan.counts() == {"added": 5, "updated": 0, "unchanged": 0, "rejected": 2, "ambiguous": 3, "held": 0}
    report = plan.report.set_index("row")
    assert report.loc[2, "geonameid"] == 1804430 and report.loc[2, "matched_by"] == "alternate name '兰州'"
    assert report.loc[3, "geonameid"] == 625144 and report.loc[7, "geonameid"] == 1513886
    assert "1787458" in report.loc[5, "candidates"] and "8515268" in report.loc[5, "candidates"]  # two Yanglings
    assert report.loc[6, "outcome"] == "ambiguous" and "no GeoNames place" in report.loc[6, "details"]
    assert "duplicate of row 2" in report.loc[10, "details"] and "'高'" in report.loc[11, "details"]
    apply_import(plan)
    parks = scoda_map.load(minimal_copy).layer("parks")
    assert len(parks) == 5 and int(parks["on_map"].sum()) == 5
    lanzhou = parks[parks["name_zh"] == "兰州新区综合保税区"].iloc[0]
    assert lanzhou.name == "park-import-001" and lanzhou["name_en"] == "兰州新区综合保税区"
    assert "the point of Lanzhou, not of the place itself" in lanzhou["coord_note"]
    assert lanzhou["source_ids"] == ("src-gsei-com-cn-2023-06-20",)


def test_ten_chinese_park_names_fill_the_shipped_parks(tmp_path):
    data = tmp_path / "geodata"
    shutil.copytree(ROOT / "geodata", data)
    before = scoda_map.load(data).layer("parks")
    plan = plan_import(SHEETS / "parks_zh.xlsx", "parks", data=data)
    got = outcomes(plan)
    assert [got[row][0] for row in (2, 3, 4, 7)] == ["updated"] * 4  # matched by Chinese name, point filled in
    assert "park-lanzhou unchanged; place lanzhou-bonded-zone: geometry" in got[2][1]
    assert got[5][0] == "ambiguous" and plan.results[3].record == "park-yangling"
    apply_import(plan)
    after = scoda_map.load(data).layer("parks")
    assert int(after["on_map"].sum()) == int(before["on_map"].sum()) + 5  # 4 filled in, 1 new (cited point)
    assert after.loc["park-lanzhou", "source_ids"] == before.loc["park-lanzhou", "source_ids"]  # same source, by URL
    assert after.loc["park-lanzhou", "geonameid"] == 1804430


def test_measures_in_chinese(minimal_copy):
    plan = plan_import(SHEETS / "measures_zh.xlsx", measures=True, data=minimal_copy)
    got = outcomes(plan)
    assert got[2] == ("updated", got[2][1]) and "title_en ('Smooth multimodal corridors' -> " in got[2][1]
    assert got[3][0] == "added" and got[4][0] == "added"
    assert "no_such_document" in got[5][1] and "duplicate of row 2" in got[6][1]
    apply_import(plan)
    measures = scoda_map.load(minimal_copy).measures
    assert measures.loc["op24-01", "quote"].startswith("1.畅通多式联运通道。推动中欧班列提质增效")
    example = measures.loc["op24-02"]
    assert (example["title_zh"], example["title_ru"], example["agencies_zh"]) == ("示例措施（测试）", "Пример меры (тест)", "示例单位")
    assert example["title_en"] == "示例措施（测试）" and example["text_status"] == "not_public"
    fund = measures[measures["title_en"] == "Joint high-quality development fund for SCODA"].iloc[0]
    assert fund["text_status"] == "paraphrase" and fund["confidence"] == "reported"


def test_links_from_a_two_column_sheet(minimal_copy):
    plan = plan_import(SHEETS / "links.csv", links=True, data=minimal_copy)
    got = outcomes(plan)
    assert [got[row][0] for row in range(2, 8)] == ["added", "added", "unchanged", "rejected", "rejected", "rejected"]
    apply_import(plan)
    atlas = scoda_map.load(minimal_copy)
    assert set(atlas.features_for("op24-01")["feature_id"]) >= {"r-incheon-almaty", "port-incheon"}
    link = atlas.links[atlas.links["feature_id"] == "port-incheon"].iloc[0]
    assert link["confidence"] == "inferred" and link["source_ids"] == ("src-b",)  # the measure's own source


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_report_opens_with_one_row_per_sheet_row(minimal_copy, tmp_path, suffix):
    plan = plan_import(SHEETS / "parks_zh.xlsx", "parks", data=minimal_copy)
    path = plan.write_report(tmp_path / f"report{suffix}")
    if suffix == ".csv":
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens Chinese CSV correctly with a BOM
        report = pd.read_csv(path, encoding="utf-8-sig")
    else:
        book = pd.read_excel(path, sheet_name=None)
        assert set(book) == {"report", "candidates", "columns"}
        candidates = book["candidates"]
        assert set(candidates[candidates["row"] == 8]["geonameid"]) == {1792560, 1798087, 1798654, 1798655}
        report = book["report"]
    assert list(report["row"]) == list(range(2, 12))
    assert list(report["outcome"][:3]) == ["added", "added", "added"]
    assert report.loc[0, "geonameid"] == 1804430


def test_imported_parks_show_on_the_explorer_map_with_their_sources(minimal_copy):
    """The done criterion: after one import, the parks are drawn and their details cite the sheet's sources."""
    import html
    import re

    from scoda_map._model.state import ExplorerState
    from scoda_map._render.details import render
    from scoda_map._render.features import point_layer_geojson

    apply_import(plan_import(SHEETS / "parks_zh.xlsx", "parks", data=minimal_copy))
    state = ExplorerState(scoda_map.load(minimal_copy))
    state.select_feature("park-import-001")
    shown = html.unescape(re.sub(r"<[^>]+>", " ", str(render(state))))
    assert "兰州新区综合保税区" in shown
    assert "兰州新区综保区加入中国—上合组织产业园区联盟" in shown  # the sheet's source, by title
    drawn = point_layer_geojson(state.atlas, "parks")["features"]
    assert {f["properties"]["id"] for f in drawn} >= {"park-import-001", "park-import-002", "park-import-005"}
