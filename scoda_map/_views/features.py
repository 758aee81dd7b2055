"""Lean GeoJSON for the browser: geometry rounded to ~10 m, properties cut to
the id and the style, so the page ships little over the kernel websocket."""

from __future__ import annotations

from typing import Any

from shapely.geometry import mapping

from .._data.atlas import Atlas
from .._render.legend import WATER_DASH, corridor_dashes

DIGITS = 4
DASHED = {"sea", "river", "mixed"}
ROUTE_STYLE = {"weight": 3.5, "opacity": 0.9, "lineCap": "round"}
HIGHLIGHT_LINE = {"color": "#f0b400", "weight": 9, "opacity": 0.55, "lineCap": "round"}

GeoJSON = dict[str, Any]


def _round(value):
    if isinstance(value, float):
        return round(value, DIGITS)
    return [_round(v) for v in value] if isinstance(value, (list, tuple)) else value


def _feature(geometry, properties: dict[str, Any]) -> GeoJSON:
    shape = mapping(geometry)
    return {"type": "Feature", "properties": properties,
            "geometry": {"type": shape["type"], "coordinates": _round(shape["coordinates"])}}


def _collection(features: list[GeoJSON]) -> GeoJSON:
    return {"type": "FeatureCollection", "features": features}


def route_legs_geojson(atlas: Atlas) -> GeoJSON:
    """Every drawn leg, coloured by corridor; sea and river legs dashed."""
    colors = atlas.corridors["color"].to_dict()
    dashes = corridor_dashes(atlas)
    features = []
    for leg in atlas.route_legs.itertuples():
        # className gives each path a stable CSS hook (browser tests, kiosk styling).
        style = dict(ROUTE_STYLE, color=colors.get(leg.corridor, "#555555"), className=f"scoda-route scoda-f-{leg.route_id}")
        if leg.mode in DASHED:
            style["dashArray"] = WATER_DASH
        elif dashes.get(leg.corridor):
            style["dashArray"] = dashes[leg.corridor]
        features.append(_feature(leg.geometry, {"id": leg.route_id, "style": style}))
    return _collection(features)


def point_layer_geojson(atlas: Atlas, name: str) -> GeoJSON:
    """The located members of a point layer."""
    frame = atlas.layer(name)
    frame = frame[frame["on_map"]]
    return _collection([_feature(geometry, {"id": member_id, "style": {"className": f"scoda-point scoda-f-{member_id}"}})
                        for member_id, geometry in zip(frame.index, frame.geometry)])


def stops_geojson(atlas: Atlas) -> GeoJSON:
    """Crossings and route ends of drawn routes (not the shared origin)."""
    drawn = set(atlas.routes.index[atlas.routes["on_map"]])
    stops = atlas.route_stops[atlas.route_stops["route_id"].isin(drawn) & (atlas.route_stops["role"] != "origin")]
    features = []
    for place_id in dict.fromkeys(stops["place_id"]):
        geometry = atlas.places.geometry[place_id]
        if geometry is not None:
            features.append(_feature(geometry, {"id": place_id, "style": {"className": f"scoda-stop scoda-f-{place_id}"}}))
    return _collection(features)


def _geometry_of(atlas: Atlas, feature_id: str):
    try:
        return atlas.feature(feature_id).geometry
    except KeyError:
        return atlas.places.geometry.get(feature_id)


def highlight_geojson(atlas: Atlas, ids: list[str]) -> GeoJSON:
    """The selected features, drawn over everything: a handful of features."""
    features = []
    for feature_id in ids:
        geometry = _geometry_of(atlas, feature_id)
        if geometry is None:
            continue
        style = dict(HIGHLIGHT_LINE) if geometry.geom_type != "Point" else {}
        style["className"] = f"scoda-highlight scoda-h-{feature_id}"
        features.append(_feature(geometry, {"id": feature_id, "style": style}))
    return _collection(features)


def bounds_of(atlas: Atlas, ids: list[str], pad: float = 1.0) -> list[list[float]] | None:
    """[[south, west], [north, east]] around the features, or None if none is drawn."""
    boxes = [g.bounds for g in (_geometry_of(atlas, i) for i in ids) if g is not None]
    if not boxes:
        return None
    west, south = min(b[0] for b in boxes) - pad, min(b[1] for b in boxes) - pad
    east, north = max(b[2] for b in boxes) + pad, max(b[3] for b in boxes) + pad
    return [[south, west], [north, east]]
