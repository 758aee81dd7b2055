"""A dry run changes nothing; every write keeps the previous files; undo restores them byte for byte."""

import datetime as dt
import hashlib
import json

import pytest

import scoda_map
from conftest import ROOT
from scoda_map._data.errors import Problem
from scoda_map._import import CannotImport, apply_import, plan as plan_module, plan_import, undo_import

SHEETS = ROOT / "tests" / "data" / "sheets"


def snapshot(folder):
    """Every file under the folder (history included) -> SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_planning_and_a_report_change_nothing(minimal_copy, tmp_path):
    before = snapshot(minimal_copy)
    plan = plan_import(SHEETS / "port_cities_mixed.xlsx", "port_cities", data=minimal_copy)
    plan.write_report(tmp_path / "report.xlsx")
    assert plan.changes and snapshot(minimal_copy) == before


def test_undo_restores_the_previous_files_byte_for_byte(minimal_copy):
    original = snapshot(minimal_copy)
    saved = apply_import(plan_import(SHEETS / "port_cities_mixed.csv", "port_cities", data=minimal_copy))
    manifest = json.loads((saved / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["sheet"] == "port_cities_mixed.csv"
    assert {entry["path"] for entry in manifest["files"]} == {"datapackage.json", "places.geojson", "port_cities.csv", "sources.csv"}
    for entry in manifest["files"]:  # the kept copies are the files as they were
        assert hashlib.sha256((saved / entry["path"]).read_bytes()).hexdigest() == entry["sha256_before"] == original[entry["path"]]
    after_first = {k: v for k, v in snapshot(minimal_copy).items() if not k.startswith(".history")}
    apply_import(plan_import(SHEETS / "parks_zh.xlsx", "parks", data=minimal_copy))

    second = undo_import(minimal_copy)
    assert second.done and second.sheet == "parks_zh.xlsx"
    assert {k: v for k, v in snapshot(minimal_copy).items() if not k.startswith(".history")} == after_first
    first = undo_import(minimal_copy)
    assert first.done and first.sheet == "port_cities_mixed.csv"
    assert {k: v for k, v in snapshot(minimal_copy).items() if not k.startswith(".history")} == original
    assert not undo_import(minimal_copy).done  # nothing left to undo
    assert sorted(p.name.endswith(".undone") for p in (minimal_copy / ".history").iterdir()) == [True, True]


def test_undo_refuses_to_lose_a_later_edit_unless_forced(minimal_copy):
    original = (minimal_copy / "port_cities.csv").read_bytes()
    apply_import(plan_import(SHEETS / "port_cities_mixed.csv", "port_cities", data=minimal_copy))
    with (minimal_copy / "port_cities.csv").open("ab") as handle:
        handle.write(b"# edited by hand\r\n")
    refused = undo_import(minimal_copy)
    assert not refused.done and refused.edited_since == ["port_cities.csv"]
    assert undo_import(minimal_copy, force=True).done
    assert (minimal_copy / "port_cities.csv").read_bytes() == original


def test_a_result_that_would_not_validate_is_never_written(minimal_copy, monkeypatch):
    before = snapshot(minimal_copy)
    monkeypatch.setattr(plan_module, "validate", lambda folder: [Problem("parks.csv", "park-x", "place_id", "no place")])
    plan = plan_import(SHEETS / "parks_zh.xlsx", "parks", data=minimal_copy)
    assert plan.problems and not plan.can_write
    assert "nothing can be written" in plan.summary() and "parks.csv: park-x: place_id: no place" in plan.summary()
    with pytest.raises(CannotImport, match="not be valid"):
        apply_import(plan)
    assert snapshot(minimal_copy) == before


def test_the_validation_copy_is_the_real_result(minimal_copy):
    """The temporary copy is checked with scoda_map.validate; the written folder then validates too."""
    plan = plan_import(SHEETS / "port_cities_mixed.ods", "port_cities", data=minimal_copy)
    apply_import(plan)
    assert scoda_map.validate(minimal_copy) == []


def test_a_file_changed_after_planning_stops_the_write(minimal_copy):
    plan = plan_import(SHEETS / "parks_zh.xlsx", "parks", data=minimal_copy)
    (minimal_copy / "sources.csv").write_bytes((minimal_copy / "sources.csv").read_bytes() + b"\r\n")
    with pytest.raises(CannotImport, match="changed since the plan"):
        apply_import(plan)
    assert not (minimal_copy / ".history").exists()


def test_the_catalog_records_the_last_import(minimal_copy):
    shipped = scoda_map.load().last_import
    moment = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
    apply_import(plan_import(SHEETS / "parks_zh.xlsx", "parks", data=minimal_copy, now=moment))
    catalog = json.loads((minimal_copy / "datapackage.json").read_text(encoding="utf-8"))
    assert catalog["scoda"] == {"last_import": "2026-11-28T09:30:00Z", "last_import_file": "parks_zh.xlsx"}
    atlas = scoda_map.load(minimal_copy)
    assert atlas.last_import == {"last_import": "2026-11-28T09:30:00Z", "last_import_file": "parks_zh.xlsx"}
    assert (minimal_copy / ".history" / "20261128T093000.000000Z").is_dir()
    assert scoda_map.load().last_import == shipped  # an import into a copy leaves the shipped data alone
