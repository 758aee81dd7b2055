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
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # scoda_map from a checkout, too

from bench.common import BASELINE, EXPLORER, KIOSK, NOISE_CPU_S, RESULTS, ROOT, Deadline, git_state, log, machine, median, p95
from bench.interactions import Wire, language_switches, measure_choices, measure_selects, route_clicks
from bench.pages import close_page, open_page
from bench.phone import CPU_SLOWDOWN, phone_load
from bench.report import TARGETS, evaluate, report
from bench.scale import SIZES, scale_step
from bench.servers import Server, alive, memory, wait_pool, wait_quiet
from bench.startup import cli_start
from bench.timeline import time_steps
from bench.wire import updates_by_model
from scoda_map._data.cache import write_cache
from scoda_map._data.catalog import read_catalog
from scoda_map._data.errors import DataValidationError
from scoda_map._data.loader import default_data_path, load
from scoda_map._testing.browser import chromium


def basemap_path(folder: Path) -> Path:
    catalog, _ = read_catalog(folder)
    for resource in catalog.resources:
        if resource.scoda.role == "basemap" and resource.scoda.worldview == "cn":
            return folder / resource.path
    raise SystemExit(f"{folder}: no basemap with worldview 'cn'")


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


def sizes(text: str) -> tuple[int, ...]:
    return tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())


def run(args, results: dict, logs: Path) -> None:
    log("scoda-map --help, 10 times")
    results["cli_start"] = cli_start(10)
    data = Path(args.data).resolve() if args.data else default_data_path()
    results["data"] = str(data)
    atlas = load(data)
    cache = write_cache(atlas)  # kernels read this checked copy, as under `scoda-map serve`
    results["data_version"] = atlas.version
    basemap = basemap_path(data)
    results["basemap"] = {"path": str(basemap), "bytes": basemap.stat().st_size}
    if args.route not in atlas.routes.index:
        raise SystemExit(f"--route {args.route!r} is not a route in {data}")
    choices = measure_choices(atlas)
    if not choices:
        raise SystemExit(f"{data}: no measure highlights anything on the map; nothing to time")

    # The kiosk is loaded the same way; its figures are reported beside the explorer's.
    pages = [("explorer", EXPLORER), ("baseline", str(BASELINE))] + ([] if args.no_kiosk else [("kiosk", KIOSK)])
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, cache.parent, True)
        browser = stack.enter_context(chromium())

        # 1. Fresh kernel per load: explorer and baseline side by side, loads alternated.
        phase = results.setdefault("fresh", {})
        servers = {}
        for kind, notebook in pages:
            servers[kind] = Server(f"{kind}-fresh", notebook, data, basemap, logs, preheat=False, cache=cache)
            stack.callback(servers[kind].stop)
            phase.setdefault(kind, {})["server_start_s"] = servers[kind].start_s
        wait_quiet(list(servers.values()))
        deaths = results.setdefault("server_deaths", [])
        for kind, _ in pages:
            log(f"fresh {kind}: cold-server load")
            phase[kind]["cold"] = open_page(browser, servers[kind], kind)
            log(f"  ready {phase[kind]['cold']['ready_s']:.2f} s")
            wait_quiet(list(servers.values()))
        for i in range(args.loads):
            for kind, _ in pages:
                log(f"fresh {kind}: load {i + 1}/{args.loads}")
                replaced = alive(servers[kind], deaths)
                if replaced is not servers[kind]:
                    servers[kind] = replaced
                    stack.callback(replaced.stop)
                load_ = open_page(browser, servers[kind], kind)
                phase[kind].setdefault("loads", []).append(load_)
                log(f"  ready {load_['ready_s']:.2f} s, ws {load_['ws_bytes'] / 1e6:.2f} MB")
                wait_quiet(list(servers.values()))
        for kind, _ in pages:
            phase[kind]["summary"] = summarize_loads(phase[kind]["loads"])

        # 1b. The phone profile (issue 13): explorer and bare map on a 390x844 touch screen with
        # Chromium's CPU slowed 4x, fresh kernels, loads alternated; bytes as transferred.
        phone = results.setdefault("phone", {"cpu_slowdown": CPU_SLOWDOWN, "loads": {}})
        for i in range(args.phone_loads):
            for kind in ("explorer", "baseline"):
                log(f"phone {kind}: load {i + 1}/{args.phone_loads}")
                load_ = phone_load(browser, servers[kind].url, kind)
                phone["loads"].setdefault(kind, []).append(load_)
                log(f"  ready {load_['ready_s']:.2f} s, {load_['http_bytes_encoded'] / 1e6:.2f} MB over HTTP")
                wait_quiet(list(servers.values()))
        for kind, loads in phone["loads"].items():
            phone[kind] = {"median_ready_s": median([x["ready_s"] for x in loads]),
                           "median_http_mb": median([x["http_bytes_encoded"] for x in loads]) / 1e6}

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
            switches = language_switches(page, wire, atlas, args.route, args.interactions)
            switches_figures = language_switches(page, wire, atlas, args.route, args.interactions, figures=True)
            page.locator(".scoda-time-slider").wait_for(state="attached")
            steps = time_steps(page, wire, page.evaluate("() => { const s = document.querySelector('.scoda-time-slider');"
                                                         " const out = []; for (let y = +s.min; y <= +s.max; y++) out.push(y); return out; }"),
                               args.interactions)
            results["interactions"] = {
                "page_ready_s": loaded["ready_s"],
                "outside_requests": loaded["outside_requests"],
                "routes": [args.route, other],
                "measures": [c[1] for c in choices],
                "route_click": clicks,
                "measure_select": selects,
                "language_switch": switches,
                "language_switch_figures": switches_figures,
                "time_step": steps,
                "time_step_layers_resent": sorted({label for r in steps for label in r["layers_resent"]}),
                "memory_after": memory(servers["explorer"], loaded["kernel_id"]),
            }
            for name, rows in (("route_click", clicks), ("measure_select", selects), ("language_switch", switches),
                               ("language_switch_figures", switches_figures), ("time_step", steps)):
                for key in ("dom_ms", "frame_ms"):
                    values = [r[key] for r in rows]
                    results["interactions"][f"{name}_{key}"] = {
                        "median": median(values), "p95": p95(values), "max": max(values), "first": values[0], "n": len(values)}
                for key in ("ws_bytes_to_done", "ws_bytes_total", "ws_frames_total", "settle_s"):
                    values = [r[key] for r in rows if key in r]  # a time step records no settle time
                    if values:
                        results["interactions"][f"{name}_{key}_median"] = median(values)
                every = [f for r in rows for f in r.pop("_frames")]
                results["interactions"][f"{name}_ws_by_model"] = dict(list(updates_by_model(every, wire.labels).items())[:12])
        finally:
            close_page(page, servers["explorer"], loaded["kernel_id"], loaded)
        for server in servers.values():
            server.stop()

        # 3. Scale: an extra generated layer of each size (bench/scale.py).
        if args.scale:
            work = Path(tempfile.mkdtemp(prefix="scoda-bench-scale-"))
            stack.callback(shutil.rmtree, work, True)
            results["scale"] = scale_step(browser, stack, args.scale, max(2, args.loads // 2), basemap, logs, work)

        if args.no_preheat:
            return
        # 4. Preheated pool of one kernel: wait for the pool to refill before every load.
        phase = results.setdefault("preheated", {})
        servers = {}
        for kind, notebook in pages:
            servers[kind] = Server(f"{kind}-preheated", notebook, data, basemap, logs, preheat=True, cache=cache)
            stack.callback(servers[kind].stop)
            phase.setdefault(kind, {})["server_start_s"] = servers[kind].start_s
        fills = {kind: 1 for kind in servers}
        for kind, server in servers.items():
            phase[kind]["first_fill_s"] = wait_pool(server, 1)
        for i in range(args.loads):
            for kind, _ in pages:
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
        for kind, _ in pages:
            phase[kind]["summary"] = summarize_loads(phase[kind]["loads"])
        for server in servers.values():
            server.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=None, help="page loads per median (default 5; 2 with --quick)")
    parser.add_argument("--interactions", type=int, default=None, help="timed clicks and selections, each (default 20; 6 with --quick)")
    parser.add_argument("--data", help="geodata folder (default: the shipped geodata)")
    parser.add_argument("--route", default="r-almaty", help="route to click (default r-almaty)")
    parser.add_argument("--route-b", help="the other route clicks alternate with (default: another drawn route)")
    parser.add_argument("--phone-loads", type=int, default=3, help="loads per page on the phone profile (default 3; 0 skips it)")
    parser.add_argument("--quick", action="store_true", help="a fast smoke run: 2 loads, 6 interactions")
    parser.add_argument("--no-preheat", action="store_true", help="skip the preheated-pool phase")
    parser.add_argument("--no-fork-kernels", action="store_true",
                        help="start every kernel from nothing, not forked from the template (to compare)")
    parser.add_argument("--no-kiosk", action="store_true", help="do not load the kiosk beside the explorer")
    parser.add_argument("--scale", default=",".join(str(n) for n in SIZES), type=sizes,
                        help="sizes of the extra generated layer, comma-separated; '' skips the step "
                             "(default 1000,10000,100000)")
    parser.add_argument("--concurrency", metavar="STEPS", default="",
                        help="then run benchmarks/concurrency.py with these steps, e.g. 1,2,4,8,16,32 "
                             "(about 40 minutes for all targets; off by default)")
    parser.add_argument("--concurrency-targets", default="single,cluster2,cluster4,cap",
                        help="targets for the concurrency step (default single,cluster2,cluster4,cap)")
    parser.add_argument("--timeout", type=float, default=3600, help="bound on the whole run, seconds (default 3600)")
    parser.add_argument("--out", default=str(RESULTS), help="results folder (default benchmarks/results)")
    parser.add_argument("--report", metavar="JSON", help="print the table of an earlier run's results file, run nothing")
    args = parser.parse_args(argv)
    Server.fork_kernels = not args.no_fork_kernels
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
        import traceback

        results["error"] = f"{type(error).__name__}: {error}"
        results["traceback"] = traceback.format_exc()
        log("".join(traceback.format_exception(error)[-4:]))  # where it stopped
        code = 1
    finally:
        signal.alarm(0)
    results["duration_s"] = time.monotonic() - started
    for phase in ("fresh", "preheated"):  # a run cut short still reports what it measured
        for figures in results.get(phase, {}).values():
            if figures.get("loads") and "summary" not in figures:
                figures["summary"] = summarize_loads(figures["loads"])
    results["targets"] = evaluate(results)
    path = out / f"{stamp}.json"
    path.write_text(json.dumps(strip_pages(results), indent=1, default=str))
    print(report(results))
    print(f"\nresults: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  (server logs: {logs.name}/)")
    if args.concurrency and code == 0:
        # Its own script, run after every server above has stopped: it prints its table and
        # writes benchmarks/results/concurrency-<stamp>.json.
        print("\nconcurrency:", flush=True)
        code = subprocess.run([sys.executable, str(Path(__file__).with_name("concurrency.py")), "--steps", args.concurrency,
                               "--targets", args.concurrency_targets], cwd=ROOT).returncode
    return code



if __name__ == "__main__":
    sys.exit(main())
