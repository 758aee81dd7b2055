"""What the map draws, once for every renderer: the live map's GeoJSON and the
plotly traces of the saved map page, ``figures.map_figure`` and the static site.

The drawable pieces (route legs with their corridor colour and dash, the located
members of a point layer, the route stops, the geometry of a selection) are
computed here by one function each; :mod:`scoda_map._render.static_map` turns
them into plotly traces and the functions below into lean GeoJSON for the
browser: geometry rounded to ~10 m, properties cut to the id and the style, so
the page ships little over the kernel websocket.

Examples
--------
>>> import scoda_map
>>> atlas = scoda_map.load()
>>> legs = route_legs(atlas)
>>> {leg.route_id for leg in legs} <= set(atlas.routes.index)
True
>>> route_legs_geojson(atlas)["features"][0]["properties"]["id"] == legs[0].route_id
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from shapely.geometry import mapping

from .._data.atlas import Atlas

__all__ = [
    "DASHED", "Leg", "bounds_of", "geometry_of", "highlight_geojson", "highlight_geometry", "located_members",
    "point_layer_geojson", "route_legs", "route_legs_geojson", "safe_color", "stop_place_ids", "stops_geojson",
]

DIGITS = 4
DASHED = {"sea", "river", "mixed"}
ROUTE_STYLE = {"weight": 3.5, "opacity": 0.9, "lineCap": "round"}
HIGHLIGHT_LINE = {"color": "#f0b400", "weight": 9, "opacity": 0.55, "lineCap": "round"}
_COLOR = re.compile(r"^#[0-9a-fA-F]{3,8}$")

GeoJSON = dict[str, Any]


class Leg(NamedTuple):
    """One drawn leg of a route: its corridor's colour, dashed over water."""

    route_id: str
    corridor: str
    color: str
    dashed: bool
    geometry: Any


def safe_color(value: Any, default: str = "#555555") -> str:
    """A CSS hex colour, or ``default``: nothing else from the data reaches a style.

    >>> safe_color("#0072b2"), safe_color("red;background:url(x)")
    ('#0072b2', '#555555')
    """
    return value if isinstance(value, str) and _COLOR.match(value) else default


# -- the pieces -------------------------------------------------------------------
def route_legs(atlas: Atlas) -> list[Leg]:
    """Every drawn leg, in the data's order, with its corridor's colour; sea and river legs dashed."""
    colors = atlas.corridors["color"].to_dict()
    return [Leg(leg.route_id, leg.corridor, safe_color(colors.get(leg.corridor)), leg.mode in DASHED, leg.geometry)
            for leg in atlas.route_legs.itertuples()]


def located_members(atlas: Atlas, name: str) -> tuple[list[str], list[Any]]:
    """The ids and points of a point layer's members that are on the map."""
    frame = atlas.layer(name)
    frame = frame[frame["on_map"]]
    return list(frame.index), list(frame.geometry)


def stop_place_ids(atlas: Atlas) -> list[str]:
    """Crossings and route ends of drawn routes (not the shared origin) that have a location."""
    drawn = set(atlas.routes.index[atlas.routes["on_map"]])
    stops = atlas.route_stops[atlas.route_stops["route_id"].isin(drawn) & (atlas.route_stops["role"] != "origin")]
    return [place_id for place_id in dict.fromkeys(stops["place_id"]) if atlas.places.geometry[place_id] is not None]


def geometry_of(atlas: Atlas, feature_id: str):
    """The geometry of a layer feature or a place; None when it is not located."""
    try:
        return atlas.feature(feature_id).geometry
    except KeyError:
        return atlas.places.geometry.get(feature_id)


def highlight_geometry(atlas: Atlas, ids: Iterable[str]) -> tuple[list, list]:
    """The lines (lists of (x, y)) and points (shapely Points) of features or places."""
    lines, points = [], []
    for feature_id in ids:
        geometry = geometry_of(atlas, feature_id)
        if geometry is None:
            continue
        if geometry.geom_type == "Point":
            points.append(geometry)
        else:
            lines += [list(part.coords) for part in getattr(geometry, "geoms", [geometry])]
    return lines, points


def bounds_of(atlas: Atlas, ids: list[str], pad: float = 1.0) -> list[list[float]] | None:
    """[[south, west], [north, east]] around the features, or None if none is drawn."""
    boxes = [g.bounds for g in (geometry_of(atlas, i) for i in ids) if g is not None]
    if not boxes:
        return None
    west, south = min(b[0] for b in boxes) - pad, min(b[1] for b in boxes) - pad
    east, north = max(b[2] for b in boxes) + pad, max(b[3] for b in boxes) + pad
    return [[south, west], [north, east]]


# -- as GeoJSON, for the live map ---------------------------------------------------
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
    """Every drawn leg (:func:`route_legs`), coloured by corridor and dashed by corridor (colour is never
    the only cue: :func:`.legend.corridor_dashes`); sea and river legs dotted."""
    from .legend import WATER_DASH, corridor_dashes  # legend imports nothing from here; kept local for clarity

    dashes = corridor_dashes(atlas)
    features = []
    for leg in route_legs(atlas):
        # className gives each path a stable CSS hook (browser tests, kiosk styling).
        style = dict(ROUTE_STYLE, color=leg.color, className=f"scoda-route scoda-f-{leg.route_id}")
        if leg.dashed:
            style["dashArray"] = WATER_DASH
        elif dashes.get(leg.corridor):
            style["dashArray"] = dashes[leg.corridor]
        features.append(_feature(leg.geometry, {"id": leg.route_id, "style": style}))
    return _collection(features)


def point_layer_geojson(atlas: Atlas, name: str) -> GeoJSON:
    """The located members of a point layer (:func:`located_members`)."""
    ids, points = located_members(atlas, name)
    return _collection([_feature(geometry, {"id": member_id, "style": {"className": f"scoda-point scoda-f-{member_id}"}})
                        for member_id, geometry in zip(ids, points)])


def stops_geojson(atlas: Atlas) -> GeoJSON:
    """Crossings and route ends of drawn routes (:func:`stop_place_ids`)."""
    return _collection([_feature(atlas.places.geometry[place_id], {"id": place_id, "style": {"className": f"scoda-stop scoda-f-{place_id}"}})
                        for place_id in stop_place_ids(atlas)])


def highlight_geojson(atlas: Atlas, ids: list[str]) -> GeoJSON:
    """The selected features, drawn over everything: a handful of features."""
    features = []
    for feature_id in ids:
        geometry = geometry_of(atlas, feature_id)
        if geometry is None:
            continue
        style = dict(HIGHLIGHT_LINE) if geometry.geom_type != "Point" else {}
        style["className"] = f"scoda-highlight scoda-h-{feature_id}"
        features.append(_feature(geometry, {"id": feature_id, "style": style}))
    return _collection(features)
