"""The details panel's HTML: a selected feature with its supporting measures,
or a selected measure with what it reaches.

Pure functions from state to safe HTML (every text from the data escaped by
markupsafe), so the live explorer's widget (:mod:`scoda_map._views.details`) and
the static site's pre-rendered fragments (:mod:`scoda_map._export.fragments`)
show the same panel from the same code. Measures open and close as
``<details>`` in the browser, with no round trip to the kernel. Elements that
name another feature or measure carry ``data-feature`` / ``data-measure``, so a
page can make them selectable.

Examples
--------
>>> import scoda_map
>>> from scoda_map._model.state import ExplorerState
>>> state = ExplorerState(scoda_map.load(), lang="zh")
>>> state.select_feature("r-almaty")
True
>>> "胶州—阿拉木图" in render(state)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from .._data.atlas import LINK_COLUMNS
from .._i18n import t
from .._model.state import ExplorerState
from . import overview
from .html import aside, confidence_badge, dl, link, original, present, provenance, punct, row, source_title, text
from .memo import per_atlas
from .messages import notice_html

__all__ = ["body", "render"]


def render(state: ExplorerState) -> Markup:
    """The panel's HTML for the current selection: the notice (if any), then :func:`body`."""
    return notice_html(state.notice, state.lang) + body(state)


def body(state: ExplorerState) -> Markup:
    """The selection's details in the state's language, without the notice; made once per
    state (``ExplorerState.key``: a visitor switching languages back and forth asks again)."""
    return _body(state.atlas, state.key(), state)


@per_atlas(key=lambda key, state: key)
def _body(atlas, key: tuple, state: ExplorerState) -> Markup:
    if state.measure is not None:
        return _measure(state, state.atlas.record("measures", state.measure))
    if state.feature is not None:
        return _feature(state)
    return overview.render(state.atlas, state.lang)  # nothing selected: the headline figures and how to use


def _title(record: Mapping[str, Any], field: str, lang: str, kicker: str) -> Markup:
    return Markup('<div class="scoda-kicker">{}</div><h3 class="scoda-title">{}</h3>').format(kicker, text(record, field, lang))


def _feature(state: ExplorerState) -> Markup:
    atlas, lang, layer = state.atlas, state.lang, state.feature_layer()
    if layer == "places":
        return _place(state, atlas.record("places", state.feature))
    record = atlas.feature(state.feature)
    kicker = atlas.layer_info(layer).title.get(lang) or atlas.layer_info(layer).title["en"]
    parts = [_title(record, "name", lang, kicker)]
    if layer == "routes":
        parts.append(_route_facts(state, record))
    else:
        parts.append(dl([
            row(t("details.status", lang), text(record, "status", lang)),
            row(t("details.country", lang), record["country"]),
            row(t("details.coordinates", lang), _coordinates(record, lang)),
        ]))
        summary = text(record, "summary", lang)
        if summary:
            parts.append(Markup("<p>{}</p>").format(summary))
    parts.append(provenance(atlas, record, lang))
    parts.append(_supporting_measures(state))
    return Markup("").join(parts)


def _coordinates(record: Mapping[str, Any], lang: str) -> Markup:
    if not record.get("on_map", True) or record.get("geometry") is None:
        return Markup('<span class="scoda-warn">{}</span>').format(t("details.no_coordinates", lang))
    point = record["geometry"]
    note = text(record, "coord_note", lang)
    source = {"geonames": "GeoNames", "natural_earth": "Natural Earth", "cited": t("details.coord_cited", lang)}.get(record.get("coord_source"), "")
    geonameid = record.get("geonameid")
    source += f" {int(geonameid)}" if present(geonameid) else ""
    out = Markup("{:.3f}, {:.3f}{}").format(point.y, point.x, aside(source, lang))
    return out + (Markup("<br><span class=\"scoda-muted\">{}</span>").format(note) if present(note) else Markup(""))


def _route_facts(state: ExplorerState, route: Mapping[str, Any]) -> Markup:
    atlas, lang = state.atlas, state.lang
    corridor = atlas.record("corridors", route["corridor"]) if route["corridor"] in atlas.corridors.index else {}
    swatch = Markup('<span class="scoda-swatch" style="background:{}"></span>').format(corridor.get("color", "#888"))
    days = route["transit_days"]
    facts = dl([
        row(t("details.corridor", lang), swatch + text(corridor, "name", lang) if len(corridor) else None),
        row(t("details.direction", lang), t(f"direction.{route['direction']}", lang)),
        row(t("details.status", lang), _status(state, route)),
        row(t("details.first_run", lang), route["first_run"]),
        row(t("details.transit_days", lang), t("details.days", lang, days=f"{days:g}") if present(days) else None),
        row(t("details.cargo", lang), text(route, "cargo", lang)),
        row(t("details.via", lang), text(route, "via", lang)),
        row(t("details.stops", lang), _stops(state, route.name)),
    ])
    warning = Markup("") if route["on_map"] else Markup('<p class="scoda-warn">{}</p>').format(t("details.not_drawn", lang))
    return facts + warning


def _status(state: ExplorerState, route: Mapping[str, Any]) -> Markup:
    """The route's status and, beside it, the sources that show it."""
    lang = state.lang
    label = escape(t(f"status.{route['status']}", lang))
    ids = [s for s in (route.get("status_source_ids") or ()) if s in state.atlas.sources.index]
    if not ids:
        return label
    sources = [state.atlas.record("sources", s) for s in ids]
    titles = punct("; ", lang).join(link(source["url"], source_title(source, lang)) for source in sources)
    return label + aside(Markup("{}{}{}").format(t("details.status_source", lang), punct(": ", lang), titles), lang)


def _stops(state: ExplorerState, route_id: str) -> Markup:
    atlas, lang = state.atlas, state.lang
    stops = atlas.route_stops[atlas.route_stops["route_id"] == route_id]
    items = []
    for stop in stops.itertuples():
        place = atlas.record("places", stop.place_id)
        mode = {"sea": t("details.sea_leg", lang), "river": t("details.river_leg", lang)}.get(stop.mode_to_next)
        located = "" if place.geometry is not None else aside(t("details.not_on_map", lang), lang, "scoda-warn")
        inferred = Markup(" ") + confidence_badge("inferred", lang) if stop.confidence == "inferred" else ""
        after = Markup(' <span class="scoda-muted">→ {}</span>').format(mode) if mode else ""
        items.append(Markup("<li>{} <span class=\"scoda-muted\">{}</span>{}{}{}</li>").format(
            text(place, "name", lang), place["country"], located, inferred, after))
    return Markup('<ol class="scoda-stops">{}</ol>').format(Markup("").join(items))


def _place(state: ExplorerState, place: Mapping[str, Any]) -> Markup:
    atlas, lang = state.atlas, state.lang
    record = dict(place)
    record["on_map"] = place.geometry is not None
    features = state.features_at_selection()
    names = Markup(", ").join(Markup('<span data-feature="{}">{}</span>').format(fid, text(atlas.feature(fid), "name", lang))
                              for fid in features)
    parts = [
        _title(place, "name", lang, t("details.country", lang) + f": {place['country']}"),
        dl([row(t("details.coordinates", lang), _coordinates(record, lang)),
            row(t("details.routes_here", lang) + " / " + t("details.listed_in", lang), names or None)]),
        provenance(atlas, place, lang),
        _supporting_measures(state),
    ]
    return Markup("").join(parts)


def _supporting_measures(state: ExplorerState) -> Markup:
    lang = state.lang
    linked = state.linked_measures()
    heading = Markup('<h4 class="scoda-subhead">{}</h4>').format(t("details.supporting_measures", lang))
    if linked.empty:
        return heading + Markup('<p class="scoda-muted">{}</p>').format(t("details.no_measures", lang))
    # The link's own columns (the measure's come from record()): a row of every column is slow to build.
    links = linked[list(LINK_COLUMNS.values())].to_dict("records")
    blocks = [_measure_block(state, state.atlas.record("measures", m["measure_id"]), m) for m in links]
    return heading + Markup("").join(blocks)


def _measure_block(state: ExplorerState, measure: Mapping[str, Any], link: Mapping[str, Any]) -> Markup:
    """One measure as a <details>: title closed, text, document and agencies open."""
    lang = state.lang
    why = dl([
        row(t("details.why_linked", lang), text(_link_text(link), "rationale", lang) + aside(t(f"relation.{link['relation']}", lang), lang, None)),
        row(t("details.confidence", lang), confidence_badge(link["link_confidence"], lang)),
    ])
    return Markup('<details class="scoda-measure" data-measure="{}"><summary>{}</summary>{}{}</details>').format(
        measure.name, _measure_label(state, measure), _measure_body(state, measure), why)


def _link_text(link: Mapping[str, Any]) -> dict[str, Any]:
    """A link's rationale as a record :func:`text` reads (the link's own origins, not the measure's)."""
    out = {f"rationale_{lang}": link.get(f"rationale_{lang}") for lang in ("en", "zh", "ru")}
    out.update({f"origin_{lang}": link.get(f"link_origin_{lang}") for lang in ("en", "zh", "ru")})
    return out


def _measure_label(state: ExplorerState, measure: Mapping[str, Any]) -> Markup:
    number = measure["number"]
    prefix = f"{int(number)}. " if present(number) else ""
    return Markup("{}{}").format(prefix, text(measure, "title", state.lang))


def _measure_body(state: ExplorerState, measure: Mapping[str, Any]) -> Markup:
    atlas, lang = state.atlas, state.lang
    document = atlas.record("documents", measure["document_id"])
    section = atlas.record("sections", measure["section_id"]) if present(measure["section_id"]) else None
    summary = text(measure, "summary", lang)
    quote = measure["quote"]
    return Markup("").join([
        Markup("<p>{}</p>").format(summary) if summary else Markup(""),
        dl([
            row(t("details.document", lang), text(document, "title", lang)),
            row(t("details.section", lang), text(section, "name", lang) if section is not None else None),
            row(t("details.number", lang), int(measure["number"]) if present(measure["number"]) else None),
            row(t("details.agencies", lang), text(measure, "agencies", lang)),
            row(t("details.text_status", lang), t(f"text_status.{measure['text_status']}", lang)),
        ]),
        (Markup('<blockquote class="scoda-quote" title="{}">{}</blockquote>').format(t("details.quote", lang), original(quote))
         if present(quote) else Markup("")),
        provenance(atlas, measure, lang),
    ])


def _measure(state: ExplorerState, measure: Mapping[str, Any]) -> Markup:
    lang = state.lang
    document = state.atlas.record("documents", measure["document_id"])
    parts = [
        _title(measure, "title", lang, text(document, "title", lang)),
        _measure_body(state, measure),
        Markup('<h4 class="scoda-subhead">{}</h4>').format(t("details.reaches", lang)),
    ]
    reached = state.measure_features()
    if reached.empty:
        parts.append(Markup('<p class="scoda-muted">{}</p>').format(t("details.reaches_none", lang)))
    items = []
    for feature in reached.itertuples():
        record = state.atlas.feature(feature.feature_id)
        layer = state.atlas.layer_info(feature.layer).title
        off = aside(t("details.not_on_map", lang), lang, "scoda-warn") if not feature.on_map else ""
        items.append(Markup('<li data-feature="{}">{} <span class="scoda-muted">{}</span>{}<br><span class="scoda-muted">{}</span> {}</li>').format(
            feature.feature_id, text(record, "name", lang), layer.get(lang) or layer["en"], off,
            text(_link_text(feature._asdict()), "rationale", lang), confidence_badge(feature.link_confidence, lang)))
    if items:
        parts.append(Markup('<ul class="scoda-reached">{}</ul>').format(Markup("").join(items)))
    return Markup("").join(parts)
