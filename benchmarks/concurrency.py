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
import asyncio
import http.cookiejar
import json
import math
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

from scoda_map._testing.server import free_port, wait_until_up
from scoda_map._testing.sessions import close_tab

RESULTS = Path(__file__).resolve().parent / "results"
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
#: The explorer's one widget output: a page without it has lost the notebook's output (Voila's
#: executor gives up waiting for IOPub after nbclient's iopub_timeout, 4 s, when the server lags).
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
BACKEND_COOKIE = "scoda_backend"
PAGE_TIMEOUT = 240.0  # a page not complete by then is an error (timeout)
STEP_TIMEOUT = 420.0  # the whole step, browser included
DRAIN_TIMEOUT = 90.0  # waiting for kernels of the previous step to go


# --------------------------------------------------------------------------- servers

class Target:
    """A `scoda-map` command started in its own session; stopped with everything it started."""

    def __init__(self, name: str, command: str, extra: list[str], log: Path):
        self.name, self.command, self.extra, self.log_path = name, command, extra, log
        self.port, self.url = 0, ""
        self.process: subprocess.Popen | None = None
        self.log = None

    def start(self, attempts: int = 3) -> None:
        """Start on a port picked now (a port picked earlier may be taken by then); retry on a clash."""
        for attempt in range(1, attempts + 1):
            self.port = free_port()
            self.url = f"http://127.0.0.1:{self.port}/"
            args = [sys.executable, "-m", "scoda_map.cli", self.command, "--port", str(self.port), "--no-browser",
                    *self.extra]
            self.log = open(self.log_path, "a")
            self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
            try:
                wait_until_up(self.url, self.process, timeout=180)
                return
            except RuntimeError:
                self.stop()
                if attempt == attempts:
                    raise

    def family(self) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []

    def kernels(self) -> list[psutil.Process]:
        found = []
        for process in self.family():
            try:
                if process.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(process.cmdline()):
                    found.append(process)
            except psutil.Error:
                continue
        return found

    def kernel_ids(self) -> set[str]:
        found = set()
        for process in self.kernels():
            try:
                match = re.search(r"kernel-([0-9a-f-]{36})\.json", " ".join(process.cmdline()))
            except psutil.Error:
                continue
            if match:
                found.add(match.group(1))
        return found

    def stop(self) -> list[str]:
        """SIGTERM to the session (serve's wrapper and Voila; the cluster stops its own); kill leftovers."""
        if self.process is None:
            return []
        family = self.family()
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except OSError:
            pass
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        _, alive = psutil.wait_procs(family, timeout=20)
        leftovers = []
        for process in alive:
            try:
                leftovers.append(" ".join(process.cmdline())[:120])
                process.kill()
            except psutil.Error:
                pass
        if self.log is not None:
            self.log.close()
        return leftovers


def tree_memory(target: Target, full: bool = False) -> dict:
    """RSS (and, if full, PSS) of the server's whole process tree, by kind."""
    sums = {"rss": 0, "pss": 0, "kernels": 0, "kernel_rss": 0, "processes": 0}
    for process in target.family():
        try:
            info = process.memory_full_info() if full else process.memory_info()
            kind = " ".join(process.cmdline())
        except psutil.Error:
            continue
        sums["processes"] += 1
        sums["rss"] += info.rss
        if full:
            sums["pss"] += getattr(info, "pss", info.rss)
        if "ipykernel" in kind:
            sums["kernels"] += 1
            sums["kernel_rss"] += info.rss
    return sums


class Sampler(threading.Thread):
    """Peak memory of the server tree, its CPU time, and one full snapshot once all have loaded."""

    def __init__(self, target: Target, all_loaded: threading.Event, interval: float = 0.5):
        super().__init__(daemon=True)
        self.target, self.all_loaded, self.interval = target, all_loaded, interval
        self.stopped = threading.Event()
        self.peak_rss = 0
        self.peak_kernels = 0
        self.snapshot: dict | None = None
        self.cpu_start: dict[int, float] = {}
        self.cpu_last: dict[int, float] = {}
        for process in target.family():
            try:
                times = process.cpu_times()
                self.cpu_start[process.pid] = self.cpu_last[process.pid] = times.user + times.system
            except psutil.Error:
                pass

    def run(self) -> None:
        while not self.stopped.is_set():
            memory = tree_memory(self.target)
            self.peak_rss = max(self.peak_rss, memory["rss"])
            self.peak_kernels = max(self.peak_kernels, memory["kernels"])
            for process in self.target.family():
                try:
                    times = process.cpu_times()
                    self.cpu_last[process.pid] = times.user + times.system
                except psutil.Error:
                    pass
            if self.snapshot is None and self.all_loaded.is_set():
                time.sleep(1.0)  # let the last page's kernel settle
                self.snapshot = tree_memory(self.target, full=True)
                self.peak_rss = max(self.peak_rss, self.snapshot["rss"])
            self.stopped.wait(self.interval)

    def server_cpu(self) -> float:
        return sum(last - self.cpu_start.get(pid, 0.0) for pid, last in self.cpu_last.items())


# --------------------------------------------------------------------------- visitors

def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


class Visitor:
    """A tab that does not render, with its own cookies as a browser has."""

    def __init__(self, url: str):
        self.url = url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.record: dict = {"outcome": None}

    def cookies(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def fetch_page(self, deadline: float) -> tuple[int, str]:
        request = urllib.request.Request(self.url)
        try:
            with self.opener.open(request, timeout=60) as response:
                chunks = []
                while True:
                    if time.monotonic() > deadline:
                        raise TimeoutError("page not complete in time")
                    chunk = response.read(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
                return response.status, b"".join(chunks).decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    async def session(self, kernel: str, loaded, all_loaded: threading.Event, hold: float, deadline: float) -> None:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        request = HTTPRequest(self.url.replace("http://", "ws://") + f"api/kernels/{kernel}/channels",
                              headers={"Cookie": self.cookies()}, connect_timeout=30, request_timeout=30)
        started = time.monotonic()
        connection = await websocket_connect(request)
        try:
            connection.write_message(json.dumps({
                "header": {"msg_id": "probe", "msg_type": "kernel_info_request", "username": "",
                           "session": "probe", "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell", "buffers": []}))
            frames = 0
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no kernel_info_reply")
                message = await asyncio.wait_for(connection.read_message(), timeout=min(left, 60))
                if message is None:
                    raise ConnectionError("websocket closed before the kernel_info_reply")
                frames += 1
                if isinstance(message, str) and '"kernel_info_reply"' in message:
                    break
            self.record["kernel_info_s"] = time.monotonic() - started
            loaded()
            # Hold the session until everyone of the step has loaded, then `hold` seconds more, reading
            # all the while: tornado's client answers the server's pings only while messages are read.
            until = None
            while True:
                now = time.monotonic()
                if until is None and (all_loaded.is_set() or now >= deadline):
                    until = min(now + hold, deadline)
                if until is not None and now >= until:
                    break
                try:
                    message = await asyncio.wait_for(connection.read_message(), timeout=0.5)
                except TimeoutError:
                    continue
                if message is None:
                    raise ConnectionError("websocket closed while held")
                frames += 1
            self.record["frames"] = frames
        finally:
            connection.close()

    def close_tab(self, kernel: str) -> int:
        return close_tab(self.url, kernel, self.opener)

    def run(self, go: threading.Event, loaded, all_loaded: threading.Event, hold: float, step_deadline: float):
        record = self.record
        go.wait(30)
        started = time.monotonic()
        counted = False
        try:
            status, page = self.fetch_page(min(started + PAGE_TIMEOUT, step_deadline))
            record["status"], record["page_s"] = status, time.monotonic() - started
            if status == 503:
                record["outcome"] = "busy"
                return
            kernel = KERNEL_ID.search(page)
            if status != 200 or kernel is None:
                record["outcome"], record["error"] = "error", f"status {status}" + ("" if kernel else ", no kernel id")
                return
            record["backend"] = next((c.value for c in self.jar if c.name == BACKEND_COOKIE), None)
            if WIDGET_VIEW not in page:  # still a visitor with a kernel: hold and close it like the others
                record["incomplete"] = True

            def loaded_once():
                nonlocal counted
                counted = True
                loaded()

            try:
                asyncio.run(self.session(kernel.group(1), loaded_once, all_loaded, hold, step_deadline))
            finally:
                record["close_status"] = self.close_tab(kernel.group(1))
            if record.get("incomplete"):
                record["outcome"], record["error"] = "error", "page without the dashboard's output (IOPub timeout)"
            else:
                record["outcome"] = "ok"
        except Exception as error:  # noqa: BLE001 - every failure is a result here
            record["outcome"], record["error"] = "error", f"{type(error).__name__}: {error}"[:200]
            record.setdefault("page_s", time.monotonic() - started)
        finally:
            if not counted:
                loaded()


def browser_visit(browser, target: Target, all_loaded: threading.Event, hold: float, deadline: float) -> dict:
    """One real Chromium tab under the load: its ready time, then held like the others, then closed."""
    from scoda_map._testing.browser import READY_SELECTOR, new_page

    result: dict = {}
    outside: list = []
    page = new_page(browser, outside=outside)
    page.set_default_timeout(max(1000, (deadline - time.monotonic()) * 1000))
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text[:200]}") if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(f"pageerror: {str(e)[:200]}"))
    result["console"] = console
    started = time.monotonic()
    try:
        page.goto(target.url, wait_until="domcontentloaded")
        result["html_s"] = time.monotonic() - started
        page.wait_for_selector(READY_SELECTOR, state="attached")
        result["ready_s"] = time.monotonic() - started
        result["outcome"] = "ok"
    except Exception as error:  # noqa: BLE001
        result["outcome"], result["error"] = "error", f"{type(error).__name__}: {str(error)[:160]}"
    try:
        cookies = {c["name"]: c["value"] for c in page.context.cookies()}
        result["backend"] = cookies.get(BACKEND_COOKIE)
        while not all_loaded.is_set() and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        page.wait_for_timeout(hold * 1000)
        kernel = KERNEL_ID.search(page.content())
        page.close(run_before_unload=True)  # fires Voila's shutdown beacon
        if kernel:  # give the beacon time to leave before the context (and its network) goes
            gone_by = time.monotonic() + 10
            while kernel.group(1) in target.kernel_ids() and time.monotonic() < gone_by:
                time.sleep(0.2)
            result["kernel_closed"] = kernel.group(1) not in target.kernel_ids()
        page.context.close()
    except Exception as error:  # noqa: BLE001
        result.setdefault("error", f"closing: {type(error).__name__}: {str(error)[:120]}")
    result["outside_requests"] = len(outside)
    return result


def wait_for_no_kernels(target: Target, timeout: float = DRAIN_TIMEOUT) -> tuple[float, int]:
    started = time.monotonic()
    while target.kernels() and time.monotonic() - started < timeout:
        time.sleep(0.3)
    return time.monotonic() - started, len(target.kernels())


def cpu_busy_seconds() -> float:
    times = psutil.cpu_times()  # guest time is already inside user time on Linux
    return sum(getattr(times, name, 0.0) for name in ("user", "nice", "system", "irq", "softirq", "steal"))


def run_step(target: Target, visitors: int, hold: float, browser) -> dict:
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

    deadline = time.monotonic() + STEP_TIMEOUT
    crowd = [Visitor(target.url) for _ in range(visitors)]
    threads = [threading.Thread(target=v.run, args=(go, loaded, all_loaded, hold, deadline), daemon=True)
               for v in crowd]
    sampler = Sampler(target, all_loaded)
    load_before, busy_before, own_before = os.getloadavg()[0], cpu_busy_seconds(), psutil.Process().cpu_times()
    sampler.start()
    for thread in threads:
        thread.start()
    started = time.monotonic()
    go.set()
    real = browser_visit(browser, target, all_loaded, hold, deadline) if browser is not None else None
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
        "visitors": visitors, "ok": len(ok), "busy": len(busy), "errors": len(errors),
        "error_samples": sorted({r.get("error", "?") for r in errors})[:5], "unfinished_threads": unfinished,
        "page_median_s": statistics.median(pages) if pages else None, "page_p95_s": percentile(pages, 0.95),
        "page_max_s": max(pages) if pages else None,
        "busy_p95_s": percentile([r["page_s"] for r in busy], 0.95),
        "kernel_info_median_s": statistics.median([r["kernel_info_s"] for r in ok]) if ok else None,
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


# --------------------------------------------------------------------------- report

def machine() -> dict:
    import ipykernel
    import jupyter_server
    import tornado
    import voila

    nginx = subprocess.run(["/usr/sbin/nginx", "-v"], capture_output=True, text=True).stderr.strip() \
        if Path("/usr/sbin/nginx").exists() else "absent"
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"), "nproc": os.cpu_count(),
        "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "available_gib_at_start": round(psutil.virtual_memory().available / 2**30, 1),
        "load_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(), "voila": voila.__version__, "tornado": tornado.version,
        "jupyter_server": jupyter_server.__version__, "ipykernel": ipykernel.__version__, "nginx": nginx,
        "platform": platform.platform(),
    }


def fmt(value, spec: str = ".1f", unit: str = "") -> str:
    return "-" if value is None else f"{value:{spec}}{unit}"


def table(results: list[dict]) -> str:
    head = (f"{'target':<10}{'vis':>4}{'ok':>4}{'busy':>5}{'err':>4}{'page med':>9}{'p95':>8}{'busy p95':>9}"
            f"{'chromium':>9}{'mem held':>10}{'MiB/vis':>8}{'PSS/vis':>8}{'srv CPU':>8}{'other':>7}{'load1':>6}")
    lines = [head, "-" * len(head)]
    for target in results:
        for step in target["steps"]:
            real = step.get("browser") or {}
            chromium = fmt(real.get("ready_s"), ".1f", "s") if real.get("outcome") == "ok" else \
                ("fail" if real else "-")
            lines.append(
                f"{target['name']:<10}{str(step['visitors']) + ('*' if step.get('alone') else ''):>4}{step['ok']:>4}{step['busy']:>5}{step['errors']:>4}"
                f"{fmt(step['page_median_s'], '.1f', 's'):>9}{fmt(step['page_p95_s'], '.1f', 's'):>8}"
                f"{fmt(step['busy_p95_s'], '.2f', 's'):>9}{chromium:>9}"
                f"{fmt(step['held_rss_mib'] / 1024, '.2f', 'G'):>10}{fmt(step['per_visitor_rss_mib'], '.0f'):>8}"
                f"{fmt(step['per_visitor_pss_mib'], '.0f'):>8}{fmt(step['server_cpu_s'], '.0f', 's'):>8}"
                f"{fmt(step['other_cpu_s'], '.0f', 's'):>7}{fmt(step['load1_before'], '.1f'):>6}")
        if target.get("leftovers"):
            lines.append(f"  {target['name']}: processes left after stop (killed): {target['leftovers']}")
    return "\n".join(lines)


def verdicts(results: list[dict]) -> list[str]:
    out = []
    for target in results:
        steps = {s["visitors"]: s for s in target["steps"] if not s.get("alone")}
        if target["name"] == "cap":
            for s in target["steps"]:
                out.append(f"cap: {s['visitors']} visitors, cap {target['cap']}: {s['ok']} served, {s['busy']} busy "
                           f"(busy page p95 {fmt(s['busy_p95_s'], '.2f', ' s')}), {s['errors']} errors, "
                           f"at most {s['peak_kernels']} kernels")
            continue
        one = next((s for s in target["steps"] if s.get("alone")), steps.get(1))
        base = one["page_median_s"] if one else None
        for n in (16, 32):
            s = steps.get(n)
            if not s:
                continue
            ratio = (s["page_p95_s"] / base) if base and s["page_p95_s"] else None
            out.append(f"{target['name']}: {n} visitors: {s['errors']} errors, {s['busy']} busy, p95 "
                       f"{fmt(s['page_p95_s'], '.1f', ' s')} = {fmt(ratio, '.1f', 'x')} the single visitor's "
                       f"{fmt(base, '.1f', ' s')} (target < 3x{', met' if ratio and ratio < 3 else ', MISSED'}), "
                       f"{fmt(s['per_visitor_rss_mib'], '.0f')} MiB RSS / {fmt(s['per_visitor_pss_mib'], '.0f')} "
                       f"MiB PSS per visitor (target < 250 MB"
                       f"{', met' if s['per_visitor_rss_mib'] and s['per_visitor_rss_mib'] * 1.048576 < 250 else ', MISSED'})")
        for s in target["steps"]:
            real = s.get("browser") or {}
            if real and real.get("outcome") != "ok":
                out.append(f"{target['name']}: {s['visitors']} visitors: the real Chromium visitor did not draw the map: "
                           f"{real.get('error', '?')[:120]} (console errors: {real.get('console', [])[:3]})")
            elif real and real.get("kernel_closed") is False:
                out.append(f"{target['name']}: {s['visitors']} visitors: the real Chromium tab's kernel outlived its tab")
    return out


# --------------------------------------------------------------------------- main

def targets_from(names: list[str], cap: int, log_dir: Path) -> list[tuple[Target, list[int] | None, int]]:
    made = []
    for name in names:
        if name == "single":
            made.append((Target(name, "serve", ["--max-kernels", str(cap)], log_dir / f"{name}.log"), None, cap))
        elif name.startswith("cluster"):
            workers = int(name[len("cluster"):] or 2)
            per = math.ceil(cap / workers)
            made.append((Target(name, "cluster", ["--workers", str(workers), "--max-kernels-per-worker", str(per)],
                                log_dir / f"{name}.log"), None, per * workers))
        elif name == "cap":
            made.append((Target(name, "serve", [], log_dir / f"{name}.log"), [32], 24))
        else:
            raise SystemExit(f"unknown target {name!r}: single, cluster2, cluster4, ..., cap")
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--targets", default="single,cluster2,cluster4,cap")
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
        for target, own_steps, cap in targets_from(names, args.max_kernels, log_dir):
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
                if own_steps is None and browser is not None:
                    plan.insert(0, (1, None, True))  # the single-visitor figure: one visitor, no browser beside it
                for visitors, real_browser, alone in plan:
                    step = run_step(target, visitors, args.hold, real_browser)
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
