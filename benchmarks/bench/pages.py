"""One page load, timed in the page: navigation -> every part drawn; bytes, requests, memory."""

from __future__ import annotations

import json
import os
import re
import time

from scoda_map._testing.browser import new_page

from .common import KERNEL_GONE_TIMEOUT, READY_TIMEOUT_MS
from .servers import CpuMeter, Server, memory
from .wire import analyse_frames, http_group

# In-page "ready" conditions: what the visitor needs drawn. Each part's first time is
# recorded too, to see which part comes last.
READY = {
    "explorer": {
        "route_drawn": "!!document.querySelector('.scoda-route')",
        # The charts wait behind the Figures tab (issue #13's layout): not part of a page's first view.
        "details_filled": "((document.querySelector('.scoda-details') || {}).textContent || '').trim().length > 0",
        "basemap_drawn": "!!document.querySelector('.leaflet-interactive')",
    },
    "kiosk": {
        "route_drawn": "!!document.querySelector('.scoda-kiosk .scoda-route')",
        "title_drawn": "((document.querySelector('.scoda-kiosk-title') || {}).textContent || '').trim().length > 0",
        "layer_buttons_drawn": "!!document.querySelector('.scoda-kiosk .scoda-layers button')",
        "basemap_drawn": "!!document.querySelector('.leaflet-interactive')",
    },
    "baseline": {
        "basemap_drawn": "!!document.querySelector('.leaflet-interactive')",
    },
}


# The scale step's generated layer: aggregated cells, or its points when sent whole.
SCALE_LAYER_SELECTOR = ".scoda-cell, .scoda-point[class*='scoda-f-syn-']"
READY["scale"] = dict(READY["explorer"], points_drawn=f"!!document.querySelector({SCALE_LAYER_SELECTOR!r})")
# Parts that are recorded but not required (the explorer's basemap: routes imply it).
OPTIONAL = {"basemap_drawn"}


# Installed before any page script: records performance.now() (ms since navigation
# start) when the ready condition first holds, and tells Python at that moment, so the
# websocket and HTTP counters can be cut exactly there.
READY_SCRIPT = """
(() => {
  if (window.top !== window) return;
  const parts = %s;
  const required = %s;
  const seen = window.__benchParts = {};
  let done = false;
  const check = () => {
    if (done) return;
    const now = performance.now();
    for (const [name, test] of Object.entries(parts)) {
      if (seen[name] === undefined) { try { if (test()) seen[name] = now; } catch (e) {} }
    }
    if (!required.every((name) => seen[name] !== undefined)) return;
    done = true;
    window.__benchReadyAt = now;
    observer.disconnect();
    requestAnimationFrame(() => { window.__benchFrameAt = performance.now(); });
    if (window.__benchReady) window.__benchReady(now);
  };
  const observer = new MutationObserver(check);
  observer.observe(document, {childList: true, subtree: true, characterData: true});
})();
"""


def ready_script(kind: str) -> str:
    parts = READY[kind]
    functions = "{" + ", ".join(f"{json.dumps(name)}: () => ({test})" for name, test in parts.items()) + "}"
    required = [name for name in parts if name not in OPTIONAL or len(parts) == 1]
    return READY_SCRIPT % (functions, json.dumps(required))


def open_page(browser, server: Server, kind: str, keep_open: bool = False) -> dict:
    """Load ``server`` in a fresh page; return the figures (and the page if keep_open)."""
    outside: list[str] = []
    page = new_page(browser, outside=outside)
    page.set_default_timeout(READY_TIMEOUT_MS)
    frames: list = []
    frame_times: list[float] = []
    socket_times: list[float] = []
    sockets: list[str] = []
    finished: list = []
    failed: list = []
    mark: dict = {}

    def on_socket(ws):
        sockets.append(ws.url)
        socket_times.append(time.monotonic())

        def on_frame(payload):
            frames.append(payload)
            frame_times.append(time.monotonic())

        ws.on("framereceived", on_frame)

    def on_ready(t_ms):
        mark.update(frames=len(frames), finished=len(finished), failed=len(failed), page_ms=t_ms,
                    py=time.monotonic())

    page.on("websocket", on_socket)
    page.on("requestfinished", lambda request: finished.append(request))
    page.on("requestfailed", lambda request: failed.append(request))
    page.expose_function("__benchReady", on_ready)
    page.add_init_script(ready_script(kind))
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    server_cpu0 = sum(server.ps.cpu_times()[:2])

    loadavg = os.getloadavg()[0]
    meter = CpuMeter()
    started = time.monotonic()
    page.goto(server.url, wait_until="commit")
    page.wait_for_function("window.__benchReadyAt !== undefined", timeout=READY_TIMEOUT_MS, polling=100)
    wall_s = time.monotonic() - started
    page.wait_for_function("window.__benchFrameAt !== undefined", timeout=10_000)
    if not mark:  # the binding call is always handled before the wait returns; be safe
        mark.update(frames=len(frames), finished=len(finished), failed=len(failed), page_ms=None, py=time.monotonic())
    timing = page.evaluate("""() => {
        const n = performance.getEntriesByType('navigation')[0] || {};
        return {ready_ms: window.__benchReadyAt, frame_ms: window.__benchFrameAt, parts: window.__benchParts,
                response_start_ms: n.responseStart, response_end_ms: n.responseEnd,
                dom_content_loaded_ms: n.domContentLoadedEventEnd, load_ms: n.loadEventEnd};
    }""")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    kernel_id = None
    for url in sockets:
        match = re.search(r"/api/kernels/([0-9a-f-]+)/channels", url)
        if match:
            kernel_id = match.group(1)
    mem = memory(server, kernel_id)
    cpu = meter.read()
    state_frames = [i for i, f in enumerate(frames[:mark["frames"]]) if b"update_states" in (f if isinstance(f, bytes) else f.encode())]
    timeline = {
        "ws_opened_s": socket_times[0] - started if socket_times else None,
        "ws_first_frame_s": frame_times[0] - started if frame_times else None,
        "widget_states_received_s": frame_times[state_frames[0]] - started if state_frames else None,
        "widget_states_bytes": len(frames[state_frames[0]]) if state_frames else None,
        "last_frame_before_ready_s": frame_times[mark["frames"] - 1] - started if mark["frames"] else None,
        "ready_seen_by_python_s": mark["py"] - started,
    }

    before = frames[:mark["frames"]]
    http_bytes, groups = 0, {}
    for request in finished[:mark["finished"]]:
        try:
            sizes = request.sizes()
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        except Exception:  # noqa: BLE001
            size = 0
        http_bytes += size
        group = groups.setdefault(http_group(request.url), [0, 0])
        group[0] += 1
        group[1] += size
    result = {
        "kind": kind,
        "ready_s": timing["ready_ms"] / 1000,
        "frame_s": timing["frame_ms"] / 1000,
        "wall_s": wall_s,
        "navigation": {k: (v / 1000 if v is not None else None) for k, v in timing.items()
                       if k not in ("ready_ms", "frame_ms", "parts")},
        "parts_s": {k: v / 1000 for k, v in (timing.get("parts") or {}).items()},
        "timeline_python_clock": timeline,
        "cpu": cpu,
        "loadavg_1m_before": loadavg,
        "ws_frames": len(before),
        "ws_bytes": sum(len(f) for f in before),
        "ws_bytes_total_at_measure": sum(len(f) for f in frames),
        "http_requests": mark["finished"] + mark["failed"],
        "http_bytes": http_bytes,
        "http_by_group": {k: {"requests": v[0], "bytes": v[1]} for k, v in sorted(groups.items(), key=lambda kv: -kv[1][1])},
        "outside_requests": len(outside),
        "outside_urls": outside[:20],
        "failed_requests": [r.url for r in failed[:mark["failed"]]][:20],
        "browser_metrics": {k: metrics.get(k) for k in ("TaskDuration", "ScriptDuration", "LayoutDuration",
                                                         "RecalcStyleDuration", "JSHeapUsedSize", "Nodes")},
        "server_cpu_s": sum(server.ps.cpu_times()[:2]) - server_cpu0,
        "kernel_id": kernel_id,
        "memory": mem,
        "ws_analysis": analyse_frames(before),
    }
    this = [k for k in mem["kernels"].values() if k["this_page"]]
    result["kernel_rss_mb"] = this[0]["rss_mb"] if this else None
    result["kernel_uss_mb"] = this[0]["uss_mb"] if this else None
    result["kernel_cpu_s"] = this[0]["cpu_s"] if this else None
    if keep_open:
        result["_page"] = page
        result["_frames"] = frames
        result["_frame_times"] = frame_times
    else:
        close_page(page, server, kernel_id, result)
    return result


def close_page(page, server: Server, kernel_id: str | None, result: dict) -> None:
    """Close as a tab closes (Voila then shuts the kernel down); wait for the kernel to go."""
    context = page.context
    try:
        page.close(run_before_unload=True)
        page.wait_for_event("close", timeout=10_000) if not page.is_closed() else None
    except Exception:  # noqa: BLE001
        pass
    started = time.monotonic()
    gone = kernel_id is None
    while not gone and time.monotonic() - started < KERNEL_GONE_TIMEOUT:
        gone = kernel_id not in server.kernels()
        if not gone:
            time.sleep(0.2)
    result["kernel_freed_s"] = time.monotonic() - started if gone else None
    try:
        context.close()
    except Exception:  # noqa: BLE001
        pass

