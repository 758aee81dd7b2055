#!/usr/bin/env python3
"""Screenshots of the time control (issue #18): the explorer at ?t=2016 and ?t=2025 in en
and zh, desktop 1920x1080 and phone 390x844, and the kiosk's growth step.

Usage: python scripts/timeline_screenshots.py [--out DIR] [--kiosk]
Starts its own server on a free port; the PNGs are for a person to look at.
"""

import argparse
from pathlib import Path

from scoda_map._testing.browser import chromium, new_page, open_dashboard
from scoda_map._testing.server import running_server

SIZES = {"desktop": (1920, 1080), "phone": (390, 844)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="/tmp/scoda-timeline")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with running_server() as url, chromium() as browser:
        for size, (width, height) in SIZES.items():
            for lang in ("en", "zh"):
                for year in ("2016", "2025"):
                    name = f"explorer-{year}-{lang}-{size}"
                    if args.only and args.only not in name:
                        continue
                    page = new_page(browser, width, height)
                    open_dashboard(page, f"{url}?t={year}&lang={lang}")
                    page.wait_for_selector(f'.scoda-time[data-shown="{year}"]', state="attached")
                    page.wait_for_selector(f'.scoda-chart-trains[data-mark-year="{year}"]', state="attached")
                    page.wait_for_timeout(1500)  # fonts and chart transitions, for the eye only
                    page.screenshot(path=str(out / f"{name}.png"))
                    page.close()
                    page.context.close()
                    print("wrote", out / f"{name}.png")
    if args.only and "kiosk" not in args.only:
        return
    with running_server("kiosk", extra=["--idle", "3", "--step", "4"]) as url, chromium() as browser:
        page = new_page(browser, 1920, 1080)
        open_dashboard(page, url)
        control = page.locator(".scoda-time")
        control.wait_for(state="visible", timeout=90_000)
        page.wait_for_function("() => /^\\d{4}$/.test(document.querySelector('.scoda-time').dataset.shown || '')"
                               " && +document.querySelector('.scoda-time').dataset.shown >= 2022", timeout=60_000)
        page.screenshot(path=str(out / "kiosk-growth-step.png"))
        print("wrote", out / "kiosk-growth-step.png")


if __name__ == "__main__":
    main()
