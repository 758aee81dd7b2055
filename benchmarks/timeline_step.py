#!/usr/bin/env python3
"""The time control's step on its own (#18): one explorer page, N one-year steps.

Usage: python benchmarks/timeline_step.py [--steps 30] [--data PATH]

Prints the median and p95 of "slider change -> map restyled -> next frame", the
websocket bytes per step, and which widget models the steps updated (a GeoJSON model
there would mean a map layer was resent). ``benchmarks/run.py`` runs the same steps as
part of its interactions phase (bench/timeline.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench.common import median, p95
from bench.interactions import Wire
from bench.timeline import time_steps
from bench.wire import updates_by_model
from scoda_map._testing.browser import chromium, new_page, open_dashboard
from scoda_map._testing.server import running_server


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--data")
    args = parser.parse_args(argv)
    with running_server(data=args.data) as url, chromium() as browser:
        page = new_page(browser)
        frames, times = [], []

        def on_socket(ws):
            ws.on("framereceived", lambda payload: (frames.append(payload), times.append(time.monotonic())))

        page.on("websocket", on_socket)
        open_dashboard(page, url)
        page.locator(".scoda-time-slider").wait_for(state="attached")
        page.wait_for_selector('.scoda-chart-trains .main-svg', state="attached")
        wire = Wire(frames, times)
        wire.settle(page=page)
        years = page.evaluate("() => { const s = document.querySelector('.scoda-time-slider');"
                              " const out = []; for (let y = +s.min; y <= +s.max; y++) out.push(y); return out; }")
        steps = time_steps(page, wire, years, args.steps)
        every = [f for r in steps for f in r.pop("_frames")]
        frame_ms = [r["frame_ms"] for r in steps]
        dom_ms = [r["dom_ms"] for r in steps]
        total = [r["ws_bytes_total"] for r in steps]
        print(f"time step (slider change -> map restyled), n={len(steps)}, years {years[0]}-{years[-1]}")
        print(f"  DOM updated: median {median(dom_ms):.0f} ms, p95 {p95(dom_ms):.0f} ms")
        print(f"  next frame:  median {median(frame_ms):.0f} ms, p95 {p95(frame_ms):.0f} ms, max {max(frame_ms):.0f} ms")
        print(f"  websocket per step: median {median(total) / 1e3:.1f} kB, max {max(total) / 1e3:.1f} kB")
        resent = sorted({label for r in steps for label in r["layers_resent"]})
        print(f"  map layers resent: {', '.join(resent) or 'none'}")
        print("  per widget model (all steps):")
        for label, row in list(updates_by_model(every, wire.labels).items())[:8]:
            print(f"    {label[:80]:<80} {row['frames']:>4} frames {row['bytes'] / 1e3:>8.1f} kB")
        page.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
