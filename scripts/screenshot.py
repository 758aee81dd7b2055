#!/usr/bin/env python3
"""Render the explorer in headless Chromium and save docs/img/explorer.png (1920x1080).

Usage: python scripts/screenshot.py [--url URL] [--data PATH] [--out FILE] [--select ID]
Without --url it starts its own server on a free port.
"""

import argparse
import time
from contextlib import nullcontext
from pathlib import Path

from scoda_map._testing.browser import chromium, new_page, open_dashboard
from scoda_map._testing.server import running_server

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url")
    parser.add_argument("--data")
    parser.add_argument("--out", default=str(ROOT / "docs" / "img" / "explorer.png"))
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--click", help="CSS selector to click after load (e.g. a route)")
    args = parser.parse_args()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    server = nullcontext(args.url) if args.url else running_server(data=args.data)
    with server as url, chromium() as browser:
        outside: list[str] = []
        page = new_page(browser, args.width, args.height, outside)
        open_dashboard(page, url)
        if args.click:
            page.locator(args.click).first.click()
        time.sleep(2.5)  # let charts and fonts settle
        page.screenshot(path=args.out)
        print(f"wrote {args.out}; requests refused (outside this machine): {len(outside)}")
        for request in outside:
            print("  outside:", request)


if __name__ == "__main__":
    main()
