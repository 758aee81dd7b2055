"""The :class:`Atlas`: every layer and table of a geodata folder, checked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, MultiLineString, Point

from .catalog import Catalog, LayerStyle
from .references import Parsed
from .schemas import MODEL_FOR_ROLE
from .worldview import Worldview

CRS = "EPSG:4326"
ROUTES = "routes"
#: A link's own columns in :meth:`Atlas.measures_for`, as named there (beside the measure's).
LINK_COLUMNS = {"measure_id": "measure_id", "relation": "relation",
                **{f"rationale_{lang}": f"rationale_{lang}" for lang in ("en", "zh", "ru")},
                "confidence": "link_confidence", "source_ids": "link_source_ids",
                **{f"origin_{lang}": f"link_origin_{lang}" for lang in ("en", "zh", "ru")}}


def _frame(records: list, role: str, index: str | None = "id") -> pd.DataFrame:
    columns = list(MODEL_FOR_ROLE[role].model_fields)
    frame = pd.DataFrame([record.model_dump() for record in records])
    frame = frame.reindex(columns=columns + [c for c in frame.columns if c not in columns])
    if index and index in frame.columns:
        frame = frame.set_index(index, drop=False)
        frame.index.name = None
    return frame


@dataclass(frozen=True)
class LayerInfo:
    """What the map needs to know to show a layer."""

    name: str
    kind: str  # "routes" or "points"
    title: dict[str, str | None]
    color: str | None
    order: int
    visible: bool
    claim: str | None

    @classmethod
    def from_style(cls, name: str, kind: str, style: LayerStyle) -> LayerInfo:
        title = {"en": style.title_en or name, "zh": style.title_zh, "ru": style.title_ru}
        return cls(name, kind, title, style.color, style.order, style.visible, style.claim)


class Atlas:
    """SCODA's cooperation geodata: layers as GeoDataFrames, tables as DataFrames.

    Build one with :func:`scoda_map.load`; an ``Atlas`` is only ever made from
    data that passed validation. Treat it as read-only: records, a feature's measures and
    rendered fragments are looked up once per atlas and remembered; to show changed data,
    change the files and load again.

    Attributes
    ----------
    places : geopandas.GeoDataFrame
        The gazetteer; ``geometry`` is empty where no coordinate can be cited.
    routes : geopandas.GeoDataFrame
        One row per train route; ``geometry`` is a MultiLineString through the
        stops that have coordinates, or empty when origin or destination has none.
    route_legs : geopandas.GeoDataFrame
        One row per drawn leg, with its ``mode`` (rail, sea, river, road, mixed).
    route_stops, corridors, sources, documents, sections, measures, links,
    indicators, claims, tours : pandas.DataFrame
        The tables, one row per record, indexed by id where records have one.
    version : str
        The data version from the catalog, for citations.
    last_import : dict or None
        The catalog's record of the last ``scoda-map import`` (``last_import``: UTC
        time in ISO 8601, ``last_import_file``: the sheet's name), or None.

    Examples
    --------
    >>> import scoda_map
    >>> atlas = scoda_map.load()
    >>> "routes" in atlas.layer_names()
    True
    """

    def __init__(self, parsed: Parsed, path: Path, basemaps: dict[str, dict[str, Any]]):
        catalog: Catalog = parsed.catalog
        self.path = path
        self.version = catalog.version
        self.title = catalog.title or catalog.name
        self.last_import = (catalog.model_extra or {}).get("scoda") or None
        tables = {role: _frame(parsed.role(role)[1], role) for role in (
            "sources", "corridors", "documents", "sections", "measures", "indicators", "claims")}
        self.sources = tables["sources"]
        self.corridors = tables["corridors"]
        self.documents = tables["documents"]
        self.sections = tables["sections"]
        self.measures = tables["measures"]
        self.indicators = tables["indicators"]
        self.claims = tables["claims"]
        self.links = _frame(parsed.role("links")[1], "links", index=None)
        tour_steps = parsed.role("tours")[1] if catalog.by_role("tours") else []
        self.tours = _frame(tour_steps, "tours", index=None).sort_values(["tour_id", "seq"], ignore_index=True)
        self.route_stops = _frame(parsed.role("route_stops")[1], "route_stops", index=None).sort_values(["route_id", "seq"], ignore_index=True)
        self.places = self._places(parsed.role("places")[1])
        self.route_legs, self.routes = self._routes(parsed.role("routes")[1])
        self._basemaps = basemaps

        routes_style = catalog.by_role("routes")[0].scoda
        self._layers: dict[str, gpd.GeoDataFrame] = {ROUTES: self.routes}
        self._info: dict[str, LayerInfo] = {ROUTES: LayerInfo.from_style(ROUTES, "routes", routes_style)}
        for name, _, members in parsed.point_layers():
            self._layers[name] = self._point_layer(members)
            style = next(r.scoda for r in catalog.resources if r.name == name)
            self._info[name] = LayerInfo.from_style(name, "points", style)
        self._feature_layer = {fid: name for name, frame in self._layers.items() for fid in frame.index}
        # Looked up once each, on first use: an atlas never changes once made (a staff import
        # writes files, the next load reads them), and a row read through pandas' ``.loc``
        # costs a fraction of a millisecond, which the details of 500 features in three
        # languages (the kernel-free view a server writes at start) paid ~40,000 times.
        self._rows: dict[tuple[str, str], pd.Series] = {}  # (table or layer, id) -> its row
        self._measure_links: dict[str, pd.DataFrame] | None = None

    # -- building ------------------------------------------------------------
    @staticmethod
    def _places(records: list) -> gpd.GeoDataFrame:
        frame = _frame(records, "places")
        geometry = [Point(g["coordinates"]) if g else None for g in frame["geometry"]]
        return gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=geometry, crs=CRS)

    def _routes(self, records: list) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
        routes = _frame(records, "routes")
        legs: list[dict[str, Any]] = []
        stops_of: dict[str, tuple[str, ...]] = {}
        for route_id, stops in self.route_stops.groupby("route_id", sort=False):
            stops_of[route_id] = tuple(stops["place_id"])
            located = [(row.place_id, row.mode_to_next, self.places.geometry[row.place_id]) for row in stops.itertuples()]
            if located[0][2] is None or located[-1][2] is None:
                continue  # never draw a route whose ends nobody can place
            previous, modes, mode_out = located[0], [], located[0][1]
            for place_id, mode, point in located[1:]:
                modes.append(mode_out)
                mode_out = mode
                if point is None:
                    continue  # an unlocated stop is listed, not drawn: the leg passes it
                legs.append({
                    "route_id": route_id, "corridor": routes.at[route_id, "corridor"],
                    "from_id": previous[0], "to_id": place_id,
                    "mode": modes[0] if len(set(modes)) == 1 else "mixed",
                    "geometry": LineString([previous[2], point]),
                })
                previous, modes = (place_id, mode, point), []
        legs_frame = gpd.GeoDataFrame(legs, columns=["route_id", "corridor", "from_id", "to_id", "mode", "geometry"], geometry="geometry", crs=CRS)
        by_route = legs_frame.groupby("route_id")["geometry"].apply(lambda lines: MultiLineString(list(lines)))
        routes["stops"] = [stops_of.get(route_id, ()) for route_id in routes.index]
        routes["on_map"] = routes.index.isin(by_route.index)
        geometry = [by_route.get(route_id) for route_id in routes.index]
        return legs_frame, gpd.GeoDataFrame(routes, geometry=geometry, crs=CRS)

    def _point_layer(self, members: list) -> gpd.GeoDataFrame:
        frame = _frame(members, "point_layer")
        place_columns = ["name_en", "name_zh", "name_ru", "country", "kind", "coord_source", "geonameid", "coord_note",
                         "coord_note_zh", "coord_note_ru"]
        places = self.places.loc[frame["place_id"], place_columns + ["source_ids", "confidence", "geometry"]]
        places = places.rename(columns={"source_ids": "place_source_ids", "confidence": "place_confidence"})
        places.index = frame.index
        joined = pd.concat([frame, places], axis=1)
        joined["on_map"] = joined["geometry"].notna()
        return gpd.GeoDataFrame(joined, geometry="geometry", crs=CRS)

    # -- layers --------------------------------------------------------------
    def layer_names(self) -> list[str]:
        """Map layers in display order (routes and every point layer)."""
        return sorted(self._layers, key=lambda name: (self._info[name].order, name))

    def layer(self, name: str) -> gpd.GeoDataFrame:
        """The GeoDataFrame of a map layer, e.g. ``atlas.layer("parks")``."""
        try:
            return self._layers[name]
        except KeyError:
            raise KeyError(f"no layer {name!r}; layers are {self.layer_names()}") from None

    def layer_info(self, name: str) -> LayerInfo:
        self.layer(name)
        return self._info[name]

    def basemap(self, worldview: Worldview | str | None = None) -> dict[str, Any]:
        """The offline country layer as GeoJSON, in the given worldview (default: ``cn``)."""
        code = Worldview.parse(worldview).value
        try:
            return self._basemaps[code]
        except KeyError:
            raise KeyError(f"no basemap for worldview {worldview!r}; have {sorted(self._basemaps)}") from None

    # -- features and measures -----------------------------------------------
    def layer_of(self, feature_id: str) -> str:
        """The layer a feature id belongs to."""
        try:
            return self._feature_layer[feature_id]
        except KeyError:
            raise KeyError(f"no feature {feature_id!r}") from None

    def feature(self, feature_id: str) -> pd.Series:
        """One feature's record (a route or a point-layer member); read it, do not change it
        (the same record is handed to every caller)."""
        layer = self.layer_of(feature_id)
        return self._row(layer, self._layers[layer], feature_id)

    def record(self, table: str, record_id: str) -> pd.Series:
        """One row of a table by its id (``"sources"``, ``"measures"``, ``"places"``, ...),
        looked up once; read it, do not change it (every caller gets the same row).

        Examples
        --------
        >>> import scoda_map
        >>> atlas = scoda_map.load()
        >>> source_id = atlas.sources.index[0]
        >>> atlas.record("sources", source_id).equals(atlas.sources.loc[source_id])
        True
        """
        try:
            return self._row(table, getattr(self, table), record_id)
        except KeyError:
            raise KeyError(f"no record {record_id!r} in {table}") from None

    def _row(self, name: str, frame: pd.DataFrame, record_id: str) -> pd.Series:
        found = self._rows.get((name, record_id))
        if found is None:
            found = self._rows[name, record_id] = frame.loc[record_id]
        return found

    def measures_for(self, feature_id: str) -> pd.DataFrame:
        """Measures linked to a feature, with the link's relation and rationale.

        Examples
        --------
        >>> import scoda_map
        >>> atlas = scoda_map.load()
        >>> list(atlas.measures_for("no-such-feature").columns)[:2]
        ['measure_id', 'relation']
        """
        if self._measure_links is None:
            self._measure_links = self._join_measure_links()
        found = self._measure_links.get(feature_id)
        return (found if found is not None else self._measure_links[None]).copy()

    def _join_measure_links(self) -> dict[str | None, pd.DataFrame]:
        """Every link joined with its measure, once, split by feature id (``None``: none)."""
        links = self.links.reindex(columns=list(LINK_COLUMNS)).rename(columns=LINK_COLUMNS)
        joined = links.join(self.measures.drop(columns=["id"]), on="measure_id")
        found: dict[str | None, pd.DataFrame] = {None: joined.iloc[:0].reset_index(drop=True)}
        if len(self.links):
            for feature_id, rows in joined.groupby(self.links["feature_id"], sort=False):
                found[feature_id] = rows.reset_index(drop=True)
        return found

    def features_for(self, measure_id: str) -> pd.DataFrame:
        """Features a measure is linked to: layer, id, English name, relation, on_map."""
        links = self.links[self.links["measure_id"] == measure_id] if len(self.links) else self.links
        rows = []
        for link in links.itertuples():
            record = self.feature(link.feature_id)
            rows.append({
                "layer": link.layer, "feature_id": link.feature_id, "name_en": record["name_en"],
                "relation": link.relation, "rationale_en": link.rationale_en,
                "rationale_zh": link.rationale_zh, "rationale_ru": link.rationale_ru,
                "link_origin_en": link.origin_en, "link_origin_zh": link.origin_zh, "link_origin_ru": link.origin_ru,
                "link_confidence": link.confidence, "on_map": bool(record["on_map"]),
            })
        columns = ["layer", "feature_id", "name_en", "relation", "rationale_en", "rationale_zh", "rationale_ru",
                   "link_origin_en", "link_origin_zh", "link_origin_ru", "link_confidence", "on_map"]
        return pd.DataFrame(rows, columns=columns)

    def sources_of(self, source_ids: tuple[str, ...]) -> pd.DataFrame:
        """The source records behind a record's ``source_ids``."""
        return self.sources.loc[list(source_ids)]

    # -- completeness ----------------------------------------------------------
    def completeness(self) -> pd.DataFrame:
        """Per layer: records listed, records on the map, and the count claimed.

        ``claimed`` is the headline count the sources state (e.g. 20 port cities),
        so the product can say "documented N of M".
        """
        rows = []
        for name in self.layer_names():
            info, frame = self._info[name], self._layers[name]
            claim = self.claims.loc[info.claim] if info.claim in self.claims.index else None
            rows.append({
                "layer": name, "title_en": info.title["en"], "listed": len(frame),
                "on_map": int(frame["on_map"].sum()),
                "documented": int((frame["confidence"] == "documented").sum()),
                "claimed": None if claim is None else int(claim["count"]),
                "claim_statement_en": None if claim is None else claim["statement_en"],
                "claim_confidence": None if claim is None else claim["confidence"],
            })
        return pd.DataFrame(rows).astype({"claimed": "Int64"}).set_index("layer")

    def __repr__(self) -> str:
        layers = ", ".join(f"{name}={len(self._layers[name])}" for name in self.layer_names())
        return f"<Atlas {self.title} v{self.version}: {layers}; measures={len(self.measures)}>"
