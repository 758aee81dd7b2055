"""Checks for the committed offline basemap (geodata/basemap/, built by scripts/build_basemap.py)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point, shape

REPO = Path(__file__).resolve().parents[1]
BASEMAP = REPO / "geodata" / "basemap"
SOURCE = REPO.parent / "shared" / "basemap"
FILES = ["countries_cn.geojson", "countries_ne.geojson"]
MAX_BYTES = 350 * 1024
TAIPEI = Point(121.56, 25.04)
# coverage_simplify / coverage_is_valid / orient_polygons arrived in shapely 2.1
needs_shapely_21 = pytest.mark.skipif(not hasattr(shapely, "coverage_simplify"),
                                      reason="shapely >= 2.1 needed (coverage functions)")


def load(name: str) -> list[dict]:
    data = json.loads((BASEMAP / name).read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    return data["features"]


def by_iso(name: str) -> dict[str, dict]:
    return {f["properties"]["iso_a2"]: f for f in load(name) if f["properties"]["iso_a2"]}


@pytest.mark.parametrize("name", FILES)
def test_file_exists_small_valid_geojson(name):
    path = BASEMAP / name
    assert path.is_file(), f"{path} missing: run scripts/build_basemap.py"
    assert path.stat().st_size < MAX_BYTES
    features = load(name)
    assert len(features) > 100
    isos = [f["properties"]["iso_a2"] for f in features if f["properties"]["iso_a2"]]
    assert len(isos) == len(set(isos)), "iso_a2 must be unique"
    for f in features:
        assert f["type"] == "Feature"
        assert set(f["properties"]) == {"iso_a2", "name_en", "name_zh", "name_ru"}
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        geom = shape(f["geometry"])
        assert geom.is_valid and not geom.is_empty, f["properties"]["name_en"]
        minx, miny, maxx, maxy = geom.bounds
        assert -25 <= minx and maxx <= 155 and -15 <= miny and maxy <= 78


def test_cn_worldview_taiwan_is_part_of_china():
    cn = by_iso("countries_cn.geojson")
    assert "TW" not in cn
    names = {f["properties"]["name_en"] for f in load("countries_cn.geojson")}
    assert "Taiwan" not in names
    assert shape(cn["CN"]["geometry"]).contains(TAIPEI)
    # the other features China's view does not count as countries are dissolved too
    assert not {"HK", "MO", "XK", "AX"} & set(cn)
    assert not {"Somaliland", "Northern Cyprus"} & names


def test_ne_worldview_has_taiwan_separately():
    ne = by_iso("countries_ne.geojson")
    assert "TW" in ne
    assert shape(ne["TW"]["geometry"]).contains(TAIPEI)
    assert not shape(ne["CN"]["geometry"]).contains(TAIPEI)


@pytest.mark.parametrize("name", FILES)
def test_short_chinese_names(name):
    feats = by_iso(name)
    assert feats["CN"]["properties"]["name_zh"] == "中国"
    assert feats["CN"]["properties"]["name_en"] == "China"
    long_forms = {"中华人民共和国", "中华民国", "大韩民国", "朝鲜民主主义人民共和国"}
    assert not long_forms & {f["properties"]["name_zh"] for f in load(name)}


@needs_shapely_21
@pytest.mark.skipif(not (SOURCE / "ne_50m_admin0_countries.geojson").is_file(),
                    reason=f"Natural Earth source {SOURCE} not available: cannot rebuild")
def test_rebuild_is_byte_identical(tmp_path):
    script = REPO / "scripts" / "build_basemap.py"
    subprocess.run([sys.executable, str(script), "--source", str(SOURCE), "--out", str(tmp_path)],
                   check=True, capture_output=True, text=True)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (BASEMAP / name).read_bytes(), (
            f"{name} differs from a fresh build: rerun scripts/build_basemap.py")


@needs_shapely_21
def test_shared_borders_stay_shared():
    """coverage_simplify keeps neighbours gap- and overlap-free (a valid coverage)."""
    for name in FILES:
        geoms = [shape(f["geometry"]) for f in load(name)]
        assert shapely.coverage_is_valid(geoms)
