"""Headless Debian Chromium through playwright, with outside requests blocked."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from .chromium import FLAGS, HELP, find_chromium

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
#: How long a dashboard may take to draw on a busy 2-core machine.
READY_TIMEOUT_MS = 90_000
READY_SELECTOR = ".scoda-map .leaflet-interactive"


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about", "file") or (parts.hostname or "") in LOCAL_HOSTS


@contextmanager
def chromium() -> Iterator[object]:
    """A playwright Browser on Debian's Chromium (never a downloaded one)."""
    from playwright.sync_api import sync_playwright

    path = find_chromium()
    if path is None:
        raise RuntimeError(HELP)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, width: int = 1920, height: int = 1080, outside: list | None = None):
    """A page whose requests to anywhere but this machine are refused and recorded."""
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    blocked = outside if outside is not None else []

    def guard(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(READY_TIMEOUT_MS)
    return page


def open_dashboard(page, url: str) -> None:
    """Navigate and wait until the map has drawn its features."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(READY_SELECTOR, state="attached")


def open_pane(page, pane: str) -> None:
    """Choose a pane of the explorer's tab bar by its name (``map``, ``layers``, ``measures``,
    ``figures``, ``share``: see ``scoda_map._views.layout.PANES``), in any language."""
    from .._views.layout import PANES

    page.locator(".scoda-tabbar button").nth(PANES.index(pane)).click()

