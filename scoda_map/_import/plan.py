"""Plan an import (nothing written), then apply it (history first), or undo the last one.

:func:`plan_import` reads the sheet, matches and geocodes every row, and builds
the new content of every file that would change. It then validates a temporary
copy of the folder with those files in place: only a plan whose result passes
:func:`scoda_map.validate` can be written. :func:`apply_import` keeps the current
files in ``.history/`` and writes; :func:`undo_import` puts them back.
"""

from __future__ import annotations

import datetime as _dt
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .._data.catalog import CATALOG_FILE, SHIPPED, read_catalog
from .._data.errors import Problem
from .._data.loader import load, validate
from . import history
from .geocode import gazetteer
from .layers import import_layer
from .policy import import_links, import_measures
from .report import LEFT_OUT, OUTCOMES, RowResult, report_frame, write_report
from .sheets import read_sheet
from .target import import_folder
from .workspace import CannotImport, Workspace


@dataclass
class ImportPlan:
    """What an import would do; nothing is written until :func:`apply_import`.

    Attributes
    ----------
    sheet, folder : Path
        The sheet read and the data folder it goes into.
    target : str
        ``layer 'parks'``, ``measures`` or ``links``.
    results : list of RowResult
        One per sheet row: outcome, record, GeoNames match, what to do.
    changes : dict
        Absolute path -> new content, for every file that would change.
    problems : list of Problem
        What :func:`scoda_map.validate` says about the result (empty: it can be written).
    notes : list of str
        Unrecognised columns and other remarks about the sheet.
    """

    sheet: Path
    folder: Path
    target: str
    results: list[RowResult]
    changes: dict[Path, bytes]
    problems: list[Problem]
    notes: list[str]
    moment: _dt.datetime
    originals: dict[Path, bytes] = field(repr=False, default_factory=dict)

    def counts(self) -> dict[str, int]:
        """How many rows were added, updated, unchanged, rejected, ambiguous."""
        return {outcome: sum(r.outcome == outcome for r in self.results) for outcome in OUTCOMES}

    @property
    def report(self) -> pd.DataFrame:
        """The report as a table (the same columns as the report file)."""
        return report_frame(self.results)

    @property
    def files(self) -> list[str]:
        """Names of the files that would change, relative to the folder."""
        return [path.relative_to(self.folder).as_posix() for path in self.changes]

    @property
    def can_write(self) -> bool:
        return bool(self.changes) and not self.problems

    def write_report(self, path: str | Path) -> Path:
        """Write the report (``.xlsx`` or ``.csv``) for the person who decides."""
        return write_report(path, self.results, self.problems)

    def summary(self) -> str:
        """A few lines for a person: counts, files, every row left out and why."""
        counts = self.counts()
        lines = [f"{self.sheet.name} -> {self.folder} ({self.target}): {len(self.results)} rows",
                 "  " + ", ".join(f"{outcome} {n}" for outcome, n in counts.items())]
        lines += [f"  note: {note}" for note in self.notes]
        if self.problems:
            lines.append("the result would not be valid, so nothing can be written:")
            lines += [f"  {problem}" for problem in self.problems]
        elif self.changes:
            lines.append(f"files to change: {', '.join(self.files)}")
        else:
            lines.append("nothing to change")
        left_out = [r for r in self.results if r.outcome in LEFT_OUT]
        if left_out:
            lines.append("left out (see the report):")
            for r in left_out:
                lines.append(f"  row {r.row:<4} {r.outcome:<9} {r.name}: {r.details}")
                if r.same_as_record:
                    lines.append(f"  {'':<14} the sheet: {r.name}")
                    lines.append(f"  {'':<14} the data:  {r.same_as_record}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in self.counts().items())
        return f"<ImportPlan {self.sheet.name} -> {self.target}: {counts}; files={self.files}>"


def plan_import(sheet: str | Path, layer: str | None = None, *, measures: bool = False, links: bool = False,
                data: str | Path | None = None, document: str | None = None, max_km: float = 50.0,
                sheet_name: str | None = None, now: _dt.datetime | None = None) -> ImportPlan:
    """Read a staff sheet and work out what importing it would change; write nothing.

    Parameters
    ----------
    sheet : str or Path
        The ``.xlsx``, ``.ods`` or ``.csv`` sheet (see docs/import.md for its columns).
    layer : str, optional
        The point layer the rows belong to (``parks``, ``port_cities``, ...).
    measures, links : bool
        Import measures, or links between measures and features, instead of a layer.
    data : str or Path, optional
        The data folder (default: the shipped geodata, unless it is inside an installed
        package: then a folder must be given, see ``target.import_folder``).
    document : str, optional
        Document id for rows that do not name one (measures and links sheets).
    max_km : float
        How far a GeoNames match may be from a row's expected point.
    sheet_name : str, optional
        The worksheet of a workbook (default: the first).
    now : datetime, optional
        The time recorded as the last import (default: now, UTC).

    Returns
    -------
    ImportPlan

    Raises
    ------
    CannotImport
        The sheet cannot be read, or the layer or folder cannot take it.
    DataValidationError
        The folder has problems already (fix them first).
    """
    if sum((layer is not None, measures, links)) != 1:
        raise CannotImport("say what the sheet holds: a layer name, measures or links", usage=True)
    folder = import_folder(data)  # not into an installed package's data
    sheet = Path(sheet)
    if not sheet.is_file():
        raise CannotImport(f"no sheet at {sheet}", usage=True)
    atlas = load(folder)  # raises DataValidationError: the folder must be valid before anything is added
    catalog, _ = read_catalog(folder)
    kind = "layer" if layer is not None else ("measures" if measures else "links")
    if layer is not None and layer not in [r.name for r in catalog.by_role("point_layer")]:
        names = ", ".join(r.name for r in catalog.by_role("point_layer"))
        raise CannotImport(f"no point layer '{layer}' in {folder} (layers: {names})", usage=True)
    try:
        table = read_sheet(sheet, kind, sheet_name)
    except ValueError as exc:
        raise CannotImport(str(exc)) from None
    notes = list(table.notes) + ([f"columns not used: {', '.join(table.ignored)} (their cells are ignored; "
                                                f"see docs/import.md for the columns a {kind} sheet takes)"] if table.ignored else [])
    ws = Workspace(folder, atlas, catalog, sheet.name)
    if kind == "layer":
        results = import_layer(ws, table.rows, layer, gazetteer, max_km)
    elif kind == "measures":
        results = import_measures(ws, table.rows, document)
    else:
        results = import_links(ws, table.rows, document)
    moment = now or _dt.datetime.now(_dt.UTC)
    if any(r.outcome in ("added", "updated") for r in results):
        catalog_file = ws.catalog_file()
        record = dict(catalog_file.document.get("scoda") or {})
        record.update(last_import=moment.astimezone(_dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
                      last_import_file=sheet.name)
        catalog_file.document["scoda"] = record
    changes = ws.changes()
    problems = _validate_with(folder, changes) if changes else []
    target = f"layer '{layer}'" if layer is not None else kind
    return ImportPlan(sheet, folder.resolve(), target, results, changes, problems, notes, moment, ws.originals())


def _validate_with(folder: Path, changes: dict[Path, bytes]) -> list[Problem]:
    """Validate a temporary copy of the folder with the changed files in place."""
    folder = folder.resolve()
    with tempfile.TemporaryDirectory(prefix="scoda-import-") as temporary:
        copy = Path(temporary) / folder.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(history.HISTORY))
        for path, content in changes.items():
            (copy / path.relative_to(folder)).write_bytes(content)
        catalog_path = copy / CATALOG_FILE
        catalog = json.loads(catalog_path.read_text(encoding="utf-8"))
        extends = catalog.get("extends")
        if extends and extends != SHIPPED and not Path(extends).is_absolute():
            catalog["extends"] = str((folder / extends).resolve())  # the copy lives elsewhere
            catalog_path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
        return validate(copy)


def apply_import(plan: ImportPlan) -> Path | None:
    """Write a plan: keep the current files in ``.history/``, then write the new ones.

    Returns
    -------
    Path or None
        The history folder (what :func:`undo_import` restores), or None when
        there was nothing to write.

    Raises
    ------
    CannotImport
        The result would not validate, or a file changed since the plan was made.
    """
    if not plan.changes:
        return None
    if plan.problems:
        raise CannotImport("the result would not be valid; nothing was written (see plan.problems)")
    moved = [path.name for path in plan.changes if path.read_bytes() != plan.originals.get(path)]
    if moved:
        raise CannotImport(f"changed since the plan was made: {', '.join(moved)}; plan the import again")
    return history.save_and_write(plan.folder, plan.changes, plan.moment, plan.sheet.name)


def undo_import(data: str | Path | None = None, force: bool = False) -> history.Undone:
    """Undo the newest import into a folder, restoring its files byte for byte.

    Parameters
    ----------
    data : str or Path, optional
        The data folder (default: the shipped geodata, unless it is inside an installed
        package: then a folder must be given, see ``target.import_folder``).
    force : bool
        Restore even when a file was edited after that import (the edit is lost).

    Returns
    -------
    history.Undone
    """
    return history.undo(import_folder(data), force=force)
