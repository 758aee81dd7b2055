"""The scale step: the explorer with an extra layer of 1,000 to 100,000 generated points.

For each size: write the layer (``scoda_map._testing.synthetic``: random points,
labelled as not real) as an extension of the shipped data, check and cache it as
``scoda-map serve`` does, start a server, load the page (ready = the explorer's own
parts plus the new layer drawn), then pan and zoom on one page:

* pan: a 400 px mouse drag over about a second; the page's frame intervals during
  it (rAF), and the time from the mouse-up until the layer has been redrawn for the
  new view (the server aggregates big layers per view) and the websocket is quiet;
* zoom: a click on "+": the time until the layer has been redrawn and all is quiet.

"Usable" means: frames during the drag at 20 per second or better (median interval
<= 50 ms), no frame longer than 250 ms, and the layer redrawn within 1 s of a move.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from scoda_map._data.cache import write_cache
from scoda_map._data.loader import load
from scoda_map._testing.synthetic import write_point_layer

from .common import EXPLORER, INTERACTION_TIMEOUT_MS, log, median
from .interactions import Wire
from .pages import SCALE_LAYER_SELECTOR as LAYER_SELECTOR, close_page, open_page
from .servers import Server, wait_quiet

SIZES = (1_000, 10_000, 100_000)
USABLE_FRAME_MS = 50.0
USABLE_LONGEST_FRAME_MS = 250.0
USABLE_REDRAW_MS = 1000.0

# Frame intervals while recording, and the first change to the layer's elements after arming.
WATCH_SCRIPT = """
(selector) => {
  const w = window.__scale = {frames: [], recording: true, changedAt: null, armedAt: null};
  let last = performance.now();
  const tick = (now) => { w.frames.push(now - last); last = now; if (w.recording) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const pane = document.querySelector('.scoda-map .leaflet-overlay-pane') || document.body;
  const observer = new MutationObserver((records) => {
    if (w.armedAt === null || w.changedAt !== null) return;
    const touched = records.some((r) => [...r.addedNodes, ...r.removedNodes].some(
      (n) => n.nodeType === 1 && (n.matches(selector) || (n.querySelector && n.querySelector(selector)))));
    if (touched) w.changedAt = performance.now();
  });
  observer.observe(pane, {childList: true, subtree: true});
}
"""


def _layer_redraw(page, wire: Wire, action) -> dict:
    """Arm, act, then wait for the layer's elements to change and the websocket to be quiet."""
    page.evaluate("() => { window.__scale.armedAt = performance.now(); window.__scale.changedAt = null; }")
    started = time.monotonic()
    action()
    acted = page.evaluate("performance.now()")
    try:
        page.wait_for_function("window.__scale.changedAt !== null", timeout=5_000, polling=20)
        changed = page.evaluate("window.__scale.changedAt")
        redraw_ms = changed - acted
    except Exception:  # noqa: BLE001 - a layer sent whole is redrawn by Leaflet alone: no element changes
        redraw_ms = None
    wire.settle(page=page)
    return {"layer_redrawn_ms": redraw_ms, "quiet_s": time.monotonic() - started}


def pan_and_zoom(page, wire: Wire) -> dict:
    page.evaluate(WATCH_SCRIPT, LAYER_SELECTOR)
    box = page.locator(".scoda-map .leaflet-container").first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.evaluate("() => { window.__scale.frames = []; }")
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(x - 20 * step, y - 5 * step)
        page.wait_for_timeout(50)
    frames = page.evaluate("window.__scale.frames.slice()")
    pan = _layer_redraw(page, wire, page.mouse.up)
    zoom = _layer_redraw(page, wire, lambda: page.locator(".leaflet-control-zoom-in").first.click())
    page.evaluate("() => { window.__scale.recording = false; }")
    frames = frames[1:] or [None]  # the first interval started before the drag
    return {"drag_frames": len(frames), "drag_median_frame_ms": median(frames),
            "drag_longest_frame_ms": max((f for f in frames if f is not None), default=None),
            "pan_layer_redrawn_ms": pan["layer_redrawn_ms"], "pan_quiet_s": pan["quiet_s"],
            "zoom_layer_redrawn_ms": zoom["layer_redrawn_ms"], "zoom_quiet_s": zoom["quiet_s"],
            "layer_elements_after": page.locator(LAYER_SELECTOR).count()}


def usable(figures: dict) -> bool | None:
    frame, longest = figures.get("drag_median_frame_ms"), figures.get("drag_longest_frame_ms")
    if frame is None or longest is None:
        return None
    redraws = [figures.get(k) for k in ("pan_layer_redrawn_ms", "zoom_layer_redrawn_ms") if figures.get(k) is not None]
    return frame <= USABLE_FRAME_MS and longest <= USABLE_LONGEST_FRAME_MS and all(r <= USABLE_REDRAW_MS for r in redraws)


def scale_step(browser, stack, sizes, loads: int, basemap: Path, logs: Path, work: Path) -> dict:
    """Page ready, bytes and pan/zoom for each size; see the module docstring."""
    out = {}
    for count in sizes:
        folder = write_point_layer(work / f"points-{count}", count)
        started = time.monotonic()
        atlas = load(folder)  # what `scoda-map serve` does before it starts Voila
        cache = write_cache(atlas)
        check_s = time.monotonic() - started
        stack.callback(shutil.rmtree, cache.parent, True)
        server = Server(f"scale-{count}", EXPLORER, folder, basemap, logs, preheat=False, cache=cache)
        row = out[str(count)] = {"points": count, "check_and_cache_s": check_s, "server_start_s": server.start_s, "loads": []}
        try:
            wait_quiet([server])
            for i in range(loads):
                log(f"scale {count:,} points: load {i + 1}/{loads}")
                keep = i == loads - 1
                loaded = open_page(browser, server, "scale", keep_open=keep)
                if keep:
                    page = loaded.pop("_page")
                    wire = Wire(loaded.pop("_frames"), loaded.pop("_frame_times"))
                    try:
                        wire.settle(page=page)
                        page.set_default_timeout(INTERACTION_TIMEOUT_MS)
                        row["pan_zoom"] = pan_and_zoom(page, wire)
                    finally:
                        close_page(page, server, loaded["kernel_id"], loaded)
                row["loads"].append(loaded)
                log(f"  ready {loaded['ready_s']:.2f} s, ws {loaded['ws_bytes'] / 1e6:.2f} MB")
                wait_quiet([server])
        finally:
            server.stop()
        row["median_ready_s"] = median([load["ready_s"] for load in row["loads"]])
        row["median_ws_bytes"] = median([load["ws_bytes"] for load in row["loads"]])
        row["median_kernel_rss_mb"] = median([load.get("kernel_rss_mb") for load in row["loads"]])
        row["outside_requests"] = sum(load["outside_requests"] for load in row["loads"])
        row["usable"] = usable(row.get("pan_zoom", {}))
    return out


def scale_lines(results: dict, width: int) -> list[str]:
    """The scale table: each size's page ready beside the run's fresh baseline, bytes, pan/zoom."""
    scale = results.get("scale")
    if not scale:
        return []
    base = results.get("fresh", {}).get("baseline", {}).get("summary", {}).get("median_ready_s")
    header = (f"{'extra points':>12}{'ready':>9}{'x base':>8}{'ws MB':>8}{'kernel':>8}{'drag fr':>9}"
              f"{'longest':>9}{'pan->':>8}{'zoom->':>8}  usable")
    lines = ["", "scale: the explorer with an extra generated layer (fresh kernel, median of the loads;",
             "drag frame median and longest, ms; layer redrawn after pan / zoom, ms; '-': Leaflet redraws it alone)",
             header, "-" * max(width, len(header))]
    for row in scale.values():
        pz = row.get("pan_zoom", {})

        def ms(value):
            return "-" if value is None else f"{value:.0f}"

        ratio = f"{row['median_ready_s'] / base:.2f}x" if base and row.get("median_ready_s") else "-"
        lines.append(f"{row['points']:>12,}{row['median_ready_s']:>8.2f}s{ratio:>8}{row['median_ws_bytes'] / 1e6:>8.2f}"
                     f"{(row.get('median_kernel_rss_mb') or 0):>6.0f}MB{ms(pz.get('drag_median_frame_ms')):>9}"
                     f"{ms(pz.get('drag_longest_frame_ms')):>9}{ms(pz.get('pan_layer_redrawn_ms')):>8}"
                     f"{ms(pz.get('zoom_layer_redrawn_ms')):>8}  {'yes' if row.get('usable') else ('no' if row.get('usable') is False else '-')}")
    lines.append("checking and caching the data before the server starts: "
                 + ", ".join(f"{row['points']:,}: {row['check_and_cache_s']:.1f} s" for row in scale.values()))
    return lines
