"""Is each point in the country its record names? Checked against the shipped country polygons.

Latitude and longitude are easy to swap, and both numbers are usually in range:
Minsk swapped (27.56, 53.90) lands in southern Iran while its record says ``BY``.
So every place with a point and a country is checked against the catalog's
basemap polygons (``geodata/basemap``), in every worldview the catalog ships: a
point passes when one worldview puts it in, or within :data:`TOLERANCE_KM` of,
the country its record names. The tolerance covers what the 1:50m polygons leave
out or simplify (about 10 km at coasts and borders): ports, small islands, border
crossings on the line itself. Distances are geodesic (WGS84, :class:`pyproj.Geod`).

China, Taiwan, Hong Kong and Macao count as one: a record may say ``CN`` for a
point in Taipei, Hong Kong or Macao whatever the worldview draws there. A country
without a polygon in the basemap (outside the map's area, or too small for 1:50m)
is not checked, and neither is a record without a country or without a point.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pyproj import Geod
from shapely import STRtree, prepare
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

from .countries import country_name

#: How far (km) outside its country's polygon a point may lie and still pass.
TOLERANCE_KM = 30.0
#: Codes that name the same country for this check.
SAME_COUNTRY = {"CN": ("CN", "TW", "HK", "MO"), "TW": ("CN", "TW"), "HK": ("CN", "HK"), "MO": ("CN", "MO")}
_GEOD = Geod(ellps="WGS84")


class _Country:
    """One basemap feature; its shapely geometry is made when first needed."""

    def __init__(self, code: str | None, name: str, geojson: dict):
        self.code, self.name, self._geojson, self._geometry = code, name, geojson, None

    @property
    def geometry(self):
        if self._geometry is None:
            self._geometry = shape(self._geojson)
            prepare(self._geometry)
        return self._geometry


class CountryIndex:
    """The basemap's country polygons, with a spatial index, built once per file set.

    Polygons are made from GeoJSON only for the countries records name (and all of
    them, with the spatial index, only to say where a wrong point is).

    Parameters
    ----------
    documents : list of dict
        GeoJSON FeatureCollections whose features carry ``iso_a2`` and ``name_en``
        (the catalog's ``basemap`` resources, one per worldview).
    """

    def __init__(self, documents: list[dict]):
        self._countries: list[_Country] = []
        self._by_code: dict[str, list[_Country]] = {}
        for document in documents:
            for feature in document.get("features") or ():
                properties = feature.get("properties") or {}
                if not feature.get("geometry"):
                    continue
                code = properties.get("iso_a2") or None
                country = _Country(code, properties.get("name_en") or code or "?", feature["geometry"])
                self._countries.append(country)
                if code:
                    self._by_code.setdefault(code, []).append(country)
        self._tree = None

    def name(self, code: str) -> str:
        """The country's English name as the map labels it (else the ISO name)."""
        countries = self._by_code.get(code)
        return countries[0].name if countries else country_name(code)

    def __bool__(self) -> bool:
        return bool(self._countries)

    def countries_at(self, lat: float, lon: float) -> list[tuple[str | None, str]]:
        """(code, name) of every polygon containing the point (one per worldview, or none at sea)."""
        point = Point(lon, lat)
        if self._tree is None:
            self._tree = STRtree([country.geometry for country in self._countries])
        found = []
        for index in self._tree.query(point, predicate="intersects"):
            country = self._countries[int(index)]
            if (country.code, country.name) not in found:
                found.append((country.code, country.name))
        return found

    def knows(self, code: str) -> bool:
        return any(c in self._by_code for c in SAME_COUNTRY.get(code, (code,)))

    def distance_km(self, lat: float, lon: float, code: str) -> float | None:
        """Geodesic distance (km) from the point to the country's polygons; 0 inside; None without a polygon."""
        codes = [c for c in SAME_COUNTRY.get(code, (code,)) if c in self._by_code]
        if not codes:
            return None
        point = Point(lon, lat)
        best = None
        for c in codes:
            for country in self._by_code[c]:  # one polygon per worldview
                if country.geometry.covers(point):
                    return 0.0
                near = nearest_points(country.geometry, point)[0]
                km = _GEOD.inv(lon, lat, near.x, near.y)[2] / 1000.0
                best = km if best is None else min(best, km)
        return best

    def check(self, lat: float, lon: float, code: str | None, tolerance_km: float = TOLERANCE_KM,
              who: str = "the record") -> str | None:
        """None when the point is in (or near) the named country, else what is wrong and what to do.

        ``who`` names what gives the country in the message ("the record", "the row").

        Examples
        --------
        >>> from scoda_map._data.paths import shipped_data_path
        >>> index = country_index([shipped_data_path() / "basemap" / "countries_cn.geojson"])
        >>> index.check(53.9, 27.5667, "BY") is None     # Minsk
        True
        >>> print(index.check(27.5667, 53.9, "BY"))      # Minsk, swapped
        latitude and longitude swapped? The point (latitude 27.5667, longitude 53.9) is in Iran; swapped, it is in Belarus, as the record says: write latitude 53.9, longitude 27.5667
        >>> print(index.check(53.9, 27.5667, "TJ"))
        this point (latitude 53.9, longitude 27.5667) is in Belarus, the record says Tajikistan (TJ): check the coordinates and the country
        """
        if not code or not self.knows(code):
            return None
        distance = self.distance_km(lat, lon, code)
        if distance is None or distance <= tolerance_km:
            return None
        here = self._where(lat, lon)
        named = f"{self.name(code)} ({code})"
        where = f"(latitude {lat:g}, longitude {lon:g})"
        if -90 <= lon <= 90:
            swapped = self.distance_km(lon, lat, code)
            if swapped is not None and swapped <= tolerance_km:
                return (f"latitude and longitude swapped? The point {where} is {here}; swapped, it is in "
                        f"{self.name(code)}, as {who} says: write latitude {lon:g}, longitude {lat:g}")
        if here.startswith("in "):
            return f"this point {where} is {here}, {who} says {named}: check the coordinates and the country"
        return (f"this point {where} is {here}, {distance:,.0f} km from {named}, the country {who} names: "
                "check the coordinates and the country")

    def _where(self, lat: float, lon: float) -> str:
        names = list(dict.fromkeys(name for _, name in self.countries_at(lat, lon)))
        return f"in {' / '.join(names)}" if names else "at sea or outside the map's countries"


@lru_cache(maxsize=8)
def _index(files: tuple[tuple[str, int, int], ...]) -> CountryIndex:
    documents = []
    for path, _, _ in files:
        try:
            documents.append(json.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue  # the loader reports an unreadable basemap itself
    return CountryIndex(documents)


def country_index(paths: list[Path]) -> CountryIndex:
    """The index of these basemap files, built once per process (rebuilt when a file changes)."""
    files = []
    for path in paths:
        try:
            stat = Path(path).stat()
        except OSError:
            continue
        files.append((str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size))
    return _index(tuple(files))


def catalog_index(catalog) -> CountryIndex:
    """The country index of a catalog's ``basemap`` resources (every worldview)."""
    return country_index([resource.file for resource in catalog.by_role("basemap")])


def check_places(parsed) -> list:
    """A problem for every place whose point is not in the country its record names."""
    from .errors import Problem

    index = catalog_index(parsed.catalog)
    if not index:
        return []
    problems = []
    _, places = parsed.role("places")
    for place in places:
        if place.geometry is None or not place.country:
            continue
        lon, lat = place.geometry.coordinates
        message = index.check(lat, lon, place.country)
        if message and message.startswith("latitude and longitude swapped?"):
            message += f' (GeoJSON is [longitude, latitude]: "coordinates": [{lat:g}, {lon:g}])'
        if message:
            problems.append(Problem(parsed.file_of(place), place.id, "geometry.coordinates", message))
    return problems
