"""A corpus of broken data: each case names the file, the record and the field."""


import pytest

import scoda_map
from helpers import edit_csv, edit_geojson, feature, row


def _set(file_key, record_id, field, value, key="id"):
    def change(rows):
        row(rows, key, record_id)[field] = value
    return change


def _break_place(place_id, change_feature):
    def change(features):
        change_feature(feature(features, place_id))
    return change


def _write(text=None, raw=None):
    def write(path):
        if raw is not None:
            path.write_bytes(raw)
        else:
            path.write_text(text, encoding="utf-8")
    return write


CASES = {
    # name: (file, how to break it, expected (file, record, field), words in the message)
    "missing field": ("routes.csv", _set("routes", "r-almaty", "confidence", ""),
                      ("routes.csv", "r-almaty", "confidence"), "required"),
    "bad coordinate": ("places.geojson", _break_place("almaty", lambda f: f["geometry"].update(coordinates=[276.9, 43.2])),
                       ("places.geojson", "almaty", "geometry.coordinates.0"), "longitude 276.9 is out of range"),
    "latitude out of range": ("places.geojson", _break_place("almaty", lambda f: f["geometry"].update(coordinates=[76.9, -95])),
                              ("places.geojson", "almaty", "geometry.coordinates.1"), "latitude -95 is out of range"),
    "wrong type": ("routes.csv", _set("routes", "r-almaty", "transit_days", "twelve"),
                   ("routes.csv", "r-almaty", "transit_days"), "number"),
    "unknown confidence": ("port_cities.csv", _set("port_cities", "port-incheon", "confidence", "certain"),
                           ("port_cities.csv", "port-incheon", "confidence"), "documented"),
    "impossible date": ("routes.csv", _set("routes", "r-almaty", "first_run", "2021-13-01"),
                        ("routes.csv", "r-almaty", "first_run"), "not a real date"),
    "HTML in a name": ("routes.csv", _set("routes", "r-almaty", "name_en", "<img src=x onerror=alert(1)>"),
                       ("routes.csv", "r-almaty", "name_en"), "HTML"),
    "javascript URL": ("sources.csv", _set("sources", "src-a", "url", "javascript:alert(1)"),
                       ("sources.csv", "src-a", "url"), "http(s)"),
    "dangling link": ("links.csv", _set("links", "r-almaty", "feature_id", "r-nowhere", key="feature_id"),
                      ("links.csv", "op24-01 -> r-nowhere", "feature_id"), "no feature 'r-nowhere'"),
    "dangling source": ("routes.csv", _set("routes", "r-almaty", "source_ids", "src-a;src-zz"),
                        ("routes.csv", "r-almaty", "source_ids"), "no source 'src-zz'"),
    "dangling stop": ("route_stops.csv", lambda rows: rows[1].update(place_id="atlantis"),
                      ("route_stops.csv", "r-almaty stop 2", "place_id"), "no place 'atlantis'"),
    "dangling member place": ("port_cities.csv", _set("port_cities", "port-incheon", "place_id", "atlantis"),
                              ("port_cities.csv", "port-incheon", "place_id"), "no place 'atlantis'"),
    "route without destination": ("route_stops.csv", lambda rows: rows[2].update(role="transit"),
                                  ("route_stops.csv", "r-almaty stop 3", "role"), "destination"),
    "duplicate id": ("places.geojson", lambda features: features.append(dict(features[0])),
                     ("places.geojson", "jiaozhou", "id"), "duplicate id"),
    "old route status": ("routes.csv", _set("routes", "r-almaty", "status", "operating"),
                         ("routes.csv", "r-almaty", "status"), "use 'regular'"),
    "unknown route status": ("routes.csv", _set("routes", "r-almaty", "status", "running"),
                             ("routes.csv", "r-almaty", "status"), "single_run"),
    "status without its source": ("routes.csv", _set("routes", "r-almaty", "status_source_ids", ""),
                                  ("routes.csv", "r-almaty", "status_source_ids"), "needs the source"),
    "dangling status source": ("routes.csv", _set("routes", "r-almaty", "status_source_ids", "src-zz"),
                               ("routes.csv", "r-almaty", "status_source_ids"), "no source 'src-zz'"),
    "unknown source kind": ("sources.csv", _set("sources", "src-a", "kind", "blog"),
                            ("sources.csv", "src-a", "kind"), "state_media"),
    "coordinates without a source": ("places.geojson",
                                     _break_place("multimodal-center", lambda f: f.update(geometry={"type": "Point", "coordinates": [120.1, 36.3]})),
                                     ("places.geojson", "multimodal-center", "coord_source"), "exactly when geometry is null"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_broken_file_is_reported_by_file_record_and_field(case, minimal_copy):
    file, damage, (want_file, want_record, want_field), words = CASES[case]
    path = minimal_copy / file
    (edit_geojson if file.endswith(".geojson") else edit_csv)(path, damage)

    with pytest.raises(scoda_map.DataValidationError) as caught:
        scoda_map.load(minimal_copy)

    matching = [p for p in caught.value.problems if (p.file, p.record, p.field) == (want_file, want_record, want_field)]
    assert matching, f"expected {want_file}: {want_record}: {want_field}, got:\n{caught.value}"
    assert words in matching[0].message
    assert f"{want_file}: {want_record}: {want_field}:" in str(caught.value)


WHOLE_FILE_CASES = {
    "invalid GeoJSON": ("places.geojson", _write('{"type": "FeatureCollection", "features": ['), "not valid JSON"),
    "not a FeatureCollection": ("places.geojson", _write('{"type": "Feature"}'), "FeatureCollection"),
    "empty file": ("routes.csv", _write(""), "file is empty"),
    "non-UTF-8": ("sources.csv", _write(raw="id,title\nsrc-a,Bogot\xe1\n".encode("latin-1")), "not UTF-8"),
}


@pytest.mark.parametrize("case", sorted(WHOLE_FILE_CASES))
def test_broken_whole_files_are_named(case, minimal_copy):
    file, write, words = WHOLE_FILE_CASES[case]
    write(minimal_copy / file)
    problems = scoda_map.validate(minimal_copy)
    assert any(p.file == file and words in p.message for p in problems), problems


def test_an_unknown_column_is_reported_not_ignored(minimal_copy):
    path = minimal_copy / "routes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("transit_days", "transit_dayz", 1), encoding="utf-8")
    problems = scoda_map.validate(minimal_copy)
    fields = {(p.file, p.record, p.field) for p in problems}
    assert ("routes.csv", "r-almaty", "transit_dayz") in fields


def test_problems_in_several_files_are_all_reported_at_once(minimal_copy):
    edit_csv(minimal_copy / "routes.csv", _set("routes", "r-almaty", "status", "running"))
    edit_csv(minimal_copy / "port_cities.csv", _set("port_cities", "port-incheon", "date", "yesterday"))
    problems = scoda_map.validate(minimal_copy)
    assert {p.file for p in problems} == {"routes.csv", "port_cities.csv"}


def test_missing_catalog_and_missing_folder(tmp_path, minimal_copy):
    (minimal_copy / "datapackage.json").unlink()
    assert "no catalog" in str(scoda_map.validate(minimal_copy)[0])
    assert scoda_map.validate(tmp_path / "nowhere")[0].message == "not a folder"


def test_a_file_the_catalog_names_but_is_missing(minimal_copy):
    (minimal_copy / "parks.csv").unlink()
    problems = scoda_map.validate(minimal_copy)
    assert [str(p) for p in problems] == ["parks.csv: (file): path: file not found"]


def test_catalog_paths_cannot_leave_the_folder(minimal_copy):
    catalog = minimal_copy / "datapackage.json"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace('"parks.csv"', '"../../etc/passwd"'), encoding="utf-8")
    problems = scoda_map.validate(minimal_copy)
    assert any(p.field == "path" and "inside the data folder" in p.message for p in problems)


def test_the_fixture_itself_is_valid():
    from conftest import MINIMAL
    assert scoda_map.validate(MINIMAL) == []


def test_record_and_reference_problems_are_reported_in_one_round(minimal_copy):
    edit_csv(minimal_copy / "routes.csv", _set("routes", "r-almaty", "confidence", ""))
    edit_csv(minimal_copy / "links.csv", _set("links", "r-almaty", "measure_id", "op24-99", key="feature_id"))
    problems = {(p.file, p.field) for p in scoda_map.validate(minimal_copy)}
    assert ("routes.csv", "confidence") in problems and ("links.csv", "measure_id") in problems
    # ...and the broken route is not reported again as missing wherever it is referenced.
    assert not any(f == "route_stops.csv" for f, _ in problems)


def test_a_layer_row_cannot_carry_its_own_name_or_coordinates(minimal_copy):
    path = minimal_copy / "port_cities.csv"
    text = path.read_text(encoding="utf-8").replace("status_en", "name_en,status_en", 1)
    path.write_text(text.replace("port-incheon,incheon,", "port-incheon,incheon,Incheon,", 1), encoding="utf-8")
    problems = scoda_map.validate(minimal_copy)
    assert [(p.file, p.record, p.field) for p in problems] == [("port_cities.csv", "port-incheon", "name_en")]
    assert "place_id" in problems[0].message
