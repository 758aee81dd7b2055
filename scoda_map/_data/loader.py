"""Load a geodata folder: read every file, check everything, then build."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .atlas import Atlas
from .catalog import read_catalog
from .errors import DataValidationError, Problem
from .geography import check_places
from .paths import shipped_data_path as default_data_path
from .readers import READERS
from .records import check_rows
from .references import Parsed, check_references
from .schemas import MODEL_FOR_ROLE
from .translations import TranslationReport, translation_report


def _parse(folder: Path) -> tuple[Parsed | None, dict[str, Any], list[Problem]]:
    catalog, problems = read_catalog(folder)
    if catalog is None:
        return None, {}, problems
    records: dict[str, list] = {}
    failed: dict[str, set[str]] = {}
    basemaps: dict[str, Any] = {}
    for resource in catalog.resources:
        path = resource.file
        if resource.scoda.role == "basemap":
            basemap, basemap_problems = _read_basemap(path, resource.path)
            problems += basemap_problems
            basemaps[resource.scoda.worldview or resource.name] = basemap
            continue
        model = MODEL_FOR_ROLE[resource.scoda.role]
        required = tuple(name for name, field in model.model_fields.items() if field.is_required())
        rows, read_problems = READERS[resource.format](path, resource.path, required)
        problems += read_problems
        first_row = 2 if resource.format == "csv" else 1
        records[resource.name], row_problems, failed[resource.name] = check_rows(rows, model, resource.path, first_row)
        problems += row_problems
    parsed = Parsed(catalog, records, failed)
    # Whole-file problems (unreadable, missing columns) would make every reference
    # into that file look dangling: check references only when all files read.
    # A file read in the wrong dialect (semicolons, GB18030) still gave its rows.
    if not any(p.record in ("(file)", "(header)") and p.field not in ("delimiter", "encoding") for p in problems):
        problems += check_references(parsed)
        problems += check_places(parsed)
    return parsed, basemaps, problems


def _read_basemap(path: Path, name: str) -> tuple[dict[str, Any], list[Problem]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, [Problem(name, "(file)", "path", "file not found")]
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, [Problem(name, "(file)", "content", f"not valid UTF-8 JSON: {exc}")]
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        return {}, [Problem(name, "(file)", "type", "expected a GeoJSON FeatureCollection")]
    return document, []


def validate(path: str | Path | None = None) -> list[Problem]:
    """Every problem in a geodata folder; an empty list when it is valid.

    Examples
    --------
    >>> import scoda_map
    >>> scoda_map.validate()
    []
    """
    folder = Path(path) if path is not None else default_data_path()
    return _parse(folder)[2]


def load(path: str | Path | None = None) -> Atlas:
    """Load and check a geodata folder; return an :class:`Atlas`.

    Parameters
    ----------
    path : str or Path, optional
        A folder with a ``datapackage.json``. Defaults to the shipped geodata.

    Returns
    -------
    Atlas

    Raises
    ------
    DataValidationError
        When anything in the folder is wrong; its ``problems`` list every one as
        ``file: record: field: message``. Nothing is half-loaded.

    Examples
    --------
    >>> import scoda_map
    >>> atlas = scoda_map.load()
    >>> int(atlas.completeness().loc["routes", "listed"]) == len(atlas.routes)
    True
    """
    folder = Path(path) if path is not None else default_data_path()
    parsed, basemaps, problems = _parse(folder)
    if problems:
        raise DataValidationError(problems)
    return Atlas(parsed, folder, basemaps)


def load_with_translations(path: str | Path | None = None, require: bool = False) -> tuple[Atlas, TranslationReport]:
    """:func:`load`, and how much of the text is translated (see :mod:`.translations`).

    Examples
    --------
    >>> from scoda_map._data.loader import load_with_translations
    >>> atlas, report = load_with_translations()
    >>> sorted({item.field for item in report.fields if item.file == "measures.csv"})[:2]
    ['agencies', 'note']
    """
    folder = Path(path) if path is not None else default_data_path()
    parsed, basemaps, problems = _parse(folder)
    if problems:
        raise DataValidationError(problems)
    return Atlas(parsed, folder, basemaps), translation_report(parsed, require)


def load_for_dashboard(path: str | Path | None = None) -> Atlas:
    """What a dashboard kernel calls: the server's checked copy when it is current
    (see :mod:`scoda_map._data.cache`), else :func:`load`."""
    from .cache import CACHE_ENV, read_cache

    folder = Path(path) if path is not None else default_data_path()
    cached = read_cache(os.environ.get(CACHE_ENV), folder)
    return cached if cached is not None else load(folder)
