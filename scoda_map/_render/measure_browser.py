"""The measure browser: every measure readable in full, grouped as in its document.

A ``<select>`` cut the titles after ~40 characters, so a delegation could not read
what the measures are without picking each one. Here each measure is a button with
its whole title (wrapping), its number as printed in the document, how many map
features it reaches and whether its text is the original, a paraphrase, partial or
not public; measures are grouped by document, then by centre/section. Buttons work
from the keyboard and announce themselves to screen readers; ``aria-pressed``
marks the one picked. The kernel sends the picked id back through
``ExplorerState.select_measure`` (see ``_views/measure_list.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from .._data.atlas import Atlas
from .._i18n import data_text, t
from .._model.timeline import period_end
from .html import aside
from .memo import per_atlas

TEXT_STATUSES = ("original", "paraphrase", "partial", "not_public")


def _present(value: Any) -> bool:
    return value is not None and value == value and str(value).strip() != ""


def _label(record, field_name: str, lang: str) -> Markup:
    """A data label in ``lang``, escaped; English with a discreet marker when missing."""
    value, fell_back = data_text(record, field_name, lang)
    if value is None:
        return Markup("")
    if fell_back:
        return Markup('{}<sup class="scoda-fallback" title="{}">EN</sup>').format(value, t("details.translation_missing", lang))
    return escape(value)


@dataclass
class MeasureEntry:
    """One measure as the browser lists it."""

    measure_id: str
    number: int | None
    text_status: str
    features: int  # linked features drawn on the map


@dataclass
class SectionGroup:
    section_id: str | None  # None: the section is not known
    measures: list[MeasureEntry] = field(default_factory=list)


@dataclass
class DocumentGroup:
    document_id: str
    known: int  # measures of this document in the data
    claimed: int | None  # measures the document is stated to have
    sections: list[SectionGroup] = field(default_factory=list)


def group_measures(atlas: Atlas, measures: pd.DataFrame) -> list[DocumentGroup]:
    """Measures (already filtered and in reading order) grouped by document, then section.

    Examples
    --------
    >>> import scoda_map
    >>> atlas = scoda_map.load()
    >>> groups = group_measures(atlas, atlas.measures)
    >>> sum(len(s.measures) for g in groups for s in g.sections) == len(atlas.measures)
    True
    """
    on_map = _features_on_map(atlas)
    groups: dict[str, DocumentGroup] = {}
    for measure_id, measure in measures.iterrows():
        doc_id = measure["document_id"]
        if doc_id not in groups:
            doc = atlas.documents.loc[doc_id] if doc_id in atlas.documents.index else {}
            claimed = doc.get("measure_count") if len(doc) else None
            known = int((atlas.measures["document_id"] == doc_id).sum())
            groups[doc_id] = DocumentGroup(doc_id, known, int(claimed) if _present(claimed) else None)
        group = groups[doc_id]
        section_id = measure["section_id"] if _present(measure["section_id"]) else None
        section = next((s for s in group.sections if s.section_id == section_id), None)
        if section is None:
            section = SectionGroup(section_id)
            group.sections.append(section)
        number = int(measure["number"]) if _present(measure["number"]) else None
        section.measures.append(MeasureEntry(measure_id, number, str(measure["text_status"]), on_map.get(measure_id, 0)))
    return list(groups.values())


def _features_on_map(atlas: Atlas) -> dict[str, int]:
    """Per measure, how many of its linked features are drawn on the map."""
    counts: dict[str, int] = {}
    if not len(atlas.links):
        return counts
    for link in atlas.links.itertuples():
        try:
            drawn = bool(atlas.feature(link.feature_id)["on_map"])
        except KeyError:
            continue
        counts[link.measure_id] = counts.get(link.measure_id, 0) + int(drawn)
    return counts


def render(atlas: Atlas, measures: pd.DataFrame, lang: str, selected: str | None = None,
           as_of: str | None = None) -> Markup:
    """The browser's HTML: documents, sections and one button per measure; with ``as_of`` (the
    time control's date), a document not yet issued then says so above its measures.

    Examples
    --------
    >>> import scoda_map
    >>> atlas = scoda_map.load()
    >>> html = render(atlas, atlas.measures, "en", selected=atlas.measures.index[0])
    >>> html.count('aria-pressed="true"')
    1
    """
    groups = group_measures(atlas, measures)
    if not groups:
        return Markup('<p class="scoda-muted">{}</p>').format(t("measures.none", lang))
    parts = []
    for group in groups:
        doc = atlas.documents.loc[group.document_id] if group.document_id in atlas.documents.index else {"title_en": group.document_id}
        issued = doc.get("issued")
        year = aside(str(issued)[:4], lang, "scoda-mb-year") if _present(issued) else Markup("")
        if group.claimed is not None:
            count = t("measures.claimed_short", lang, known=group.known, claimed=group.claimed)
        else:
            count = t("measures.known", lang, known=group.known)
        sections = [_section(atlas, measures, section, lang, selected) for section in group.sections]
        parts.append(Markup('<section class="scoda-mb-doc" data-document="{}"><h4 class="scoda-mb-doc-title">{}{}</h4>'
                            '<p class="scoda-mb-doc-count">{}</p>{}{}</section>').format(
            group.document_id, _label(doc, "title", lang), year, count, _not_yet(issued, as_of, lang),
            Markup("").join(sections)))
    return Markup('<div class="scoda-mb">{}</div>').format(Markup("").join(parts))


def _not_yet(issued: Any, as_of: str | None, lang: str) -> Markup:
    """"not yet issued" when the time control shows a date before the document's (its measures were
    not in force then); nothing at today's date or for an undated document.

    >>> str(_not_yet("2024-01-22", "2021", "en"))
    '<p class="scoda-mb-not-yet">not yet issued (issued 2024-01-22)</p>'
    >>> str(_not_yet("2024-01-22", None, "en"))
    ''
    """
    issued_on, shown = period_end(issued), period_end(as_of) if as_of else None
    if issued_on is None or shown is None or issued_on <= shown:
        return Markup("")
    return Markup('<p class="scoda-mb-not-yet">{}</p>').format(t("timeline.not_yet", lang, date=str(issued)[:10]))


def _section(atlas: Atlas, measures: pd.DataFrame, section: SectionGroup, lang: str, selected: str | None) -> Markup:
    if section.section_id is not None and section.section_id in atlas.sections.index:
        heading = _label(atlas.sections.loc[section.section_id], "name", lang)
    else:
        heading = escape(t("measures.no_section", lang))
    items = Markup("").join(_item(measures.loc[entry.measure_id], entry, lang, entry.measure_id == selected) for entry in section.measures)
    return Markup('<h5 class="scoda-mb-section">{}</h5><ul class="scoda-mb-list">{}</ul>').format(heading, items)


def _item(measure: pd.Series, entry: MeasureEntry, lang: str, pressed: bool) -> Markup:
    if entry.number is not None:
        number = Markup("{}.").format(entry.number)
    else:  # a dash on screen, the words for screen readers
        number = Markup('<span aria-hidden="true" title="{0}">–</span><span class="scoda-sr">{0}</span>').format(t("measures.no_number", lang))
    status_key = f"text_status.{entry.text_status}"
    status = t(status_key, lang) if entry.text_status in TEXT_STATUSES else entry.text_status
    reach = t("measures.reaches", lang, count=entry.features) if entry.features else t("measures.reaches_none", lang)
    return Markup(
        '<li><button type="button" class="scoda-mb-item" data-pick="{id}" aria-pressed="{pressed}">'
        '<span class="scoda-mb-num">{number}</span><span class="scoda-mb-body"><span class="scoda-mb-title">{title}</span>'
        '<span class="scoda-mb-meta"><span class="scoda-mb-reach">{reach}</span> · '
        '<span class="scoda-mb-status scoda-text-{status_class}">{status}</span></span></span></button></li>').format(
        id=entry.measure_id, pressed="true" if pressed else "false", number=number,
        title=_label(measure, "title", lang), reach=reach, status_class=entry.text_status, status=status)


def for_state(state) -> Markup:
    """:func:`render` for an explorer state (its visible measures, language, pick and date),
    made once per state: ``render`` itself takes any table of measures, which a key could
    not stand for, so the explorer's lists are remembered here, by ``ExplorerState.key``.

    Examples
    --------
    >>> import scoda_map
    >>> from scoda_map._model.state import ExplorerState
    >>> state = ExplorerState(scoda_map.load(), lang="zh")
    >>> for_state(state) == render(state.atlas, state.visible_measures(), "zh")
    True
    """
    return _for_state(state.atlas, state.key(), state)


@per_atlas(key=lambda key, state: key)
def _for_state(atlas: Atlas, key: tuple, state) -> Markup:
    return render(atlas, state.visible_measures(), state.lang, state.measure, as_of=state.as_of)
