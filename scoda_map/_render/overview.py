"""The overview shown when nothing is selected: headline figures, honestly worded.

Every figure is derived from the atlas (the layers, their claims and the
indicators), never typed in: a staff import changes them. A layer with a headline
claim reads "26 named in public sources; 31 stated (source, date)": the records
named need not be a subset of the stated count (routes opened later, planned
ones), so the two are put side by side rather than as "N of M identified".
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from .._data.atlas import Atlas
from .._i18n import data_text, t
from .html import aside
from .memo import per_atlas


def _present(value: Any) -> bool:
    return value is not None and value == value and str(value).strip() != ""


def _source_link(atlas: Atlas, source_ids, lang: str) -> Markup:
    """The first source of a record as a link (title, publisher, date)."""
    for source_id in source_ids or ():
        if source_id in atlas.sources.index:
            source = atlas.sources.loc[source_id]
            title = source.get(f"title_{lang}") if _present(source.get(f"title_{lang}")) else source["title"]
            label = ", ".join(str(v) for v in (source.get("publisher"), source.get("date")) if _present(v)) or str(title)
            url = source.get("url")
            if _present(url) and str(url).startswith(("http://", "https://")):
                return Markup('<a href="{}" target="_blank" rel="noopener noreferrer" title="{}">{}</a>').format(url, title, label)
            return escape(label)
    return Markup("")


def latest_full_year(atlas: Atlas, indicator: str = "trains_per_year") -> pd.Series | None:
    """The indicator's row for the latest year with a whole-year actual figure.

    Examples
    --------
    >>> import scoda_map
    >>> row = latest_full_year(scoda_map.load())
    >>> row is None or row["kind"] == "actual"
    True
    """
    frame = atlas.indicators
    rows = frame[(frame["indicator"] == indicator) & (frame["kind"] == "actual")]
    if not len(rows):
        return None
    return rows.sort_values(["year", "date"]).iloc[-1]


def figures(atlas: Atlas, lang: str) -> list[Markup]:
    """The headline lines, one per layer with a figure, then trains and measures."""
    lines: list[Markup] = []
    completeness = atlas.completeness()
    for name in atlas.layer_names():
        info = atlas.layer_info(name)
        title = info.title.get(lang) or info.title["en"]
        row = completeness.loc[name]
        if pd.isna(row["claimed"]):
            continue
        claim = atlas.claims.loc[info.claim]
        text = t("overview.named_stated", lang, listed=int(row["listed"]), claimed=int(row["claimed"]),
                 date=str(claim["date"])[:4] if _present(claim.get("date")) else "?")
        statement, _ = data_text(claim, "statement", lang)
        lines.append(_line(title, text, _source_link(atlas, claim.get("source_ids"), lang), lang, figure_hint=statement))
    trains = latest_full_year(atlas)
    if trains is not None:
        value = f"{int(trains['value']):,}".replace(",", "\u202f")
        text = t("overview.trains", lang, value=value, year=int(trains["year"]))
        lines.append(_line(t("overview.trains_label", lang), text, _source_link(atlas, trains.get("source_ids"), lang), lang))
    for doc_id, doc in atlas.documents.iterrows():
        claimed = doc.get("measure_count")
        if not _present(claimed):
            continue
        known = int((atlas.measures["document_id"] == doc_id).sum())
        title, _ = data_text(doc, "title", lang)
        year = str(doc["issued"])[:4] if _present(doc.get("issued")) else ""
        text = t("overview.measures", lang, known=known, claimed=int(claimed))
        label = t("overview.measures_label", lang, year=year)
        lines.append(_line(label, text, _source_link(atlas, doc.get("source_ids"), lang), lang, hint=title))
    return lines


def _line(label: str, text: str, source: Markup, lang: str, hint: str | None = None,
          figure_hint: str | None = None) -> Markup:
    title = Markup(' title="{}"').format(hint) if hint else Markup("")
    figure_title = Markup(' title="{}"').format(figure_hint) if figure_hint else Markup("")
    cite = aside(source, lang, "scoda-ov-source") if source else Markup("")
    return Markup('<li><span class="scoda-ov-label"{}>{}</span> <span class="scoda-ov-figure"{}>{}</span>{}</li>').format(
        title, label, figure_title, text, cite)


@per_atlas()
def render(atlas: Atlas, lang: str, howto: str = "overview.howto") -> Markup:
    """The overview: a heading, the figures with their sources, and how to use the map
    (``howto``: the message for this screen; the kiosk has no lists, only buttons).

    Examples
    --------
    >>> import scoda_map
    >>> "scoda-overview" in render(scoda_map.load(), "zh")
    True
    """
    return Markup('<section class="scoda-overview" aria-labelledby="scoda-ov-h"><h3 id="scoda-ov-h" class="scoda-title">{}</h3>'
                  '<p class="scoda-ov-howto">{}</p><ul class="scoda-ov-list">{}</ul></section>').format(
        t("overview.heading", lang), t(howto, lang), Markup("").join(figures(atlas, lang)))
