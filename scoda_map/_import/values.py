"""Turn the words staff type into the project's vocabularies, or say why not.

Every parser returns the project's value, or raises :class:`BadValue` with a
sentence a person can act on. Nothing is guessed: a word that could mean two
things is refused.
"""

from __future__ import annotations

import re

from .._data.schemas import CONFIDENCE_LEVELS


class BadValue(ValueError):
    """A cell that cannot be read; the message says what is accepted."""


#: Confidence words accepted, besides the English ones (exact, case-insensitive).
CONFIDENCE_WORDS = {
    "documented": "documented", "reported": "reported", "inferred": "inferred",
    "有文件记载": "documented", "有报道": "reported", "推断": "inferred",
    "документально": "documented", "по сообщениям": "reported", "вывод": "inferred",
}
#: Ranking used to decide whether a row may change a record: never weaken.
RANK = {"documented": 3, "reported": 2, "inferred": 1}


def confidence(value: str | None) -> str:
    """``documented``, ``reported`` or ``inferred`` from an English, Chinese or Russian word.

    Examples
    --------
    >>> confidence("有报道"), confidence(" Documented ")
    ('reported', 'documented')
    >>> confidence("high")
    Traceback (most recent call last):
    ...
    scoda_map._import.values.BadValue: confidence 'high' is not one of documented / reported / inferred (有文件记载 / 有报道 / 推断; документально / по сообщениям / вывод)
    """
    if not value:
        raise BadValue("confidence is required (documented / reported / inferred)")
    found = CONFIDENCE_WORDS.get(" ".join(value.split()).casefold())
    if found is None:
        raise BadValue(f"confidence '{value}' is not one of {' / '.join(CONFIDENCE_LEVELS)} "
                       "(有文件记载 / 有报道 / 推断; документально / по сообщениям / вывод)")
    return found


_DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_ZH_DATE = re.compile(r"^(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?$")


def date(value: str | None, required: bool = True) -> str | None:
    """A date as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; also ``2023/6/20`` and ``2023年6月20日``.

    Examples
    --------
    >>> date("2023/6/20"), date("2023年6月"), date("2024")
    ('2023-06-20', '2023-06', '2024')
    """
    if not value:
        if required:
            raise BadValue("date is required (YYYY, YYYY-MM or YYYY-MM-DD)")
        return None
    text = value.strip()
    match = _DATE.match(text) or _ZH_DATE.match(text)
    if not match:
        raise BadValue(f"date '{value}' is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    parts = [year] + [f"{int(part):02d}" for part in (month, day) if part]
    from .._data.schemas import _check_partial_date

    result = "-".join(parts)
    try:
        return _check_partial_date(result)
    except ValueError as exc:
        raise BadValue(f"date '{value}': {exc}") from None


def country(value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code from a code (CN, CHN) or a country name in en / zh / ru,
    short or official (:func:`scoda_map._data.countries.resolve_country`).

    Examples
    --------
    >>> country("kz"), country("Kazakhstan"), country("哈萨克斯坦"), country("Казахстан"), country(None)
    ('KZ', 'KZ', 'KZ', 'KZ', None)
    >>> country("Russian Federation"), country("Республика Беларусь"), country("巴基斯坦伊斯兰共和国")
    ('RU', 'BY', 'PK')
    """
    from .._data.countries import UnknownCountry, resolve_country

    if not value:
        return None
    try:
        return resolve_country(value)
    except UnknownCountry as exc:
        raise BadValue(f"country {exc}") from None


PLACE_KINDS = {
    "city": ("city", "城市", "город"), "border_crossing": ("border_crossing", "border crossing", "口岸", "边境口岸", "погранпереход"),
    "port": ("port", "港口", "порт"), "hub": ("hub", "枢纽", "хаб"), "site": ("site", "区域", "объект"),
    "park": ("park", "园区", "парк"), "station": ("station", "站", "车站", "станция"),
}
RELATIONS = {"supports": ("supports", "支持", "поддерживает"), "implements": ("implements", "实施", "落实", "реализует"),
             "names": ("names", "提及", "点名", "называет")}
TEXT_STATUSES = {"original": ("original", "原文", "оригинал"), "partial": ("partial", "部分", "частично"),
                 "paraphrase": ("paraphrase", "转述", "пересказ"), "not_public": ("not_public", "not public", "未公开", "не опубликовано")}


def vocabulary(value: str | None, words: dict[str, tuple[str, ...]], what: str) -> str | None:
    """One of a vocabulary's values from an English, Chinese or Russian word (None when blank).

    Examples
    --------
    >>> vocabulary("园区", PLACE_KINDS, "kind"), vocabulary("未公开", TEXT_STATUSES, "text status")
    ('park', 'not_public')
    """
    if not value:
        return None
    key = " ".join(value.split()).casefold()
    for found, accepted in words.items():
        if key in (word.casefold() for word in accepted):
            return found
    raise BadValue(f"{what} '{value}' is not one of {' / '.join(words)}")


def number(value: str | None, what: str, low: float | None = None, high: float | None = None) -> float | None:
    """A number from a cell (a decimal comma is accepted), within ``[low, high]``."""
    if not value:
        return None
    try:
        result = float(value.replace(",", ".").strip())
    except ValueError:
        raise BadValue(f"{what} '{value}' is not a number") from None
    if result != result or (low is not None and result < low) or (high is not None and result > high):
        raise BadValue(f"{what} {value} is out of range ({low} to {high})")
    return result


def measure_number(value: str | None) -> int | None:
    """A measure number from ``5``, ``No. 5``, ``第5条`` or ``№ 5``.

    Examples
    --------
    >>> measure_number("第5条"), measure_number("No. 12"), measure_number(None)
    (5, 12, None)
    """
    if not value:
        return None
    digits = re.fullmatch(r"\s*(?:no\.?|nr\.?|№|第)?\s*(\d+)\s*(?:条|\.)?\s*", value, flags=re.IGNORECASE)
    if not digits or int(digits[1]) < 1:
        raise BadValue(f"measure number '{value}' is not a whole number from 1")
    return int(digits[1])
