#!/usr/bin/env python3
"""Screenshots of the measure browser and the overview (issue 13) at 390x844 and
1920x1080 in en/zh/ru, into docs/img/content/: the whole page at 1920x1080 (served
live), and at 390 px wide the two fragments as ``_render`` makes them with the
dashboard's stylesheets (the phone layout around them is h13a's).

Usage: PYTHONPATH=. python scripts/content_screenshots.py [--url URL]
"""

import argparse
import time
from contextlib import nullcontext
from pathlib import Path

import scoda_map
from scoda_map._i18n import t
from scoda_map._model.state import ExplorerState
from scoda_map._render import measure_browser, overview
from scoda_map._testing.browser import chromium, new_page, open_dashboard
from scoda_map._testing.server import running_server
from scoda_map._views.page_lang import HTML_LANG

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img" / "content"
STATIC = ROOT / "scoda_map" / "_share" / "jupyter" / "voila" / "templates" / "scoda" / "static"


def fragments_page(lang: str) -> str:
    """The overview and the measure browser alone, styled as on the dashboard."""
    atlas = scoda_map.load()
    state = ExplorerState(atlas, lang=lang)
    css = "".join((STATIC / name).read_text(encoding="utf-8") for name in ("scoda.css", "content.css"))
    css = css.replace('url("fonts/', f'url("{(STATIC / "fonts").as_uri()}/')
    return (f'<!doctype html><html lang="{HTML_LANG[lang]}"><head><meta charset="utf-8"><style>{css}'
            "body{padding:12px}</style></head><body>"
            f'<div class="scoda-details">{overview.render(atlas, lang)}</div>'
            f'<div class="scoda-measures"><h3 class="scoda-panel-title">{t("measures.heading", lang)}</h3>'
            f"{measure_browser.render(atlas, state.visible_measures(), lang)}</div></body></html>")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with (nullcontext(args.url) if args.url else running_server()) as url, chromium() as browser:
        for lang in ("en", "zh", "ru"):
            page = new_page(browser, 390, 844)
            page.set_content(fragments_page(lang))
            page.wait_for_function("document.fonts.status === 'loaded'")
            page.locator(".scoda-details").screenshot(path=OUT / f"overview-{lang}-390.png")
            page.screenshot(path=OUT / f"measures-{lang}-390.png", full_page=True)
            page.context.close()
            for width, height in ((1920, 1080),):
                page = new_page(browser, width, height)
                open_dashboard(page, url + ("" if lang == "en" else f"?lang={lang}"))
                page.locator(".scoda-mb-item").first.wait_for()
                page.locator(".scoda-overview").wait_for()
                time.sleep(1.5)  # fonts settle (a screenshot, not a test)
                page.screenshot(path=OUT / f"overview-measures-{lang}-{width}.png")
                page.close(run_before_unload=True)
                page.context.close()
                print("done", lang, width, flush=True)


if __name__ == "__main__":
    main()
