"""The map widget, refusing view values no real map sends.

Leaflet in the page reports the map's centre, zoom and edges back to the kernel,
and a script can send anything instead ("nowhere", NaN, a three-number centre, zoom
1e300). Such a value used to be kept: every later change then failed (the share
link among them) and the visitor saw the error notice until they reloaded. Here a
value that is not a real view is refused (a ``TraitError``: the kernel keeps the
last good view), so the session keeps working. Values are refused, not clamped:
a clamped value would be sent back and move a real map.
"""

from __future__ import annotations

import math

import ipyleaflet
from traitlets import TraitError, validate

#: Leaflet reports longitudes beyond +-180 after panning across the antimeridian.
LONGITUDE_LIMIT = 540.0


def _finite(value, what: str) -> float:
    if isinstance(value, bool):
        raise TraitError(f"{what}: not a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TraitError(f"{what}: not a number") from None
    if not math.isfinite(number):
        raise TraitError(f"{what}: not finite")
    return number


class SafeMap(ipyleaflet.Map):
    """``ipyleaflet.Map`` whose centre, zoom and edges are checked on arrival."""

    @validate("center")
    def _check_center(self, proposal):
        value = proposal["value"]
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            raise TraitError("center: two numbers expected")
        lat, lon = _finite(value[0], "latitude"), _finite(value[1], "longitude")
        if abs(lat) > 90 or abs(lon) > LONGITUDE_LIMIT:
            raise TraitError("center: outside the world")
        return [lat, lon]

    @validate("zoom")
    def _check_zoom(self, proposal):
        zoom = _finite(proposal["value"], "zoom")
        low = self.min_zoom if self.min_zoom is not None else 0
        high = self.max_zoom if self.max_zoom is not None else 24
        if not low - 1 <= zoom <= high + 1:
            raise TraitError("zoom: outside the map's range")
        return zoom

    @validate("south", "north")
    def _check_latitude_edge(self, proposal):
        value = _finite(proposal["value"], proposal["trait"].name)
        if abs(value) > 90:
            raise TraitError("latitude edge outside the world")
        return value

    @validate("east", "west")
    def _check_longitude_edge(self, proposal):
        value = _finite(proposal["value"], proposal["trait"].name)
        if abs(value) > LONGITUDE_LIMIT * 2:
            raise TraitError("longitude edge outside the world")
        return value


def wrap_longitude(lon: float) -> float:
    """Longitude in [-180, 180), as links carry it.

    >>> wrap_longitude(200.0), wrap_longitude(-190.0), wrap_longitude(76.9)
    (-160.0, 170.0, 76.9)
    """
    wrapped = (lon + 180.0) % 360.0 - 180.0
    return round(wrapped, 9)
