"""SCODA Cooperation Map: an offline map and policy explorer for SCODA.

Load the shipped geodata (or your own folder) and explore it:

>>> import scoda_map
>>> atlas = scoda_map.load()
>>> atlas.measures_for("r-almaty").empty
False
"""

from ._data.atlas import Atlas, LayerInfo
from ._data.errors import DataValidationError, Problem, problems_frame
from ._data.loader import default_data_path, load, validate
from ._apps.explorer import Explorer
from ._apps.kiosk import Kiosk

_LAZY = {"apply_import", "plan_import", "undo_import"}


def __getattr__(name: str):
    # The staff import is not needed by the dashboards: imported on first use only.
    if name in _LAZY:
        from ._import import plan

        return getattr(plan, name)
    raise AttributeError(f"module 'scoda_map' has no attribute {name!r}")

__version__ = "0.1.0"

__all__ = [
    "Atlas",
    "DataValidationError",
    "Explorer",
    "Kiosk",
    "LayerInfo",
    "Problem",
    "default_data_path",
    "load",
    "problems_frame",
    "validate",
    "__version__",
    "apply_import",
    "plan_import",
    "undo_import",
]
