"""Read a staff spreadsheet (.xlsx, .ods or .csv) into rows with canonical column names.

Staff name their columns in English, Chinese or Russian (``名称``, ``国家``,
``широта`` ...). :func:`read_sheet` maps every header it knows to one canonical
field (``name_en``, ``country``, ``lat`` ...) and hands back plain text cells.
Columns that name a field without saying its language (``name``, ``名称``,
``название``) are sorted by the script of each cell: Chinese characters go to
``*_zh``, Cyrillic to ``*_ru``, anything else to ``*_en``. A name cell in two
languages ("中白工业园 (Great Stone)", "Great Stone / 中白工业园") is split into
them (:func:`scoda_map._import.names.split_languages`). CSV files are read with the
project's one dialect reader (:mod:`scoda_map._data.dialect`): UTF-8 or GB18030,
with or without a byte-order mark, cells separated by commas, semicolons or tabs.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .._data.dialect import read_csv_text
from .._i18n import HANZI

#: Sheet formats and the pandas engine that reads each.
ENGINES = {".xlsx": "openpyxl", ".xlsm": "openpyxl", ".ods": "odf"}

_LANG_MARKS = {
    "en": ("en", "eng", "english", "英文", "英语", "англ", "английский", "английское", "поанглийски"),
    "zh": ("zh", "cn", "chinese", "中文", "汉语", "кит", "китайский", "китайское", "покитайски"),
    "ru": ("ru", "rus", "russian", "俄文", "俄语", "рус", "русский", "русское", "порусски"),
}
#: Fields that exist in several languages: their generic names in en / zh / ru.
_MULTILINGUAL = {
    "name": ("name", "名称", "名字", "园区名称", "园区", "название", "наименование"),
    "title": ("title", "标题", "措施名称", "заголовок", "названиемеры"),
    "summary": ("summary", "description", "简介", "摘要", "описание", "краткоеописание"),
    "agencies": ("agencies", "agency", "责任单位", "牵头单位", "部门", "ведомства", "ведомство", "ответственные"),
}
#: Single-language fields and the header names that mean them.
_ALIASES = {
    "id": ("id", "recordid", "标识", "идентификатор"),
    "place_id": ("placeid",),
    "country": ("country", "countrycode", "iso2", "countryiso2", "国家", "国别", "国家代码", "страна", "кодстраны"),
    "city": ("city", "town", "location", "城市", "所在城市", "所在地", "город", "населенныйпункт", "местоположение"),
    "lat": ("lat", "latitude", "纬度", "широта"),
    "lon": ("lon", "lng", "long", "longitude", "经度", "долгота"),
    "geonameid": ("geonameid", "geonamesid", "geonames", "geoname"),
    "expected_lat": ("expectedlat", "expectedlatitude", "nearlat", "参考纬度", "预期纬度", "ожидаемаяширота"),
    "expected_lon": ("expectedlon", "expectedlongitude", "nearlon", "参考经度", "预期经度", "ожидаемаядолгота"),
    "max_km": ("maxkm", "withinkm", "最大距离", "最大距离km", "最大距离公里", "допусккм", "максимумкм"),
    "kind": ("kind", "type", "类型", "种类", "тип", "вид"),
    "status_en": ("status", "statusen", "状态", "статус"),
    "source": ("source", "sourcetitle", "来源", "出处", "资料来源", "источник"),
    "url": ("url", "sourceurl", "link", "链接", "网址", "来源链接", "ссылка"),
    "publisher": ("publisher", "发布者", "发布单位", "发布机构", "издатель"),
    "date": ("date", "日期", "时间", "дата"),
    "confidence": ("confidence", "可信度", "置信度", "可靠性", "достоверность", "уверенность"),
    "note": ("note", "notes", "comment", "comments", "备注", "注释", "примечание", "примечания", "комментарий"),
    # measures
    "document": ("document", "documentid", "doc", "文件", "文件名称", "документ"),
    "section": ("section", "sectionid", "部分", "板块", "章节", "раздел"),
    "number": ("number", "no", "nr", "num", "序号", "条", "编号", "номер", "№"),
    "text": ("text", "quote", "fulltext", "原文", "内容", "条文", "措施内容", "текст"),
    "text_status": ("textstatus", "文本状态", "статустекста"),
    # links
    "measure": ("measure", "measureid", "措施", "мера"),
    "feature": ("feature", "featureid", "对象", "要素", "地点", "项目", "объект"),
    "layer": ("layer", "图层", "слой"),
    "relation": ("relation", "关系", "связь"),
    "rationale_en": ("rationale", "rationaleen", "reason", "理由", "依据", "обоснование"),
}
_EXPLICIT = {"英文名": "name_en", "中文名": "name_zh", "俄文名": "name_ru"}
_PROVENANCE = {"id", "source", "url", "publisher", "date", "confidence", "note"}
#: The fields each kind of sheet uses (multilingual fields by their base name); a
#: column the reader recognises but the sheet's kind does not use (序号 in a park
#: sheet) is listed as ignored, like an unknown one.
USED = {
    "layer": _PROVENANCE | {"name", "summary", "place_id", "country", "city", "lat", "lon", "geonameid",
                            "expected_lat", "expected_lon", "max_km", "kind", "status_en"},
    "measures": _PROVENANCE | {"name", "title", "summary", "agencies", "document", "section", "number", "text", "text_status"},
    "links": _PROVENANCE | {"measure", "feature", "layer", "relation", "rationale_en", "document"},
}


def _base(canonical: str) -> str:
    head, _, lang = canonical.rpartition("_")
    return head if lang in _LANG_MARKS and head in _MULTILINGUAL else canonical


def header_key(header: object) -> str:
    """A header reduced to compare with: case, spaces, brackets and separators removed.

    Examples
    --------
    >>> header_key(" Name (EN) "), header_key("名称（中文）"), header_key("Широта")
    ('nameen', '名称中文', 'широта')
    """
    text = unicodedata.normalize("NFKC", str(header)).casefold().replace("ё", "е")
    return re.sub(r"[\s_\-.()\[\]:/,'\"]+", "", text)


def _build_aliases() -> dict[str, str]:
    table = {header_key(alias): name for name, aliases in _ALIASES.items() for alias in aliases}
    for base, generic in _MULTILINGUAL.items():
        for word in generic:
            table[header_key(word)] = base  # language decided per cell
            for lang, marks in _LANG_MARKS.items():
                for mark in marks:
                    table[header_key(word + mark)] = f"{base}_{lang}"
                    table[header_key(mark + word)] = f"{base}_{lang}"
        for lang in _LANG_MARKS:
            table[f"{base}{lang}"] = f"{base}_{lang}"
    table.update({header_key(k): v for k, v in _EXPLICIT.items()})
    return table


ALIASES = _build_aliases()
_CJK = re.compile(f"[{HANZI}]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def script_of(text: str) -> str:
    """``zh`` for text with Chinese characters, ``ru`` for Cyrillic, else ``en``.

    Examples
    --------
    >>> script_of("兰州"), script_of("Нарын"), script_of("Naryn")
    ('zh', 'ru', 'en')
    """
    if _CJK.search(text):
        return "zh"
    if _CYRILLIC.search(text):
        return "ru"
    return "en"


def cell_text(value: object) -> str | None:
    """A cell as plain text: dates as ``YYYY-MM-DD``, whole numbers without ``.0``, blanks as None.

    Examples
    --------
    >>> cell_text(1798655.0), cell_text(36.5), cell_text(" "), cell_text(float("nan"))
    ('1798655', '36.5', None, None)
    """
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (_dt.datetime, pd.Timestamp)):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value).replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "").strip()
    return text or None


@dataclass
class Sheet:
    """The rows of a staff sheet, with canonical field names.

    Attributes
    ----------
    path : Path
        The file read.
    rows : list of dict
        One dict per non-blank row: canonical field -> text (None when blank),
        plus ``_row``, the row number a person sees in the spreadsheet (header = 1).
    columns : dict
        Header as written -> canonical field.
    ignored : list of str
        Headers the reader did not recognise (their cells are not used).
    notes : list of str
        Anything else worth telling the person (encoding guessed, duplicate columns).
    """

    path: Path
    rows: list[dict[str, str | None]]
    columns: dict[str, str]
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _read_frame(path: Path, sheet_name: str | None, notes: list[str]) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix in ENGINES:
        return pd.read_excel(path, sheet_name=sheet_name or 0, dtype=object, engine=ENGINES[suffix], header=0)
    if suffix not in (".csv", ".txt", ".tsv"):
        raise ValueError(f"{path.name}: cannot read {suffix or 'files without an extension'}; use .xlsx, .ods or .csv")
    try:
        found = read_csv_text(path.read_bytes())
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 or GB18030 text (byte {exc.start}); save it as 'CSV UTF-8'") from None
    text, sep = found.text, found.delimiter
    if found.encoding != "utf-8":  # what Excel on a Chinese Windows saves as "CSV"
        notes.append(f"{path.name} is not UTF-8; read it as GB18030 (Chinese Windows). Save as 'CSV UTF-8' to be sure.")
    if sep != ",":
        notes.append(f"{path.name}: the cells are separated by {found.delimiter_name}; read it so")
    import io

    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_filter=False)


def read_sheet(path: str | Path, kind: str = "layer", sheet_name: str | None = None) -> Sheet:
    """Read a sheet and name its columns canonically.

    Parameters
    ----------
    path : str or Path
        An ``.xlsx``, ``.ods`` or ``.csv`` file; the first row is the header.
    kind : {"layer", "measures", "links"}
        What the rows are; a links sheet with two unrecognised columns reads
        them as ``measure`` and ``feature``.
    sheet_name : str, optional
        The worksheet of a workbook to read (default: the first).

    Returns
    -------
    Sheet

    Raises
    ------
    ValueError
        When the file cannot be read as a sheet.
    """
    from .names import split_languages

    path = Path(path)
    notes: list[str] = []
    try:
        frame = _read_frame(path, sheet_name, notes)
    except (OSError, ValueError, KeyError, ImportError) as exc:
        raise ValueError(f"{path.name}: cannot read the sheet: {exc}") from None
    headers = [str(column) for column in frame.columns]
    columns: dict[str, str] = {}
    ignored: list[str] = []
    for header in headers:
        canonical = ALIASES.get(header_key(header))
        if canonical is None or header.startswith("Unnamed:") or _base(canonical) not in USED.get(kind, {_base(canonical)}):
            ignored.append(header)
        elif canonical in columns.values() and canonical not in _MULTILINGUAL:
            notes.append(f"column '{header}' repeats '{next(h for h, c in columns.items() if c == canonical)}'; only the first is used")
            ignored.append(header)
        else:
            columns[header] = canonical
    if kind == "links" and not columns and len(headers) == 2:
        columns = {headers[0]: "measure", headers[1]: "feature"}
        ignored = []
    rows = []
    for number, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        cells = {header: cell_text(value) for header, value in zip(headers, values)}
        if not any(cells.values()):
            continue
        row: dict[str, str | None] = {"_row": str(number)}
        generic: list[tuple[str, str]] = []
        split: list[tuple[str, str]] = []
        for header, canonical in columns.items():
            value = cells[header]
            if canonical in _MULTILINGUAL:
                if value:
                    generic.append((canonical, value))
            elif canonical.startswith("name_") and split_languages(value):
                # "中白工业园 (Great Stone)" in a name_zh column: its part in that language
                # stays; the other part fills the other language unless a column gives it.
                parts = split_languages(value)
                row[canonical] = parts.pop(canonical[5:], value)
                split += [(f"name_{lang}", part) for lang, part in parts.items()]
            else:
                row[canonical] = value
        for key, part in split:
            row[key] = row.get(key) or part
        for base, value in generic:  # a language-specific column wins; else the first of each script
            parts = (split_languages(value) if base == "name" else {}) or {script_of(value): value}
            for lang, part in parts.items():
                key = f"{base}_{lang}"
                row[key] = row.get(key) or part
        rows.append(row)
    return Sheet(path, rows, columns, ignored, notes)
