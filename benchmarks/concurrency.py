#!/usr/bin/env python3
"""Simultaneous visitors: one Voila process against several behind nginx.

For each target (``scoda-map serve``, ``scoda-map cluster --workers 2``, ...) and each
step (1, 2, 4, 8, 16, 32 simultaneous visitors) this starts that many visitors at
once. A visitor does not render: it fetches the page (the notebook runs in a new
kernel), opens the kernel websocket and waits for the kernel_info reply, holds the
session until every visitor of the step has loaded plus a few seconds, then closes
the tab as a browser does (Voila's shutdown beacon), keeping its cookies throughout
as a browser would. While the load runs, ONE real headless Chromium opens the
explorer too: what a real visitor sees under that load.

Per step: page ready (time to the full page body) median and p95, the busy page
(503) apart from errors (other statuses, timeouts, no kernel, no kernel_info
reply), the websocket's kernel_info time, memory of the whole server (wrapper,
Voila processes, kernels, nginx; peak RSS and PSS while all sessions are open)
and per visitor, the CPU the server used and the CPU other processes took.

The targets are given a cap high enough that it does not hide the load (default
40 kernels in all); the "cap" target runs `scoda-map serve` with its default cap
(24) against 32 visitors: those past it must get the busy page at once.

Every wait is bounded; the script always ends, and stops what it started.

Usage: python benchmarks/concurrency.py [--targets single,cluster2,cluster4,cap]
       [--steps 1,2,4,8,16,32] [--hold 5] [--no-browser] [--quick]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # scoda_map from a checkout, too

from bench.crowd_report import fmt, machine, table, verdicts
from bench.crowd_servers import Target
from bench.crowd_step import run_step
from bench.crowd_visitors import KERNEL_ID, PAGE_TIMEOUT, Visitor

RESULTS = Path(__file__).resolve().parent / "results"


#: Delegation targets: `scoda-map serve`, visitors arriving with a phone's profile at the link a QR code
#: gives them: "view" the kernel-free view (what the share panel's link now opens), "phone" the live page.
DELEGATION = {"view": "view", "phone": "live"}


def targets_from(names: list[str], cap: int, log_dir: Path) -> list[tuple[Target, list[int] | None, int, str]]:
    """(target, its own steps or None, its kernel cap, mode) for each name."""
    made = []
    for name in names:
        if name == "single" or name in DELEGATION:
            made.append((Target(name, "serve", ["--max-kernels", str(cap)], log_dir / f"{name}.log"), None, cap,
                         DELEGATION.get(name, "live")))
        elif name.startswith("cluster"):
            workers = int(name[len("cluster"):] or 2)
            per = math.ceil(cap / workers)
            made.append((Target(name, "cluster", ["--workers", str(workers), "--max-kernels-per-worker", str(per)],
                                log_dir / f"{name}.log"), None, per * workers, "live"))
        elif name == "cap":
            made.append((Target(name, "serve", [], log_dir / f"{name}.log"), [32], 24, "live"))
        else:
            raise SystemExit(f"unknown target {name!r}: single, cluster2, cluster4, ..., cap, view, phone")
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--targets", default="single,cluster2,cluster4,cap",
                        help="single, clusterN, cap; view and phone: a delegation with phones opening the share "
                             "link, kernel-free (view) or live (phone), e.g. --targets view,phone --steps 16,32")
    parser.add_argument("--steps", default="1,2,4,8,16,32")
    parser.add_argument("--hold", type=float, default=5.0, help="seconds each session stays open after all loaded")
    parser.add_argument("--max-kernels", type=int, default=40, help="kernel cap in all, per target (default 40)")
    parser.add_argument("--no-browser", action="store_true", help="no real Chromium visitor")
    parser.add_argument("--quick", action="store_true", help="steps 1,2,4 and targets single,cluster2: a smoke run")
    parser.add_argument("--wait-for-quiet", type=float, default=0.0,
                        help="before each target, wait up to this many seconds for the 1-min load to fall below nproc")
    args = parser.parse_args()
    names = args.targets.split(",")
    steps = [int(x) for x in args.steps.split(",")]
    if args.quick:
        names, steps = [n for n in names if n in ("single", "cluster2")] or ["single"], [1, 2, 4]
    if any(n.startswith("cluster") for n in names) and not Path("/usr/sbin/nginx").exists():
        print("nginx is absent (sudo apt-get install nginx): cluster targets skipped", file=sys.stderr)
        names = [n for n in names if not n.startswith("cluster")]
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    log_dir = RESULTS / f"concurrency-{stamp}-logs"
    log_dir.mkdir()
    info = machine()
    print(f"machine: {info['nproc']} cores, {info['ram_gib']} GiB ({info['available_gib_at_start']} available), "
          f"load {info['load_at_start']}; python {info['python']}, voila {info['voila']}, tornado {info['tornado']}, "
          f"jupyter_server {info['jupyter_server']}, ipykernel {info['ipykernel']}, {info['nginx']}", flush=True)
    results = []
    browser_cm = None
    browser = None
    if not args.no_browser:
        try:
            from scoda_map._testing.browser import chromium

            browser_cm = chromium()
            browser = browser_cm.__enter__()
            info["chromium"] = browser.version
        except Exception as error:  # noqa: BLE001
            print(f"no real browser visitor: {error}", file=sys.stderr)
            browser_cm = browser = None
    interrupted = False
    try:
        for target, own_steps, cap, mode in targets_from(names, args.max_kernels, log_dir):
            phone = target.name in DELEGATION
            if args.wait_for_quiet:
                waited = time.monotonic()
                while os.getloadavg()[0] > (os.cpu_count() or 1) and time.monotonic() - waited < args.wait_for_quiet:
                    time.sleep(10)
            entry = {"name": target.name, "command": ["scoda-map", target.command, *target.extra], "cap": cap,
                     "steps": []}
            results.append(entry)
            print(f"== {target.name}: scoda-map {target.command} {' '.join(target.extra)}", flush=True)
            try:
                target.start()
                # warm: the first page of each process pays for templates and caches; one page at a
                # time, so least_conn's tie-break (round robin) gives each worker one
                for _ in range(int(target.extra[1]) if target.command == "cluster" else 1):
                    warm = Visitor(target.url)
                    status, page = warm.fetch_page(time.monotonic() + PAGE_TIMEOUT)
                    kernel = KERNEL_ID.search(page)
                    if status == 200 and kernel:
                        warm.close_tab(kernel.group(1))
                plan = [(n, browser, False) for n in own_steps or steps]
                if phone and browser is not None:
                    plan.insert(0, (0, browser, False))  # the phone alone: what one visitor sees
                if own_steps is None and browser is not None:
                    plan.insert(0, (1, None, True))  # the single-visitor figure: one visitor, no browser beside it
                for visitors, real_browser, alone in plan:
                    step = run_step(target, visitors, args.hold, real_browser, mode=mode, phone=phone)
                    step["alone"] = alone
                    entry["steps"].append(step)
                    real = step["browser"] or {}
                    print(f"  {visitors:3d}{'*' if step['alone'] else ' '}visitors: ok {step['ok']}, busy {step['busy']}, errors {step['errors']}"
                          f"{' ' + str(step['error_samples']) if step['errors'] else ''}; page median "
                          f"{fmt(step['page_median_s'], '.1f', ' s')}, p95 {fmt(step['page_p95_s'], '.1f', ' s')}; "
                          f"chromium {fmt(real.get('ready_s'), '.1f', ' s') if real.get('outcome') == 'ok' else real.get('error', '-')}; "
                          f"held {step['held_rss_mib']:.0f} MiB RSS ({step['held_kernels']} kernels), "
                          f"{fmt(step['per_visitor_rss_mib'], '.0f')} MiB/visitor; load {step['load1_before']:.1f}; "
                          f"backends {step['backends']}", flush=True)
            except KeyboardInterrupt:
                interrupted = True
                raise
            except Exception as error:  # noqa: BLE001 - report and go on to the next target
                entry["failure"] = f"{type(error).__name__}: {error}"
                print(f"  {target.name} failed: {entry['failure']}", flush=True)
            finally:
                entry["leftovers"] = target.stop()
    except KeyboardInterrupt:
        print("interrupted: writing what was measured", file=sys.stderr)
    finally:
        if browser_cm is not None:
            try:
                browser_cm.__exit__(None, None, None)
            except Exception:  # noqa: BLE001
                pass
    info["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    out = RESULTS / f"concurrency-{stamp}.json"
    out.write_text(json.dumps({"machine": info, "hold_s": args.hold, "results": results,
                               "interrupted": interrupted}, indent=1, default=str))
    print()
    print(f"{info['date']}: {info['nproc']} cores, {info['ram_gib']} GiB; load at start {info['load_at_start']}, "
          f"at end {info['load_at_end']}; {info.get('chromium', 'no browser')}")
    print(table(results))
    print()
    for line in verdicts(results):
        print(line)
    print("1* = one visitor alone, no browser beside it: the single-visitor figure the ratios use.")
    print("columns: page med/p95 = time to the full page body (notebook run in a new kernel); chromium = one real "
          "browser's map-drawn time in the same step; mem held = the whole server tree's RSS with every session open; "
          "MiB/vis, PSS/vis = its growth over idle per visitor (RSS counts shared pages once per process, PSS splits "
          "them); srv CPU = CPU-s the server tree used; other = CPU-s other processes on the machine took meanwhile.")
    print(f"wrote {out} (server logs in {log_dir})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
