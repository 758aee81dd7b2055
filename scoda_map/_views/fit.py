"""Frame geographic bounds in the part of the map a visitor can see, in one step.

ipyleaflet's ``fit_bounds`` zooms out one whole level per round trip to the browser
and knows nothing of what covers the map (a phone's bottom sheet, the kiosk's story
card). The map's own ``bounds`` and ``zoom`` (sent by the browser once the map has a
size) say how many pixels it has; from those this module works out the centre and
zoom that put a box of places inside the visible part, with a margin, in Web
Mercator, as Leaflet draws it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

TILE = 256.0


def _y(lat: float) -> float:
    """Web Mercator y (radians) of a latitude."""
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


@dataclass(frozen=True)
class Insets:
    """Pixels hidden at each edge of the map (by a sheet, a card, a bar) plus a margin."""

    top: float = 0
    right: float = 0
    bottom: float = 0
    left: float = 0


def map_size(view: list[list[float]] | tuple, zoom: float) -> tuple[float, float] | None:
    """The map's size in pixels from the bounds and zoom the browser reported.

    >>> w, h = map_size([[-_lat(math.pi / 4), -45.0], [_lat(math.pi / 4), 45.0]], 2)
    >>> round(w), round(h)
    (256, 256)
    """
    try:
        (south, west), (north, east) = view
    except (TypeError, ValueError):
        return None
    scale = TILE * 2 ** zoom / (2 * math.pi)
    width = math.radians(east - west) * scale
    height = (_y(north) - _y(south)) * scale
    if width < 1 or height < 1:
        return None
    return width, height


def fit(target: list[list[float]], size: tuple[float, float], insets: Insets = Insets(),
        margin: float = 24, min_zoom: float = 2, max_zoom: float = 9, snap: float = 0.5) -> tuple[tuple[float, float], float]:
    """Centre and zoom that show ``target`` ([[south, west], [north, east]]) inside a map of
    ``size`` pixels less ``insets``, with ``margin`` pixels around it.

    The centre is shifted so that the target sits in the middle of the visible part,
    not of the whole map.

    >>> center, zoom = fit([[40, 60], [50, 120]], (1000, 600))
    >>> round(center[1]), zoom
    (90, 4.0)
    >>> (lat, lon), z = fit([[40, 60], [50, 120]], (1000, 1000), Insets(bottom=500))
    >>> lat < 45 < _lat((_y(40) + _y(50)) / 2) + 1   # the centre moves south: the target rises
    True
    """
    (south, west), (north, east) = target
    width, height = size
    free_w = max(width - insets.left - insets.right - 2 * margin, 40)
    free_h = max(height - insets.top - insets.bottom - 2 * margin, 40)
    span_x = max(math.radians(east - west), 1e-6)
    span_y = max(_y(north) - _y(south), 1e-6)
    # pixels per radian at zoom z: TILE * 2**z / 2pi
    zoom = math.log2(min(free_w / span_x, free_h / span_y) * 2 * math.pi / TILE)
    zoom = math.floor(zoom / snap) * snap
    zoom = max(min_zoom, min(max_zoom, zoom))
    scale = TILE * 2 ** zoom / (2 * math.pi)
    # The target's centre goes to the centre of the visible part: shift the map's centre
    # by half the difference between the insets on opposite edges.
    cx = math.radians((west + east) / 2) + (insets.right - insets.left) / 2 / scale
    cy = (_y(north) + _y(south)) / 2 - (insets.bottom - insets.top) / 2 / scale
    return (_lat(cy), math.degrees(cx)), zoom


def shows(view: list[list[float]], size: tuple[float, float], insets: Insets, target: list[list[float]]) -> bool:
    """Whether ``target`` lies inside the visible part of a map showing ``view``.

    >>> view = [[0, 0], [60, 100]]
    >>> shows(view, (1000, 800), Insets(), [[10, 10], [20, 20]])
    True
    >>> shows(view, (1000, 800), Insets(bottom=600), [[10, 10], [20, 20]])
    False
    """
    (south, west), (north, east) = view
    width, height = size
    x_per_px = (east - west) / width
    y_per_px = (_y(north) - _y(south)) / height
    v_west, v_east = west + insets.left * x_per_px, east - insets.right * x_per_px
    v_south = _lat(_y(south) + insets.bottom * y_per_px)
    v_north = _lat(_y(north) - insets.top * y_per_px)
    (t_south, t_west), (t_north, t_east) = target
    return v_south <= t_south and t_north <= v_north and v_west <= t_west and t_east <= v_east
