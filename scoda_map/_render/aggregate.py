"""Big point layers: aggregate by zoom on the server, send only what the view needs.

A layer of 100,000 points as plain GeoJSON is ~11 MB over the websocket and
freezes the browser (docs/performance.md). Above ``DIRECT_LIMIT`` located points
a layer is drawn as grid cells sized to the zoom (a count in each), and as the
visitor zooms in, cells give way to the real, clickable points once few enough
are in view. Each redraw sends at most ``MAX_FEATURES`` small features.
"""

from __future__ import annotations

import math

import numpy as np

DIRECT_LIMIT = 2000  # layers up to this size are sent whole, as before
MAX_FEATURES = 1500  # features per redraw of an aggregated layer
CELL_PIXELS = 48  # grid cell size on screen


def cell_degrees(zoom: float) -> float:
    """Longitude degrees covered by ``CELL_PIXELS`` at a Web-Mercator zoom."""
    return 360.0 / (256 * 2**zoom) * CELL_PIXELS


def view_features(lon: np.ndarray, lat: np.ndarray, ids: np.ndarray, bounds, zoom: float,
                  color: str = "#555555") -> list[dict]:
    """GeoJSON features for the points inside ``bounds`` ([[south, west], [north, east]]).

    Raw points (with their ids) when few enough are in view; otherwise one circle
    per occupied grid cell, at the cell's mean position, with its ``count``.

    Examples
    --------
    >>> lon = np.array([10.0, 10.1, 50.0]); lat = np.array([40.0, 40.1, 45.0])
    >>> features = view_features(lon, lat, np.array(["a", "b", "c"]), [[30, 0], [60, 60]], 3)
    >>> sorted(f["properties"]["id"] for f in features)
    ['a', 'b', 'c']
    """
    (south, west), (north, east) = bounds
    pad_lat, pad_lon = (north - south) * 0.1, (east - west) * 0.1  # a margin, so a small pan shows points at once
    inside = (lat >= south - pad_lat) & (lat <= north + pad_lat) & (lon >= west - pad_lon) & (lon <= east + pad_lon)
    if inside.sum() <= MAX_FEATURES:
        return [_point(x, y, str(i)) for x, y, i in zip(lon[inside], lat[inside], ids[inside])]
    size = cell_degrees(zoom)
    x, y = lon[inside], lat[inside]
    while True:
        keys = np.floor(x / size).astype(np.int64) * 1_000_003 + np.floor(y / size).astype(np.int64)
        unique, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        if len(unique) <= MAX_FEATURES:
            break
        size *= 1.5  # a wide view of a dense layer: coarser cells, still within the budget
    mean_x = np.bincount(inverse, weights=x) / counts
    mean_y = np.bincount(inverse, weights=y) / counts
    return [_cell(cx, cy, int(n), color) for cx, cy, n in zip(mean_x, mean_y, counts)]


def _point(x: float, y: float, feature_id: str) -> dict:
    return {"type": "Feature", "properties": {"id": feature_id, "style": {"className": f"scoda-point scoda-f-{feature_id}"}},
            "geometry": {"type": "Point", "coordinates": [round(float(x), 4), round(float(y), 4)]}}


def _cell(x: float, y: float, count: int, color: str) -> dict:
    radius = 5 + 4 * math.log10(count)
    style = {"radius": radius, "fillColor": color, "fillOpacity": 0.55, "color": "#ffffff", "weight": 1,
             "className": "scoda-cell"}
    return {"type": "Feature", "properties": {"count": count, "style": style},
            "geometry": {"type": "Point", "coordinates": [round(float(x), 3), round(float(y), 3)]}}
