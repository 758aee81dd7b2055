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

from .geocode import Gazetteer, Match, gazetteer
from .history import Undone
from .plan import ImportPlan, apply_import, plan_import, undo_import
from .report import OUTCOMES, RowResult, write_report
from .sheets import Sheet, read_sheet
from .workspace import CannotImport

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
