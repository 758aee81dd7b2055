"""The data files an import changes, kept byte-stable where nothing changed.

:class:`CsvTable` remembers the exact text of every record it read; a record the
import does not touch is written back as it was, so a file's diff shows only the
rows that changed. GeoJSON and the catalog are re-serialised in the style they
were written in (indent, trailing newline), which reproduces the project's files
byte for byte; anything else is covered by the history kept before each write.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

Row = dict[str, str]


def _records(text: str):
    """(cells, raw text) for every CSV record, raw text including its line end."""
    lines = iter(re.split(r"(?<=\n)", text))
    consumed: list[str] = []

    def feed():
        for line in lines:
            if line:
                consumed.append(line)
                yield line

    for cells in csv.reader(feed()):
        raw = "".join(consumed)
        consumed.clear()
        yield cells, raw


class CsvTable:
    """A CSV file as a header and rows of text, written back with unchanged rows untouched.

    Examples
    --------
    >>> table = CsvTable.parse('id,name\\r\\na,"A"\\r\\n')
    >>> table.append({"id": "b", "name": "B, b"})
    >>> table.render()
    'id,name\\r\\na,"A"\\r\\nb,"B, b"\\r\\n'
    """

    def __init__(self, header: list[str], rows: list[Row], raw: list[str | None], header_raw: str | None, newline: str):
        self.header = header
        self.rows = rows
        self._raw = raw
        self._header_raw = header_raw
        self.newline = newline

    @classmethod
    def parse(cls, text: str) -> CsvTable:
        text = text.removeprefix("\ufeff")
        newline = "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" else "\n"
        records = list(_records(text))
        if not records:
            return cls([], [], [], None, newline)
        header, header_raw = records[0]
        rows, raw = [], []
        for cells, line in records[1:]:
            if not any(cell.strip() for cell in cells):
                continue
            rows.append({name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)})
            raw.append(line if line.endswith("\n") else None)  # the last line may lack its newline
        return cls(list(header), rows, raw, header_raw if header_raw.endswith("\n") else None, newline)

    @classmethod
    def read(cls, path: Path) -> CsvTable:
        return cls.parse(path.read_bytes().decode("utf-8-sig"))

    def find(self, key: str, value: str) -> int | None:
        """Index of the first row whose ``key`` column is ``value``."""
        return next((i for i, row in enumerate(self.rows) if row.get(key) == value), None)

    def _ensure_columns(self, row: dict[str, Any]) -> None:
        for name, value in row.items():
            if name not in self.header and value not in (None, ""):
                self.header.append(name)
                self._header_raw = None
                self._raw = [None] * len(self._raw)  # every row gains a cell

    def append(self, row: dict[str, Any]) -> None:
        self._ensure_columns(row)
        self.rows.append({name: _text(row.get(name)) for name in self.header})
        self._raw.append(None)

    def replace(self, index: int, row: dict[str, Any]) -> None:
        self._ensure_columns(row)
        new = {name: _text(row.get(name)) for name in self.header}
        if new != self.rows[index]:
            self.rows[index] = new
            self._raw[index] = None

    def render(self) -> str:
        def line(cells: list[str]) -> str:
            out = io.StringIO()
            csv.writer(out, lineterminator=self.newline).writerow(cells)
            return out.getvalue()

        parts = [self._header_raw or line(self.header)]
        for row, raw in zip(self.rows, self._raw):
            parts.append(raw if raw is not None else line([row.get(name, "") for name in self.header]))
        return "".join(parts)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        return ";".join(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _json_style(text: str) -> tuple[int | None, str]:
    """The indent and trailing text a JSON file was written with."""
    document = json.loads(text)
    trailing = text[len(text.rstrip()):]
    for indent in (1, 2, 4, None):
        if json.dumps(document, indent=indent, ensure_ascii=False) == text.rstrip():
            return indent, trailing
    return 1, trailing or "\n"


class JsonFile:
    """A JSON document (GeoJSON places or the catalog), written back in its own style."""

    def __init__(self, document: dict, indent: int | None, trailing: str):
        self.document = document
        self.indent = indent
        self.trailing = trailing

    @classmethod
    def read(cls, path: Path) -> JsonFile:
        text = path.read_bytes().decode("utf-8-sig")
        indent, trailing = _json_style(text)
        return cls(json.loads(text), indent, trailing)

    def render(self) -> str:
        return json.dumps(self.document, indent=self.indent, ensure_ascii=False) + self.trailing


class PlacesFile(JsonFile):
    """A places GeoJSON file; features are found and replaced by id."""

    @property
    def features(self) -> list[dict]:
        return self.document.setdefault("features", [])

    @property
    def blank(self) -> str | None:
        """How the file writes a blank text property: ``""`` if it already does, else null."""
        for feature in self.features:
            if "" in (feature.get("properties") or {}).values():
                return ""
        return None

    def find(self, place_id: str) -> int | None:
        return next((i for i, f in enumerate(self.features)
                     if (f.get("properties") or {}).get("id", f.get("id")) == place_id), None)

    def put(self, properties: dict[str, Any], geometry: dict | None) -> None:
        """Add the place, or replace the one with the same id (keeping its position)."""
        feature = {"type": "Feature", "id": properties["id"], "geometry": geometry, "properties": properties}
        index = self.find(properties["id"])
        if index is None:
            self.features.append(feature)
        else:
            old = self.features[index]
            if "id" not in old:
                feature.pop("id")
            self.features[index] = feature


def point(lat: float, lon: float) -> dict:
    """A GeoJSON Point, ``[lon, lat]``, rounded to 6 decimals (about 0.1 m)."""
    return {"type": "Point", "coordinates": [round(float(lon), 6), round(float(lat), 6)]}
