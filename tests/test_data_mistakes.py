"""The mistakes people make when they bring their own data, refused by `scoda-map validate`
with a message that names file, record and field and says what to do (issue 16)."""

import json

import pytest

import scoda_map
from scoda_map import cli
from scoda_map._data.geography import country_index
from scoda_map._data.paths import shipped_data_path

#: (id, name, country, lat, lon) of ten SCO capitals (GeoNames points, rounded).
CAPITALS = [("beijing-cap", "Beijing", "CN", 39.9042, 116.4074), ("moscow-cap", "Moscow", "RU", 55.7558, 37.6173),
            ("astana-cap", "Astana", "KZ", 51.1694, 71.4491), ("bishkek-cap", "Bishkek", "KG", 42.8746, 74.5698),
            ("dushanbe-cap", "Dushanbe", "TJ", 38.5598, 68.787), ("tashkent-cap", "Tashkent", "UZ", 41.2995, 69.2401),
            ("islamabad-cap", "Islamabad", "PK", 33.6844, 73.0479), ("delhi-cap", "New Delhi", "IN", 28.6139, 77.209),
            ("tehran-cap", "Tehran", "IR", 35.6892, 51.389), ("minsk-cap", "Minsk", "BY", 53.9045, 27.5615)]
SOURCES = "id,title,publisher,url,date,note\nsrc-my,My atlas,Me,https://example.org/,2026,\n"


def layer_folder(folder, places, layer_text=None):
    """A researcher's folder extending the shipped data: sources, places and a layer on them."""
    folder.mkdir(exist_ok=True)
    features = [{"type": "Feature", "id": pid, "geometry": None if lat is None else {"type": "Point", "coordinates": [lon, lat]},
                 "properties": {"id": pid, "name_en": name, "country": country, "kind": "city",
                                "coord_source": "none" if lat is None else "cited",
                                "source_ids": "src-my", "confidence": "documented", "date": "2026"}}
                for pid, name, country, lat, lon in places]
    (folder / "places.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    (folder / "sources.csv").write_text(SOURCES, encoding="utf-8")
    layer_text = layer_text or ("id,place_id,status_en,source_ids,confidence,date\n" +
                                "".join(f"m-{pid},{pid},listed,src-my,documented,2026\n" for pid, *_ in places))
    (folder / "my_layer.csv").write_bytes(layer_text.encode("utf-8") if isinstance(layer_text, str) else layer_text)
    (folder / "datapackage.json").write_text(json.dumps({"name": "mine", "version": "0.1.0+mine", "extends": "scoda-map", "resources": [
        {"name": "my_sources", "path": "sources.csv", "format": "csv", "scoda": {"role": "sources"}},
        {"name": "my_places", "path": "places.geojson", "format": "geojson", "scoda": {"role": "places"}},
        {"name": "my_layer", "path": "my_layer.csv", "format": "csv", "scoda": {"role": "point_layer", "title_en": "Mine"}},
    ]}), encoding="utf-8")
    return folder


def problems_by_record(folder):
    return {p.record: p for p in scoda_map.validate(folder) if p.file == "places.geojson"}


def test_the_shipped_data_is_valid_with_every_point_checked():
    assert scoda_map.validate() == []


def test_capitals_with_latitude_and_longitude_swapped_are_all_refused(tmp_path):
    swapped = [(pid, name, country, lon, lat) for pid, name, country, lat, lon in CAPITALS]
    problems = problems_by_record(layer_folder(tmp_path / "capitals", swapped))
    assert set(problems) == {pid for pid, *_ in CAPITALS}  # none of the ten validates
    minsk = problems["minsk-cap"]
    assert minsk.field == "geometry.coordinates"
    assert minsk.message.startswith("latitude and longitude swapped? The point (latitude 27.5615, longitude 53.9045) is in Iran")
    assert "swapped, it is in Belarus, as the record says" in minsk.message
    assert '"coordinates": [27.5615, 53.9045]' in minsk.message  # what to write, in GeoJSON's order
    assert "out of range" in problems["beijing-cap"].message  # 116 is no latitude


def test_the_correct_capitals_validate(tmp_path):
    assert scoda_map.validate(layer_folder(tmp_path / "capitals", CAPITALS)) == []


def test_a_point_in_another_country_names_both(tmp_path):
    problems = problems_by_record(layer_folder(tmp_path / "f", [("dushanbe-x", "Dushanbe", "TJ", 53.9045, 27.5615)]))
    assert problems["dushanbe-x"].message == ("this point (latitude 53.9045, longitude 27.5615) is in Belarus, "
                                              "the record says Tajikistan (TJ): check the coordinates and the country")


def test_the_cli_says_it_too(tmp_path, capsys):
    folder = layer_folder(tmp_path / "f", [("minsk-x", "Minsk", "BY", 27.5615, 53.9045)])
    assert cli.main(["validate", str(folder)]) == 1
    assert "places.geojson: minsk-x: geometry.coordinates: latitude and longitude swapped?" in capsys.readouterr().err


@pytest.mark.parametrize("place", [
    ("taipei", "Taipei", "CN", 25.0330, 121.5654),        # Taiwan, recorded as CN
    ("hong-kong", "Hong Kong", "CN", 22.3193, 114.1694),  # a separate polygon in Natural Earth's worldview
    ("macao", "Macao", "CN", 22.1987, 113.5439),
    ("qingdao-port", "Qingdao port", "CN", 36.0, 120.45),  # a port pier, off the simplified coast
    ("my-gwadar", "Gwadar", "PK", 25.1216, 62.3254),          # a peninsula the 1:50m coast barely has
    ("khorgos", "Khorgos", "KZ", 44.2, 80.3),               # on the border with China
    ("my-vorsino", "Vorsino", "RU", None, None),              # no point: nothing to check
], ids=lambda p: p[0])
def test_coasts_borders_and_chinese_territory_pass(tmp_path, place):
    assert scoda_map.validate(layer_folder(tmp_path / "f", [place])) == []


def test_the_check_uses_whatever_basemap_the_catalog_ships(tmp_path):
    # a basemap where "China" is a box: what matters is the catalog's polygons, so a
    # rebuilt basemap (new territories) changes the check without code changes
    box = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"iso_a2": "CN", "name_en": "China"},
           "geometry": {"type": "Polygon", "coordinates": [[[73, 18], [135, 18], [135, 53], [73, 53], [73, 18]]]}}]}
    path = tmp_path / "box.geojson"
    path.write_text(json.dumps(box), encoding="utf-8")
    index = country_index([path])
    assert index.check(28.0, 93.0, "CN") is None  # inside the box
    assert "is at sea or outside the map's countries" in index.check(10.0, 100.0, "CN")
    assert index.check(53.9, 27.56, "BY") is None  # no polygon for Belarus: not checked
    shipped = country_index(sorted((shipped_data_path() / "basemap").glob("countries_*.geojson")))
    assert shipped.check(27.5615, 53.9045, "BY").startswith("latitude and longitude swapped?")


def test_a_semicolon_csv_gets_one_message_about_the_delimiter(tmp_path):
    text = "id;place_id;status_en;source_ids;confidence;date\nm-minsk;minsk-x;listed;src-my;documented;2026\n"
    folder = layer_folder(tmp_path / "f", [("minsk-x", "Minsk", "BY", 53.9045, 27.5615)], "\ufeff" + text)
    problems = [p for p in scoda_map.validate(folder) if p.file == "my_layer.csv"]
    assert len(problems) == 1, problems
    assert (problems[0].record, problems[0].field) == ("(file)", "delimiter")
    assert "separated by semicolons (;)" in problems[0].message and "CSV UTF-8 (Comma delimited)" in problems[0].message


def test_a_gb18030_csv_is_named_as_such(tmp_path):
    text = "id,place_id,status_en,source_ids,confidence,date\nm-minsk,minsk-x,明斯克,src-my,documented,2026\n"
    folder = layer_folder(tmp_path / "f", [("minsk-x", "Minsk", "BY", 53.9045, 27.5615)], text.encode("gb18030"))
    problems = [p for p in scoda_map.validate(folder) if p.file == "my_layer.csv"]
    assert [(p.field, "GB18030" in p.message and "UTF-8" in p.message) for p in problems] == [("encoding", True)]


def test_an_id_of_the_shipped_data_is_named_as_such(tmp_path):
    folder = layer_folder(tmp_path / "f", [("almaty", "Almaty", "KZ", 43.25, 76.95)])
    problem = problems_by_record(folder)["almaty"]
    assert problem.field == "id"
    assert "already used by the shipped record 'almaty' (Almaty) in places.geojson of the shipped data" in problem.message
    assert "choose another id" in problem.message and "update mode" in problem.message
    assert "2 records" not in problem.message


def test_a_duplicate_inside_ones_own_file_says_so(tmp_path):
    folder = layer_folder(tmp_path / "f", [("my-a", "A", "KZ", 43.25, 76.95), ("my-a", "B", "KZ", 43.3, 76.9)])
    assert "2 records in places.geojson have this id" in problems_by_record(folder)["my-a"].message


def test_a_country_name_gets_words_and_the_code_not_a_regular_expression(tmp_path):
    folder = layer_folder(tmp_path / "f", [("my-navoiy", "Navoiy", "Uzbekistan", 40.08444, 65.37917),
                                           ("my-x", "X", "Kazakstan", 43.25, 76.95)])
    problems = problems_by_record(folder)
    assert problems["my-navoiy"].message == ("'Uzbekistan' is not a two-letter country code: use a two-letter "
                                             "country code such as KZ; 'Uzbekistan' is UZ: write UZ")
    assert "use a two-letter country code such as KZ" in problems["my-x"].message
    assert "[A-Z]" not in problems["my-x"].message and "pattern" not in problems["my-x"].message


def test_an_id_with_spaces_gets_words(tmp_path):
    folder = layer_folder(tmp_path / "f", [("My Park", "P", "KZ", 43.25, 76.95)])
    problem = next(p for p in scoda_map.validate(folder) if p.field == "id" and p.file == "places.geojson")
    assert "'My Park' is not an id: use lower-case Latin letters" in problem.message
