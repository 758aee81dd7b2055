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


def check_rows(rows: list[Row], model: type[BaseModel], file: str, first_row: int = 2) -> tuple[list[BaseModel], list[Problem]]:
    """Validate rows; return the valid records and the problems of the others.

    ``first_row`` is the number of the first data row as a person sees it (2 in a
    CSV with a header; 1 for GeoJSON features).
    """
    records: list[BaseModel] = []
    problems: list[Problem] = []
    required = [name for name, field in model.model_fields.items() if field.is_required()]
    for index, row in enumerate(rows, start=first_row):
        label = record_label(row, index)
        try:
            # Blank cells are absent values: a blank required field reads as missing.
            records.append(model.model_validate({k: v for k, v in row.items() if v is not None}))
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                field = ".".join(str(part) for part in error["loc"]) or "(record)"
                message = error["msg"]
                if error["type"] == "missing" and error["loc"][0] in required:
                    message = "required field is missing or blank"
                elif error["type"] == "extra_forbidden":
                    message = "unknown field (see docs/data-format.md)"
                problems.append(Problem(file, label, field, message))
    return records, problems
