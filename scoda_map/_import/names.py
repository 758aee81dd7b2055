"""Names as staff write them: cells in two languages, and names that mean the same record.

Chinese sheets often write a name cell as "中白工业园 (China–Belarus Great Stone
Industrial Park)" or "Great Stone / 中白工业园". :func:`split_languages` splits
such a cell into its languages by script (Chinese characters, Cyrillic, Latin),
so that the English view never shows Chinese and each part can match a record.

:func:`name_keys` reduces a name to the forms two spellings of one place share:
case, Unicode width (NFKC), accents, punctuation and dashes, brackets (the text
inside and outside each becomes a form of its own), and generic words such as
"Industrial Park", "Park", "Zone", "工业园", "园区", "парк". Two records whose
forms meet are *likely the same*: the importer holds such a row for a person
instead of adding a second record.
"""

from __future__ import annotations

import re
import unicodedata

from .sheets import script_of

_PAIR = (re.compile(r"^\s*(?P<a>[^()（）\[\]]+?)\s*[(（\[]\s*(?P<b>[^()（）\[\]]+?)\s*[)）\]]\s*$"),
         re.compile(r"^\s*(?P<a>[^/／|｜]+?)\s*[/／|｜]\s*(?P<b>[^/／|｜]+?)\s*$"))


def split_languages(text: str | None) -> dict[str, str]:
    """The parts of a cell written in two languages, by language; ``{}`` when it is one name.

    A cell is split only when its two parts are in different scripts, so
    "China-Belarus Industrial Park (Great Stone)" and "兰州新区（综合保税区）" stay whole.

    Examples
    --------
    >>> split_languages("中白工业园 (China–Belarus Great Stone Industrial Park)")
    {'zh': '中白工业园', 'en': 'China–Belarus Great Stone Industrial Park'}
    >>> split_languages("Great Stone / 中白工业园"), split_languages("中白工业园／Great Stone")
    ({'en': 'Great Stone', 'zh': '中白工业园'}, {'zh': '中白工业园', 'en': 'Great Stone'})
    >>> split_languages("Минск (Minsk)"), split_languages("China-Belarus Industrial Park (Great Stone)")
    ({'ru': 'Минск', 'en': 'Minsk'}, {})
    """
    if not text:
        return {}
    for pattern in _PAIR:
        match = pattern.match(text)
        if match:
            a, b = match["a"].strip(), match["b"].strip()
            if a and b and _pure(a) and _pure(b) and script_of(a) != script_of(b):
                return {script_of(a): a, script_of(b): b}
    return {}


def _pure(part: str) -> bool:
    """Text of one script (digits and punctuation aside): a part to give one language."""
    scripts = {script_of(char) for char in part if char.isalpha()}
    return len(scripts) == 1


#: Generic words removed before names are compared (whole words; Chinese: at the end).
GENERIC_WORDS = (
    "special economic zone", "free economic zone", "economic zone", "free trade zone", "industrial zone",
    "cooperation zone", "demonstration zone", "development zone", "industrial park", "industry park",
    "technology park", "science park", "eco park", "logistics park", "park", "zone", "area", "base",
    "особая экономическая зона", "свободная экономическая зона", "экономическая зона", "индустриальный парк",
    "промышленный парк", "технопарк", "парк", "зона",
)
GENERIC_ZH = ("经济特区", "经济区", "工业园区", "产业园区", "科技园区", "物流园区", "工业园", "产业园", "科技园", "生态园",
              "物流园", "园区", "开发区", "合作区", "示范区", "自贸区", "园")
_GENERIC = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in GENERIC_WORDS) + r")\b")


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c) or c == "\u0306")
    text = unicodedata.normalize("NFC", text)
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def name_keys(text: str | None) -> set[str]:
    """The forms a name is compared by (see the module's docstring).

    Examples
    --------
    >>> sorted(name_keys("China-Belarus Industrial Park (Great Stone)"))
    ['china belarus', 'china belarus great stone', 'great stone']
    >>> sorted(name_keys("Great Stone Industrial Park")), sorted(name_keys("中白工业园区"))
    (['great stone'], ['中白'])
    """
    if not text:
        return set()
    forms = {text}
    for match in re.finditer(r"[(（\[«“\"]([^()（）\[\]«»“”\"]+)[)）\]»”\"]", text):
        forms.add(match[1])
    outside = re.sub(r"[(（\[][^()（）\[\]]*[)）\]]", " ", text)
    forms.add(outside)
    keys = set()
    for form in forms:
        key = _normal(form)
        if script_of(key) == "zh":
            key = key.replace(" ", "")
            for word in GENERIC_ZH:
                if key.endswith(word) and len(key) > len(word) + 1:
                    key = key[: -len(word)]
                    break
        else:
            key = " ".join(_GENERIC.sub(" ", key).split())
        if len(key) >= 2:
            keys.add(key)
    return keys


def likely_same(a: str | None, b: str | None) -> bool:
    """Whether two names probably name the same place.

    True when their forms meet, or when the words of one (at least two of them)
    are all in the other; Chinese names when one form contains the other and the
    shorter has at least four characters.

    Examples
    --------
    >>> likely_same("Great Stone Industrial Park", "China-Belarus Industrial Park (Great Stone)")
    True
    >>> likely_same("中白工业园", "中白工业园区"), likely_same("Khorgos Park", "Khorgos Eastern Gate")
    (True, False)
    """
    keys_a, keys_b = name_keys(a), name_keys(b)
    if keys_a & keys_b:
        return True
    for x in keys_a:
        for y in keys_b:
            short, long = sorted((x, y), key=len)
            if script_of(short) == "zh":
                if len(short) >= 4 and short in long:
                    return True
            else:
                words = set(short.split())
                if len(words) >= 2 and words <= set(long.split()):
                    return True
    return False
