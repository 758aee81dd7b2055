"""Exports: the selection as CSV and GeoJSON with sources, and a citation."""

import csv
import datetime as dt
import io
import json

import pytest

import scoda_map
from scoda_map._model import export
from scoda_map._model.state import ExplorerState


@pytest.fixture
def state():
    return ExplorerState(scoda_map.load())


def test_a_measure_exports_every_feature_it_reaches_with_sources(state):
    state.select_measure("op24-new-three")
    rows = list(csv.DictReader(io.StringIO(export.selection_csv(state))))
    assert {row["id"] for row in rows} == set(state.measure_features()["feature_id"])
    assert all(row["confidence"] in {"documented", "reported", "inferred"} and row["sources"] for row in rows)


def test_geojson_export_keeps_geometry_and_leaves_unplaced_features_without(state):
    state.select_measure("op24-new-three")
    document = json.loads(export.selection_geojson(state))
    by_id = {f["properties"]["id"]: f for f in document["features"]}
    assert by_id["r-koper"]["geometry"]["type"] == "MultiLineString"
    assert by_id["site-auto-trading-center"]["geometry"] is None


def test_a_route_export_is_one_row(state):
    state.select_feature("r-almaty")
    rows = list(csv.DictReader(io.StringIO(export.selection_csv(state))))
    assert [row["id"] for row in rows] == ["r-almaty"] and "cri.cn" in rows[0]["source_urls"]


def test_citation_names_version_date_link_sources_and_credits(state):
    state.select_feature("r-almaty")
    text = export.citation(state, "http://127.0.0.1:8866/?feature=r-almaty", today=dt.date(2026, 11, 27))
    for words in [f"data version {state.atlas.version}", "2026-11-27", "?feature=r-almaty", "Natural Earth", "GeoNames", "中亚(青岛)国际班列"]:
        assert words in text
