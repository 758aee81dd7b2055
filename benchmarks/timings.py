"""Timings the tests used to assert, measured here instead (tests assert behaviour only).

Each figure is one thing a visitor or the machine would notice; the targets are the
limits the tests used to hold, printed for comparison, not enforced:

* aggregate: cells for 100,000 points in view (``view_features``), target < 1 s;
* click: one route click handled by the explorer in the kernel, target < 100 ms;
* busy page: a visitor over ``--max-kernels`` gets the 503 page, target < 2 s;
* tab close: the closing tab's kernel is gone, target < 5 s;
* kiosk recovery: a killed kernel -> the kiosk's home view again, target < 15 s.

The cluster's refusal (503 through nginx, once < 5 s in tests/test_cluster.py) is not
measured here: it needs nginx and the cluster's setup (benchmarks/concurrency.py).

Usage (from the repository root)::

    python benchmarks/timings.py [--repeat 5] [--skip-server] [--skip-kiosk] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {"aggregate_s": 1.0, "click_ms": 100.0, "busy_page_s": 2.0, "tab_close_s": 5.0, "kiosk_recovery_s": 15.0}


def aggregate(repeat: int) -> list[float]:
    import numpy as np

    from scoda_map._render.aggregate import view_features

    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(0, 100, 100_000), rng.uniform(0, 60, 100_000)
    ids = np.arange(100_000).astype(str)
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        view_features(lon, lat, ids, [[-90, -180], [90, 180]], 2)
        seconds.append(time.perf_counter() - started)
    return seconds


def clicks(repeat: int, count: int = 500) -> list[float]:
    """Milliseconds per route click, ``count`` clicks a round, as the map's front end sends them."""
    import scoda_map

    atlas = scoda_map.load()
    app = scoda_map.Explorer(atlas)
    layer = app.map.layers["routes"]
    drawn = atlas.routes.index[atlas.routes["on_map"]].tolist()
    per_click = []
    for _ in range(repeat):
        started = time.perf_counter()
        for i in range(count):
            layer._handle_mouse_events(layer, {"event": "click", "feature": {"properties": {"id": drawn[i % len(drawn)]}}}, [])
        per_click.append((time.perf_counter() - started) / count * 1000)
    return per_click


def wait_for_kernels(server, count: int, timeout: float = 60) -> float:
    started = time.monotonic()
    while len(server.kernel_processes()) != count:
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{len(server.kernel_processes())} kernels, expected {count}")
        time.sleep(0.05)
    return time.monotonic() - started


def server_figures(repeat: int, logs: Path) -> dict[str, list[float]]:
    """The busy page and the tab close, on ``scoda-map serve --max-kernels 1``."""
    from scoda_map._testing.server import running_server
    from scoda_map._testing.sessions import close_tab, kernel_id, open_page, run_async, touch_websocket

    busy, closed = [], []
    with running_server("serve", extra=["--max-kernels", "1"], log_path=logs / "serve.log") as server:
        for _ in range(repeat):
            wait_for_kernels(server, 0)
            status, page = open_page(server)
            kernel = kernel_id(page)
            assert status == 200 and kernel, status
            run_async(touch_websocket(server, kernel, seconds=0.3))
            started = time.monotonic()
            status, _ = open_page(server)
            busy.append(time.monotonic() - started)
            assert status == 503, status
            close_tab(server, kernel)
            closed.append(wait_for_kernels(server, 0))
    return {"busy_page_s": busy, "tab_close_s": closed}


def kiosk_recovery(repeat: int, logs: Path) -> list[float]:
    """Seconds from killing the kiosk page's kernel to its home view drawn again."""
    from scoda_map._testing.browser import chromium, new_page, open_dashboard
    from scoda_map._testing.server import running_server

    seconds = []
    with running_server("kiosk", log_path=logs / "kiosk.log") as server, chromium() as browser:
        for _ in range(repeat):
            page = new_page(browser)
            open_dashboard(page, server)
            page.evaluate("window.__beforeKill = true")
            started = time.monotonic()
            for process in server.kernel_processes():
                os.kill(process.pid, signal.SIGKILL)
            page.wait_for_function("window.__beforeKill === undefined", timeout=120_000)
            page.wait_for_selector(".scoda-map .leaflet-interactive", state="attached", timeout=120_000)
            page.locator(".scoda-layer-button").first.wait_for()
            seconds.append(time.monotonic() - started)
            page.close(run_before_unload=True)
            page.context.close()
    return seconds


def report(results: dict[str, list[float]]) -> str:
    lines = [f"{'timing':<20}{'median':>10}{'max':>10}{'target':>10}  verdict", "-" * 62]
    for name, values in results.items():
        median, worst, target = statistics.median(values), max(values), TARGETS[name]
        verdict = "met" if median < target else "MISSED"
        lines.append(f"{name:<20}{median:>10.3f}{worst:>10.3f}{target:>10.3f}  {verdict}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds of each timing (default 5)")
    parser.add_argument("--skip-server", action="store_true", help="no busy page and tab close (no server started)")
    parser.add_argument("--skip-kiosk", action="store_true", help="no kiosk recovery (no browser started)")
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    args = parser.parse_args(argv)
    results = {"aggregate_s": aggregate(args.repeat), "click_ms": clicks(args.repeat)}
    with tempfile.TemporaryDirectory(prefix="scoda-timings-") as logs:
        if not args.skip_server:
            results.update(server_figures(args.repeat, Path(logs)))
        if not args.skip_kiosk:
            results["kiosk_recovery_s"] = kiosk_recovery(args.repeat, Path(logs))
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
