"""Interface strings from per-locale JSON catalogs, with English as the fallback.

Data labels come from the data (``name_en`` / ``name_zh`` / ``name_ru``); where a
translation is missing the English shows and :func:`data_text` says so, so the
view can mark it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "zh", "ru")
FALLBACK = "en"
LANGUAGE_NAMES = {"en": "English", "zh": "中文", "ru": "Русский"}
#: BCP 47 tags for ``lang`` attributes (``<html lang>``, the inset's captions).
HTML_LANG = {"en": "en", "zh": "zh-Hans", "ru": "ru"}
#: Chinese characters (the CJK ideograph blocks), for a regex class: ``f"[{HANZI}]"``.
HANZI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: ASCII punctuation and the full-width mark Chinese text uses instead (no space after it).
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_LOCALES = Path(__file__).resolve().parent / "locales"


@cache
def catalog(lang: str) -> dict[str, str]:
    """The message catalog of one locale."""
    if lang not in LANGUAGES:
        raise KeyError(f"no catalog for {lang!r}")
    return json.loads((_LOCALES / f"{lang}.json").read_text(encoding="utf-8"))


def t(key: str, lang: str = FALLBACK, **values: Any) -> str:
    """The interface string ``key`` in ``lang``, falling back to English."""
    text = catalog(lang).get(key) if lang in LANGUAGES else None
    if text is None:
        text = catalog(FALLBACK)[key]
    return text.format(**values) if values else text


def data_text(record: Mapping[str, Any], field: str, lang: str) -> tuple[str | None, bool]:
    """A record's ``field`` in ``lang``: (text, whether it fell back to English).

    ``note`` and ``coord_note`` may have no ``_en`` suffix: the bare field is then the English.

    >>> data_text({"note": "Seen once", "note_ru": "Видели один раз"}, "note", "ru")
    ('Видели один раз', False)
    >>> data_text({"note": "Seen once"}, "note", "zh")
    ('Seen once', True)
    """
    value = _field(record, field, lang)
    if _present(value):
        return str(value), False
    english = _field(record, field, FALLBACK)
    return (str(english) if _present(english) else None), lang != FALLBACK


def origin(record: Mapping[str, Any], lang: str) -> str | None:
    """Where a record's text in ``lang`` comes from: ``original``, ``official``, ``project`` or None.

    >>> origin({"origin_zh": "project"}, "zh")
    'project'
    """
    value = record.get(f"origin_{lang}")
    return str(value) if _present(value) else None


#: Fields whose English may be the bare column (``note``, ``coord_note``) instead of ``<field>_en``.
BARE_ENGLISH = ("note", "coord_note")


def _field(record: Mapping[str, Any], field: str, lang: str) -> Any:
    value = record.get(f"{field}_{lang}")
    if lang == FALLBACK and not _present(value) and field in BARE_ENGLISH:
        value = record.get(field)
    return value


def _present(value: Any) -> bool:
    return value is not None and value == value and str(value).strip() != ""  # NaN != NaN
