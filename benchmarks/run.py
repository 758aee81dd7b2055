"""Benchmark the explorer dashboard against a bare Voila page, in one run.

    python benchmarks/run.py [--loads N] [--data PATH] [--route ID] [--quick]
    python benchmarks/run.py --report benchmarks/results/<stamp>.json   # reprint a run

What it measures (docs/performance.md explains the method and the targets):

* page ready: navigation -> map and every panel drawn, for the explorer and for a
  baseline page (benchmarks/baseline.ipynb: an ipyleaflet map with the same basemap),
  both served with the explorer's Voila settings and template. The first load after a
  server start is reported apart ("cold server"); then the median of N loads, each a
  fresh page and so a fresh kernel; then the same with a preheated kernel pool.
* bytes before ready: kernel websocket frames received, HTTP requests and bytes, and
  requests that tried to leave the machine (blocked; must be 0).
* interactions on one page: route click -> details panel shows that route; measure
  selected -> its highlight drawn. Timed in the page, from the event to the DOM change
  and to the next frame; each starts once the websocket has been quiet for 0.5 s, and
  what it brought over the websocket is counted per widget.
* memory: RSS (and USS) of each kernel and RSS of the server once the page is ready.
* noise: CPU used by other processes on the machine during each load.

It prints a table and writes benchmarks/results/<timestamp>.json (plus the server logs
in benchmarks/results/<timestamp>-logs/). Every wait is bounded; the whole run is
bounded by --timeout. Exit status: 0 when the run completed, 1 when it did not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import re
import signal
import statistics
import struct
import subprocess
import sys
import time
from contextlib import ExitStack
from importlib import metadata
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without an install, too

from scoda_map._data.catalog import read_catalog  # noqa: E402
from scoda_map._data.errors import DataValidationError  # noqa: E402
from scoda_map._data.loader import default_data_path, load  # noqa: E402
from scoda_map._i18n import data_text  # noqa: E402
from scoda_map._model.state import ExplorerState  # noqa: E402
from scoda_map._server import voila_command, voila_environment  # noqa: E402
from scoda_map._testing.browser import chromium, new_page  # noqa: E402
from scoda_map._testing.chromium import find_chromium  # noqa: E402
from scoda_map._testing.server import free_port, wait_until_up  # noqa: E402
from scoda_map._views.features import highlight_geojson  # noqa: E402

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "baseline.ipynb"
EXPLORER = "explorer.ipynb"
RESULTS = HERE / "results"

READY_TIMEOUT_MS = 120_000
INTERACTION_TIMEOUT_MS = 20_000
KERNEL_GONE_TIMEOUT = 20.0
POOL_TIMEOUT = 240.0
QUIET_TIMEOUT = 60.0
QUIET_CPU_PERCENT = 15.0  # the whole server tree, in % of one core
MACHINE_QUIET_PERCENT = 25.0  # % of all cores
MACHINE_QUIET_WAIT = 20.0  # s; then go on and record the noise
NOISE_CPU_S = 1.0  # other processes' CPU during a load above which the report warns
SETTLE_QUIET = 0.5  # s without a websocket frame: an interaction's aftermath is over
SETTLE_TIMEOUT = 10.0

TARGETS = {
    "ready_ratio_fresh": 1.5,       # explorer / baseline, fresh kernel per load
    "ready_ratio_preheated": 1.2,   # explorer / baseline, preheated pool
    "ws_bytes": 2_000_000,          # kernel websocket bytes before ready
    "interaction_median_ms": 150.0,
    "interaction_p95_ms": 300.0,
    "kernel_rss_mb": 250.0,
    "outside_requests": 0,
}

# In-page "ready" conditions: what the visitor needs drawn. Each part's first time is
# recorded too, to see which part comes last.
READY = {
    "explorer": {
        "route_drawn": "!!document.querySelector('.scoda-route')",
        "chart_drawn": "!!document.querySelector('.scoda-charts .js-plotly-plot')",
        "details_filled": "((document.querySelector('.scoda-details') || {}).textContent || '').trim().length > 0",
        "basemap_drawn": "!!document.querySelector('.leaflet-interactive')",
    },
    "baseline": {
        "basemap_drawn": "!!document.querySelector('.leaflet-interactive')",
    },
}
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


# One timed interaction: a capture listener stamps the event, a MutationObserver stamps
# the first DOM state that satisfies the condition, then the next animation frame.
ARM_SCRIPT = """
([events, root, condition]) => {
  const b = window.__bench = {t0: null, t1: null, t2: null};
  for (const el of document.querySelectorAll('.scoda-highlight')) el.__benchOld = true;
  const details = document.querySelector('.scoda-details');
  b.before = details ? details.innerHTML : '';
  const ok = new Function('b', 'return (' + condition + ');');
  const stamp = () => { if (b.t0 === null) b.t0 = performance.now(); };
  for (const name of events) window.addEventListener(name, stamp, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    if (b.t0 === null || b.t1 !== null || !ok(b)) return;
    b.t1 = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => { b.t2 = performance.now(); });
  });
  observer.observe(document.querySelector(root) || document, {childList: true, subtree: true, characterData: true});
}
"""

ROUTE_DONE = """(() => {
  const d = document.querySelector('.scoda-details');
  const title = d && d.querySelector('.scoda-title');
  return !!title && d.innerHTML !== b.before && title.textContent.trim() === %s;
})()"""

HIGHLIGHT_DONE = """(() => {
  const now = [...document.querySelectorAll('.scoda-highlight')];
  if (now.some((el) => el.__benchOld)) return false;
  const got = new Set();
  for (const el of now) for (const c of el.classList) if (c.startsWith('scoda-h-')) got.add(c.slice(8));
  const want = %s;
  return got.size === want.length && want.every((id) => got.has(id));
})()"""


class Deadline(Exception):
    pass


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- statistics --------------------------------------------------------------------

def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def p95(values):
    """Nearest-rank 95th percentile (of 20 values: the 19th smallest)."""
    values = sorted(v for v in values if v is not None)
    return values[max(0, math.ceil(0.95 * len(values)) - 1)] if values else None


# -- the kernel websocket (jupyter v1 binary protocol, or JSON text frames) -----------

def parse_frame(payload):
    """(channel, header, content, buffers) of one websocket frame; None if unreadable."""
    try:
        if isinstance(payload, str):
            message = json.loads(payload)
            return message.get("channel"), message.get("header", {}), message.get("content", {}), []
        count = struct.unpack_from("<Q", payload, 0)[0]
        offsets = list(struct.unpack_from(f"<{count}Q", payload, 8)) + [len(payload)]
        parts = [payload[offsets[i]:offsets[i + 1]] for i in range(count)]
        return parts[0].decode(), json.loads(parts[1]), json.loads(parts[4]), parts[5:]
    except Exception:  # noqa: BLE001 - a diagnostic; never fail a run on it
        return None


def model_label(model_name: str, state: dict, parent: str | None = None) -> str:
    """``HTMLModel .scoda-details``; a widget without a scoda class: ``in .scoda-share``."""
    bits = [model_name]
    if state.get("name"):
        bits.append(f"name={state['name']}")
    classes = [c for c in state.get("_dom_classes", []) if c.startswith("scoda")]
    if classes:
        bits.append("." + ".".join(classes))
    elif parent:
        bits.append(f"in .{parent}")
    return " ".join(bits)


def label_states(states: dict[str, dict]) -> dict[str, str]:
    """Labels for an ``update_states`` reply: model id -> label (parent box's class if none)."""
    parents = {}
    for state in states.values():
        classes = [c for c in state.get("state", {}).get("_dom_classes", []) if c.startswith("scoda")]
        for child in state.get("state", {}).get("children", []) or []:
            if classes and isinstance(child, str):
                parents[child.replace("IPY_MODEL_", "")] = ".".join(classes)
    return {model_id: model_label(s.get("model_name", "?"), s.get("state", {}), parents.get(model_id))
            for model_id, s in states.items()}


def analyse_frames(frames: list) -> dict:
    """What the websocket carried: by message kind, by widget model type, top models."""
    by_kind: dict[str, list[int]] = {}
    by_model_type: dict[str, list[int]] = {}
    models: list[tuple[int, str]] = []
    for payload in frames:
        size = len(payload)
        parsed = parse_frame(payload)
        if parsed is None:
            by_kind.setdefault("unparsed", [0, 0])
            by_kind["unparsed"][0] += 1
            by_kind["unparsed"][1] += size
            continue
        channel, header, content, buffers = parsed
        data = content.get("data") if isinstance(content, dict) else None
        method = data.get("method") if isinstance(data, dict) else None
        kind = f"{channel}:{header.get('msg_type')}" + (f":{method}" if method else "")
        entry = by_kind.setdefault(kind, [0, 0])
        entry[0] += 1
        entry[1] += size
        states = []
        if method == "update_states":  # ipywidgets 8: every model's state in one reply
            labels = label_states(data.get("states", {}))
            states = [(s.get("model_name", "?"), s.get("state", {}), labels[i]) for i, s in data.get("states", {}).items()]
        elif header.get("msg_type") == "comm_open" and isinstance(data, dict) and "state" in data:
            name = data["state"].get("_model_name", "?")
            states = [(name, data["state"], model_label(name, data["state"]))]
        for model_name, state, label in states:
            nbytes = len(json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode())
            entry = by_model_type.setdefault(model_name, [0, 0])
            entry[0] += 1
            entry[1] += nbytes
            models.append((nbytes, label))
        if method == "update_states" and buffers:
            entry = by_model_type.setdefault("(binary buffers)", [0, 0])
            entry[0] += len(buffers)
            entry[1] += sum(len(b) for b in buffers)
    models.sort(reverse=True)
    return {
        "by_kind": {k: {"frames": v[0], "bytes": v[1]} for k, v in sorted(by_kind.items(), key=lambda kv: -kv[1][1])},
        "by_model_type": {k: {"models": v[0], "state_bytes": v[1]}
                          for k, v in sorted(by_model_type.items(), key=lambda kv: -kv[1][1])},
        "largest_models": [{"state_bytes": n, "model": label} for n, label in models[:10]],
        "model_count": len(models),
    }


def model_labels(frames: list) -> dict[str, str]:
    """Widget model id -> a readable label, from the state reply the page received."""
    labels = {}
    for payload in frames:
        parsed = parse_frame(payload)
        if parsed is None:
            continue
        data = parsed[2].get("data") if isinstance(parsed[2], dict) else None
        if isinstance(data, dict) and data.get("method") == "update_states":
            labels.update(label_states(data.get("states", {})))
    return labels


def updates_by_model(frames: list, labels: dict[str, str]) -> dict[str, dict]:
    """Bytes of comm messages per widget model (what one interaction sent to the page)."""
    out: dict[str, list[int]] = {}
    for payload in frames:
        parsed = parse_frame(payload)
        if parsed is None:
            continue
        channel, header, content, _ = parsed
        if header.get("msg_type") == "comm_msg":
            comm_id = content.get("comm_id", "?")
            data = content.get("data") or {}
            keys = ",".join(sorted((data.get("state") or {}).keys())) or data.get("method", "")
            label = f"{labels.get(comm_id, comm_id[:8])} [{keys}]"
        else:
            label = f"{channel}:{header.get('msg_type')}"
        entry = out.setdefault(label, [0, 0])
        entry[0] += 1
        entry[1] += len(payload)
    return {k: {"frames": v[0], "bytes": v[1]} for k, v in sorted(out.items(), key=lambda kv: -kv[1][1])}


def http_group(url: str) -> str:
    path = re.sub(r"^https?://[^/]+", "", url).split("?")[0]
    match = re.match(r"/voila/labextensions/((?:@[^/]+/)?[^/]+)/", path)
    if match:
        return f"labextension {match.group(1)}"
    if path.startswith("/voila/static/"):
        return "voila static"
    if path in ("/", "") or path.endswith(".ipynb"):
        return "page HTML"
    return path.rsplit("/", 1)[0] + "/" if "/" in path.strip("/") else path


# -- servers -----------------------------------------------------------------------

class Server:
    """One Voila process on a free port: the explorer's command, with this run's notebook."""

    live: list["Server"] = []

    def __init__(self, name: str, notebook: str, data: Path, basemap: Path, logs: Path, preheat: bool,
                 attempt: int = 1):
        self.name = name
        self.spec = (name, notebook, data, basemap, logs, preheat)
        self.attempt = attempt
        self.port = free_port()
        # voila_command joins the name onto dashboards/; an absolute path stays as it is.
        command = voila_command(notebook, self.port)
        if preheat:
            command += ["--preheat_kernel=True", "--pool_size=1"]
        env = voila_environment(data)
        env["SCODA_BENCH_BASEMAP"] = str(basemap)
        self.log_path = logs / (f"{name}.log" if attempt == 1 else f"{name}-{attempt}.log")
        self.log_file = open(self.log_path, "w")
        self.command = command
        started = time.monotonic()
        self.process = subprocess.Popen(command, env=env, stdout=self.log_file, stderr=subprocess.STDOUT,
                                        start_new_session=True, cwd=str(ROOT))
        self.ps = psutil.Process(self.process.pid)
        self.url = f"http://127.0.0.1:{self.port}/"
        try:
            wait_until_up(self.url, self.process, timeout=90)
        except Exception:
            self.stop()
            raise
        self.start_s = time.monotonic() - started
        self.seen: set[int] = set()
        Server.live.append(self)

    def tree(self) -> list[psutil.Process]:
        try:
            children = self.ps.children(recursive=True)
        except psutil.Error:
            children = []
        self.seen.update(p.pid for p in children)
        return [self.ps] + children

    def kernels(self) -> dict[str, psutil.Process]:
        """Kernel id -> process, from the kernel's connection-file argument."""
        found = {}
        for proc in self.tree()[1:]:
            try:
                cmdline = " ".join(proc.cmdline())
            except psutil.Error:
                continue
            if "ipykernel" in cmdline:
                match = re.search(r"kernel-([0-9a-f-]+)\.json", cmdline)
                found[match.group(1) if match else str(proc.pid)] = proc
        return found

    def log_count(self, text: str) -> int:
        self.log_file.flush()
        try:
            return self.log_path.read_text(errors="replace").count(text)
        except OSError:
            return 0

    def rss_mb(self) -> float | None:
        try:
            return self.ps.memory_info().rss / 2**20
        except psutil.Error:
            return None

    def stop(self) -> None:
        if self.log_file.closed:
            return
        if self in Server.live:
            Server.live.remove(self)
        self.tree()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for pid in self.seen:  # kernels this server started and left behind, if any
            try:
                proc = psutil.Process(pid)
                proc.terminate()
                proc.wait(timeout=5)
            except psutil.TimeoutExpired:
                proc.kill()
            except psutil.Error:
                pass
        self.log_file.close()


def alive(server: Server, deaths: list) -> Server:
    """``server``, or a new one in its place if it has exited (killed from outside:
    this machine is shared). Each death is recorded in ``deaths``."""
    code = server.process.poll()
    if code is None:
        return server
    log(f"{server.name}: server exited with {code}; starting it again")
    deaths.append({"server": server.name, "returncode": code, "log": server.log_path.name})
    server.stop()
    if len(deaths) > 3:
        raise RuntimeError(f"servers keep exiting: {deaths}")
    replacement = Server(*server.spec, attempt=server.attempt + 1)
    if replacement.spec[5]:
        wait_pool(replacement, 1)
    return replacement


def own_processes() -> list[psutil.Process]:
    """This script, its playwright driver and Chromium, and every live server tree."""
    me = psutil.Process()
    try:
        procs = [me] + me.children(recursive=True)
    except psutil.Error:
        procs = [me]
    known = {proc.pid for proc in procs}
    for server in Server.live:
        procs += [proc for proc in server.tree() if proc.pid not in known]
    return procs


class CpuMeter:
    """CPU seconds over an interval: ours, and everybody else's on the machine (noise)."""

    def __init__(self):
        self.system0 = self._busy()
        self.own0 = self._own()
        self.started = time.monotonic()

    @staticmethod
    def _busy() -> float:
        t = psutil.cpu_times()
        return sum(t) - t.idle - getattr(t, "iowait", 0.0)

    @staticmethod
    def _own() -> dict[int, float]:
        out = {}
        for proc in own_processes():
            try:
                times = proc.cpu_times()
                out[proc.pid] = times.user + times.system
            except psutil.Error:
                pass
        return out

    def read(self) -> dict:
        own1 = self._own()
        own = sum(v - self.own0.get(pid, 0.0) for pid, v in own1.items())
        busy = self._busy() - self.system0
        wall = time.monotonic() - self.started
        return {"wall_s": wall, "busy_cpu_s": busy, "own_cpu_s": own, "other_cpu_s": max(0.0, busy - own),
                "cores": os.cpu_count()}


def wait_quiet(servers: list[Server], timeout: float = QUIET_TIMEOUT) -> float:
    """Until the server trees use < QUIET_CPU_PERCENT of one core for 1 s and, for at most
    MACHINE_QUIET_WAIT s, the whole machine is mostly idle too (it is shared: other
    processes' CPU during each load is recorded as noise). The seconds waited."""
    started = time.monotonic()
    calm = 0
    psutil.cpu_percent(None)
    while time.monotonic() - started < timeout:
        procs = [p for s in servers for p in s.tree()]
        for p in procs:
            try:
                p.cpu_percent(None)
            except psutil.Error:
                pass
        time.sleep(0.5)
        total = 0.0
        for p in procs:
            try:
                total += p.cpu_percent(None)
            except psutil.Error:
                pass
        machine = psutil.cpu_percent(None)  # % of all cores
        machine_ok = machine < MACHINE_QUIET_PERCENT or time.monotonic() - started > MACHINE_QUIET_WAIT
        calm = calm + 1 if total < QUIET_CPU_PERCENT and machine_ok else 0
        if calm >= 2:
            break
    return time.monotonic() - started


def wait_pool(server: Server, fills: int, timeout: float = POOL_TIMEOUT) -> float:
    """Until Voila has logged its pool filled ``fills`` times; the seconds waited."""
    started = time.monotonic()
    while server.log_count("is filled with") < fills:
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{server.name}: kernel pool not refilled within {timeout:.0f} s")
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name}: server exited")
        time.sleep(0.25)
    return time.monotonic() - started


# -- one page load -----------------------------------------------------------------

def memory(server: Server, kernel_id: str | None) -> dict:
    kernels = {}
    for kid, proc in server.kernels().items():
        try:
            info = proc.memory_full_info()
            times = proc.cpu_times()
            kernels[kid] = {"rss_mb": info.rss / 2**20, "uss_mb": info.uss / 2**20,
                            "cpu_s": times.user + times.system, "this_page": kid == kernel_id}
        except psutil.Error:
            continue
    return {"server_rss_mb": server.rss_mb(), "kernels": kernels}


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


# -- interactions ------------------------------------------------------------------

class Wire:
    """The open page's websocket frames, to count what one interaction costs."""

    def __init__(self, frames: list, times: list):
        self.frames, self.times = frames, times
        self.labels = model_labels(frames)

    def settle(self, quiet: float = SETTLE_QUIET, timeout: float = SETTLE_TIMEOUT, page=None) -> float:
        """Until no frame has come for ``quiet`` seconds; the seconds waited."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            last = self.times[-1] if self.times else 0.0
            if time.monotonic() - max(last, started) >= quiet:
                break
            page.wait_for_timeout(50)  # lets playwright deliver events meanwhile
        return time.monotonic() - started


def timed(page, wire: Wire, events: list[str], root: str, condition: str, action) -> dict:
    """One interaction: event -> condition in the DOM; then what came over the wire until
    the page is quiet again, so the next interaction starts on an idle kernel and page."""
    page.evaluate(ARM_SCRIPT, [events, root, condition])
    n0 = len(wire.frames)
    action()
    page.wait_for_function("window.__bench.t2 !== null", timeout=INTERACTION_TIMEOUT_MS)
    n1 = len(wire.frames)
    b = page.evaluate("window.__bench")
    settled = wire.settle(page=page)
    n2 = len(wire.frames)
    return {"dom_ms": b["t1"] - b["t0"], "frame_ms": b["t2"] - b["t0"],
            "ws_frames_to_done": n1 - n0, "ws_bytes_to_done": sum(len(f) for f in wire.frames[n0:n1]),
            "ws_frames_total": n2 - n0, "ws_bytes_total": sum(len(f) for f in wire.frames[n0:n2]),
            "settle_s": settled, "_frames": wire.frames[n0:n2]}


def route_clicks(page, wire, atlas, routes: list[str], count: int) -> list[dict]:
    out = []
    for i in range(count):
        route = routes[i % 2]
        name = data_text(atlas.routes.loc[route], "name", "en")[0]
        condition = ROUTE_DONE % json.dumps(name)
        locator = page.locator(f".scoda-f-{route}").first
        result = timed(page, wire, ["click"], ".scoda-details", condition, lambda: locator.dispatch_event("click"))
        out.append(dict(result, route=route))
    return out


def measure_choices(atlas) -> list[tuple[int, str, list[str]]]:
    """Two measures to alternate: (option index, measure id, highlighted feature ids).

    Only measures that highlight something drawn, and two with different highlights:
    the map redraws the highlight only when its data changes."""
    state = ExplorerState(atlas)
    choices = []
    for index, measure_id in enumerate(state.visible_measures().index):
        state.select_measure(measure_id)
        ids = sorted({f["properties"]["id"] for f in highlight_geojson(atlas, state.highlight_ids())["features"]})
        if ids and all(ids != other[2] for other in choices):
            choices.append((index, measure_id, ids))
        if len(choices) == 2:
            break
    return choices


def measure_selects(page, wire, atlas, choices, routes: list[str], count: int) -> list[dict]:
    select = page.locator(".scoda-measure-list select")
    out = []
    for i in range(count):
        index, measure_id, ids = choices[i % len(choices)]
        if len(choices) == 1:
            # One usable measure only (small data): reselecting it changes nothing, so a
            # click on a route it does not highlight (not timed) resets the selection.
            reset = next(r for r in routes if [r] != ids)
            name = data_text(atlas.routes.loc[reset], "name", "en")[0]
            page.locator(f".scoda-f-{reset}").first.dispatch_event("click")
            page.wait_for_function(
                "([name, id]) => document.querySelector('.scoda-measure-list select').selectedIndex === -1"
                " && (document.querySelector('.scoda-details .scoda-title') || {}).textContent === name"
                " && !!document.querySelector('.scoda-h-' + id)",
                arg=[name, reset], timeout=INTERACTION_TIMEOUT_MS)
            wire.settle(page=page)
        condition = HIGHLIGHT_DONE % json.dumps(ids)
        result = timed(page, wire, ["input", "change"], ".scoda-map", condition,
                       lambda: select.select_option(index=index))
        out.append(dict(result, measure=measure_id, highlighted=len(ids)))
    return out


# -- machine and versions ------------------------------------------------------------

def machine() -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {"python": platform.python_version()}
    for name in ("voila", "ipyleaflet", "ipywidgets", "plotly", "anywidget", "jupyter_server", "ipykernel", "playwright"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    try:
        metadata.version("rfc3987-syntax")
        versions["rfc3987-syntax"] = "INSTALLED (costs ~3 s per kernel start)"
    except metadata.PackageNotFoundError:
        versions["rfc3987-syntax"] = "absent"
    path = find_chromium()
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=20).stdout
        versions["chromium"] = re.search(r"[\d.]+\.\d+", out).group(0)
    except Exception:  # noqa: BLE001
        versions["chromium"] = None
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "load_average_at_start": os.getloadavg(),
        "versions": versions,
    }


def git_state() -> dict:
    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=20).stdout.strip()
        except Exception:  # noqa: BLE001
            return None
    status = git("status", "--porcelain") or ""
    return {"commit": git("rev-parse", "HEAD"), "changed_files": status.splitlines()[:50]}


def basemap_path(folder: Path) -> Path:
    catalog, _ = read_catalog(folder)
    for resource in catalog.resources:
        if resource.scoda.role == "basemap" and resource.scoda.worldview == "cn":
            return folder / resource.path
    raise SystemExit(f"{folder}: no basemap with worldview 'cn'")


# -- the run ---------------------------------------------------------------------

def summarize_loads(loads: list[dict]) -> dict:
    keys = ["ready_s", "frame_s", "wall_s", "ws_bytes", "http_bytes", "http_requests", "outside_requests",
            "kernel_rss_mb", "kernel_uss_mb", "kernel_cpu_s", "server_cpu_s"]
    out = {f"median_{k}": median([load.get(k) for load in loads]) for k in keys}
    out["n"] = len(loads)
    out["ready_s_all"] = [round(load["ready_s"], 3) for load in loads]
    out["max_outside_requests"] = max((load["outside_requests"] for load in loads), default=None)
    out["median_server_rss_mb"] = median([load["memory"]["server_rss_mb"] for load in loads])
    out["median_response_end_s"] = median([load["navigation"]["response_end_ms"] for load in loads])
    for key in ("ws_opened_s", "widget_states_received_s", "widget_states_bytes"):
        out[f"median_{key}"] = median([load["timeline_python_clock"].get(key) for load in loads])
    for key in ("own_cpu_s", "other_cpu_s"):
        out[f"median_{key}"] = median([load["cpu"][key] for load in loads])
    out["max_other_cpu_s"] = max((load["cpu"]["other_cpu_s"] for load in loads), default=None)
    quiet = [load for load in loads if load["cpu"]["other_cpu_s"] <= NOISE_CPU_S]
    out["quiet_n"] = len(quiet)
    out["quiet_median_ready_s"] = median([load["ready_s"] for load in quiet])
    parts = sorted({k for load in loads for k in load.get("parts_s", {})})
    out["median_parts_s"] = {k: median([load.get("parts_s", {}).get(k) for load in loads]) for k in parts}
    return out


def strip_pages(value):
    if isinstance(value, dict):
        return {k: strip_pages(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [strip_pages(v) for v in value]
    return value


def run(args, results: dict, logs: Path) -> None:
    data = Path(args.data).resolve() if args.data else default_data_path()
    results["data"] = str(data)
    atlas = load(data)
    results["data_version"] = atlas.version
    basemap = basemap_path(data)
    results["basemap"] = {"path": str(basemap), "bytes": basemap.stat().st_size}
    if args.route not in atlas.routes.index:
        raise SystemExit(f"--route {args.route!r} is not a route in {data}")
    choices = measure_choices(atlas)
    if not choices:
        raise SystemExit(f"{data}: no measure highlights anything on the map; nothing to time")

    with ExitStack() as stack:
        browser = stack.enter_context(chromium())

        # 1. Fresh kernel per load: explorer and baseline side by side, loads alternated.
        phase = results.setdefault("fresh", {})
        servers = {}
        for kind, notebook in (("explorer", EXPLORER), ("baseline", str(BASELINE))):
            servers[kind] = Server(f"{kind}-fresh", notebook, data, basemap, logs, preheat=False)
            stack.callback(servers[kind].stop)
            phase.setdefault(kind, {})["server_start_s"] = servers[kind].start_s
        wait_quiet(list(servers.values()))
        deaths = results.setdefault("server_deaths", [])
        for kind in ("explorer", "baseline"):
            log(f"fresh {kind}: cold-server load")
            phase[kind]["cold"] = open_page(browser, servers[kind], kind)
            log(f"  ready {phase[kind]['cold']['ready_s']:.2f} s")
            wait_quiet(list(servers.values()))
        for i in range(args.loads):
            for kind in ("explorer", "baseline"):
                log(f"fresh {kind}: load {i + 1}/{args.loads}")
                replaced = alive(servers[kind], deaths)
                if replaced is not servers[kind]:
                    servers[kind] = replaced
                    stack.callback(replaced.stop)
                load_ = open_page(browser, servers[kind], kind)
                phase[kind].setdefault("loads", []).append(load_)
                log(f"  ready {load_['ready_s']:.2f} s, ws {load_['ws_bytes'] / 1e6:.2f} MB")
                wait_quiet(list(servers.values()))
        for kind in ("explorer", "baseline"):
            phase[kind]["summary"] = summarize_loads(phase[kind]["loads"])

        # 2. Interactions on one explorer page.
        log(f"interactions: {args.interactions} route clicks, {args.interactions} measure selections")
        replaced = alive(servers["explorer"], deaths)
        if replaced is not servers["explorer"]:
            servers["explorer"] = replaced
            stack.callback(replaced.stop)
        loaded = open_page(browser, servers["explorer"], "explorer", keep_open=True)
        page = loaded.pop("_page")
        try:
            drawn = page.evaluate("""() => [...new Set([...document.querySelectorAll('.scoda-route')]
                .flatMap((el) => [...el.classList]).filter((c) => c.startsWith('scoda-f-')).map((c) => c.slice(8)))]""")
            if args.route not in drawn:
                raise SystemExit(f"route {args.route!r} is not drawn on the map (drawn: {sorted(drawn)[:10]})")
            other = args.route_b or next((r for r in sorted(drawn) if r != args.route and r in atlas.routes.index), None)
            if other is None:
                raise SystemExit("a second drawn route is needed to alternate clicks")
            wait_quiet([servers["explorer"]])
            wire = Wire(loaded.pop("_frames"), loaded.pop("_frame_times"))
            wire.settle(page=page)
            clicks = route_clicks(page, wire, atlas, [args.route, other], args.interactions)
            selects = measure_selects(page, wire, atlas, choices, [args.route, other], args.interactions)
            results["interactions"] = {
                "page_ready_s": loaded["ready_s"],
                "outside_requests": loaded["outside_requests"],
                "routes": [args.route, other],
                "measures": [c[1] for c in choices],
                "route_click": clicks,
                "measure_select": selects,
                "memory_after": memory(servers["explorer"], loaded["kernel_id"]),
            }
            for name, rows in (("route_click", clicks), ("measure_select", selects)):
                for key in ("dom_ms", "frame_ms"):
                    values = [r[key] for r in rows]
                    results["interactions"][f"{name}_{key}"] = {
                        "median": median(values), "p95": p95(values), "max": max(values), "first": values[0], "n": len(values)}
                for key in ("ws_bytes_to_done", "ws_bytes_total", "ws_frames_total", "settle_s"):
                    results["interactions"][f"{name}_{key}_median"] = median([r[key] for r in rows])
                every = [f for r in rows for f in r.pop("_frames")]
                results["interactions"][f"{name}_ws_by_model"] = dict(list(updates_by_model(every, wire.labels).items())[:12])
        finally:
            close_page(page, servers["explorer"], loaded["kernel_id"], loaded)
        for server in servers.values():
            server.stop()

        if args.no_preheat:
            return
        # 3. Preheated pool of one kernel: wait for the pool to refill before every load.
        phase = results.setdefault("preheated", {})
        servers = {}
        for kind, notebook in (("explorer", EXPLORER), ("baseline", str(BASELINE))):
            servers[kind] = Server(f"{kind}-preheated", notebook, data, basemap, logs, preheat=True)
            stack.callback(servers[kind].stop)
            phase.setdefault(kind, {})["server_start_s"] = servers[kind].start_s
        fills = {kind: 1 for kind in servers}
        for kind, server in servers.items():
            phase[kind]["first_fill_s"] = wait_pool(server, 1)
        for i in range(args.loads):
            for kind in ("explorer", "baseline"):
                replaced = alive(servers[kind], deaths)
                if replaced is not servers[kind]:
                    servers[kind], fills[kind] = replaced, 1
                    stack.callback(replaced.stop)
                wait_pool(servers[kind], fills[kind])
                wait_quiet(list(servers.values()))
                log(f"preheated {kind}: load {i + 1}/{args.loads}")
                load_ = open_page(browser, servers[kind], kind)
                fills[kind] += 1
                phase[kind].setdefault("loads", []).append(load_)
                log(f"  ready {load_['ready_s']:.2f} s")
        for kind in ("explorer", "baseline"):
            phase[kind]["summary"] = summarize_loads(phase[kind]["loads"])
        for server in servers.values():
            server.stop()


# -- report ------------------------------------------------------------------------

def fmt(value, unit="", digits=2):
    if value is None:
        return "-"
    if unit == "MB":
        return f"{value / 1e6:.{digits}f} MB"
    return f"{value:.{digits}f}{(' ' + unit) if unit else ''}"


def verdict(ok) -> str:
    return "-" if ok is None else ("met" if ok else "MISSED")


def evaluate(results: dict) -> list[dict]:
    """The targets, each with the measured figure and met / MISSED."""
    rows = []

    def add(name, measured, target, ok):
        rows.append({"target": name, "measured": measured, "goal": target, "met": ok})

    for phase, key, limit in (("fresh", "ready_ratio_fresh", TARGETS["ready_ratio_fresh"]),
                              ("preheated", "ready_ratio_preheated", TARGETS["ready_ratio_preheated"])):
        p = results.get(phase, {})
        e = p.get("explorer", {}).get("summary", {}).get("median_ready_s")
        b = p.get("baseline", {}).get("summary", {}).get("median_ready_s")
        ratio = e / b if e and b else None
        add(f"page ready, {phase}: explorer / baseline", "-" if ratio is None else f"{ratio:.2f}x ({e:.2f} s / {b:.2f} s)",
            f"<= {limit}x", None if ratio is None else ratio <= limit)
    s = results.get("fresh", {}).get("explorer", {}).get("summary", {})
    ws = s.get("median_ws_bytes")
    add("kernel websocket bytes before ready", fmt(ws, "MB"), "< 2 MB", None if ws is None else ws < TARGETS["ws_bytes"])
    inter = results.get("interactions", {})
    for name in ("route_click", "measure_select"):
        stat = inter.get(f"{name}_frame_ms")
        if stat:
            add(f"{name.replace('_', ' ')} median", f"{stat['median']:.0f} ms", "< 150 ms", stat["median"] < TARGETS["interaction_median_ms"])
            add(f"{name.replace('_', ' ')} p95", f"{stat['p95']:.0f} ms", "< 300 ms", stat["p95"] < TARGETS["interaction_p95_ms"])
    rss = [load.get("kernel_rss_mb") for phase in ("fresh", "preheated")
           for load in results.get(phase, {}).get("explorer", {}).get("loads", [])]
    rss = [r for r in rss if r is not None]
    if inter.get("memory_after"):
        rss += [k["rss_mb"] for k in inter["memory_after"]["kernels"].values() if k["this_page"]]
    worst = max(rss) if rss else None
    add("explorer kernel RSS (worst seen)", f"{worst:.0f} MiB" if worst else "-",
        "< 250 MB", None if worst is None else worst < TARGETS["kernel_rss_mb"])
    outside = [load.get("outside_requests", 0) for phase in ("fresh", "preheated") for kind in ("explorer", "baseline")
               for load in results.get(phase, {}).get(kind, {}).get("loads", [])
               + ([results[phase][kind]["cold"]] if "cold" in results.get(phase, {}).get(kind, {}) else [])]
    if "outside_requests" in inter:
        outside.append(inter["outside_requests"])
    add("requests that left the machine", str(sum(outside)) if outside else "-", "0", None if not outside else sum(outside) == 0)
    return rows


def report(results: dict) -> str:
    lines = []
    m = results.get("machine", {})
    v = m.get("versions", {})
    lines.append(f"SCODA Cooperation Map benchmark, {results.get('started')}  (data: {results.get('data')}, "
                 f"version {results.get('data_version')})")
    lines.append(f"machine: {m.get('nproc')} CPUs ({m.get('cpu')}), {m.get('ram_gib')} GiB RAM; "
                 f"load average at start {', '.join(f'{x:.2f}' for x in m.get('load_average_at_start', []))}")
    lines.append("versions: " + ", ".join(f"{k} {val}" for k, val in v.items()))
    g = results.get("git", {})
    lines.append(f"code: {str(g.get('commit'))[:12]}" + (f" + {len(g['changed_files'])} changed files" if g.get("changed_files") else ""))
    lines.append(f"loads per median: {results.get('args', {}).get('loads')}; interactions: "
                 f"{results.get('args', {}).get('interactions')} each; run took {results.get('duration_s', 0):.0f} s")
    lines.append("")
    header = f"{'page ready (navigation -> drawn)':<44}{'explorer':>12}{'baseline':>12}{'ratio':>8}"
    lines += [header, "-" * len(header)]

    def pair(label, e, b, unit="s", digits=2):
        ratio = f"{e / b:.2f}x" if (e is not None and b) else "-"
        if unit == "MB":
            lines.append(f"{label:<44}{fmt(e, 'MB'):>12}{fmt(b, 'MB'):>12}{ratio:>8}")
        else:
            lines.append(f"{label:<44}{fmt(e, unit, digits):>12}{fmt(b, unit, digits):>12}{ratio:>8}")

    for phase in ("fresh", "preheated"):
        p = results.get(phase)
        if not p:
            continue
        e, b = p.get("explorer", {}), p.get("baseline", {})
        es, bs = e.get("summary", {}), b.get("summary", {})
        if phase == "fresh":
            pair("server start (process -> answering)", e.get("server_start_s"), b.get("server_start_s"))
            pair("cold server: first load", e.get("cold", {}).get("ready_s"), b.get("cold", {}).get("ready_s"))
            pair(f"fresh kernel: median of {es.get('n')}", es.get("median_ready_s"), bs.get("median_ready_s"))
            pair(f"  quiet loads only ({es.get('quiet_n')} / {bs.get('quiet_n')})", es.get("quiet_median_ready_s"), bs.get("quiet_median_ready_s"))
            pair("  HTML complete (responseEnd), median", es.get("median_response_end_s"), bs.get("median_response_end_s"))
            pair("  kernel websocket opened, median", es.get("median_ws_opened_s"), bs.get("median_ws_opened_s"))
            pair("  widget states received, median", es.get("median_widget_states_received_s"), bs.get("median_widget_states_received_s"))
            for part in es.get("median_parts_s", {}):
                pair(f"  {part.replace('_', ' ')}, median", es["median_parts_s"].get(part), bs.get("median_parts_s", {}).get(part))
        else:
            pair(f"preheated pool: median of {es.get('n')}", es.get("median_ready_s"), bs.get("median_ready_s"))
            pair(f"  quiet loads only ({es.get('quiet_n')} / {bs.get('quiet_n')})", es.get("quiet_median_ready_s"), bs.get("quiet_median_ready_s"))
            pair("  HTML complete (responseEnd), median", es.get("median_response_end_s"), bs.get("median_response_end_s"))
            pair("  kernel websocket opened, median", es.get("median_ws_opened_s"), bs.get("median_ws_opened_s"))
            pair("  widget states received, median", es.get("median_widget_states_received_s"), bs.get("median_widget_states_received_s"))
            for part in es.get("median_parts_s", {}):
                pair(f"  {part.replace('_', ' ')}, median", es["median_parts_s"].get(part), bs.get("median_parts_s", {}).get(part))
    s = results.get("fresh", {})
    es, bs = s.get("explorer", {}).get("summary", {}), s.get("baseline", {}).get("summary", {})
    if es:
        lines.append("")
        lines.append(f"{'before ready (fresh kernel, medians)':<44}{'explorer':>12}{'baseline':>12}{'ratio':>8}")
        lines.append("-" * len(header))
        pair("kernel websocket received", es.get("median_ws_bytes"), bs.get("median_ws_bytes"), "MB")
        pair("HTTP received", es.get("median_http_bytes"), bs.get("median_http_bytes"), "MB")
        pair("HTTP requests", es.get("median_http_requests"), bs.get("median_http_requests"), "", 0)
        pair("requests that left the machine (max)", es.get("max_outside_requests"), bs.get("max_outside_requests"), "", 0)
        pair("kernel RSS, MiB", es.get("median_kernel_rss_mb"), bs.get("median_kernel_rss_mb"), "", 0)
        pair("kernel USS (its own pages), MiB", es.get("median_kernel_uss_mb"), bs.get("median_kernel_uss_mb"), "", 0)
        pair("kernel CPU time to ready, s", es.get("median_kernel_cpu_s"), bs.get("median_kernel_cpu_s"))
        pair("server RSS, MiB", es.get("median_server_rss_mb"), bs.get("median_server_rss_mb"), "", 0)
        pair("CPU s used by this run during a load", es.get("median_own_cpu_s"), bs.get("median_own_cpu_s"))
        pair("CPU s used by other processes (noise)", es.get("median_other_cpu_s"), bs.get("median_other_cpu_s"))
    inter = results.get("interactions")
    if inter:
        lines.append("")
        h2 = f"{'interactions (event -> DOM -> next frame)':<44}{'median':>10}{'p95':>10}{'max':>10}{'first':>10}"
        lines += [h2, "-" * len(h2)]
        for name, label in (("route_click", "route click -> details"), ("measure_select", "measure select -> highlight")):
            for key, what in (("dom_ms", "DOM updated"), ("frame_ms", "next frame")):
                st = inter.get(f"{name}_{key}")
                if st:
                    lines.append(f"{label + ', ' + what:<44}{st['median']:>8.0f}ms{st['p95']:>8.0f}ms"
                                 f"{st['max']:>8.0f}ms{st['first']:>8.0f}ms")
            done, total = inter.get(f"{name}_ws_bytes_to_done_median"), inter.get(f"{name}_ws_bytes_total_median")
            if total is not None:
                lines.append(f"  websocket per {label.split(' ->')[0]}: {done / 1e3:.1f} kB until drawn, {total / 1e3:.1f} kB "
                             f"({inter.get(f'{name}_ws_frames_total_median'):.0f} frames) until quiet (medians)")
    wsa = results.get("fresh", {}).get("explorer", {}).get("cold", {}).get("ws_analysis")
    if wsa:
        lines.append("")
        lines.append("explorer websocket before ready, by widget model type (state JSON, first load):")
        for name, row in list(wsa["by_model_type"].items())[:8]:
            lines.append(f"  {name:<34}{row['models']:>5} models {row['state_bytes'] / 1e3:>10.1f} kB")
        lines.append("largest single models:")
        for row in wsa["largest_models"][:5]:
            lines.append(f"  {row['state_bytes'] / 1e3:>10.1f} kB  {row['model']}")
    rows = results.get("targets") or []
    if rows:
        lines.append("")
        h3 = f"{'target':<44}{'measured':>28}{'goal':>10}  verdict"
        lines += [h3, "-" * len(h3)]
        for row in rows:
            lines.append(f"{row['target']:<44}{str(row['measured']):>28}{row['goal']:>10}  {verdict(row['met'])}")
    noisy = [f"{phase} {kind} ({figures['summary']['median_other_cpu_s']:.1f} CPU-s per load)"
             for phase in ("fresh", "preheated") for kind, figures in results.get(phase, {}).items()
             if figures.get("summary", {}).get("median_other_cpu_s", 0) > NOISE_CPU_S]
    if noisy:
        lines.append("")
        lines.append("WARNING: other processes used the CPU during the loads (median over " + f"{NOISE_CPU_S:g} CPU-s): "
                     + "; ".join(noisy) + ". Page-ready figures are inflated; see the quiet-load lines, and per-load noise in the JSON.")
    if results.get("server_deaths"):
        lines.append("")
        lines.append(f"note: servers exited during the run and were restarted: {results['server_deaths']}")
    if results.get("error"):
        lines.append("")
        lines.append(f"RUN INCOMPLETE: {results['error']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=None, help="page loads per median (default 5; 2 with --quick)")
    parser.add_argument("--interactions", type=int, default=None, help="timed clicks and selections, each (default 20; 6 with --quick)")
    parser.add_argument("--data", help="geodata folder (default: the shipped geodata)")
    parser.add_argument("--route", default="r-almaty", help="route to click (default r-almaty)")
    parser.add_argument("--route-b", help="the other route clicks alternate with (default: another drawn route)")
    parser.add_argument("--quick", action="store_true", help="a fast smoke run: 2 loads, 6 interactions")
    parser.add_argument("--no-preheat", action="store_true", help="skip the preheated-pool phase")
    parser.add_argument("--timeout", type=float, default=3600, help="bound on the whole run, seconds (default 3600)")
    parser.add_argument("--out", default=str(RESULTS), help="results folder (default benchmarks/results)")
    parser.add_argument("--report", metavar="JSON", help="print the table of an earlier run's results file, run nothing")
    args = parser.parse_args(argv)
    if args.report:
        results = json.loads(Path(args.report).read_text())
        for phase in ("fresh", "preheated"):
            for figures in results.get(phase, {}).values():
                if figures.get("loads"):
                    figures["summary"] = summarize_loads(figures["loads"])
        results["targets"] = evaluate(results)
        print(report(results))
        return 0
    args.loads = args.loads or (2 if args.quick else 5)
    args.interactions = args.interactions or (6 if args.quick else 20)

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = Path(args.out)
    logs = out / f"{stamp}-logs"
    logs.mkdir(parents=True, exist_ok=True)
    results: dict = {"started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                     "args": {k: v for k, v in vars(args).items()}, "targets_defined": TARGETS}
    results["machine"] = machine()
    results["git"] = git_state()

    def on_alarm(signum, frame):
        raise Deadline(f"run exceeded --timeout {args.timeout:.0f} s")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(args.timeout))
    started = time.monotonic()
    code = 0
    try:
        run(args, results, logs)
    except DataValidationError as error:
        results["error"] = f"the data folder is not valid:\n{error}"
        code = 1
    except (Exception, Deadline, KeyboardInterrupt, SystemExit) as error:  # noqa: BLE001 - report what we have
        results["error"] = f"{type(error).__name__}: {error}"
        code = 1
    finally:
        signal.alarm(0)
    results["duration_s"] = time.monotonic() - started
    for phase in ("fresh", "preheated"):  # a run cut short still reports what it measured
        for kind, figures in results.get(phase, {}).items():
            if figures.get("loads") and "summary" not in figures:
                figures["summary"] = summarize_loads(figures["loads"])
    results["targets"] = evaluate(results)
    path = out / f"{stamp}.json"
    path.write_text(json.dumps(strip_pages(results), indent=1, default=str))
    print(report(results))
    print(f"\nresults: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  (server logs: {logs.name}/)")
    return code


if __name__ == "__main__":
    sys.exit(main())
