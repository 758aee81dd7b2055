"""Matching existing records, and never weakening a documented one."""

import pytest

import scoda_map
from scoda_map._import import apply_import, plan_import
from scoda_map._import.merge import merge

HEADER = "id,name,中文名,country,city,status,source,url,date,confidence,note\n"
# The minimal fixture: port-incheon (inferred) at place incheon (documented, GeoNames 1843564), sources src-a, src-b.


def sheet(tmp_path, *rows, name="rows.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def only(plan):
    (result,) = plan.results
    return result


def test_a_row_matches_an_existing_record_by_its_chinese_name(minimal_copy, tmp_path):
    plan = plan_import(sheet(tmp_path, ",,仁川,KR,,,Test source A,,2023-07-06,inferred,"), "port_cities", data=minimal_copy)
    result = only(plan)
    assert (result.outcome, result.record, result.place) == ("unchanged", "port-incheon", "incheon")
    assert plan.changes == {}


def test_a_weaker_row_may_fill_a_gap(minimal_copy, tmp_path):
    path = sheet(tmp_path, ",Incheon,,KR,,,Test source B,,2024-03-17,inferred,A note from the sheet.")
    result = only(plan := plan_import(path, "port_cities", data=minimal_copy))
    assert result.outcome == "updated" and "note" in result.details
    apply_import(plan)
    port = scoda_map.load(minimal_copy).layer("port_cities").loc["port-incheon"]
    assert port["note"] == "A note from the sheet." and port["confidence"] == "inferred"
    assert port["source_ids"] == ("src-a", "src-b")


def test_a_weaker_row_never_overwrites_a_stronger_record(minimal_copy, tmp_path):
    apply_import(plan_import(sheet(tmp_path, ",Incheon,,KR,,named sea leg,Test source A,,2023-07-06,documented,"),
                             "port_cities", data=minimal_copy))
    path = sheet(tmp_path, ",Incheon,,KR,,a partner port city,Test source B,,2024-03-17,reported,", name="weaker.csv")
    plan = plan_import(path, "port_cities", data=minimal_copy)
    result = only(plan)
    assert result.outcome == "rejected"
    assert "would change status_en of a documented record with a reported row" in result.details
    assert "as strong as the record's" in result.what_to_do
    assert plan.changes == {}


def test_an_equal_row_may_change_a_value_and_the_report_says_from_what(minimal_copy, tmp_path):
    path = sheet(tmp_path, ",Incheon,,KR,,sea leg to Boralday,Test source A,,2023-07-06,inferred,")
    result = only(plan_import(path, "port_cities", data=minimal_copy))
    assert result.outcome == "updated"
    assert "status_en ('named sea leg; partnership not stated' -> 'sea leg to Boralday')" in result.details


def test_a_stronger_row_raises_confidence_and_date(minimal_copy, tmp_path):
    plan = plan_import(sheet(tmp_path, ",Incheon,,KR,,,Test source B,,2024-03-17,documented,"), "port_cities", data=minimal_copy)
    apply_import(plan)
    port = scoda_map.load(minimal_copy).layer("port_cities").loc["port-incheon"]
    assert (port["confidence"], port["date"], port["source_ids"]) == ("documented", "2024-03-17", ("src-a", "src-b"))


def test_a_place_without_a_point_gets_one_from_the_city(minimal_copy, tmp_path):
    path = sheet(tmp_path, "site-multimodal-center,,,CN,Jiaozhou,,Test source A,,2018-07-27,reported,")
    plan = plan_import(path, "sites", data=minimal_copy)
    result = only(plan)
    assert result.outcome == "updated" and result.match.chosen.place.geonameid == 1806096
    apply_import(plan)
    place = scoda_map.load(minimal_copy).places.loc["multimodal-center"]
    assert place["geonameid"] == 1806096 and place["coord_source"] == "geonames"
    assert place["confidence"] == "documented"  # filling a gap does not lower the record


def test_an_id_in_the_sheet_picks_the_record_and_its_place_is_not_weakened(minimal_copy, tmp_path):
    path = sheet(tmp_path, "port-incheon,,,KR,,,Test source A,,2023-07-06,inferred,A note.")
    result = only(plan_import(path, "port_cities", data=minimal_copy))
    assert (result.record, result.outcome) == ("port-incheon", "updated")
    renamed = sheet(tmp_path, "port-incheon,Incheon Port,,KR,,,Test source A,,2023-07-06,inferred,", name="renamed.csv")
    result = only(plan_import(renamed, "port_cities", data=minimal_copy))
    assert result.outcome == "rejected"  # the place incheon is documented; an inferred row may not rename it
    assert "place incheon: would change name_en of a documented record with an inferred row" in result.details


def test_an_id_of_another_layer_is_refused(minimal_copy, tmp_path):
    path = sheet(tmp_path, "site-multimodal-center,Somewhere,,CN,,,Test source A,,2023,inferred,")
    result = only(plan_import(path, "port_cities", data=minimal_copy))
    assert result.outcome == "rejected" and "already used by a feature of another layer" in result.details


@pytest.mark.parametrize("cells, words", [
    (",Almaty,,KZ,,,,,2023,inferred,", "source is required"),
    (",Almaty,,KZ,,,Test source A,,,inferred,", "date is required"),
    (",Almaty,,KZ,,,Test source A,,2023,,", "confidence is required"),
    (",Almaty,,XX,,,Test source A,,2023,inferred,", "country 'XX'"),
    (",,,KZ,,,Test source A,,2023,inferred,", "no name in any language"),
    (",Almaty,,KZ,,,Test source,ftp://example.org/x,2023,inferred,", "only http(s) URLs are allowed"),
    (",Almaty <i>city</i>,,KZ,,,Test source A,,2023,inferred,", "looks like HTML markup"),
])
def test_bad_rows_are_rejected_with_the_reason(minimal_copy, tmp_path, cells, words):
    result = only(plan_import(sheet(tmp_path, cells), "parks", data=minimal_copy))
    assert result.outcome == "rejected" and words in result.details


def test_merge_rules():
    old = {"id": "x", "name_ru": None, "status_en": "member", "note": "kept", "source_ids": "src-a",
           "confidence": "documented", "date": "2023"}
    filled = merge(old, {"name_ru": "Парк"}, "inferred", ["src-b"], "2024", note="and more")
    assert filled.changed == ["name_ru", "note"] and filled.record["confidence"] == "documented"
    assert filled.record["note"] == "kept and more" and filled.record["source_ids"] == "src-a;src-b"
    assert merge(old, {"status_en": "member"}, "inferred", ["src-b"], "2024").unchanged
    assert merge(old, {"status_en": "partner"}, "documented", ["src-b"], "2024").changed == ["status_en"]


def test_an_extension_folder_only_writes_its_own_files(tmp_path):
    import shutil

    from conftest import ROOT
    from scoda_map._import import CannotImport

    folder = tmp_path / "extension"
    shutil.copytree(ROOT / "tests" / "data" / "extension", folder)
    path = tmp_path / "rows.csv"
    path.write_text("name,country,source,date,confidence\nQingdao,CN,Example source,2026,inferred\n", encoding="utf-8")
    plan = plan_import(path, "example_parks", data=folder)
    result = only(plan)
    assert (result.outcome, result.place) == ("added", "qingdao")  # the shipped place, referred to, not copied
    assert {p.parent for p in plan.changes} == {folder.resolve()}
    apply_import(plan)
    assert scoda_map.load(folder).layer("example_parks").loc[result.record, "on_map"]
    with pytest.raises(CannotImport, match="no 'parks' of its own"):
        plan_import(path, "parks", data=folder)
