#!/usr/bin/env python3
"""Build the offline country basemap (geodata/basemap/) from Natural Earth 1:50m.

Reads ne_50m_admin0_countries.geojson (Natural Earth 5.1.1, public domain) from
--source (default ../shared/basemap beside the repo) and writes to --out:
  countries_cn.geojson  China's official worldview (product default): a feature whose
                        FCLASS_CN is in MERGE_FCLASS is dissolved into its sovereign
                        (Taiwan, Hong Kong, Macau -> China, Kosovo -> Serbia,
                        Somaliland -> Somalia, N. Cyprus -> Cyprus, Aland -> Finland)
  countries_ne.geojson  Natural Earth's default (de facto) polygons
In both, a feature whose ISO_A3 is another feature's ADM0_A3 (Australia's Ashmore/
Cartier and Indian Ocean territories are coded AUS) is merged into it: iso_a2 is unique.
Steps: clip to AOI, shapely.coverage_simplify (shared borders stay shared), dissolve,
snap to a GRID-degree grid, make_valid, RFC 7946 orientation. Properties: iso_a2,
name_en, name_zh, name_ru (short forms, NAME_FIXES). Sorted, byte-reproducible.

Usage: python scripts/build_basemap.py [--source DIR] [--out DIR]   (geopandas, shapely>=2.1)
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

REPO = Path(__file__).resolve().parents[1]
SOURCE_FILE = "ne_50m_admin0_countries.geojson"
AOI = (-25.0, -15.0, 155.0, 78.0)  # lon/lat box: Europe, NE Africa, Middle East, Asia
TOLERANCE = 0.1  # degrees, coverage_simplify (the source is already simplified at 0.05)
DECIMALS = 3  # coordinates are snapped to a 0.001 degree (~110 m) grid
GRID = 10.0**-DECIMALS

# FCLASS_<view> values: kept as separate features vs. dissolved into their sovereign.
KEEP_FCLASS = {"Admin-0 country", "Admin-0 dependency"}  # null = as Natural Earth's default
MERGE_FCLASS = {"Admin-1 states provinces", "Admin-1 region", "Unrecognized"}
# Sovereign of features whose SOVEREIGNT names themselves (Natural Earth's ADM0_A3_<view>
# columns are not in the shared copy); the others use SOVEREIGNT (Hong Kong -> "China").
CLAIMED_BY = {"TWN": "CHN", "KOS": "SRB", "SOL": "SOM", "CYN": "CYP"}
# Natural Earth's long official or non-standard names -> short forms in common use.
NAME_FIXES = {
    "CHN": {"name_en": "China", "name_zh": "中国", "name_ru": "Китай"},
    "TWN": {"name_zh": "中国台湾"},  # NE: 中华民国 (a feature in the NE view only)
    "KOR": {"name_zh": "韩国", "name_ru": "Южная Корея"},  # NE: 大韩民国, Республика Корея
    "PRK": {"name_zh": "朝鲜"},  # NE: 朝鲜民主主义人民共和国
    "ARE": {"name_zh": "阿联酋"},  # NE: 阿拉伯联合酋长国
    "CYN": {"name_en": "Northern Cyprus", "name_zh": "北塞浦路斯", "name_ru": "Северный Кипр"},
    "KOS": {"name_ru": "Косово"},  # NE: Республика Косово
}
PROPS = ["iso_a2", "name_en", "name_zh", "name_ru"]


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


def polygonal(geom):
    """Only the (multi)polygon part of a geometry, or None."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


def finish(geom):
    """Snap to the grid, repair if needed, orient rings as RFC 7946 asks."""
    geom = shapely.set_precision(geom, GRID)
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    geom = polygonal(geom)
    return None if geom is None else shapely.orient_polygons(geom)


def build_view(full: pd.DataFrame, clipped: gpd.GeoDataFrame, fclass: str | None) -> list[dict]:
    """Dissolve the clipped features for one worldview; sorted GeoJSON-like features."""
    keys = dissolve_keys(full, fclass)
    owners = full.set_index("ADM0_A3")
    features = []
    for key, group in clipped.groupby(clipped.ADM0_A3.map(keys), sort=True):
        geom = finish(shapely.union_all(group.geometry.values))
        if geom is None:
            continue
        owner = owners.loc[key]
        props = {p: (None if pd.isna(owner[p.upper()]) else owner[p.upper()]) for p in PROPS}
        props.update(NAME_FIXES.get(key, {}))
        features.append({"type": "Feature", "properties": props, "geometry": geom})
    features.sort(key=lambda f: (f["properties"]["iso_a2"] or "~", f["properties"]["name_en"]))
    return features


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
                    help=f"folder with {SOURCE_FILE} (default: ../shared/basemap)")
    ap.add_argument("--out", type=Path, default=REPO / "geodata" / "basemap",
                    help="output folder (default: geodata/basemap)")
    args = ap.parse_args(argv)

    full = gpd.read_file(args.source / SOURCE_FILE)
    aoi = shapely.box(*AOI)
    clipped = full[full.intersects(aoi)].copy()
    clipped["geometry"] = [polygonal(g) for g in clipped.geometry.intersection(aoi)]
    clipped = clipped[clipped.geometry.notna()]
    clipped["geometry"] = shapely.coverage_simplify(clipped.geometry.values, TOLERANCE)

    args.out.mkdir(parents=True, exist_ok=True)
    for name, fclass in (("countries_cn", "FCLASS_CN"), ("countries_ne", None)):
        features = build_view(full, clipped, fclass)
        path = args.out / f"{name}.geojson"
        write_geojson(features, path)
        print(f"{path}: {len(features)} features, {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
