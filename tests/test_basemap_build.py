"""Checks for the committed offline basemap (geodata/basemap/, built by scripts/build_basemap.py).

The ``cn`` file must draw the contested areas as China's standard map does; the named
test points below fail the build's tests if one of them moves. Where each decision
comes from: geodata/basemap/README.md.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import shapely
from shapely.geometry import LineString, Point, shape

REPO = Path(__file__).resolve().parents[1]
BASEMAP = REPO / "geodata" / "basemap"
SOURCES = [REPO.parent / "shared" / "basemap", Path("/work/shared/basemap")]
SOURCE = next((p for p in SOURCES if p.is_dir()), SOURCES[0])
FILES = ["countries_cn.geojson", "countries_ne.geojson"]
MAX_BYTES = 400 * 1024  # the page loads it once per visitor (was 308 kB for a clipped Eurasia)
# (lon, lat) of the named test points (GeoNames where it has them, else the research notes).
POINTS = {
    "Tawang": (91.87, 27.59), "Itanagar": (93.61, 27.09), "Walong": (96.75, 28.14),
    "Aksai Chin": (79.3, 35.2), "Woody Island": (112.34, 16.84), "Diaoyu Dao": (123.47, 25.74),
    "Taipei": (121.53, 25.05), "Hong Kong (Sha Tin)": (114.18, 22.38), "Heixiazi": (134.5, 48.35),
}
ZENGMU_ANSHA = Point(112.28, 3.97)  # 曾母暗沙, the southernmost reef (a shoal: no land)
SRINAGAR, GILGIT = Point(74.81, 34.09), Point(74.31, 35.92)
SIMFEROPOL = Point(34.11, 44.96)
needs_shapely_21 = pytest.mark.skipif(not hasattr(shapely, "coverage_simplify"),
                                      reason="shapely >= 2.1 needed (coverage functions)")


def load(name: str) -> list[dict]:
    data = json.loads((BASEMAP / name).read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    return data["features"]


def countries(name: str) -> list[dict]:
    return [f for f in load(name) if "line" not in f["properties"]]


def by_iso(name: str) -> dict[str, dict]:
    return {f["properties"]["iso_a2"]: f for f in countries(name) if f["properties"]["iso_a2"]}


def lines(name: str, kind: str):
    return shapely.union_all([shape(f["geometry"]) for f in load(name) if f["properties"].get("line") == kind])


def owner(name: str, point: Point) -> str | None:
    found = [f["properties"]["iso_a2"] or f["properties"]["name_en"] for f in countries(name)
             if shape(f["geometry"]).contains(point)]
    assert len(found) <= 1, f"{point} is in {found}: polygons overlap"
    return found[0] if found else None


@pytest.mark.parametrize("name", FILES)
def test_file_exists_small_valid_geojson(name):
    path = BASEMAP / name
    assert path.is_file(), f"{path} missing: run scripts/build_basemap.py"
    assert path.stat().st_size < MAX_BYTES
    features = countries(name)
    assert len(features) > 150
    isos = [f["properties"]["iso_a2"] for f in features if f["properties"]["iso_a2"]]
    assert len(isos) == len(set(isos)), "iso_a2 must be unique"
    for f in features:
        assert set(f["properties"]) == {"iso_a2", "name_en", "name_zh", "name_ru"}
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        geom = shape(f["geometry"])
        assert geom.is_valid and not geom.is_empty, f["properties"]["name_en"]
        minx, miny, maxx, maxy = geom.bounds
        assert -180 <= minx and maxx <= 192 and -60 <= miny and maxy <= 84


@pytest.mark.parametrize("label", sorted(POINTS))
def test_cn_named_points_are_in_china(label):
    assert owner("countries_cn.geojson", Point(POINTS[label])) == "CN", label


def test_cn_ten_dash_line_encloses_the_south_china_sea_islands():
    dashes = lines("countries_cn.geojson", "ten_dash")
    assert len(dashes.geoms) == 10
    assert dashes.bounds[1] < ZENGMU_ANSHA.y, "the southern dash must reach past Zengmu Ansha"
    china = shape(by_iso("countries_cn.geojson")["CN"]["geometry"])
    enclosed = shapely.union_all([dashes, china]).convex_hull
    for point in (ZENGMU_ANSHA, Point(POINTS["Woody Island"])):
        assert enclosed.contains(point)


def test_cn_kashmir_line_is_undetermined_and_not_a_border():
    """Srinagar and Gilgit lie on either side of the dashed undetermined line (the LoC)."""
    loc = lines("countries_cn.geojson", "undetermined")
    assert not loc.is_empty
    assert LineString([SRINAGAR, GILGIT]).intersects(loc)
    assert loc.distance(SRINAGAR) < 1.5 and loc.distance(GILGIT) < 2


def test_cn_crimea_is_in_ukraine():
    assert owner("countries_cn.geojson", SIMFEROPOL) == "UA"
    assert owner("countries_ne.geojson", SIMFEROPOL) == "RU"


def test_cn_dissolves_what_china_does_not_count_as_countries():
    cn = by_iso("countries_cn.geojson")
    names = {f["properties"]["name_en"] for f in countries("countries_cn.geojson")}
    assert not {"TW", "HK", "MO", "XK", "AX"} & set(cn)
    assert not {"Taiwan", "Somaliland", "Northern Cyprus"} & names


def test_ne_worldview_is_de_facto():
    for label, iso in (("Taipei", "TW"), ("Tawang", "IN"), ("Itanagar", "IN")):
        assert owner("countries_ne.geojson", Point(POINTS[label])) == iso
    assert owner("countries_ne.geojson", Point(POINTS["Woody Island"])) is None
    assert not [f for f in load("countries_ne.geojson") if "line" in f["properties"]]


@pytest.mark.parametrize("name", FILES)
def test_short_chinese_names(name):
    feats = by_iso(name)
    assert feats["CN"]["properties"]["name_zh"] == "中国"
    assert feats["CN"]["properties"]["name_en"] == "China"
    long_forms = {"中华人民共和国", "中华民国", "大韩民国", "朝鲜民主主义人民共和国"}
    assert not long_forms & {f["properties"]["name_zh"] for f in countries(name)}


@pytest.mark.parametrize("name", FILES)
def test_no_clip_edges_chukotka_is_whole(name):
    """Nothing is cut at the antimeridian or at a box: Russia reaches past 180 degrees east."""
    russia = shape(by_iso(name)["RU"]["geometry"])
    assert russia.bounds[2] > 190 and russia.bounds[0] > 0


@needs_shapely_21
@pytest.mark.parametrize("name", FILES)
def test_neighbours_do_not_overlap(name):
    geoms = [shape(f["geometry"]) for f in countries(name)]
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    overlap = sum(geoms[i].intersection(geoms[j]).area for i, j in zip(left, right) if i < j)
    assert overlap < 0.01  # square degrees, all borders together (grid rounding only)


def _surbowl_tarball(tmp_path: Path) -> Path | None:
    if os.environ.get("SCODA_SURBOWL_TGZ"):
        return Path(os.environ["SCODA_SURBOWL_TGZ"])
    if shutil.which("npm") is None:
        return None
    done = subprocess.run(["npm", "pack", "@surbowl/world-geo-json-zh@2.1.5", "--silent"], cwd=tmp_path,
                          capture_output=True, text=True)
    tarball = tmp_path / "surbowl-world-geo-json-zh-2.1.5.tgz"
    return tarball if done.returncode == 0 and tarball.is_file() else None


@needs_shapely_21
@pytest.mark.skipif(not (SOURCE / "ne_50m_admin0_countries.geojson").is_file(),
                    reason=f"Natural Earth source {SOURCE} not available: cannot rebuild")
def test_rebuild_is_byte_identical(tmp_path):
    tarball = _surbowl_tarball(tmp_path)
    if tarball is None:
        pytest.skip("no npm and no SCODA_SURBOWL_TGZ: cannot get the surbowl tarball")
    script = REPO / "scripts" / "build_basemap.py"
    out = tmp_path / "out"
    subprocess.run([sys.executable, str(script), "--source", str(SOURCE), "--surbowl", str(tarball), "--out", str(out)],
                   check=True, capture_output=True, text=True)
    for name in FILES:
        assert (out / name).read_bytes() == (BASEMAP / name).read_bytes(), (
            f"{name} differs from a fresh build: rerun scripts/build_basemap.py")
