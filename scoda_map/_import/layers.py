"""Rows of a point-layer sheet (parks, port cities, ...) -> places and layer members.

Each row becomes (or updates) one member of the layer and the place it points
at. Coordinates come, in this order, from the row's ``geonameid`` (a person's
choice), its ``lat`` / ``lon`` (cited from the row's source), or the offline
geocoder (:mod:`.geocode`), asked for the row's ``city`` when given (the point is
then the city's, and the place's ``coord_note`` says so), else for its names.
A place that already has coordinates is not geocoded again. A row's own lat / lon
must lie in the country it names (:mod:`scoda_map._data.geography`), and a row that
only resembles a record of the layer is held for a person (:mod:`.duplicates`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from .._data.geography import catalog_index
from .._data.schemas import _MARKUP, _SLUG, LayerMember, Place, Source
from . import duplicates, values
from .files import point
from .geocode import Gazetteer, Match
from .merge import RowError, blank, check_model, finish, matching, merge, provenance, row_names, same
from .report import RowResult
from .values import BadValue
from .workspace import Workspace, slug

NAME_COLUMNS = ("name_en", "name_zh", "name_ru")
_KIND_OF_LAYER = {"parks": "park", "port_cities": "port", "sites": "site", "hubs": "hub", "friendly_ports": "port"}


def _prefix(table, layer: str) -> str:
    """The id prefix the layer's members share (``park`` in park-great-stone), or one from its name."""
    firsts = Counter(row["id"].split("-", 1)[0] for row in table.rows if "-" in row.get("id", ""))
    if firsts and len(firsts) == 1:
        return next(iter(firsts))
    word = layer.split("_")[-1]
    word = word[:-3] + "y" if word.endswith("ies") else word.removesuffix("s")
    return slug("-".join(layer.split("_")[:-1] + [word])) or "record"


def _default_kind(atlas, layer: str) -> str:
    kinds = atlas.layer(layer)["kind"].value_counts()
    return str(kinds.index[0]) if len(kinds) else _KIND_OF_LAYER.get(layer, "city")


def import_layer(ws: Workspace, rows: list[dict], layer: str, geo: Callable[[], Gazetteer], max_km: float) -> list[RowResult]:
    """Turn every sheet row into a layer member and its place (or say why not).

    Parameters
    ----------
    ws : Workspace
        The folder being imported into.
    rows : list of dict
        The sheet's rows (canonical fields, see :mod:`.sheets`).
    layer : str
        A point layer of the folder's own catalog.
    geo : callable
        Returns the gazetteer (called only when a row needs geocoding).
    max_km : float
        Default distance limit from a row's expected point.

    Returns
    -------
    list of RowResult
    """
    resource = ws.own("point_layer", layer)
    context = {"table": ws.table(resource), "members": ws.atlas.layer(layer), "layer": layer,
               "kind": _default_kind(ws.atlas, layer), "seen": {}}
    context["prefix"] = _prefix(context["table"], layer)
    results = []
    for row in rows:
        names = row_names(row)
        result = RowResult(int(row["_row"]), "rejected", name=" / ".join(names.values()))
        try:
            _import_row(ws, row, names, context, geo, max_km, result)
        except RowError as exc:
            finish(result, exc)
        results.append(result)
    return results


def _parse(ws: Workspace, row: dict, names: dict[str, str], max_km: float) -> dict[str, Any]:
    errors: list[str] = []
    if not names and not row.get("id"):
        errors.append("no name in any language (name / 名称 / название) and no id")
    for lang, name in names.items():
        if _MARKUP.search(name):
            errors.append(f"name_{lang}: looks like HTML markup; names are plain text")
    parsed: dict[str, Any] = {}
    for key, parse in (("country", values.country), ("kind", lambda v: values.vocabulary(v, values.PLACE_KINDS, "kind"))):
        try:
            parsed[key] = parse(row.get(key))
        except BadValue as exc:
            errors.append(str(exc))
    for key, low, high in (("lat", -90, 90), ("lon", -180, 180), ("expected_lat", -90, 90), ("expected_lon", -180, 180), ("max_km", 0, 20000)):
        try:
            parsed[key] = values.number(row.get(key), key, low, high)
        except BadValue as exc:
            errors.append(str(exc))
    for pair in (("lat", "lon"), ("expected_lat", "expected_lon")):
        if (parsed.get(pair[0]) is None) != (parsed.get(pair[1]) is None):
            errors.append(f"{pair[0]} and {pair[1]} go together: give both or neither")
    gid = (row.get("geonameid") or "").strip()
    parsed["no_point"] = gid.casefold() in ("none", "-", "无", "нет")
    parsed["geonameid"] = None if parsed["no_point"] or not gid else gid
    if parsed["geonameid"] is not None and not gid.isdigit():
        errors.append(f"geonameid '{gid}' is not a number (or 'none' to list the place without a point)")
    for text_field in ("id", "place_id"):
        if row.get(text_field) and not re.fullmatch(_SLUG, row[text_field]):
            errors.append(f"{text_field} '{row[text_field]}' is not a lower-case id like park-lanzhou")
    parsed["confidence"], parsed["date"], parsed["sources"] = provenance(ws, row, errors)
    for record in ws.new_sources():
        if record["id"] in parsed["sources"]:
            errors += check_model(Source, record, "source")
    if errors:
        raise RowError("rejected", "; ".join(errors))
    parsed["max_km"] = parsed["max_km"] if parsed["max_km"] is not None else max_km
    return parsed


def _import_row(ws, row, names, ctx, geo, max_km, result) -> None:
    p = _parse(ws, row, names, max_km)
    members, table, layer = ctx["members"], ctx["table"], ctx["layer"]
    # one row per record: the same id or name twice is a mistake in the sheet
    keys = {("name", " ".join(n.casefold().split()), p["country"]) for n in names.values()}
    keys |= {("id", row["id"], None)} if row.get("id") else set()
    for key in keys:
        if key in ctx["seen"]:
            raise RowError("rejected", f"duplicate of row {ctx['seen'][key]} (same {key[0]} '{key[1]}')", "duplicate")
    ctx["seen"].update({key: result.row for key in keys})

    member_id = row.get("id")
    if member_id is None:
        hits = matching(members, names, NAME_COLUMNS, p["country"])
        if len(hits) > 1:
            raise RowError("ambiguous", f"matches several records of {layer}: {', '.join(hits)}", "record")
        member_id = hits[0] if hits else None
        # a resemblance is not a match: hold the row for a person (never add or rename on a guess)
        if member_id is not None:
            duplicates.check_renamed(members.loc[member_id], member_id, names, layer)
        else:
            point = (p["lat"], p["lon"]) if p["lat"] is not None else None
            duplicates.check_near(members, names, p["country"], point, layer)
    elif member_id not in members.index and member_id in ws.feature_ids:
        raise RowError("rejected", f"id '{member_id}' is already used by a feature of another layer")
    existing = members.loc[member_id] if member_id in members.index else None
    place_id = existing["place_id"] if existing is not None else row.get("place_id")
    if place_id is None:
        hits = matching(ws.atlas.places, names, NAME_COLUMNS, p["country"])
        if len(hits) > 1:
            raise RowError("ambiguous", f"several places have this name: {', '.join(hits)}; give place_id", "record")
        place_id = hits[0] if hits else None
    elif place_id not in ws.atlas.places.index and place_id in ws.place_ids:
        raise RowError("rejected", f"place_id '{place_id}' is already used by a place added by this import")
    old_place = ws.atlas.places.loc[place_id] if place_id in ws.atlas.places.index else None
    result.record, result.place = member_id, place_id

    coords = _coordinates(ws, row, names, p, old_place, geo, result)
    place_props, place_changes = _place(ws, row, names, p, ctx, old_place, place_id, coords, result)
    member = _member(ws, row, p, ctx, existing, member_id, place_props["id"] if place_props else place_id, result)
    if place_props is None and member is None:
        result.outcome, result.details = "unchanged", f"already in the data as {result.record}"
        return
    # accepted: write
    if place_props is not None:
        geometry = place_props.pop("geometry")
        ws.places().put(place_props, geometry)
        ws.place_ids.add(place_props["id"])
    if member is not None:
        index = table.find("id", member["id"])
        table.append(member) if index is None else table.replace(index, member)
        ws.feature_ids.add(member["id"])
    ws.use_sources(p["sources"] + (coords.get("extra_sources") or []))
    added = existing is None
    result.outcome = "added" if added else "updated"
    what = [f"new {layer} record {result.record}" if added else
            (f"{result.record}: {', '.join(result.changes)}" if result.changes else f"{result.record} unchanged")]
    if old_place is None:
        what.append(f"new place {result.place}")
    else:
        what.append(f"place {result.place}: {', '.join(place_changes)}" if place_changes else f"at place {result.place}")
    result.details = "; ".join(what) + (f"; {coords['detail']}" if coords.get("detail") else "")


def _coordinates(ws, row, names, p, old_place, geo, result) -> dict[str, Any]:
    """The row's point: from its geonameid, its lat/lon, or the geocoder (only when needed)."""
    has_point = old_place is not None and old_place.geometry is not None
    expected = (p["expected_lat"], p["expected_lon"]) if p["expected_lat"] is not None else None
    if p["geonameid"] is not None:
        match = geo().resolve(int(p["geonameid"]), p["country"], tuple(filter(None, [row.get("city"), *names.values()])),
                              expected or ((p["lat"], p["lon"]) if p["lat"] is not None else None), p["max_km"])
        return _from_match(ws, geo(), match, "the geonameid in the sheet", row, result)
    if p["lat"] is not None:
        country = p["country"] or (old_place["country"] if old_place is not None else None)
        wrong = catalog_index(ws.catalog).check(p["lat"], p["lon"], country, who="the row")
        if wrong:
            raise RowError("rejected", f"lat / lon: {wrong}", "coordinates")
        result.matched_by, result.point = "coordinates in the sheet", (p["lat"], p["lon"])
        return {"geometry": point(p["lat"], p["lon"]), "coord_source": "cited", "geonameid": None,
                "coord_note": f"From the sheet {ws.sheet} (row {result.row}), citing its source."}
    if p["no_point"] or has_point:
        return {}
    query = [row["city"]] if row.get("city") else list(names.values())
    match = geo().geocode(query, p["country"], expected, p["max_km"])
    return _from_match(ws, geo(), match, "the city column" if row.get("city") else "the name", row, result)


def _from_match(ws, gazetteer: Gazetteer, match: Match, how: str, row, result) -> dict[str, Any]:
    result.match = match
    if not match.ok:
        raise RowError("ambiguous", match.detail, match.issue, match=match)
    place = match.chosen.place
    result.matched_by = "geonameid in the sheet" if match.chosen.via == "geonameid" else \
        f"{match.chosen.via} '{match.chosen.matched}'"
    result.point = (place.lat, place.lon)
    note = f"{gazetteer.source} (GeoNames, CC BY 4.0) geonameid {place.geonameid} ('{place.name}'): {match.detail}"
    if row.get("city"):
        note += f" (looked up by {how}); the point of {place.name}, not of the place itself"
    return {"geometry": point(place.lat, place.lon), "coord_source": "geonames", "geonameid": place.geonameid,
            "coord_note": note + ".", "country": place.country, "extra_sources": [ws.geonames_source_id(gazetteer.source)],
            "detail": f"GeoNames {place.geonameid} '{place.name}' ({place.country}), {match.detail}"}


def _place(ws, row, names, p, ctx, old_place, place_id, coords, result) -> tuple[dict | None, list[str]]:
    """The place's new properties (None when it does not change) and what changed."""
    sources = p["sources"] + (coords.get("extra_sources") or [])
    coordinate_fields = {k: coords[k] for k in ("geometry", "coord_source", "geonameid", "coord_note") if k in coords}
    if old_place is None:
        if place_id is not None:  # the sheet names the new place's id
            new_id = place_id
            ws.place_ids.add(place_id)
        elif slug(names.get("en")):
            new_id = ws.unique(slug(names.get("en")), ws.place_ids)
        else:
            new_id = ws.counted(f"{ctx['prefix']}-place", ws.place_ids)
        fallback = None if names.get("en") else next(iter(names))
        blank_text = ws.places().blank
        props = {
            "id": new_id, "name_en": names.get("en") or names[fallback], "name_zh": names.get("zh", blank_text),
            "name_ru": names.get("ru", blank_text), "country": p["country"] or coords.get("country"),
            "kind": p["kind"] or ctx["kind"], "coord_source": coordinate_fields.get("coord_source", "none"),
            "geonameid": coordinate_fields.get("geonameid"),
            "coord_note": coordinate_fields.get("coord_note") or ("Listed without a point, as chosen in the sheet."
                                                                  if p["no_point"] else blank_text),
            "names_source": f"{', '.join(names)}: sheet {ws.sheet}, row {result.row}" +
                            (f"; no English name in the sheet: name_en repeats the {fallback} name" if fallback else ""),
            "source_ids": ";".join(sources), "confidence": p["confidence"], "date": p["date"], "note": blank_text,
            "geometry": coordinate_fields.get("geometry"),
        }
        problems = check_model(Place, props, "place")
        if problems:
            raise RowError("rejected", "; ".join(problems))
        result.place = new_id
        return props, ["new"]
    if not ws.place_in_own_file(place_id):
        if coordinate_fields or any(not blank(v) and v != old_place.get(f"name_{k}") for k, v in names.items()):
            raise RowError("rejected", f"place '{place_id}' belongs to the data this folder extends; it is not changed here")
        return None, []
    places = ws.places()
    feature = places.features[places.find(place_id)]
    existing = dict(feature["properties"], geometry=feature["geometry"])
    if coordinate_fields and existing["geometry"] is not None and same(existing["geometry"], coordinate_fields["geometry"]):
        coordinate_fields = {}  # the same point again: keep its provenance as it is
    compare = dict(existing)
    if existing["geometry"] is None:  # giving a point to a place without one fills a gap
        compare.update(coord_source=None, coord_note=None, geonameid=None)
    incoming = {f"name_{k}": v for k, v in names.items()} | ({"kind": p["kind"]} if p["kind"] else {}) | coordinate_fields
    merged = merge(compare, incoming, p["confidence"], sources if coordinate_fields else p["sources"], p["date"])
    if merged.refused:
        raise RowError("rejected", f"place {place_id}: {merged.refused}", "weaker")
    if merged.unchanged:
        return None, []
    for key in ("coord_source", "coord_note", "geonameid"):
        if key not in merged.changed:
            merged.record[key] = existing.get(key)
    if "coord_note" in merged.changed:  # the translations described the old point
        for key in ("coord_note_zh", "coord_note_ru"):
            merged.record.pop(key, None)
    problems = check_model(Place, merged.record, "place")
    if problems:
        raise RowError("rejected", "; ".join(problems))
    return merged.record, merged.describe()


def _member(ws, row, p, ctx, existing, member_id, place_id, result) -> dict | None:
    fields = ("status_en", "summary_en", "summary_zh", "summary_ru")
    if existing is None:
        base = slug(row_names(row).get("en"))
        new_id = member_id or (ws.unique(f"{ctx['prefix']}-{base}", ws.feature_ids) if base else ws.counted(ctx["prefix"], ws.feature_ids))
        record = {"id": new_id, "place_id": place_id,
                  "status_en": row.get("status_en") or f"listed in the imported sheet {ws.sheet}",
                  **{f: row.get(f) for f in fields[1:]}, "source_ids": ";".join(p["sources"]),
                  "confidence": p["confidence"], "date": p["date"], "note": row.get("note")}
        problems = check_model(LayerMember, record, "record")
        if problems:
            raise RowError("rejected", "; ".join(problems))
        result.record = new_id
        return record
    index = ctx["table"].find("id", member_id)
    if index is None:
        raise RowError("rejected", f"{member_id} belongs to the data this folder extends; it is not changed here")
    stored = ctx["table"].rows[index]
    merged = merge({k: (v or None) for k, v in stored.items()}, {f: row.get(f) for f in fields}, p["confidence"],
                   p["sources"], p["date"], row.get("note"))
    if merged.refused:
        raise RowError("rejected", f"{member_id}: {merged.refused}", "weaker")
    result.changes = merged.describe()
    return None if merged.unchanged else merged.record
