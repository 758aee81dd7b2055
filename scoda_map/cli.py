"""The ``scoda-map`` command line: validate data, serve the dashboards.

Building the parser imports nothing heavy: pandas, geopandas and Voila load inside
the command that needs them, so ``scoda-map --help`` answers at once.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import _cluster, _server
from ._data.worldview import CHOICES as WORLDVIEWS, DEFAULT as DEFAULT_WORLDVIEW, HELP as WORLDVIEW_HELP
from ._export.cli import add_parser as add_export_site_parser
from ._import.cli import add_parser as add_import_parser


def _validate(args: argparse.Namespace) -> int:
    from ._data.errors import DataValidationError
    from ._data.loader import default_data_path, load_with_translations

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
              "or its origin, or need Chinese punctuation (the shipped data must be 100 % in Chinese and Russian)", file=sys.stderr)
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
    import pandas as pd

    table = atlas.completeness()
    lines = [f"{'layer':<16}{'listed':>8}{'on map':>8}{'documented':>12}{'claimed':>9}"]
    for name, row in table.iterrows():
        claimed = "-" if pd.isna(row["claimed"]) else str(int(row["claimed"]))
        lines.append(f"{name:<16}{row['listed']:>8}{row['on_map']:>8}{row['documented']:>12}{claimed:>9}")
    for name in ("measures", "links", "indicators", "places", "sources"):
        lines.append(f"{name:<16}{len(getattr(atlas, name)):>8}")
    return "\n".join(lines)


def _serve(args: argparse.Namespace, notebook: str) -> int:
    from ._data.errors import DataValidationError

    config = _server.config_from_args(args, notebook)
    try:
        with _server.prepared(config) as ready:  # refuse to start on bad data: say so here, not in a browser
            return _server.serve(ready)
    except (DataValidationError, ValueError) as error:
        print(error, file=sys.stderr)
        return 1


def _export(args: argparse.Namespace) -> int:
    from ._data.errors import DataValidationError
    from ._data.loader import load
    from ._model import url
    from ._model.state import ExplorerState
    from ._render.static_map import standalone_html

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

    serve = commands.add_parser("serve", help="serve the explorer dashboard",
                                description="Serve the explorer dashboard with Voila at the server's root URL, and its "
                                            "kernel-free view (what share links and QR codes open) at /view/.")
    _server.add_options(serve)
    serve.add_argument("--expect", type=int, metavar="N", default=0,
                       help="keep N kernels ready (implies --preheat): for N visitors of the live map arriving together; "
                            "each idle kernel holds ~175 MB (docs/performance.md)")
    serve.set_defaults(run=lambda args: _serve(args, _server.EXPLORER))

    kiosk = commands.add_parser("kiosk", help="serve the kiosk dashboard (touch screen, tour when idle)",
                                description="Serve the kiosk dashboard at the server's root URL; its kernel is never culled. "
                                            "Open it in Chromium's kiosk mode (docs/kiosk.md).")
    _server.add_options(kiosk)
    kiosk.add_argument("--idle", type=float, default=60, help="seconds without a touch before the tour starts (default 60)")
    kiosk.add_argument("--step", type=float, default=12, help="seconds per tour step (default 12)")
    kiosk.add_argument("--lang", choices=["en", "zh", "ru"], default="en",
                       help="the language the kiosk starts in and returns to when idle (default en)")
    kiosk.add_argument("--public-url", metavar="URL",
                       help="the address phones reach this server at, e.g. http://192.168.1.20:8866/ (with --host 0.0.0.0): "
                            "the kiosk then shows a 'continue on your phone' QR code that opens the view on screen, "
                            "kernel-free, at <URL>view/")
    kiosk.set_defaults(run=lambda args: _serve(args, _server.KIOSK))

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
