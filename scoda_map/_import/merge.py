"""Merge sheet rows into existing records without ever weakening them.

The rules, for every kind of record (layer members, places, measures, links):

* a row **matches** an existing record by id, else by name in any language
  (en / zh / ru, ignoring case), within the row's country;
* a row may always **fill** a blank field;
* a row may **change** a field that has a value only if its confidence is at
  least the record's (documented > reported > inferred); otherwise the row is
  rejected and the record stays as it is;
* a stronger row raises the record's confidence and date; the row's source is
  added to the record's ``source_ids``; a row's note is appended, never replaces;
* a row that changes nothing leaves the record (and its file) untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from .._data.records import _plain_message
from .report import TODO, RowResult
from .values import RANK, BadValue
from .workspace import name_of, split_ids


def blank(value: Any) -> bool:
    return value is None or value == "" or value == () or value == []


def same(old: Any, new: Any) -> bool:
    if isinstance(old, dict) or isinstance(new, dict):  # geometries: equal to 1e-6 degree
        if not (isinstance(old, dict) and isinstance(new, dict)):
            return False
        return all(abs(a - b) < 1e-6 for a, b in zip(old.get("coordinates", ()), new.get("coordinates", ())))
    return str(old) == str(new)


@dataclass
class Merged:
    """The merged record, the fields that changed, or why the row may not change it."""

    record: dict[str, Any]
    changed: list[str] = field(default_factory=list)
    refused: str | None = None
    old: dict[str, Any] = field(default_factory=dict)  # values that were changed (not filled), as they were

    @property
    def unchanged(self) -> bool:
        return not self.changed and self.refused is None

    def describe(self) -> list[str]:
        """The changed fields, with old and new value where a value was replaced."""
        out = []
        for key in self.changed:
            if key in self.old and not isinstance(self.old[key], dict):
                out.append(f"{key} ('{_short(self.old[key])}' -> '{_short(self.record.get(key))}')")
            else:
                out.append(key)
        return out


def _short(value: Any, length: int = 40) -> str:
    text = str(value)
    return text if len(text) <= length else text[:length - 1] + "…"


def merge(existing: dict[str, Any], incoming: dict[str, Any], confidence: str, source_ids: list[str],
          date: str, note: str | None = None) -> Merged:
    """Apply a row's values to an existing record under the never-weaken rule.

    Parameters
    ----------
    existing : dict
        The record as stored (``source_ids`` as ``a;b`` text or a tuple).
    incoming : dict
        The row's values for the record's fields; blanks are skipped.
    confidence, date : str
        The row's confidence and date.
    source_ids : list of str
        The row's sources.
    note : str, optional
        The row's note (appended to the record's).

    Returns
    -------
    Merged

    Examples
    --------
    >>> old = {"id": "p", "name_ru": None, "status_en": "member", "source_ids": "src-a", "confidence": "documented", "date": "2023"}
    >>> merge(old, {"name_ru": "Парк"}, "reported", ["src-b"], "2024").changed
    ['name_ru']
    >>> print(merge(old, {"status_en": "partner"}, "reported", ["src-b"], "2024").refused)
    would change status_en of a documented record with a reported row
    """
    merged = dict(existing)
    filled, overwritten = [], []
    for key, value in incoming.items():
        if blank(value) or same(existing.get(key), value):
            continue
        (filled if blank(existing.get(key)) else overwritten).append(key)
        merged[key] = value
    old_note = existing.get("note") or ""
    if note and note not in old_note:
        merged["note"] = f"{old_note} {note}" if old_note else note
        filled.append("note")
    old_rank, new_rank = RANK.get(existing.get("confidence"), 0), RANK[confidence]
    if overwritten and new_rank < old_rank:
        return Merged(existing, [], f"would change {', '.join(overwritten)} of a {existing['confidence']} record "
                                    f"with {'an' if confidence == 'inferred' else 'a'} {confidence} row")
    changed = filled + overwritten
    if new_rank > old_rank:
        merged.update(confidence=confidence, date=date)
        changed.append("confidence")
    if not changed:
        return Merged(existing)
    sources = split_ids(existing.get("source_ids"))
    merged["source_ids"] = ";".join(sources + [s for s in source_ids if s not in sources])
    return Merged(merged, changed, old={key: existing.get(key) for key in overwritten})


def check_model(model: type[BaseModel], record: dict[str, Any], what: str) -> list[str]:
    """The record's problems by the project's own schema, as ``what.field: message``."""
    try:
        model.model_validate({k: v for k, v in record.items() if not blank(v)})
    except ValidationError as exc:
        required = [name for name, f in model.model_fields.items() if f.is_required()]
        return [f"{what}.{'.'.join(map(str, e['loc'])) or '(record)'}: {_plain_message(e, required)}"
                for e in exc.errors(include_url=False)]
    return []


def row_names(row: dict[str, str | None], base: str = "name") -> dict[str, str]:
    """The row's names by language (only those given)."""
    return {lang: row[f"{base}_{lang}"] for lang in ("en", "zh", "ru") if row.get(f"{base}_{lang}")}


def matching(frame, names: dict[str, str], columns: tuple[str, ...], country: str | None = None) -> list[str]:
    """Ids of the frame's rows with one of ``names`` in one of ``columns`` (and the country)."""
    wanted = {name_of(n) for n in names.values()}
    if frame is None or len(frame) == 0 or not wanted:
        return []
    hits = []
    for record_id, record in frame.iterrows():
        if country is not None and "country" in record and record["country"] != country:
            continue
        if any(name_of(record.get(column)) in wanted for column in columns if isinstance(record.get(column), str)):
            hits.append(str(record_id))
    return hits


class RowError(Exception):
    """A row that cannot be imported; carries the report's outcome, details and hint."""

    def __init__(self, outcome: str, details: str, todo: str = "cell", **extra: Any):
        super().__init__(details)
        self.outcome, self.details, self.todo, self.extra = outcome, details, todo, extra


def provenance(ws, row: dict[str, str | None], errors: list[str], *, default_confidence: str | None = None,
               default_source: list[str] | None = None, default_date: str | None = None) -> tuple[str, str, list[str]]:
    """The row's confidence, date and source ids; problems are added to ``errors``."""
    from . import values

    conf = date = None
    try:
        conf = values.confidence(row.get("confidence")) if row.get("confidence") or not default_confidence else default_confidence
    except BadValue as exc:
        errors.append(str(exc))
    try:
        date = values.date(row.get("date")) if row.get("date") or not default_date else default_date
    except BadValue as exc:
        errors.append(str(exc))
    sources: list[str] = []
    if row.get("source") or row.get("url"):
        if date is not None:
            sources = [ws.source_id(row.get("source"), row.get("url"), row.get("publisher"), date)]
    elif default_source:
        sources = list(default_source)
    else:
        errors.append("source is required (a title, a URL, or the id of a record in sources.csv)")
    return conf, date, sources


def finish(result: RowResult, exc: RowError) -> RowResult:
    """Fill a result from a :class:`RowError`."""
    result.outcome, result.details = exc.outcome, exc.details
    result.what_to_do = TODO.get(exc.todo, exc.todo)
    for key, value in exc.extra.items():
        setattr(result, key, value)
    return result
