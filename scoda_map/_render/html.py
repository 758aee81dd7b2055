"""Safe HTML fragments: every piece of text from data goes through ``escape``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from .._data.atlas import Atlas
from .._i18n import FULL_WIDTH, HANZI, catalog, data_text, origin, t


def plotly_text(value: object) -> str:
    """Data text for plotly labels and hovers: plotly reads some HTML tags in text."""
    return str(escape(str(value)))


def text(record: Mapping[str, Any], field: str, lang: str) -> Markup:
    """A data text in ``lang``, escaped, with a discreet marker when it is not the source's:
    ``EN`` where the translation is missing (the English shows, marked ``lang="en"``), a
    small "project translation" mark where the record says the project translated it."""
    value, fell_back = data_text(record, field, lang)
    if value is None:
        return Markup("")
    if fell_back:
        marker = escape(t("details.translation_missing", lang))
        return Markup('<span lang="en">{}</span><sup class="scoda-fallback" title="{}">EN</sup>').format(value, marker)
    # A note is the project's own commentary, written in English: its zh / ru are always ours.
    if origin(record, lang) == "project" or (field == "note" and lang != "en"):
        return escape(value) + own_translation_mark(lang)
    return escape(value)


def aside(content: object, lang: str, cls: str | None = "scoda-muted") -> Markup:
    """A remark after a text, in parentheses: `` (…)``, and in Chinese the full-width
    ``（…）`` with no space before it (Chinese punctuation carries its own). In a span of
    class ``cls`` (none: bare).

    >>> print(aside("2024", "en", "scoda-mb-year"))
     <span class="scoda-mb-year">(2024)</span>
    >>> print(aside("2024", "zh", None))
    （2024）
    """
    opening, closing = str(punct("(", lang)), str(punct(")", lang))  # str: a template, not text
    space = "" if lang == "zh" else " "
    if cls is None:
        return Markup(space + opening + "{}" + closing).format(content)
    return Markup(space + '<span class="{}">' + opening + "{}" + closing + "</span>").format(cls, content)


def punct(mark: str, lang: str) -> Markup:
    """A punctuation mark as ``lang`` writes it: ``", "`` is ``"，"`` in Chinese.

    >>> [str(punct(": ", lang)) for lang in ("zh", "ru")]
    ['：', ': ']
    """
    return Markup(FULL_WIDTH[mark.strip()] if lang == "zh" else mark)


def own_translation_mark(lang: str) -> Markup:
    """The discreet mark of the project's own translation: a short sign, its meaning as a
    tooltip and for screen readers."""
    return Markup('<sup class="scoda-own" title="{}"><span aria-hidden="true">{}</span>'
                  '<span class="scoda-sr">{}</span></sup>').format(
        t("translation.project", lang), t("translation.project_short", lang), t("translation.project", lang))


_CJK = re.compile(f"[{HANZI}]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def script_lang(value: str) -> str:
    """The language an original text is written in, from its script (zh, ru or en).

    >>> script_lang("畅通多式联运通道"), script_lang("Алматы"), script_lang("Opinions")
    ('zh', 'ru', 'en')
    """
    return "zh" if _CJK.search(value) else "ru" if _CYRILLIC.search(value) else "en"


def original(value: Any, kind: str = "original") -> Markup:
    """An original text (a source's title, a quote) kept in its own language, marked as such
    with ``lang`` so browsers, screen readers and checkers know it is not a translation."""
    if not present(value):
        return Markup("")
    value = str(value)
    return Markup('<span class="scoda-{}" lang="{}">{}</span>').format(kind, script_lang(value), value)


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


def source_title_text(source: Mapping[str, Any], lang: str) -> str:
    """:func:`source_title` as plain text, for plotly labels and plain-text citations."""
    localized = source.get(f"title_{lang}")
    return str(localized) if present(localized) else str(source["title"])


def source_title(source: Mapping[str, Any], lang: str) -> Markup:
    """A source's title in ``lang``: its own title as published (an original, marked with its
    language), or the project's description of it translated (``title_zh`` / ``title_ru``,
    marked as the project's translation) where the title was not recorded."""
    localized = source.get(f"title_{lang}")
    if present(localized):
        return escape(localized) + own_translation_mark(lang) if lang != "en" else escape(localized)
    return original(source["title"])


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
        source = atlas.record("sources", source_id)
        kind = source.get("kind")
        kind_label = t(f"source_kind.{kind}", lang) if present(kind) and f"source_kind.{kind}" in catalog("en") else None
        detail = punct(", ", lang).join([escape(kind_label)] * present(kind_label)
                                   + [original(source["publisher"], "name")] * present(source["publisher"])
                                   + [escape(source["date"])] * present(source["date"]))
        items.append(Markup("<li>{}{}</li>").format(
            link(source["url"], source_title(source, lang)), aside(detail, lang) if detail else ""))
    sources = Markup('<ul class="scoda-sources">{}</ul>').format(Markup("").join(items))
    rows = [
        row(t("details.confidence", lang), confidence_badge(str(record.get("confidence")), lang)),
        row(t("details.date", lang), record.get("date")),
        row(t("details.note", lang), _note(record, lang)),
    ]
    return Markup('<div class="scoda-provenance"><div class="scoda-label">{}</div>{}{}</div>').format(
        t("details.sources", lang), sources, dl(rows))
