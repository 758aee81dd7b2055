"""Check each row of a file against its schema, collecting every problem."""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .readers import Row


def record_label(row: Row, index: int) -> str:
    """How a problem names a record: its id, or what identifies a row without one."""
    if isinstance(row.get("id"), str) and row["id"]:
        return row["id"]
    if row.get("route_id") and row.get("seq"):
        return f"{row['route_id']} stop {row['seq']}"
    if row.get("measure_id") and row.get("feature_id"):
        return f"{row['measure_id']} -> {row['feature_id']}"
    return f"row {index}"


_COORDINATE = {("geometry", "coordinates", 0): "longitude", ("geometry", "coordinates", 1): "latitude"}


def _plain_message(error: dict, required: list[str]) -> str:
    """pydantic's message, in words a person editing a spreadsheet understands."""
    loc, kind = tuple(error["loc"]), error["type"]
    if kind == "missing" and loc[0] in required:
        return "required field is missing or blank"
    if kind == "extra_forbidden":
        return "unknown field (see docs/data-format.md)"
    if loc in _COORDINATE and kind in ("less_than_equal", "greater_than_equal"):
        limit = 180 if loc[-1] == 0 else 90
        return f"{_COORDINATE[loc]} {error.get('input')} is out of range (-{limit} to {limit}); GeoJSON is [longitude, latitude]"
    message = error["msg"]
    return message.removeprefix("Value error, ")


def check_rows(rows: list[Row], model: type[BaseModel], file: str, first_row: int = 2) -> tuple[list[BaseModel], list[Problem], set[str]]:
    """Validate rows; return the valid records, the problems of the others, and
    the ids of those others (so references to them are not reported twice).

    ``first_row`` is the number of the first data row as a person sees it (2 in a
    CSV with a header; 1 for GeoJSON features).
    """
    records: list[BaseModel] = []
    problems: list[Problem] = []
    failed_ids: set[str] = set()
    required = [name for name, field in model.model_fields.items() if field.is_required()]
    for index, row in enumerate(rows, start=first_row):
        label = record_label(row, index)
        try:
            # Blank cells are absent values: a blank required field reads as missing.
            records.append(model.model_validate({k: v for k, v in row.items() if v is not None}))
        except ValidationError as exc:
            if isinstance(row.get("id"), str):
                failed_ids.add(row["id"])
            for error in exc.errors(include_url=False):
                field = ".".join(str(part) for part in error["loc"]) or "(record)"
                if error["type"] == "place_column":
                    field = error["ctx"]["columns"]
                message = _plain_message(error, required)
                problems.append(Problem(file, label, field, message))
    return records, problems, failed_ids
