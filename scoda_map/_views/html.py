"""Safe HTML fragments: every piece of text from data goes through ``escape``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from .._data.atlas import Atlas
from .._i18n import catalog, data_text, t


def plotly_text(value: object) -> str:
    """Data text for plotly labels and hovers: plotly reads some HTML tags in text."""
    return str(escape(str(value)))


def text(record: Mapping[str, Any], field: str, lang: str) -> Markup:
    """A data label in ``lang``, escaped; English with a discreet marker when missing."""
    value, fell_back = data_text(record, field, lang)
    if value is None:
        return Markup("")
    if fell_back:
        marker = escape(t("details.translation_missing", lang))
        return Markup('{}<sup class="scoda-fallback" title="{}">EN</sup>').format(value, marker)
    return escape(value)


def present(value: Any) -> bool:
    return value is not None and value == value and str(value).strip() != ""


def row(label: str, value: Any) -> Markup:
    """A definition-list row; nothing when the value is blank."""
    if not present(value):
        return Markup("")
    return Markup("<dt>{}</dt><dd>{}</dd>").format(label, value)


def dl(rows: Iterable[Markup]) -> Markup:
    body = Markup("").join(rows)
    return Markup('<dl class="scoda-facts">{}</dl>').format(body) if body else Markup("")


def link(url: Any, label: Any) -> Markup:
    """A link only for http(s) URLs; anything else shows as plain text."""
    if present(url) and urlsplit(str(url)).scheme in ("http", "https"):
        return Markup('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>').format(url, label)
    return escape(label)


def confidence_badge(confidence: str, lang: str) -> Markup:
    label = t(f"confidence.{confidence}", lang) if confidence in ("documented", "reported", "inferred") else confidence
    return Markup('<span class="scoda-badge scoda-{}">{}</span>').format(confidence, label)


def source_title(source: Mapping[str, Any], lang: str) -> str:
    """A source's title in ``lang``: its own title, or the project's description of it
    translated (``title_zh`` / ``title_ru``) where the title was not recorded."""
    localized = source.get(f"title_{lang}")
    return str(localized) if present(localized) else str(source["title"])


def _note(record: Mapping[str, Any], lang: str) -> Markup | None:
    """The record's note in ``lang`` (``note_en/zh/ru``), else its single ``note``."""
    localized = text(record, "note", lang)
    if localized:
        return localized
    note = record.get("note")
    return escape(note) if present(note) else None


def provenance(atlas: Atlas, record: Mapping[str, Any], lang: str) -> Markup:
    """Sources, date and confidence of a record: every fact traced to its source."""
    items = []
    for source_id in record.get("source_ids") or ():
        if source_id not in atlas.sources.index:
            continue
        source = atlas.sources.loc[source_id]
        kind = source.get("kind")
        kind_label = t(f"source_kind.{kind}", lang) if present(kind) and f"source_kind.{kind}" in catalog("en") else None
        detail = ", ".join(str(v) for v in (kind_label, source["publisher"], source["date"]) if present(v))
        items.append(Markup("<li>{}{}</li>").format(
            link(source["url"], source_title(source, lang)), Markup(" <span class=\"scoda-muted\">({})</span>").format(detail) if detail else ""))
    sources = Markup('<ul class="scoda-sources">{}</ul>').format(Markup("").join(items))
    rows = [
        row(t("details.confidence", lang), confidence_badge(str(record.get("confidence")), lang)),
        row(t("details.date", lang), record.get("date")),
        row(t("details.note", lang), _note(record, lang)),
    ]
    return Markup('<div class="scoda-provenance"><div class="scoda-label">{}</div>{}{}</div>').format(
        t("details.sources", lang), sources, dl(rows))
