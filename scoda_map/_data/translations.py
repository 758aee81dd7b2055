"""Translation coverage: how much of the text a visitor reads exists in Chinese and Russian.

The interface never hides a missing translation: it shows the English with a
marker. That is right for a researcher's extension folder, where translations
come later, but the shipped data is shown in public in three languages, so there
a gap in a visitor-facing field is an error. Each record also says where its
text in each language comes from (``origin_en`` / ``origin_zh`` / ``origin_ru``),
so the interface can mark the project's own translations.

The project's own Chinese is also held to Chinese typography: a comma, colon,
semicolon, question or exclamation mark or parenthesis next to Chinese text is the
full-width one (，：；？！（）), as a Chinese reader expects. Original and official
wording is quoted as published and never checked.

Coverage is counted per file and field, only over records that have the English:
a blank English field has nothing to translate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from .._i18n import BARE_ENGLISH, FULL_WIDTH, HANZI
from .catalog import Catalog
from .errors import Problem
from .paths import shipped_data_path
from .records import record_label
from .references import Parsed
from .schemas import OTHER_TEXT, VISITOR_TEXT

LANGS = ("zh", "ru")
_HAN = f"[{HANZI}\u3000-\u303f\uff00-\uffef“”‘’《》]"  # Chinese, and its punctuation
_ASCII_BY_HAN = re.compile(f"(?<={_HAN})[,:;?!()]|[,:;?!()](?={_HAN})")
#: Chinese fields that are always the project's own, whatever the record's origin: a
#: source's ``title_zh`` describes it (its published title is ``title``, never changed).
ALWAYS_PROJECT_ZH = {"sources": ("title",)}
_LANG_NAMES = {"en": "English", "zh": "Chinese", "ru": "Russian"}


def _value(record: BaseModel, name: str) -> str | None:
    value = getattr(record, name, None)
    if value is None and record.model_extra:
        value = record.model_extra.get(name)
    return value if isinstance(value, str) and value.strip() else None


def field_text(record: BaseModel, name: str, lang: str) -> str | None:
    """A record's text field ``name`` in ``lang``; a bare ``note`` is the English of ``note_zh``."""
    value = _value(record, f"{name}_{lang}")
    if value is None and lang == "en" and name in BARE_ENGLISH:
        value = _value(record, "note")
    return value


@dataclass(frozen=True)
class FieldCoverage:
    """One field of one file: records with the English, and how many are translated."""

    file: str
    field: str
    records: int
    zh: int
    ru: int
    visitor: bool  # shown to visitors (counts towards the 100 % rule)
    strict: bool  # shipped data: a gap is an error, not a warning

    def share(self, lang: str) -> float:
        return getattr(self, lang) / self.records if self.records else 1.0


@dataclass
class TranslationReport:
    """Coverage per file and field, and each gap as a problem.

    ``errors`` are gaps in the shipped data's visitor-facing fields (``scoda-map
    validate`` fails on them); ``warnings`` are the same gaps in extension data.
    """

    fields: list[FieldCoverage] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def totals(self) -> dict[str, tuple[int, int, int]]:
        """Per file: (visitor-facing texts, translated zh, translated ru)."""
        out: dict[str, tuple[int, int, int]] = {}
        for item in self.fields:
            if item.visitor:
                n, zh, ru = out.get(item.file, (0, 0, 0))
                out[item.file] = (n + item.records, zh + item.zh, ru + item.ru)
        return out


def is_shipped(folder: Path) -> bool:
    """Whether a resource's folder is the shipped geodata."""
    try:
        return folder.resolve() == shipped_data_path().resolve()
    except OSError:
        return False


def translation_report(parsed: Parsed, require: bool = False) -> TranslationReport:
    """Count translations in every file of ``parsed``.

    Parameters
    ----------
    parsed : Parsed
        The checked records, per catalog resource.
    require : bool
        Treat every file as shipped data (gaps are errors). Staff preparing data
        for the shipped folder use this (``scoda-map validate --require-translations``).
    """
    catalog: Catalog = parsed.catalog
    report = TranslationReport()
    for resource in catalog.resources:
        role = resource.scoda.role
        visitor, other = VISITOR_TEXT.get(role, ()), OTHER_TEXT.get(role, ())
        if role in ALWAYS_PROJECT_ZH:
            _check_punctuation(report, resource, list(enumerate(parsed.records.get(resource.name, []), start=1)),
                               ALWAYS_PROJECT_ZH[role], require or is_shipped(resource._folder))
        if not visitor and not other:
            continue
        strict = require or is_shipped(resource._folder)
        records = parsed.records.get(resource.name, [])
        gaps = report.errors if strict else report.warnings
        for name in visitor + other:
            counts = {"records": 0, "zh": 0, "ru": 0}
            for index, record in enumerate(records, start=1):
                if field_text(record, name, "en") is None:
                    continue
                counts["records"] += 1
                for lang in LANGS:
                    if field_text(record, name, lang) is not None:
                        counts[lang] += 1
                    elif name in visitor:
                        gaps.append(Problem(resource.path, _label(record, index), f"{name}_{lang}",
                                            f"no {_LANG_NAMES[lang]} translation (visitors see the English)"))
            report.fields.append(FieldCoverage(resource.path, name, counts["records"], counts["zh"], counts["ru"],
                                               name in visitor, strict))
        for index, record in enumerate(records, start=1):
            for lang in ("en",) + LANGS:
                if getattr(record, f"origin_{lang}", None) is None and any(field_text(record, name, lang) for name in visitor):
                    gaps.append(Problem(resource.path, _label(record, index), f"origin_{lang}",
                                        f"say where the {_LANG_NAMES[lang]} text comes from: original, official or project"))
        _check_punctuation(report, resource, [(i, r) for i, r in enumerate(records, start=1)
                                              if getattr(r, "origin_zh", None) == "project"], visitor, strict)
    return report


def _check_punctuation(report: TranslationReport, resource, numbered, fields, strict: bool) -> None:
    """The project's Chinese in ``fields`` of the ``(number, record)`` pairs: Chinese
    punctuation next to Chinese text."""
    for index, record in numbered:
        for name in fields:
            marks = ascii_marks_in_chinese(field_text(record, name, "zh") or "")
            if marks:
                wanted = ", ".join(f"'{FULL_WIDTH[m]}' for '{m}'" for m in marks)
                (report.errors if strict else report.warnings).append(Problem(
                    resource.path, _label(record, index), f"{name}_zh", f"Chinese punctuation next to Chinese text: {wanted}"))


def ascii_marks_in_chinese(text: str) -> list[str]:
    """The ASCII punctuation marks that stand next to Chinese characters in ``text``.

    >>> ascii_marks_in_chinese("联盟于2023年6月15日成立,有41家发起成员(据报道)。")
    [',', '(', ')']
    >>> ascii_marks_in_chinese("联盟于2023年6月15日成立，有41家成员（GeoNames, CC BY 4.0）。")
    []
    """
    return sorted(set(_ASCII_BY_HAN.findall(text)), key=list(FULL_WIDTH).index)


def _label(record: BaseModel, index: int) -> str:
    return record_label(record.model_dump(), index)
