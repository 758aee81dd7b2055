"""The import report: one row per sheet row, for the person who has to decide.

Written as ``.xlsx`` (a ``report`` sheet, a ``candidates`` sheet with one row per
GeoNames candidate, and a ``problems`` sheet when the result did not validate) or
as ``.csv`` (the ``report`` table only, UTF-8 with a byte-order mark so that Excel
shows Chinese and Russian correctly).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .._data.errors import Problem
from .geocode import Match

#: What happened to a row; the dry run and the report count these.
OUTCOMES = ("added", "updated", "unchanged", "rejected", "ambiguous", "held")
#: Outcomes of rows that are left out until a person acts.
LEFT_OUT = ("rejected", "ambiguous", "held")

REPORT_COLUMNS = {
    "row": "row number in the sheet (the header is row 1)",
    "outcome": "added / updated / unchanged: written (or would be, in a dry run); "
               "rejected: a cell is wrong; ambiguous: a person must choose; held: likely a record the data already has "
               "(see same_as). Rejected, ambiguous and held rows are left out",
    "record": "id of the record the row became (or matched)",
    "place": "id of its place in places.geojson",
    "name": "the names in the sheet",
    "same_as": "held rows: the id of the record the row is probably the same as",
    "same_as_record": "held rows: that record, side by side with the row's names: id, names, country, point",
    "details": "what changed, or why the row was left out",
    "what_to_do": "the next step, for rows left out",
    "geonameid": "the GeoNames id the coordinates came from",
    "geonames_name": "that record's name in GeoNames",
    "matched_by": "how the coordinates were found",
    "latitude": "latitude written (WGS84)",
    "longitude": "longitude written (WGS84)",
    "candidates": "GeoNames records the names matched: id, name, country, admin1, population, coordinates, distance",
    "distances_from": "what candidate distances are measured from: the expected point, or the first candidate",
}

TODO = {
    "several": "choose one: copy its geonameid from 'candidates' into the sheet's geonameid column "
               "(or give expected_lat / expected_lon), then import again",
    "far": "check the place: if a candidate is right, copy its geonameid into the geonameid column; "
           "otherwise give lat / lon from a source",
    "alternate": "if it is the same place, copy the geonameid into the sheet's geonameid column and import again",
    "no_country": "add the country (e.g. CN) or copy the geonameid into the geonameid column",
    "no_match": "give lat / lon from a source, another spelling in the city column, "
                "or 'none' in the geonameid column to list it without a point",
    "unknown_id": "check the geonameid (see 'candidates' of an earlier report)",
    "wrong_country": "check the geonameid and the country",
    "record": "give the record's id in the id column to say which one is meant",
    "cell": "correct the cell(s) named in 'details' and import again",
    "weaker": "leave those cells blank to only fill gaps, or cite a source as strong as the record's",
    "duplicate": "keep one row per record",
    "coordinates": "check lat / lon against the row's source (swap them if they are swapped) and the country; then import again",
    "held": "if it is the same record, write its id (see same_as) in the sheet's id column: the row then updates it; "
            "if it is another one, write a new id for it in the id column (e.g. park-my-park); then import again",
}


@dataclass
class RowResult:
    """What the import did with one sheet row."""

    row: int
    outcome: str
    name: str = ""
    record: str | None = None
    place: str | None = None
    details: str = ""
    what_to_do: str = ""
    match: Match | None = None
    matched_by: str | None = None
    point: tuple[float, float] | None = None  # (lat, lon) written
    changes: list[str] = field(default_factory=list)
    same_as: str | None = None
    same_as_record: str | None = None

    def as_dict(self) -> dict:
        chosen = self.match.chosen if self.match is not None and self.match.ok else None
        candidates = self.match.candidates if self.match is not None else ()
        return {
            "row": self.row, "outcome": self.outcome, "record": self.record, "place": self.place, "name": self.name,
            "same_as": self.same_as, "same_as_record": self.same_as_record,
            "details": self.details, "what_to_do": self.what_to_do,
            "geonameid": chosen.place.geonameid if chosen else None,
            "geonames_name": chosen.place.name if chosen else None,
            "matched_by": self.matched_by,
            "latitude": self.point[0] if self.point else None, "longitude": self.point[1] if self.point else None,
            "candidates": "; ".join(c.describe() for c in candidates) or None,
            "distances_from": self.match.distance_from if self.match is not None and candidates else None,
        }


def report_frame(results: list[RowResult]) -> pd.DataFrame:
    """The report as a DataFrame, one row per sheet row."""
    frame = pd.DataFrame([r.as_dict() for r in results], columns=list(REPORT_COLUMNS))
    return frame.astype({"geonameid": "Int64"})


def candidates_frame(results: list[RowResult]) -> pd.DataFrame:
    """One row per GeoNames candidate of every row (what a person chooses from)."""
    rows = []
    for result in results:
        if result.match is None:
            continue
        chosen = result.match.chosen.place.geonameid if result.match.ok else None
        for c in result.match.candidates:
            rows.append({"row": result.row, "name": result.name, "geonameid": c.place.geonameid,
                         "geonames_name": c.place.name, "found_by": f"{c.via} '{c.matched}'", "country": c.place.country,
                         "admin1": c.place.admin1, "population": c.place.population, "latitude": c.place.lat,
                         "longitude": c.place.lon, "distance_km": None if c.distance_km is None else round(c.distance_km, 1),
                         "distance_from": result.match.distance_from, "chosen": "yes" if c.place.geonameid == chosen else ""})
    columns = ["row", "name", "geonameid", "geonames_name", "found_by", "country", "admin1", "population",
               "latitude", "longitude", "distance_km", "distance_from", "chosen"]
    return pd.DataFrame(rows, columns=columns)


def write_report(path: str | Path, results: list[RowResult], problems: list[Problem] | None = None) -> Path:
    """Write the report as ``.xlsx`` or ``.csv`` (by the file's extension).

    Parameters
    ----------
    path : str or Path
        Where to write; ``.xlsx`` or ``.csv``.
    results : list of RowResult
        One per sheet row.
    problems : list of Problem, optional
        Validation problems of the would-be result (xlsx: a ``problems`` sheet).

    Returns
    -------
    Path
    """
    path = Path(path)
    frame = report_frame(results)
    if path.suffix.lower() == ".csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig")
        return path
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"report {path.name}: use .xlsx or .csv")
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="report", index=False)
        candidates_frame(results).to_excel(writer, sheet_name="candidates", index=False)
        if problems:
            pd.DataFrame([vars(p) for p in problems], columns=["file", "record", "field", "message"]).to_excel(
                writer, sheet_name="problems", index=False)
        pd.DataFrame(list(REPORT_COLUMNS.items()), columns=["column", "meaning"]).to_excel(
            writer, sheet_name="columns", index=False)
        for sheet in writer.book.worksheets:
            _tidy(sheet)
    return path


_WIDTHS = {"same_as_record": 50, "details": 60, "what_to_do": 50, "candidates": 90, "name": 36, "meaning": 110}


def _tidy(sheet) -> None:
    """Header frozen, filters on, readable column widths, long text wrapped."""
    from openpyxl.styles import Alignment, Font

    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        width = _WIDTHS.get(str(cell.value), min(max(len(str(cell.value)) + 2, 10), 24))
        sheet.column_dimensions[cell.column_letter].width = width
        if str(cell.value) in _WIDTHS:
            for row in sheet.iter_rows(min_row=2, min_col=cell.column, max_col=cell.column):
                row[0].alignment = Alignment(wrap_text=True, vertical="top")
