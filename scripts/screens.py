#!/usr/bin/env python3
"""Screenshots of the explorer on every screen size of issue #13, in docs/img/screens-<w>x<h>-<lang>.png.

English at every size; Chinese and Russian at phone (390x844) and desktop (1920x1080).
A route is selected (by a link) so the details' place on each screen shows. On the phone,
also each language's Measures and Figures panes with nothing selected
(screens-390x844-<lang>-<pane>.png) and the kernel-free view the share QR code opens
(view-390x844-<lang>.png, its measure browser in view).
Usage: python scripts/screens.py [--url URL]   (without --url it starts its own server)
"""

import argparse
from contextlib import nullcontext
from pathlib import Path

from scoda_map._testing.browser import chromium, new_page, open_dashboard, open_pane
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
        for lang in ("en", "zh", "ru"):
            phone_panes(browser, url, lang)
            kernel_free_view(browser, url, lang)


def shot(page, name: str) -> None:
    page.wait_for_function("document.fonts.status === 'loaded'")
    out = ROOT / "docs" / "img" / name
    page.screenshot(path=str(out))
    print("wrote", out)


def phone_panes(browser, url: str, lang: str) -> None:
    page = new_page(browser, 390, 844)
    open_dashboard(page, f"{url}?lang={lang}")
    open_pane(page, "measures")
    page.locator(".scoda-mb-item").first.wait_for()
    shot(page, f"screens-390x844-{lang}-measures.png")
    open_pane(page, "figures")
    page.locator(".scoda-chart-trains .main-svg").first.wait_for()
    shot(page, f"screens-390x844-{lang}-figures.png")
    page.close(run_before_unload=True)
    page.context.close()


def kernel_free_view(browser, url: str, lang: str) -> None:
    page = new_page(browser, 390, 844)
    page.goto(f"{url}view/?lang={lang}", wait_until="domcontentloaded")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.locator("#measure-list .scoda-mb-item").first.scroll_into_view_if_needed()
    shot(page, f"view-390x844-{lang}.png")
    page.close()
    page.context.close()


if __name__ == "__main__":
    main()
