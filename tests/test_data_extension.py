"""A researcher's own folder extends the shipped data: new layers, places, links."""

import json

import scoda_map
from conftest import ROOT

EXTENSION = ROOT / "tests" / "data" / "extension"


def test_an_extension_adds_a_layer_linked_to_a_shipped_measure():
    atlas = scoda_map.load(EXTENSION)
    assert "example_parks" in atlas.layer_names() and "routes" in atlas.layer_names()
    assert atlas.measures_for("example-park-navoi")["measure_id"].tolist() == ["op24-park-cooperation"]
    assert "example-park-navoi" in atlas.features_for("op24-park-cooperation")["feature_id"].tolist()
    shipped = scoda_map.load().version  # the shipped data's version changes with each release of it
    assert atlas.version == f"0.1.0+example (extends scoda-cooperation-map {shipped})"


def _replace_layer(tmp_path, name):
    (tmp_path / f"{name}.csv").write_text("id,place_id,status_en,source_ids,confidence,date\n", encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps({
        "name": "x", "version": "1", "extends": "scoda-map",
        "resources": [{"name": name, "path": f"{name}.csv", "format": "csv", "scoda": {"role": "point_layer"}}],
    }), encoding="utf-8")


def test_an_extension_replaces_a_layer_by_name(tmp_path):
    _replace_layer(tmp_path, "friendly_ports")
    assert scoda_map.load(tmp_path).layer("friendly_ports").empty


def test_replacing_a_layer_that_measures_link_to_is_caught(tmp_path):
    _replace_layer(tmp_path, "parks")
    problems = scoda_map.validate(tmp_path)
    assert problems and all(p.file == "links.csv" and p.field == "feature_id" for p in problems)


def test_problems_in_an_extension_name_its_own_file(tmp_path):
    (tmp_path / "more_links.csv").write_text(
        "measure_id,layer,feature_id,relation,rationale_en,source_ids,confidence,date\n"
        "op24-01,routes,r-atlantis,supports,why,src-scoda-2024-03-17,inferred,2024\n", encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps({
        "name": "x", "version": "1", "extends": "scoda-map",
        "resources": [{"name": "more_links", "path": "more_links.csv", "format": "csv", "scoda": {"role": "links"}}],
    }), encoding="utf-8")
    problems = scoda_map.validate(tmp_path)
    assert [str(p) for p in problems] == ["more_links.csv: op24-01 -> r-atlantis: feature_id: no feature 'r-atlantis' in layer 'routes'"]


def test_a_duplicate_place_across_files_is_reported(tmp_path):
    shipped = json.loads((ROOT / "geodata" / "places.geojson").read_text(encoding="utf-8"))
    (tmp_path / "places.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": shipped["features"][:1]}), encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps({
        "name": "x", "version": "1", "extends": "scoda-map",
        "resources": [{"name": "my_places", "path": "places.geojson", "format": "geojson", "scoda": {"role": "places"}}],
    }), encoding="utf-8")
    problems = scoda_map.validate(tmp_path)
    assert any(p.field == "id" and "duplicate" in p.message for p in problems)


def test_extends_cannot_loop(tmp_path):
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "x", "version": "1", "extends": ".", "resources": []}), encoding="utf-8")
    problems = scoda_map.validate(tmp_path)
    assert problems and problems[0].field == "extends"
