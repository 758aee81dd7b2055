"""The static site's pre-rendered pieces: every panel, in every language, made
by the same render functions the live explorer draws with.

The static page does not rebuild details, lists or messages in JavaScript (a
second implementation that would drift from the Python one). It shows these
fragments: the details of every feature, place and measure, the measure list,
the layer panel, the legend, the notices and the place-search answers, each
once per language and escaped by markupsafe here. What a visitor types (an id in
a link, a search) goes into a fragment's empty ``data-slot`` span as text.

Searches match on keys normalised here (``str.casefold``, as the explorer), so
the page only compares substrings; ``FOLD`` lists the characters whose casefold
differs from JavaScript's ``toLowerCase`` for the page to fold what is typed.

Examples
--------
>>> import scoda_map
>>> pieces = fragments(scoda_map.load())
>>> "胶州—阿拉木图" in pieces["zh"]["details"]["f:r-almaty"]
True
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Any

from markupsafe import Markup

from .._data.atlas import Atlas
from .._data.worldview import Worldview
from .._i18n import LANGUAGES, t
from .._model.notice import Notice
from .._model.state import ExplorerState, search_keys
from .._render import details, measure_browser, panels
from .._render.features import highlight_geometry
from .._render.messages import notice_html

__all__ = ["NOTICES", "fold_table", "fragments", "highlights", "measure_keys", "selection_keys"]

#: The notices the static page can show; their values go into slots.
NOTICES = {"notice.unknown_feature": "value", "notice.unknown_measure": "value", "notice.link_ignored": "items"}
DIGITS = 4


def selection_keys(atlas: Atlas) -> list[str]:
    """The page's selection keys: ``f:<id>`` for every feature and place, ``m:<id>`` for every measure."""
    features = [f"f:{i}" for name in atlas.layer_names() for i in atlas.layer(name).index]
    places = [f"f:{i}" for i in atlas.places.index]
    return list(dict.fromkeys(features + places)) + [f"m:{i}" for i in atlas.measures.index]


def _select(state: ExplorerState, key: str) -> None:
    if key.startswith("m:"):
        state.select_measure(key[2:])
    else:
        state.select_feature(key[2:])


def _details(atlas: Atlas, lang: str) -> dict[str, str]:
    state = ExplorerState(atlas, lang=lang)
    out = {"": str(details.body(state))}
    for key in selection_keys(atlas):
        _select(state, key)
        out[key] = str(details.body(state))
    return out


def _layers_html(atlas: Atlas, lang: str) -> Markup:
    """The layer panel as the live explorer draws it (site.js ticks the boxes)."""
    return panels.layer_panel_html(atlas, lang)


def _measures_html(atlas: Atlas, lang: str) -> Markup:
    """The measure browser with every measure, as the live explorer draws it; the page hides
    what the document filter and the search leave out (``measure_keys``)."""
    return measure_browser.render(atlas, ExplorerState(atlas, lang=lang).visible_measures(), lang)


def _documents_html(atlas: Atlas, lang: str) -> Markup:
    return Markup("").join(Markup('<option value="{}">{}</option>').format(value, label)
                           for label, value in panels.document_options(atlas, lang))


def _places_html(atlas: Atlas) -> tuple[Markup, Markup]:
    """The place search's answers (hidden until they match) and the datalist's options."""
    labels = ExplorerState(atlas).places.labels
    buttons = Markup("").join(Markup('<button type="button" class="site-link" data-place="{}" data-key="{}" hidden>{}</button>').format(
        place_id, label.casefold(), label) for label, place_id in sorted(labels.items()))
    options = Markup("").join(Markup('<option value="{}"></option>').format(label) for label in sorted(labels))
    return buttons, options


def _language(atlas: Atlas, lang: str, worldview: Worldview | str | None) -> dict[str, Any]:
    return {
        "text": {  # element id -> its text
            "site-title": t("app.title", lang), "site-subtitle": t("app.subtitle", lang),
            "details-heading": t("details.heading", lang), "measures-heading": t("measures.heading", lang),
            "place-search-label": t("search.placeholder", lang), "measure-filter-label": t("measures.search", lang),
            "document-filter-label": t("measures.all_documents", lang),
        },
        "placeholder": {"place-search": t("search.placeholder", lang), "measure-filter": t("measures.search", lang)},
        "layers": str(_layers_html(atlas, lang)),
        "legend": str(panels.legend_html(atlas, lang)),
        "documents": str(_documents_html(atlas, lang)),
        "measures": str(_measures_html(atlas, lang)),
        "count": str(panels.measure_count_html(atlas, lang, "")),
        "count_none": str(panels.measure_count_html(atlas, lang, 0)),
        # No time control here: the page shows the present only, and says so.
        "footer": str(panels.footer_html(atlas, lang, worldview)
                      + Markup('<p class="scoda-muted">{}</p>').format(t("timeline.static_present", lang))),
        "notices": {key: str(notice_html(Notice(key, **{slot: ""}), lang)) for key, slot in NOTICES.items()},
        "search": {key: str(panels.search_message_html(key, lang, "")) for key in ("search.no_match", "search.many")},
        "details": _details(atlas, lang),
    }


def fragments(atlas: Atlas, worldview: Worldview | str | None = None) -> dict[str, Any]:
    """Every pre-rendered piece, by language, plus the language-independent place search."""
    out: dict[str, Any] = {lang: _language(atlas, lang, worldview) for lang in LANGUAGES}
    out["places"], out["place_options"] = (str(part) for part in _places_html(atlas))
    return out


def measure_keys(atlas: Atlas) -> dict[str, str]:
    """What the measure search looks in, by measure id: casefolded, the same in every language."""
    return search_keys(ExplorerState(atlas).visible_measures()).to_dict()


def highlights(atlas: Atlas) -> dict[str, list]:
    """For each selection key, what the map lights: [line xs, line ys, point xs, point ys, box or None]."""
    state = ExplorerState(atlas)
    out = {}
    for key in selection_keys(atlas):
        _select(state, key)
        lines, points = highlight_geometry(atlas, state.highlight_ids())
        xs, ys = [], []
        for line in lines:
            xs += [round(x, DIGITS) for x, _ in line] + [None]
            ys += [round(y, DIGITS) for _, y in line] + [None]
        px, py = [round(p.x, DIGITS) for p in points], [round(p.y, DIGITS) for p in points]
        every_x, every_y = [x for x in xs + px if x is not None], [y for y in ys + py if y is not None]
        box = [min(every_x), min(every_y), max(every_x), max(every_y)] if every_x else None
        out[key] = [xs, ys, px, py, box]
    return out


@cache
def fold_table() -> dict[str, str]:
    """Characters whose ``casefold()`` is not their ``lower()`` (ß -> ss, ς -> σ, ...): ~300 entries."""
    table = {}
    for start in range(0, sys.maxunicode + 1, 256):  # a block at a time: most blocks have none
        if 0xD800 <= start <= 0xDFFF:  # surrogates (eight whole blocks)
            continue
        block = "".join(map(chr, range(start, start + 256)))
        if block.casefold() != block.lower():
            table.update({char: char.casefold() for char in block if char.casefold() != char.lower()})
    return table
