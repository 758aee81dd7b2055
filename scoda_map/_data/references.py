"""Checks across records and files: unique ids and resolvable references."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from pydantic import BaseModel

from .catalog import Catalog
from .errors import Problem
from .records import record_label


@dataclass(frozen=True)
class Parsed:
    """Valid records per catalog resource, before they become an atlas."""

    catalog: Catalog
    records: dict[str, list[BaseModel]]  # resource name -> records
    #: ids of rows that failed their own checks: references to them are not
    #: reported again as dangling.
    failed: dict[str, set[str]] = field(default_factory=dict)

    def failed_ids(self, role: str) -> set[str]:
        return set().union(*(self.failed.get(r.name, set()) for r in self.catalog.by_role(role)))

    def role(self, role: str) -> tuple[str, list]:
        """(file, records) of the resources with ``role``; several files of a
        role (an extension adding places or links) read as one table."""
        resources = self.catalog.by_role(role)
        records = [record for resource in resources for record in self.records.get(resource.name, [])]
        return resources[0].path, records

    @cached_property
    def _files(self) -> dict[int, str]:
        return {id(record): resource.path for resource in self.catalog.resources
                for record in self.records.get(resource.name, ())}

    def file_of(self, record: BaseModel) -> str:
        """The file a record came from."""
        return self._files.get(id(record), "(unknown file)")

    @cached_property
    def _resources(self) -> dict[int, object]:
        return {id(record): resource for resource in self.catalog.resources
                for record in self.records.get(resource.name, ())}

    def clash(self, mine: BaseModel, theirs: BaseModel) -> str | None:
        """When ``theirs`` comes from the data ``mine``'s folder extends: a message
        that says so and what to do (None when both are in the same folder)."""
        own, base = self._resources.get(id(mine)), self._resources.get(id(theirs))
        if own is None or base is None or own._folder == base._folder:
            return None
        from .paths import shipped_data_path

        shipped = base._folder.resolve() == shipped_data_path().resolve()
        whose = "the shipped record" if shipped else "the record"
        where = "of the shipped data" if shipped else f"of the data this folder extends ({base._folder})"
        label = getattr(theirs, "name_en", None) or getattr(theirs, "title", None)
        named = f" ({label})" if label else ""
        return (f"duplicate id: already used by {whose} '{theirs.id}'{named} in {base.path} {where}: choose another id "
                f"(e.g. my-{theirs.id}); to change that record instead, use the update mode "
                "(a sheet naming this id in its id column, scoda-map import, docs/import.md)")

    def point_layers(self) -> list[tuple[str, str, list]]:
        return [
            (resource.name, resource.path, self.records.get(resource.name, []))
            for resource in self.catalog.by_role("point_layer")
        ]


def _label(record: BaseModel) -> str:
    return record_label(record.model_dump(), 0)


def check_references(parsed: Parsed) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append

    def ids(file: str, records: list) -> set[str]:
        counts = Counter(record.id for record in records)
        for record_id, count in counts.items():
            if count > 1:
                same = [r for r in records if r.id == record_id]
                message = parsed.clash(same[-1], same[0]) or (
                    f"duplicate id: {count} records in {parsed.file_of(same[-1])} have this id; give each record its own id")
                add(Problem(parsed.file_of(same[-1]), record_id, "id", message))
        return set(counts)

    sources_file, sources = parsed.role("sources")
    source_ids = ids(sources_file, sources) | parsed.failed_ids("sources")
    places_file, places = parsed.role("places")
    place_ids = ids(places_file, places) | parsed.failed_ids("places")
    corridors_file, corridors = parsed.role("corridors")
    corridor_ids = ids(corridors_file, corridors) | parsed.failed_ids("corridors")
    routes_file, routes = parsed.role("routes")
    route_ids = ids(routes_file, routes)
    documents_file, documents = parsed.role("documents")
    document_ids = ids(documents_file, documents) | parsed.failed_ids("documents")
    sections_file, sections = parsed.role("sections")
    section_document = {section.id: section.document_id for section in sections}
    ids(sections_file, sections)
    measures_file, measures = parsed.role("measures")
    measure_ids = ids(measures_file, measures) | parsed.failed_ids("measures")

    # Feature ids are unique across all map layers, so a link or a URL can name a
    # feature by its id alone.
    layer_features: dict[str, set[str]] = {"routes": route_ids | parsed.failed_ids("routes")}
    owner: dict[str, tuple[str, BaseModel]] = {route.id: (routes_file, route) for route in routes}
    for name, file, members in parsed.point_layers():
        layer_features[name] = ids(file, members) | parsed.failed.get(name, set())
        for member in members:
            if member.id in owner and owner[member.id][0] != file:
                other_file, other = owner[member.id]
                add(Problem(file, member.id, "id", parsed.clash(member, other)
                            or f"id already used by a feature in {other_file}; map features need ids of their own"))
            owner.setdefault(member.id, (file, member))
            if member.place_id not in place_ids:
                add(Problem(file, member.id, "place_id", f"no place '{member.place_id}' in {places_file}"))

    # Every record's sources resolve.
    for resource in parsed.catalog.resources:
        for record in parsed.records.get(resource.name, []):
            for source_id in getattr(record, "source_ids", ()):
                if source_id not in source_ids:
                    add(Problem(resource.path, _label(record), "source_ids", f"no source '{source_id}' in {sources_file}"))

    for place in places:
        if (place.geometry is None) != (place.coord_source == "none"):
            add(Problem(parsed.file_of(place), place.id, "coord_source", "must be 'none' exactly when geometry is null"))
        if place.coord_source == "geonames" and place.geonameid is None:
            add(Problem(parsed.file_of(place), place.id, "geonameid", "required when coord_source is 'geonames'"))

    for route in routes:
        if route.corridor not in corridor_ids:
            add(Problem(routes_file, route.id, "corridor", f"no corridor '{route.corridor}' in {corridors_file}"))
        for source_id in route.status_source_ids:
            if source_id not in source_ids:
                add(Problem(routes_file, route.id, "status_source_ids", f"no source '{source_id}' in {sources_file}"))
        if route.status in ("single_run", "regular", "suspended") and not route.status_source_ids:
            add(Problem(routes_file, route.id, "status_source_ids",
                        f"status '{route.status}' needs the source that shows it: give its id in status_source_ids"))
    problems += _check_stops(parsed, route_ids | parsed.failed_ids("routes"), place_ids)

    for section in sections:
        if section.document_id not in document_ids:
            add(Problem(sections_file, section.id, "document_id", f"no document '{section.document_id}'"))
    for measure in measures:
        if measure.document_id not in document_ids:
            add(Problem(measures_file, measure.id, "document_id", f"no document '{measure.document_id}'"))
        if measure.section_id is not None:
            if measure.section_id in parsed.failed_ids("sections"):
                pass
            elif measure.section_id not in section_document:
                add(Problem(measures_file, measure.id, "section_id", f"no section '{measure.section_id}'"))
            elif section_document[measure.section_id] != measure.document_id:
                add(Problem(measures_file, measure.id, "section_id", f"section '{measure.section_id}' belongs to another document"))
    numbered = Counter((m.document_id, m.number) for m in measures if m.number is not None)
    for (document_id, number), count in numbered.items():
        if count > 1:
            add(Problem(measures_file, f"{document_id} no. {number}", "number", "two measures share this number"))

    links_file, links = parsed.role("links")
    seen_links = Counter((link.measure_id, link.feature_id) for link in links)
    for link in links:
        label, links_file = _label(link), parsed.file_of(link)
        if link.measure_id not in measure_ids:
            add(Problem(links_file, label, "measure_id", f"no measure '{link.measure_id}'"))
        if link.layer not in layer_features:
            add(Problem(links_file, label, "layer", f"no map layer '{link.layer}' in the catalog"))
        elif link.feature_id not in layer_features[link.layer]:
            add(Problem(links_file, label, "feature_id", f"no feature '{link.feature_id}' in layer '{link.layer}'"))
        if seen_links[(link.measure_id, link.feature_id)] > 1:
            add(Problem(links_file, label, "feature_id", "the same link appears twice"))

    indicators_file, indicators = parsed.role("indicators")
    ids(indicators_file, indicators)
    claims_file, claims = parsed.role("claims")
    ids(claims_file, claims)
    claim_ids = {claim.id for claim in claims}
    for claim in claims:
        if claim.layer is not None and claim.layer not in layer_features:
            add(Problem(parsed.file_of(claim), claim.id, "layer", f"no map layer '{claim.layer}' in the catalog"))
    for resource in parsed.catalog.resources:
        if resource.scoda.claim is not None and resource.scoda.claim not in claim_ids:
            add(Problem("datapackage.json", resource.name, "scoda.claim", f"no claim '{resource.scoda.claim}' in {claims_file}"))
    problems += _check_tours(parsed, layer_features, corridor_ids, measure_ids, {i.id for i in indicators})
    return problems


def _year_range(text: str) -> tuple[int, int] | None:
    """``"2015-2025"`` -> (2015, 2025); None unless it is a span of years, first to last."""
    match = re.fullmatch(r"\s*(\d{4})\s*-\s*(\d{4})\s*", text)
    if not match or int(match.group(1)) > int(match.group(2)):
        return None
    return int(match.group(1)), int(match.group(2))


def _check_tours(parsed: Parsed, layer_features: dict[str, set[str]], corridor_ids: set[str],
                 measure_ids: set[str], indicator_ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    if not parsed.catalog.by_role("tours"):
        return problems
    _, steps = parsed.role("tours")
    all_features = set().union(*layer_features.values())
    by_tour: dict[str, list] = defaultdict(list)
    for step in steps:
        file, label = parsed.file_of(step), f"{step.tour_id} step {step.seq}"
        by_tour[step.tour_id].append(step.seq)
        target, kind = step.target, step.target_type
        if kind == "timeline":
            if target and not _year_range(target):
                problems.append(Problem(file, label, "target", f"'{target}' is not a span of years; write it as 2015-2025 "
                                        "(first year, then last) or leave it blank for every year"))
        elif kind != "home" and not target:
            problems.append(Problem(file, label, "target", f"required for target_type '{kind}'"))
        elif kind == "layer" and target not in layer_features:
            problems.append(Problem(file, label, "target", f"no map layer '{target}'"))
        elif kind == "corridor" and target not in corridor_ids:
            problems.append(Problem(file, label, "target", f"no corridor '{target}'"))
        elif kind == "measure" and target not in measure_ids:
            problems.append(Problem(file, label, "target", f"no measure '{target}'"))
        elif kind == "features":
            for feature_id in filter(None, (part.strip() for part in target.split(";"))):
                if feature_id not in all_features:
                    problems.append(Problem(file, label, "target", f"no feature '{feature_id}'"))
        for indicator_id in step.indicator_ids:
            if indicator_id not in indicator_ids:
                problems.append(Problem(file, label, "indicator_ids", f"no indicator '{indicator_id}'"))
    for tour_id, seqs in by_tour.items():
        if sorted(seqs) != list(range(1, len(seqs) + 1)):
            problems.append(Problem(parsed.file_of(steps[0]), tour_id, "seq", f"steps must be numbered 1..{len(seqs)}, found {sorted(seqs)}"))
    return problems


def _check_stops(parsed: Parsed, route_ids: set[str], place_ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    stops_file, stops = parsed.role("route_stops")
    by_route: dict[str, list] = defaultdict(list)
    for stop in stops:
        label = _label(stop)
        if stop.route_id not in route_ids:
            problems.append(Problem(stops_file, label, "route_id", f"no route '{stop.route_id}'"))
        if stop.place_id not in place_ids:
            problems.append(Problem(stops_file, label, "place_id", f"no place '{stop.place_id}'"))
        by_route[stop.route_id].append(stop)
    for route_id in sorted(route_ids):
        route_stops = sorted(by_route.get(route_id, []), key=lambda stop: stop.seq)
        if len(route_stops) < 2:
            problems.append(Problem(stops_file, route_id, "route_id", "a route needs at least two stops"))
            continue
        seqs = [stop.seq for stop in route_stops]
        if seqs != list(range(1, len(seqs) + 1)):
            problems.append(Problem(stops_file, route_id, "seq", f"stops must be numbered 1..{len(seqs)}, found {seqs}"))
        if route_stops[0].role != "origin":
            problems.append(Problem(stops_file, _label(route_stops[0]), "role", "the first stop must be the origin"))
        if route_stops[-1].role != "destination":
            problems.append(Problem(stops_file, _label(route_stops[-1]), "role", "the last stop must be the destination"))
        if route_stops[-1].mode_to_next is not None:
            problems.append(Problem(stops_file, _label(route_stops[-1]), "mode_to_next", "must be blank on the last stop"))
        for stop in route_stops[:-1]:
            if stop.mode_to_next is None:
                problems.append(Problem(stops_file, _label(stop), "mode_to_next", "required on every stop but the last"))
    return problems
