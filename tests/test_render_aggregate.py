"""A big point layer is sent as a few cells per view, and real points up close."""

import json
import re

import numpy as np
import pytest

import scoda_map
from scoda_map._render.aggregate import MAX_FEATURES, view_features
from scoda_map._testing.synthetic import LAYER, write_point_layer


@pytest.fixture(scope="module")
def big_app(tmp_path_factory):
    folder = write_point_layer(tmp_path_factory.mktemp("big"), 20_000)
    return scoda_map.Explorer(scoda_map.load(folder))


def test_a_big_layer_starts_as_cells_within_budget(big_app):
    data = big_app.map.layers[LAYER].data
    assert LAYER in big_app.map.aggregated
    assert len(data["features"]) <= MAX_FEATURES
    assert sum(f["properties"]["count"] for f in data["features"]) > 15_000
    assert len(json.dumps(data)) < 400_000  # vs ~2.3 MB as plain GeoJSON


def test_zooming_in_shows_real_clickable_points(big_app):
    big_app.map.widget.zoom = 9
    big_app.map.widget.set_state({"south": 40.0, "west": 60.0, "north": 40.6, "east": 61.0})  # as the front end reports it
    big_app.map._redraw_now()  # in a kernel this runs on the event loop right after the move
    features = big_app.map.layers[LAYER].data["features"]
    assert features and all("id" in f["properties"] for f in features)
    big_app.map._clicked(feature=features[0])
    assert big_app.state.feature == features[0]["properties"]["id"]


def test_tapping_a_cell_zooms_into_it(big_app):
    big_app.map.widget.zoom = 3
    cell = {"properties": {"count": 40, "style": {}}, "geometry": {"type": "Point", "coordinates": [70.0, 45.0]}}
    big_app.map._clicked(feature=cell)
    assert big_app.map.widget.zoom == 5 and tuple(big_app.map.widget.center) == (45.0, 70.0)


def test_cells_count_every_point_in_view():
    # How fast 100,000 points are aggregated is measured by benchmarks/timings.py, not here.
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(0, 100, 100_000), rng.uniform(0, 60, 100_000)
    features = view_features(lon, lat, np.arange(100_000).astype(str), [[-90, -180], [90, 180]], 2)
    assert len(features) <= MAX_FEATURES
    assert sum(f["properties"]["count"] for f in features) == 100_000


def test_the_place_search_does_not_send_a_big_layers_names_but_still_finds_them(big_app):
    search = big_app.search
    options = search.box.options
    assert len(options) < 200 and any("阿拉木图" in label for label in options)  # the real places stay
    search.box.value = "Synthetic point 1234"  # 12340-12349 and 1234 itself match
    assert "11 places match" in re.sub("<[^>]+>", "", search.message.value)  # the text a visitor reads
    assert any(label.startswith("Synthetic point 12345 ") for label in search.box.options)
    search.box.value = next(label for label in search.box.options if label.startswith("Synthetic point 12345 "))
    assert big_app.state.feature is not None and "syn-" in big_app.state.feature
