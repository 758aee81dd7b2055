"""SCODA Cooperation Map: an offline map and policy explorer for SCODA.

Load the shipped geodata (or your own folder) and explore it:

>>> import scoda_map
>>> atlas = scoda_map.load()
>>> atlas.measures_for("r-almaty").empty
False
"""

import importlib

# Public names, imported on first use: Voila's server process (scoda_map._voila_app) and the
# command line's light commands then do not load pandas, geopandas and the widgets (~80 MB,
# ~0.6 s); a kernel that builds a dashboard imports them when it asks for Explorer or load.
_EXPORTS = {
    "Atlas": "._data.atlas", "LayerInfo": "._data.atlas",
    "DataValidationError": "._data.errors", "Problem": "._data.errors", "problems_frame": "._data.errors",
    "default_data_path": "._data.loader", "load": "._data.loader", "validate": "._data.loader",
    "Explorer": "._apps.explorer", "Kiosk": "._apps.kiosk",
    "apply_import": "._import.plan", "plan_import": "._import.plan", "undo_import": "._import.plan",
    "build_site": "._export.site",
    "as_of": "._model.timeline", "AsOf": "._model.timeline",
}


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'scoda_map' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


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
    "build_site",
    "as_of",
    "AsOf",
]
