"""The Atlas: layers, links both ways, completeness, and what is drawn."""

import csv
import json

import pytest

import scoda_map
from conftest import MINIMAL
from helpers import edit_csv, edit_geojson, feature, row
from scoda_map._render.features import highlight_geojson, point_layer_geojson, route_legs_geojson, stops_geojson


@pytest.fixture(scope="module")
def atlas():
    return scoda_map.load(MINIMAL)


def test_lookups_looked_up_once_still_answer_each_caller_alike(atlas):
    """Records and a feature's measures are looked up once per atlas: a caller that changes its
    copy of a feature's measures changes nobody else's, and an unknown id is named."""
    mine = atlas.measures_for("r-almaty")
    mine.loc[0, "measure_id"] = "changed"
    assert atlas.measures_for("r-almaty")["measure_id"].tolist() == ["op24-01"]
    assert atlas.measures_for("no-such-feature").empty and "relation" in atlas.measures_for("").columns
    source_id = atlas.sources.index[0]
    assert atlas.record("sources", source_id).equals(atlas.sources.loc[source_id])
    assert atlas.feature("r-almaty").equals(atlas.routes.loc["r-almaty"])
    with pytest.raises(KeyError, match="no record 'nowhere' in places"):
        atlas.record("places", "nowhere")


def test_layers_and_accessors(atlas):
    assert atlas.layer_names() == ["routes", "port_cities", "parks", "sites"]
    assert atlas.layer_of("port-incheon") == "port_cities"
    assert atlas.measures_for("r-almaty")["measure_id"].tolist() == ["op24-01"]
    reached = atlas.features_for("op24-01").set_index("feature_id")
    assert reached.loc["r-almaty", "on_map"] and not reached.loc["site-multimodal-center", "on_map"]
    with pytest.raises(KeyError, match="no layer"):
        atlas.layer("volcanoes")


def test_completeness_says_documented_n_of_m(atlas):
    table = atlas.completeness()
    assert table.loc["routes", ["listed", "on_map", "claimed"]].tolist() == [2, 2, 31]
    assert table.loc["port_cities", "claimed"] == 20 and table.loc["parks", "listed"] == 0
    assert table.loc["sites", "on_map"] == 0  # the multimodal center has no citable point


def test_a_sea_leg_is_marked_and_drawn_dashed(atlas):
    legs = atlas.route_legs[atlas.route_legs["route_id"] == "r-incheon-almaty"]
    assert legs["mode"].tolist() == ["sea", "rail"]
    styles = [f["properties"]["style"] for f in route_legs_geojson(atlas)["features"] if f["properties"]["id"] == "r-incheon-almaty"]
    assert "dashArray" in styles[0] and "dashArray" not in styles[1]


def test_a_stop_without_coordinates_is_listed_but_not_drawn(minimal_copy):
    edit_geojson(minimal_copy / "places.geojson", lambda fs: feature(fs, "khorgos-cn").update(geometry=None))
    edit_geojson(minimal_copy / "places.geojson", lambda fs: feature(fs, "khorgos-cn")["properties"].update(coord_source="none", geonameid=None))
    atlas = scoda_map.load(minimal_copy)
    assert "khorgos-cn" in atlas.feature("r-almaty")["stops"]
    legs = atlas.route_legs[atlas.route_legs["route_id"] == "r-almaty"]
    assert legs[["from_id", "to_id"]].values.tolist() == [["jiaozhou", "almaty"]]


def test_a_route_whose_destination_cannot_be_placed_is_not_drawn(minimal_copy):
    def unplace(features):
        feature(features, "almaty").update(geometry=None)
        feature(features, "almaty")["properties"].update(coord_source="none", geonameid=None)
    edit_geojson(minimal_copy / "places.geojson", unplace)
    atlas = scoda_map.load(minimal_copy)
    assert not atlas.routes["on_map"].any()
    assert atlas.route_legs.empty


def test_browser_geojson_is_lean(atlas):
    legs = route_legs_geojson(atlas)
    assert all(set(f["properties"]) == {"id", "style"} for f in legs["features"])
    coords = json.dumps(legs)
    assert "120.00333" not in coords and "120.0033" in coords  # rounded to 4 decimals (~10 m)
    assert [f["properties"]["id"] for f in point_layer_geojson(atlas, "port_cities")["features"]] == ["port-incheon"]
    assert point_layer_geojson(atlas, "sites")["features"] == []  # nothing without coordinates
    assert {f["properties"]["id"] for f in stops_geojson(atlas)["features"]} == {"khorgos-cn", "almaty", "jiaozhou"}


def test_highlight_carries_only_the_selection(atlas):
    assert [f["properties"]["id"] for f in highlight_geojson(atlas, ["r-almaty", "site-multimodal-center", "almaty"])["features"]] == ["r-almaty", "almaty"]


def test_repr_names_the_layers(atlas):
    assert "routes=2" in repr(atlas)


def test_translation_coverage_counts_each_field_per_language(minimal_copy):
    from scoda_map._data.loader import load_with_translations
    edit_csv(minimal_copy / "routes.csv", lambda rows: row(rows, "id", "r-almaty").update(name_ru=""))
    edit_csv(minimal_copy / "measures.csv", lambda rows: rows[0].update(summary_zh="", summary_en=""))
    _, report = load_with_translations(minimal_copy)
    counts = {(item.file, item.field): (item.records, item.zh, item.ru) for item in report.fields}
    assert counts[("routes.csv", "name")] == (2, 2, 1)
    assert counts[("measures.csv", "summary")] == (0, 0, 0)  # no English: nothing to translate
    assert "routes.csv: r-almaty: name_ru: no Russian translation (visitors see the English)" in map(str, report.warnings)
    assert not report.errors  # not the shipped data: a gap is a warning


def test_the_worldview_option_draws_taiwan_in_or_out_of_china():
    atlas = scoda_map.load()
    cn = scoda_map.Explorer(atlas).map.widget.layers[0].data
    ne = scoda_map.Explorer(atlas, worldview="ne").map.widget.layers[0].data
    def names(data):
        return {f["properties"]["name_en"] for f in data["features"]}

    assert "Taiwan" in names(ne) and "Taiwan" not in names(cn)


def test_the_projects_chinese_must_use_chinese_punctuation_and_originals_stay_as_published(minimal_copy):
    from scoda_map._data.loader import load_with_translations

    ascii_marks = "经阿拉山口(或霍尔果斯)出境,再到阿拉木图"
    edit_csv(minimal_copy / "routes.csv", lambda rows: row(rows, "id", "r-almaty").update(
        via_en="Leaves at Alashankou (or Khorgos)", via_zh=ascii_marks, via_ru="Через Алашанькоу"))
    _, report = load_with_translations(minimal_copy)
    assert ("routes.csv: r-almaty: via_zh: Chinese punctuation next to Chinese text: "
            "'，' for ',', '（' for '(', '）' for ')'") in map(str, report.warnings)
    # A source's Chinese title is the project's description of it (its published title
    # stays as it is in ``title``).
    sources = minimal_copy / "sources.csv"
    with sources.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["title_zh"] = "新华社报道(标题未记录)"
    with sources.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*rows[0]], restval="")
        writer.writeheader()
        writer.writerows(rows)
    _, report = load_with_translations(minimal_copy)
    assert any(str(p).endswith("title_zh: Chinese punctuation next to Chinese text: '（' for '(', '）' for ')'")
               and str(p).startswith("sources.csv: ") for p in report.warnings)
    # The same text as the source's own wording is quoted as published.
    edit_csv(minimal_copy / "routes.csv", lambda rows: row(rows, "id", "r-almaty").update(origin_zh="original"))
    _, report = load_with_translations(minimal_copy)
    assert not [p for p in report.warnings if "punctuation" in str(p) and str(p).startswith("routes.csv")]
