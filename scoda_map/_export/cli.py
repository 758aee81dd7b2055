"""``scoda-map export-site OUT_DIR``: the explorer as a static site (no kernel)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .._data.errors import DataValidationError
from .._data.worldview import CHOICES as WORLDVIEWS, DEFAULT as DEFAULT_WORLDVIEW, HELP as WORLDVIEW_HELP
from .._i18n import LANGUAGES


def add_parser(commands) -> argparse.ArgumentParser:
    """Add ``export-site`` to the ``scoda-map`` subcommands."""
    parser = commands.add_parser(
        "export-site", help="write the explorer as a static site (any web server, or opened from disk)",
        description="Write the map, layers, measures and details as a static site: index.html with the data, "
                    "plotly.js and the fonts beside it. No kernel and no network needed; see docs/static-export.md.")
    parser.add_argument("out_dir", metavar="OUT_DIR", help="folder to write (made if missing; files of an earlier export are replaced)")
    parser.add_argument("--data", metavar="PATH", help="geodata folder (default: the shipped geodata)")
    parser.add_argument("--lang", choices=LANGUAGES, help="language the page opens in (default: the visitor's browser language, else English)")
    parser.add_argument("--worldview", choices=WORLDVIEWS, default=DEFAULT_WORLDVIEW.value, help=WORLDVIEW_HELP)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from .._data.loader import load
    from .site import build_site, folder_size

    try:
        atlas = load(args.data)
    except DataValidationError as error:
        print(error, file=sys.stderr)
        return 1
    out = Path(args.out_dir)
    if out.exists() and not out.is_dir():
        print(f"{out}: not a folder", file=sys.stderr)
        return 1
    index = build_site(atlas, out, lang=args.lang, worldview=args.worldview)
    print(f"wrote {index} (data version {atlas.version}; {folder_size(out) / 1e6:.1f} MB in {out})")
    return 0
