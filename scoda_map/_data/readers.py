"""Read CSV and GeoJSON files into plain rows, reporting file-level problems.

Readers never raise for bad content: they return the rows they could read and a
list of :class:`Problem` so that every file's problems are reported together.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from .dialect import read_csv_text
from .errors import Problem

Row = dict[str, Any]
FILE = "(file)"


def _read_bytes(path: Path, name: str) -> tuple[bytes | None, list[Problem]]:
    try:
        return path.read_bytes(), []
    except FileNotFoundError:
        return None, [Problem(name, FILE, "path", "file not found")]
    except OSError as exc:
        return None, [Problem(name, FILE, "path", f"cannot read: {exc.strerror}")]


def _read_text(path: Path, name: str) -> tuple[str | None, list[Problem]]:
    raw, problems = _read_bytes(path, name)
    if raw is None:
        return None, problems
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, FILE, "encoding", f"not UTF-8 (byte {exc.start}); save the file as UTF-8")]
    if not text.strip():
        return None, [Problem(name, FILE, "content", "file is empty")]
    return text, []


_SAVE_AS = ("in Excel use Save As > 'CSV UTF-8 (Comma delimited)'; in LibreOffice tick 'Edit filter settings' "
            "and choose Unicode (UTF-8) and the comma")


def read_csv(path: Path, name: str, required: tuple[str, ...] = ()) -> tuple[list[Row], list[Problem]]:
    """Rows of a CSV file as dicts; blank cells become ``None``.

    ``required`` columns must be in the header, even when the file has no rows.
    The encoding and delimiter are found as the importer finds them
    (:mod:`scoda_map._data.dialect`): a data file must be comma-separated UTF-8,
    and one that is not is reported as such, once, and its rows are still read
    with the delimiter it uses so that its other problems are real ones.
    """
    raw, problems = _read_bytes(path, name)
    if raw is None:
        return [], problems
    try:
        found = read_csv_text(raw)
    except UnicodeDecodeError as exc:
        return [], [Problem(name, FILE, "encoding", f"not UTF-8 (byte {exc.start}); save the file as UTF-8: {_SAVE_AS}")]
    text = found.text
    if not text.strip():
        return [], [Problem(name, FILE, "content", "file is empty")]
    if found.encoding != "utf-8":
        problems.append(Problem(name, FILE, "encoding", f"saved as {found.encoding.upper()} (Excel on a Chinese Windows), "
                                                        f"not UTF-8: save it again as UTF-8: {_SAVE_AS}"))
    if found.delimiter != ",":
        problems.append(Problem(name, FILE, "delimiter", f"the cells are separated by {found.delimiter_name}, not commas "
                                                         f"(Excel does this in some countries); save it again with commas: {_SAVE_AS}"))
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=found.delimiter)
    header = reader.fieldnames or []
    if len(set(header)) != len(header):
        twice = sorted({column for column in header if header.count(column) > 1})
        return [], problems + [Problem(name, "(header)", "columns", f"a column name appears twice: {', '.join(twice)}; "
                                                                   "keep one of each")]
    missing = [column for column in required if column not in header]
    if missing:
        return [], problems + [Problem(name, "(header)", column, "required column is missing") for column in missing]
    rows: list[Row] = []
    try:
        for row in reader:
            if None in row:  # more cells than header columns
                problems.append(Problem(name, f"row {reader.line_num}", "columns", "more cells than columns in the header "
                                                                                  "(a comma inside a cell needs quotes around the cell)"))
                continue
            rows.append({key: (value if value is not None and value.strip() else None) for key, value in row.items()})
    except csv.Error as exc:
        problems.append(Problem(name, f"row {reader.line_num}", "content", f"not valid CSV: {exc}"))
    return rows, problems


def read_geojson(path: Path, name: str, required: tuple[str, ...] = ()) -> tuple[list[Row], list[Problem]]:
    """Features of a GeoJSON FeatureCollection as flat rows (properties + geometry)."""
    text, problems = _read_text(path, name)
    if text is None:
        return [], problems
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [Problem(name, FILE, "content", f"not valid JSON: {exc.msg} (line {exc.lineno})")]
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        return [], [Problem(name, FILE, "type", "expected a GeoJSON FeatureCollection")]
    features = document.get("features")
    if not isinstance(features, list):
        return [], [Problem(name, FILE, "features", "expected a list of features")]
    rows: list[Row] = []
    for index, feature in enumerate(features, start=1):
        label = f"feature {index}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Problem(name, label, "type", "expected a GeoJSON Feature"))
            continue
        properties = feature.get("properties")
        if not isinstance(properties, dict):
            problems.append(Problem(name, label, "properties", "expected an object"))
            continue
        if "geometry" not in feature:
            problems.append(Problem(name, label, "geometry", "missing (use null where no coordinate can be cited)"))
            continue
        top_id = feature.get("id")
        if top_id is not None and properties.get("id") is not None and top_id != properties["id"]:
            problems.append(Problem(name, str(properties["id"]), "id", f"feature id {top_id!r} differs from properties.id"))
            continue
        row = {key: (None if value == "" else value) for key, value in properties.items()}
        row.setdefault("id", top_id)
        row["geometry"] = feature["geometry"]
        rows.append(row)
    return rows, problems


READERS = {"csv": read_csv, "geojson": read_geojson}
