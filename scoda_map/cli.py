"""The ``scoda-map`` command line: validate data, serve the dashboards."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import pandas as pd

from . import _cluster, _server
from ._data.cache import CACHE_ENV, write_cache
from ._data.errors import DataValidationError
from ._data.loader import default_data_path, load, load_with_translations
from ._data.worldview import CHOICES as WORLDVIEWS, DEFAULT as DEFAULT_WORLDVIEW, ENV as WORLDVIEW_ENV, HELP as WORLDVIEW_HELP
from ._export.cli import add_parser as add_export_site_parser
from ._import.cli import add_parser as add_import_parser


def _validate(args: argparse.Namespace) -> int:
    folder = Path(args.path) if args.path else default_data_path()
    try:
        atlas, report = load_with_translations(folder, require=args.require_translations)
    except DataValidationError as error:
        print(f"{folder}: INVALID", file=sys.stderr)
        print(error, file=sys.stderr)
        return 1
    print(f"{folder}: valid (data version {atlas.version})")
    print(_summary_table(atlas))
    print()
    print(_translation_table(report))
    for warning in report.warnings[:MAX_LISTED]:
        print(f"warning: {warning}")
    if len(report.warnings) > MAX_LISTED:
        print(f"warning: ... and {len(report.warnings) - MAX_LISTED} more untranslated text(s)")
    if report.errors:
        print(f"{folder}: INCOMPLETE TRANSLATIONS: {len(report.errors)} visitor-facing text(s) lack a translation "
              "or its origin (the shipped data must be 100 % in Chinese and Russian)", file=sys.stderr)
        for problem in report.errors[:MAX_LISTED]:
            print(f"  {problem}", file=sys.stderr)
        if len(report.errors) > MAX_LISTED:
            print(f"  ... and {len(report.errors) - MAX_LISTED} more (the table above counts them per field)", file=sys.stderr)
        return 1
    return 0


MAX_LISTED = 40


def _translation_table(report) -> str:
    """Coverage per file and field; ``*`` marks fields visitors do not see yet."""
    lines = [f"{'translations':<22}{'field':<14}{'texts':>6}{'中文':>13}{'русский':>13}"]
    for item in report.fields:
        if not item.records:
            continue
        cells = [f"{getattr(item, lang)} ({item.share(lang):.0%})" for lang in ("zh", "ru")]
        name = item.field + ("" if item.visitor else " *")
        lines.append(f"{item.file:<22}{name:<14}{item.records:>6}{cells[0]:>14}{cells[1]:>14}")
    lines.append("* counted, not shown to visitors; never fails validation")
    return "\n".join(lines)


def _summary_table(atlas) -> str:
    table = atlas.completeness()
    lines = [f"{'layer':<16}{'listed':>8}{'on map':>8}{'documented':>12}{'claimed':>9}"]
    for name, row in table.iterrows():
        claimed = "-" if pd.isna(row["claimed"]) else str(int(row["claimed"]))
        lines.append(f"{name:<16}{row['listed']:>8}{row['on_map']:>8}{row['documented']:>12}{claimed:>9}")
    for name in ("measures", "links", "indicators", "places", "sources"):
        lines.append(f"{name:<16}{len(getattr(atlas, name)):>8}")
    return "\n".join(lines)


def _serve(args: argparse.Namespace, notebook: str) -> int:
    folder = Path(args.data) if args.data else default_data_path()
    try:
        atlas = load(folder)  # refuse to start on bad data: say what is wrong here, not in a browser
    except DataValidationError as error:
        print(error, file=sys.stderr)
        return 1
    kiosk = notebook == "kiosk.ipynb"
    env = {"SCODA_KIOSK_IDLE": str(args.idle), "SCODA_KIOSK_STEP": str(args.step), "SCODA_KIOSK_LANG": args.lang} if kiosk else {}
    env[WORLDVIEW_ENV] = args.worldview
    cache = write_cache(atlas)  # kernels load this checked copy instead of validating again
    env[CACHE_ENV] = str(cache)
    try:
        return _server.serve(notebook, args.port, data=folder, host=args.host, open_browser=not args.no_browser,
                             cull_idle_seconds=0 if kiosk else 600, max_kernels=args.max_kernels,
                             preheat=args.preheat, env=env)
    finally:
        shutil.rmtree(cache.parent, ignore_errors=True)


def _add_server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8866, help="port to listen on (default 8866)")
    parser.add_argument("--data", help="geodata folder to show (default: the shipped geodata)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 to let tablets on the network in)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument("--max-kernels", type=int, default=24,
                        help="most visitors served at once (one kernel, ~150 MB, each); others get a 'busy, retrying' page (default 24)")
    parser.add_argument("--worldview", choices=WORLDVIEWS, default=DEFAULT_WORLDVIEW.value,
                        help=WORLDVIEW_HELP + "; visitors cannot change it")
    parser.add_argument("--preheat", action="store_true",
                        help="keep one kernel ready with the dashboard built: faster first paint, one idle kernel more (docs/performance.md)")


def _export(args: argparse.Namespace) -> int:
    from ._model import url
    from ._model.state import ExplorerState
    from ._views.static_map import standalone_html

    try:
        atlas = load(args.data)
    except DataValidationError as error:
        print(error, file=sys.stderr)
        return 1
    state = ExplorerState(atlas)
    params = url.decode(args.view or "", state)
    url.apply(params, state)
    for ignored in params.ignored:
        print(f"ignored: {ignored}", file=sys.stderr)
    Path(args.output).write_text(standalone_html(state, worldview=args.worldview), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scoda-map", description="SCODA Cooperation Map: check the geodata and serve the dashboards.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check a geodata folder",
                                   description="Check a geodata folder; exit 0 with a summary when valid, 1 with every problem when not.")
    validate.add_argument("path", nargs="?", help="folder with a datapackage.json (default: the shipped geodata)")
    validate.add_argument("--require-translations", action="store_true",
                          help="fail on any visitor-facing text without its Chinese and Russian translation and origin, "
                               "as for the shipped data (an extension folder otherwise only warns)")
    validate.set_defaults(run=_validate)

    serve = commands.add_parser("serve", help="serve the explorer dashboard", description="Serve the explorer dashboard with Voila at the server's root URL.")
    _add_server_options(serve)
    serve.set_defaults(run=lambda args: _serve(args, "explorer.ipynb"))

    kiosk = commands.add_parser("kiosk", help="serve the kiosk dashboard (touch screen, tour when idle)",
                                description="Serve the kiosk dashboard at the server's root URL; its kernel is never culled. "
                                            "Open it in Chromium's kiosk mode (docs/kiosk.md).")
    _add_server_options(kiosk)
    kiosk.add_argument("--idle", type=float, default=60, help="seconds without a touch before the tour starts (default 60)")
    kiosk.add_argument("--step", type=float, default=12, help="seconds per tour step (default 12)")
    kiosk.add_argument("--lang", choices=["en", "zh", "ru"], default="en",
                       help="the language the kiosk starts in and returns to when idle (default en)")
    kiosk.set_defaults(run=lambda args: _serve(args, "kiosk.ipynb"))

    export = commands.add_parser("export-html", help="save a map view as a standalone HTML page (opens offline)",
                                 description="Save a map view as one HTML file with everything inlined.")
    export.add_argument("output", help="file to write, e.g. view.html")
    export.add_argument("--view", help="the view as a link's query string, e.g. 'lang=zh&feature=r-almaty'")
    export.add_argument("--data", help="geodata folder (default: the shipped geodata)")
    export.add_argument("--worldview", choices=WORLDVIEWS, default=DEFAULT_WORLDVIEW.value, help=WORLDVIEW_HELP)
    export.set_defaults(run=_export)
    add_import_parser(commands)
    add_export_site_parser(commands)
    _cluster.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
