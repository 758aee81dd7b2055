#!/usr/bin/env python3
"""Screenshots of the basemap's contested areas for geodata/basemap/README.md (docs/img/basemap-*.png).

Usage: python scripts/basemap_screenshots.py [--out DIR] [--worldview cn|ne] [--only NAME]

Starts its own explorer and kiosk servers on free ports and writes:

  basemap-<area>.png            the explorer at a link's centre and zoom (South China Sea,
                                藏南, Kashmir, Crimea), 1920x1080; the Chinese ones in zh
  basemap-kiosk-landscape.png   the kiosk's home view, 1920x1080 (no clip edges?)
  basemap-kiosk-portrait.png    the kiosk's home view, 1080x1920
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoda_map._testing.browser import chromium, new_page, open_dashboard  # noqa: E402
from scoda_map._testing.server import running_server  # noqa: E402

SETTLE = 3.0  # s: the map's move, tiles of vector paths, fonts
# name: (query string, width, height); zooms are the explorer's (2..9).
VIEWS = {
    "south-china-sea": ("lang=zh&c=12.5,115.0&z=5", 1920, 1080),
    "xisha-z7": ("lang=zh&c=16.5,112.0&z=7", 1920, 1080),
    "zangnan": ("lang=zh&c=28.0,93.5&z=6", 1920, 1080),
    "inset": ("lang=zh&c=38.0,100.0&z=4", 1920, 1080),
    "kashmir": ("c=34.5,76.0&z=6", 1920, 1080),
    "crimea": ("lang=ru&c=45.5,34.5&z=6", 1920, 1080),
    "explorer-phone": ("lang=zh&c=20.0,112.0&z=3", 390, 844),
}
KIOSK = {"kiosk-landscape": (1920, 1080), "kiosk-portrait": (1080, 1920), "kiosk-landscape-zoomed": (1920, 1080)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "docs" / "img"))
    parser.add_argument("--worldview", default="cn")
    parser.add_argument("--only", help="one view name")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    extra = ["--worldview", args.worldview]
    suffix = "" if args.worldview == "cn" else f"-{args.worldview}"
    views = {k: v for k, v in VIEWS.items() if not args.only or k == args.only}
    kiosks = {k: v for k, v in KIOSK.items() if not args.only or k == args.only}
    if views:
        with running_server("serve", extra=extra) as url, chromium() as browser:
            for name, (query, width, height) in views.items():
                page = new_page(browser, width, height, outside)
                try:
                    open_dashboard(page, f"{url}?{query}")
                    page.locator(".scoda-schematic").first.wait_for()
                    time.sleep(SETTLE)
                    path = out / f"basemap-{name}{suffix}.png"
                    page.screenshot(path=str(path))
                    print(f"wrote {path}")
                finally:
                    page.close(run_before_unload=True)
                    page.context.close()
    if kiosks:
        with running_server("kiosk", extra=extra + ["--idle", "600"]) as url, chromium() as browser:
            for name, (width, height) in kiosks.items():
                page = new_page(browser, width, height, outside)
                try:
                    open_dashboard(page, url)
                    page.locator(".scoda-kiosk-schematic p").wait_for()
                    if name.endswith("zoomed"):  # two taps on "+": China fills the screen, the sea drops out
                        for _ in range(2):
                            page.locator(".leaflet-control-zoom-in").click()
                            time.sleep(1.0)
                        page.locator(".scoda-inset svg").wait_for(state="visible", timeout=15_000)
                    time.sleep(SETTLE)
                    path = out / f"basemap-{name}{suffix}.png"
                    page.screenshot(path=str(path))
                    print(f"wrote {path}")
                finally:
                    page.close(run_before_unload=True)
                    page.context.close()
    print(f"requests refused (outside this machine): {len(outside)}")
    return 1 if outside else 0


if __name__ == "__main__":
    sys.exit(main())
