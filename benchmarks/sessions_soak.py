#!/usr/bin/env python3
"""Open and close many visitor sessions in a row; show kernels and memory come back.

Each session is what a visitor costs the server without a browser: fetch the page
(the notebook runs in a new kernel), open the kernel websocket, then close the tab
the way a browser does (Voila's shutdown beacon). Prints a table and writes JSON
to benchmarks/results/.

Usage: python benchmarks/sessions_soak.py [--sessions 200] [--dashboard serve|kiosk]
"""

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path

import psutil

from scoda_map._testing.server import running_server
from scoda_map._testing.sessions import close_tab, kernel_id, open_page, touch_websocket

RESULTS = Path(__file__).resolve().parent / "results"


def server_rss(server) -> int:
    voila = psutil.Process(server.process.pid).children()[0]
    return voila.memory_info().rss


def wait_for_no_kernels(server, timeout: float = 30) -> float:
    started = time.monotonic()
    while server.kernel_processes() and time.monotonic() - started < timeout:
        time.sleep(0.2)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--dashboard", choices=["serve", "kiosk"], default="serve")
    args = parser.parse_args()
    samples, page_seconds, errors = [], [], 0
    with running_server(args.dashboard) as server:
        open_page(server)  # warm the server's caches (templates, first kernel)
        wait_for_no_kernels(server, 5)
        for process in server.kernel_processes():
            process.terminate()
        time.sleep(2)
        start_rss = server_rss(server)
        started = time.monotonic()
        for i in range(1, args.sessions + 1):
            t0 = time.perf_counter()
            status, page = open_page(server)
            page_seconds.append(time.perf_counter() - t0)
            kernel = kernel_id(page)
            if status != 200 or kernel is None:
                errors += 1
                continue
            asyncio.run(touch_websocket(server, kernel, seconds=0.2))
            if close_tab(server, kernel) not in (200, 204):
                errors += 1
            if i % 25 == 0 or i == args.sessions:
                samples.append({"sessions": i, "kernels": len(server.kernel_processes()),
                                "server_rss_mb": round(server_rss(server) / 2**20, 1)})
                print(f"{i:5d} sessions  kernels alive {samples[-1]['kernels']:3d}  server {samples[-1]['server_rss_mb']:7.1f} MB", flush=True)
        drained = wait_for_no_kernels(server)
        end_rss = server_rss(server)
        result = {
            "date": time.strftime("%Y-%m-%d %H:%M"), "dashboard": args.dashboard, "sessions": args.sessions,
            "errors": errors, "duration_s": round(time.monotonic() - started, 1),
            "page_median_s": round(statistics.median(page_seconds), 2),
            "kernels_at_end": len(server.kernel_processes()), "seconds_to_no_kernels": round(drained, 1),
            "server_rss_start_mb": round(start_rss / 2**20, 1), "server_rss_end_mb": round(end_rss / 2**20, 1),
            "server_rss_growth": round(end_rss / start_rss - 1, 3), "samples": samples,
        }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"sessions-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=1))
    print(json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
