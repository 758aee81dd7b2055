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
    if row.get("tour_id") and row.get("seq"):
        return f"{row['tour_id']} step {row['seq']}"
    if row.get("measure_id") and row.get("feature_id"):
        return f"{row['measure_id']} -> {row['feature_id']}"
    return f"row {index}"


_COORDINATE = {("geometry", "coordinates", 0): "longitude", ("geometry", "coordinates", 1): "latitude"}
_ID_WORDS = "use lower-case Latin letters, digits, '-' and '_', starting with a letter or a digit (e.g. my-park-1)"


def _pattern_message(field: str, value: object, pattern: str) -> str:
    """A regular-expression mismatch in words: what the field takes, with an example."""
    if field == "country":
        message = f"'{value}' is not a two-letter country code: use a two-letter country code such as KZ"
        try:
            from .countries import resolve_country

            code = resolve_country(str(value))
        except ValueError:
            return message + " (the importer also takes country names)"
        return f"{message}; '{value}' is {code}: write {code}"
    if "a-z0-9" in pattern:
        return f"'{value}' is not an id: {_ID_WORDS}"
    if pattern.startswith("^#"):
        return f"'{value}' is not a colour: write it as #rrggbb, e.g. #e69f00"
    if "\\d{4}" in pattern:
        return f"'{value}' is not a date or period: write 2024, 2024-06, 2024-01/2024-08 or ../2022-06"
    return f"'{value}' is not in the form this field takes (see docs/data-format.md)"


def _plain_message(error: dict, required: list[str]) -> str:
    """pydantic's message, in words a person editing a spreadsheet understands.

    Examples
    --------
    >>> from pydantic import ValidationError
    >>> from scoda_map._data.schemas import Place
    >>> try:
    ...     Place.model_validate({"country": "Kazakhstan"})
    ... except ValidationError as exc:
    ...     error = next(e for e in exc.errors() if e["loc"] == ("country",))
    >>> _plain_message(error, [])
    "'Kazakhstan' is not a two-letter country code: use a two-letter country code such as KZ; 'Kazakhstan' is KZ: write KZ"
    """
    loc, kind = tuple(error["loc"]), error["type"]
    value = error.get("input")
    if kind == "missing" and loc[0] in required:
        return "required field is missing or blank"
    if kind == "extra_forbidden":
        return "unknown field (see docs/data-format.md)"
    if loc in _COORDINATE and kind in ("less_than_equal", "greater_than_equal"):
        limit = 180 if loc[-1] == 0 else 90
        return f"{_COORDINATE[loc]} {value} is out of range (-{limit} to {limit}); GeoJSON is [longitude, latitude]"
    if kind == "string_pattern_mismatch":
        return _pattern_message(str(loc[-1]) if loc else "", value, error.get("ctx", {}).get("pattern", ""))
    if kind == "literal_error":
        return f"'{value}' is not allowed here: use {error['ctx']['expected']}"
    if kind in ("float_parsing", "float_type"):
        return f"'{value}' is not a number"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"'{value}' is not a whole number"
    if kind == "string_too_long":
        return f"longer than {error['ctx']['max_length']} characters; shorten it"
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
