"""Rows that are probably a record the data already has: held for a person, never added.

A sheet row without an id names its record by name. When a row's names only
*resemble* a record's (:func:`scoda_map._import.names.likely_same`: "Great Stone
Industrial Park" and "China-Belarus Industrial Park (Great Stone)"), or its point
lies within :data:`NEAR_KM` of a record of the same layer, or it matches a record
by one name while another of its names differs from the record's, importing it
would add a second record or rename one on a guess. Such a row is **held**: the
report puts the row and the record side by side, and the person writes the
record's id in the row's id column (same record: update it) or a new id (another
record: add it).
"""

from __future__ import annotations

from .geocode import distance_km
from .merge import RowError
from .names import likely_same
from .workspace import name_of

NAME_COLUMNS = ("name_en", "name_zh", "name_ru")
#: A row's point this close to a record of the layer (km) is probably that record.
NEAR_KM = 1.0


def _text(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def describe(record, record_id: str) -> str:
    """A record as the report shows it next to the row: id, names, country, point."""
    names = " / ".join(n for n in (_text(record.get(c)) for c in NAME_COLUMNS) if n)
    point = _point(record)
    where = f", {point[0]:.5f}, {point[1]:.5f}" if point else ", no point"
    return f"{record_id}: {names} ({record.get('country') or '?'}{where})"


def _point(record) -> tuple[float, float] | None:
    geometry = record.get("geometry")
    if geometry is None or getattr(geometry, "is_empty", True):
        return None
    return geometry.y, geometry.x


def _hold(why: str, record, record_id: str, layer: str) -> RowError:
    return RowError("held", f"likely the same as {layer} record {record_id}: {why}", "held",
                    same_as=record_id, same_as_record=describe(record, record_id))


def check_renamed(record, record_id: str, names: dict[str, str], layer: str) -> None:
    """Raise a held row when the row matched ``record`` by one name but another of its names differs."""
    matched = [lang for lang, name in names.items() if name_of(_text(record.get(f"name_{lang}"))) == name_of(name)]
    differ = [lang for lang, name in names.items()
              if _text(record.get(f"name_{lang}")) and name_of(record.get(f"name_{lang}")) != name_of(name)]
    if matched and differ:
        lang = differ[0]
        raise _hold(f"same {matched[0]} name '{names[matched[0]]}', but the sheet's {lang} name '{names[lang]}' "
                    f"differs from the record's '{record.get(f'name_{lang}')}'", record, record_id, layer)


def check_near(members, names: dict[str, str], country: str | None, point: tuple[float, float] | None, layer: str) -> None:
    """Raise a held row when a member of the layer has a resembling name or a point within :data:`NEAR_KM`."""
    if members is None or len(members) == 0:
        return
    for record_id, record in members.iterrows():
        if country is not None and record.get("country") not in (None, country):
            continue
        for name in names.values():
            for column in NAME_COLUMNS:
                theirs = _text(record.get(column))
                if theirs and likely_same(name, theirs):
                    raise _hold(f"the sheet's name '{name}' resembles its name '{theirs}'", record, str(record_id), layer)
        there = _point(record)
        if point is not None and there is not None:
            km = distance_km(point[0], point[1], there[0], there[1])
            if km <= NEAR_KM:
                raise _hold(f"the sheet's point is {km:.2f} km from its point", record, str(record_id), layer)
