"""A phone on exhibition Wi-Fi: the crowd step's phone profile (``crowd_visitors.phone_page``:
390x844, touch, Chromium's CPU slowed 4x through CDP ``Emulation.setCPUThrottlingRate``), and the bytes the page pulls before it is ready
as transferred (compressed), summed from CDP ``Network.loadingFinished``'s
``encodedDataLength``. The bare map on the same profile is the baseline."""

from __future__ import annotations

import time

from .common import READY_TIMEOUT_MS
from .crowd_visitors import PHONE, phone_page
from .pages import ready_script

CPU_SLOWDOWN = PHONE["cpu_slowdown"]


def phone_load(browser, url: str, kind: str) -> dict:
    """Load ``url`` once on the phone profile; ready time and HTTP bytes before ready."""
    page = phone_page(browser, outside=[])
    context = page.context
    encoded: dict[str, float] = {}
    ready_at: list[float] = []
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")

    def finished(event):
        if not ready_at:
            encoded[event["requestId"]] = event.get("encodedDataLength", 0)

    cdp.on("Network.loadingFinished", finished)
    page.expose_function("__benchReady", lambda t_ms: ready_at.append(t_ms))
    page.add_init_script(ready_script(kind))
    started = time.monotonic()
    try:
        page.goto(url, wait_until="commit")
        page.wait_for_function("window.__benchReadyAt !== undefined", timeout=READY_TIMEOUT_MS, polling=200)
        ready_ms = page.evaluate("window.__benchReadyAt")
    finally:
        context.close()
    return {"kind": kind, "ready_s": ready_ms / 1000, "wall_s": time.monotonic() - started,
            "http_bytes_encoded": int(sum(encoded.values())), "requests": len(encoded)}
