"""Import staff spreadsheets into a geodata folder, offline, keeping provenance.

Plan first (nothing is written), read the report, then write; every write can be
undone::

    from scoda_map._import import plan_import, apply_import, undo_import

    plan = plan_import("parks.xlsx", layer="parks", data="my-data")
    print(plan.summary())
    plan.write_report("parks-report.xlsx")
    apply_import(plan)          # keeps the previous files in my-data/.history/
    undo_import("my-data")      # puts them back, byte for byte

The same flow is ``scoda-map import`` on the command line (docs/import.md).
"""

import importlib

# Imported on first use, as the package's public names are: ``scoda-map``'s parser
# imports this package's ``cli`` and must not load pandas for ``--help``.
_EXPORTS = {
    "Gazetteer": ".geocode", "Match": ".geocode", "gazetteer": ".geocode", "Undone": ".history",
    "ImportPlan": ".plan", "apply_import": ".plan", "plan_import": ".plan", "undo_import": ".plan",
    "OUTCOMES": ".report", "RowResult": ".report", "write_report": ".report",
    "Sheet": ".sheets", "read_sheet": ".sheets", "CannotImport": ".workspace",
}


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


__all__ = [
    "CannotImport",
    "Gazetteer",
    "ImportPlan",
    "Match",
    "OUTCOMES",
    "RowResult",
    "Sheet",
    "Undone",
    "apply_import",
    "gazetteer",
    "plan_import",
    "read_sheet",
    "undo_import",
    "write_report",
]
