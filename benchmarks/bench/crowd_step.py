"""One step of the concurrency benchmark: N visitors arrive at once; what the server does."""

from __future__ import annotations

import os
import statistics
import threading
import time

import psutil

from .crowd_servers import Sampler, Target, cpu_busy_seconds, tree_memory, wait_for_no_kernels
from .crowd_visitors import VIEW_READY, ViewVisitor, Visitor, browser_visit, percentile

STEP_TIMEOUT = 420.0  # the whole step, browser included
#: What a delegation's QR code opens: the same view (language and a route) live or kernel-free.
SHARED_QUERY = "?lang=zh&feature=r-almaty"
LIVE_LINK, VIEW_LINK = SHARED_QUERY, "view/" + SHARED_QUERY


def run_step(target: Target, visitors: int, hold: float, browser, mode: str = "live", phone: bool = False) -> dict:
    """``visitors`` arrive at once (``mode`` "live": the explorer, a kernel each; "view": the
    kernel-free view); one real browser (a phone's profile if ``phone``) arrives with them."""
    drained, left = wait_for_no_kernels(target)
    time.sleep(2)
    idle = tree_memory(target, full=True)
    go, all_loaded = threading.Event(), threading.Event()
    lock, done = threading.Lock(), [0]

    def loaded():
        with lock:
            done[0] += 1
            if done[0] >= visitors:
                all_loaded.set()

    if visitors == 0:  # the real browser alone
        all_loaded.set()
    deadline = time.monotonic() + STEP_TIMEOUT
    if mode == "view":
        crowd = [ViewVisitor(target.url + VIEW_LINK) for _ in range(visitors)]
    else:
        crowd = [Visitor(target.url, LIVE_LINK) for _ in range(visitors)]
    threads = [threading.Thread(target=v.run, args=(go, loaded, all_loaded, hold, deadline), daemon=True)
               for v in crowd]
    sampler = Sampler(target, all_loaded)
    load_before, busy_before, own_before = os.getloadavg()[0], cpu_busy_seconds(), psutil.Process().cpu_times()
    sampler.start()
    for thread in threads:
        thread.start()
    started = time.monotonic()
    go.set()
    real = browser_visit(browser, target, all_loaded, hold, deadline, phone=phone,
                         path=VIEW_LINK if mode == "view" else LIVE_LINK,
                         ready=VIEW_READY if mode == "view" else None) if browser is not None else None
    for thread in threads:
        thread.join(max(1.0, deadline + 30 - time.monotonic()))
    unfinished = sum(thread.is_alive() for thread in threads)
    wall = time.monotonic() - started
    sampler.stopped.set()
    sampler.join(10)
    busy_cpu = cpu_busy_seconds() - busy_before
    own_after = psutil.Process().cpu_times()
    client_cpu = (own_after.user + own_after.system) - (own_before.user + own_before.system)
    server_cpu = sampler.server_cpu()

    records = [v.record for v in crowd]
    ok = [r for r in records if r["outcome"] == "ok"]
    busy = [r for r in records if r["outcome"] == "busy"]
    for r in records:
        if r["outcome"] is None:
            r["outcome"], r["error"] = "error", "unfinished at the step's end"
    errors = [r for r in records if r["outcome"] not in ("ok", "busy")]
    pages = [r["page_s"] for r in ok]
    snapshot = sampler.snapshot or tree_memory(target, full=True)
    serving = len(ok) + (1 if real and real.get("outcome") == "ok" else 0)
    per_visitor_rss = (snapshot["rss"] - idle["rss"]) / serving if serving else None
    per_visitor_pss = (snapshot["pss"] - idle["pss"]) / serving if serving and snapshot["pss"] else None
    backends: dict[str, int] = {}
    for r in ok:
        backends[r.get("backend") or "-"] = backends.get(r.get("backend") or "-", 0) + 1
    mib = 2 ** 20
    return {
        "visitors": visitors, "mode": mode, "phone": phone, "ok": len(ok), "busy": len(busy), "errors": len(errors),
        "error_samples": sorted({r.get("error", "?") for r in errors})[:5], "unfinished_threads": unfinished,
        "page_median_s": statistics.median(pages) if pages else None, "page_p95_s": percentile(pages, 0.95),
        "page_max_s": max(pages) if pages else None,
        "busy_p95_s": percentile([r["page_s"] for r in busy], 0.95),
        "kernel_info_median_s": statistics.median(info) if (info := [r["kernel_info_s"] for r in ok if "kernel_info_s" in r]) else None,
        "close_statuses": sorted({r.get("close_status") for r in ok if r.get("close_status") is not None}),
        "backends": backends, "browser": real,
        "idle_rss_mib": idle["rss"] / mib, "idle_pss_mib": idle["pss"] / mib,
        "held_rss_mib": snapshot["rss"] / mib, "held_pss_mib": snapshot["pss"] / mib,
        "held_kernels": snapshot["kernels"], "peak_rss_mib": sampler.peak_rss / mib,
        "peak_kernels": sampler.peak_kernels,
        "kernel_rss_median_mib": (snapshot["kernel_rss"] / snapshot["kernels"] / mib) if snapshot["kernels"] else None,
        "per_visitor_rss_mib": per_visitor_rss / mib if per_visitor_rss is not None else None,
        "per_visitor_pss_mib": per_visitor_pss / mib if per_visitor_pss is not None else None,
        "wall_s": wall, "server_cpu_s": server_cpu, "client_cpu_s": client_cpu,
        "other_cpu_s": max(0.0, busy_cpu - server_cpu - client_cpu), "machine_busy_cpu_s": busy_cpu,
        "load1_before": load_before, "load1_after": os.getloadavg()[0],
        "drained_before_s": drained, "kernels_left_before": left,
    }
