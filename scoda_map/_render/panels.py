"""The smaller panels' HTML and labels: layer counts, legend, measure list,
document filter, place-search messages, header and footer.

Pure functions of the data and the language, used by the live widgets
(:mod:`scoda_map._views`) and pre-rendered for the static site
(:mod:`scoda_map._export.fragments`), so both show the same words.

Examples
--------
>>> import scoda_map
>>> atlas = scoda_map.load()
>>> "scoda-legend" in legend_html(atlas, "ru")
True
>>> str(search_message_html("search.no_match", "en", "x"))
'<span class="scoda-muted">No place matches “<span class="scoda-slot" data-slot="query">x</span>”.</span>'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from .._data.atlas import Atlas
from .._data.worldview import Worldview, schematic_key
from .._i18n import data_text, t
from .._model.state import ExplorerState
from .html import present
from .memo import per_atlas
from .messages import message, slot

__all__ = [
    "document_options", "footer_html", "header_html", "layer_count_html", "layer_panel_html", "legend_html", "measure_count_html",
    "measure_label", "measure_options", "search_message_html",
]


def header_html(lang: str) -> Markup:
    """The page's title and subtitle."""
    return Markup("<h1>{}</h1><p>{}</p>").format(t("app.title", lang), t("app.subtitle", lang))


def footer_text(atlas: Atlas, lang: str) -> str:
    """Credits, data version and the last staff import, as plain text."""
    footer = t("footer.credits", lang, version=atlas.version)
    last = atlas.last_import if isinstance(atlas.last_import, dict) else {}
    if last.get("last_import"):
        footer += " " + t("footer.last_import", lang, date=str(last["last_import"])[:16].replace("T", " "),
                          file=str(last.get("last_import_file", "")))
    return footer


def footer_html(atlas: Atlas, lang: str, worldview: Worldview | str | None = None) -> Markup:
    """The footer: what the map is (a schematic, in ``worldview``), credits, data version, last import."""
    schematic = t(schematic_key(worldview), lang)
    return Markup('<p><span class="scoda-schematic">{}</span> {}</p>').format(schematic, footer_text(atlas, lang))


def layer_count_html(atlas: Atlas, name: str, lang: str, completeness: pd.DataFrame | None = None) -> Markup:
    """A layer's honest count ("documented N of M"), with its colour for point layers."""
    info = atlas.layer_info(name)
    row = (completeness if completeness is not None else atlas.completeness()).loc[name]
    claimed = row["claimed"]
    if not pd.isna(claimed):
        count = t("layers.count_claimed", lang, listed=row["listed"], claimed=int(claimed), on_map=row["on_map"])
    else:
        count = t("layers.count", lang, listed=row["listed"], on_map=row["on_map"])
    swatch = Markup('<span class="scoda-swatch" style="background:{}"></span>').format(info.color or "#777")
    return Markup('<div class="scoda-count">{}{}</div>').format(swatch if info.kind == "points" else "", count)


@per_atlas()
def layer_panel_html(atlas: Atlas, lang: str) -> Markup:
    """The layer panel: a heading, then per layer a checkbox named by the layer's title and its
    honest count (:func:`layer_count_html`). Which boxes are ticked is not in the HTML: the
    live explorer and the static page set it from their state, so a toggle redraws nothing.

    Examples
    --------
    >>> import scoda_map
    >>> atlas = scoda_map.load()
    >>> html = layer_panel_html(atlas, "ru")
    >>> html.count('type="checkbox"') == len(atlas.layer_names()), "Слои" in html
    (True, True)
    """
    completeness = atlas.completeness()
    rows = [Markup('<h3 class="scoda-panel-title">{}</h3>').format(t("layers.heading", lang))]
    for name in atlas.layer_names():
        info = atlas.layer_info(name)
        rows.append(Markup('<div class="scoda-layer-row scoda-layer-{0}"><label><input type="checkbox" data-layer="{0}">{1}</label>{2}</div>').format(
            name, info.title.get(lang) or info.title["en"], layer_count_html(atlas, name, lang, completeness)))
    return Markup("").join(rows)


@per_atlas()
def legend_html(atlas: Atlas, lang: str) -> Markup:
    """The map legend: each corridor's colour AND dash pattern (colour is never the only cue), and the
    dotted sea or river leg (:func:`.legend.render`)."""
    from .legend import render

    return render(atlas, lang)


def measure_label(atlas: Atlas, measure: Mapping[str, Any], lang: str) -> str:
    """A measure's line in the list: "[section] number. title" (plain text)."""
    number = f"{int(measure['number'])}. " if present(measure["number"]) else ""
    section = data_text(atlas.sections.loc[measure["section_id"]], "name", lang)[0] if present(measure["section_id"]) else None
    prefix = f"[{section}] " if section else ""
    return f"{prefix}{number}{data_text(measure, 'title', lang)[0]}"


def measure_options(state: ExplorerState) -> list[tuple[str, str]]:
    """(label, id) of the measures the state's filter and search leave, in reading order."""
    return [(measure_label(state.atlas, measure, state.lang), measure_id)
            for measure_id, measure in state.visible_measures().iterrows()]


def document_options(atlas: Atlas, lang: str) -> list[tuple[str, str]]:
    """(label, id) for the document filter; "" is every document."""
    return list(_document_options(atlas, lang))


@per_atlas()
def _document_options(atlas: Atlas, lang: str) -> tuple[tuple[str, str], ...]:
    return ((t("measures.all_documents", lang), ""),) + tuple(
        (data_text(doc, "title", lang)[0], doc_id) for doc_id, doc in atlas.documents.iterrows())


@per_atlas()
def measure_count_html(atlas: Atlas, lang: str, shown: Any) -> Markup:
    """How many measures are listed (``shown`` goes in a slot), and each document's claimed count."""
    lines = [message("measures.count", lang, shown=slot("shown", shown), total=len(atlas.measures))]
    for doc_id, doc in atlas.documents.iterrows():
        claimed = doc["measure_count"]
        if present(claimed):
            known = int((atlas.measures["document_id"] == doc_id).sum())
            lines.append(escape(t("measures.claimed", lang, document=data_text(doc, "title", lang)[0], known=known, claimed=int(claimed))))
    if shown == 0:
        lines.insert(0, escape(t("measures.none", lang)))
    return Markup('<div class="scoda-muted">{}</div>').format(Markup("<br>").join(lines))


def search_message_html(key: str, lang: str, query: str, count: Any = "") -> Markup:
    """The place search's answer: no place, or several (what was typed goes in a slot)."""
    return Markup('<span class="scoda-muted">{}</span>').format(
        message(key, lang, query=slot("query", query), count=slot("count", count)))
