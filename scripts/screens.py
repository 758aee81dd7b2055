#!/usr/bin/env python3
"""Screenshots of the explorer on every screen size of issue #13, in docs/img/screens-<w>x<h>-<lang>.png.

English at every size; Chinese and Russian at phone (390x844) and desktop (1920x1080).
A route is selected (by a link) so the details' place on each screen shows.
Usage: python scripts/screens.py [--url URL]   (without --url it starts its own server)
"""

import argparse
from contextlib import nullcontext
from pathlib import Path

from scoda_map._testing.browser import chromium, new_page, open_dashboard
from scoda_map._testing.server import running_server

ROOT = Path(__file__).resolve().parent.parent
SIZES = [(360, 740), (390, 844), (844, 390), (768, 1024), (1366, 768), (1920, 1080), (3840, 2160)]
ALL_LANGUAGES = {(390, 844), (1920, 1080)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url")
    parser.add_argument("--feature", default="r-almaty")
    args = parser.parse_args()
    server = nullcontext(args.url) if args.url else running_server()
    with server as url, chromium() as browser:
        for width, height in SIZES:
            for lang in ("en", "zh", "ru") if (width, height) in ALL_LANGUAGES else ("en",):
                page = new_page(browser, width, height)
                open_dashboard(page, f"{url}?lang={lang}&feature={args.feature}")
                page.locator(".scoda-details .scoda-title").wait_for()
                page.wait_for_function("document.fonts.status === 'loaded'")
                page.locator(".scoda-h-" + args.feature).first.wait_for(state="attached")
                page.wait_for_timeout(2500)  # the map framing the selection (after the screen size arrives)
                out = ROOT / "docs" / "img" / f"screens-{width}x{height}-{lang}.png"
                page.screenshot(path=str(out))
                print("wrote", out)
                page.close(run_before_unload=True)
                page.context.close()


if __name__ == "__main__":
    main()
