"""Soak test of the kiosk: thousands of visitor interactions on one page, one kernel.

    python benchmarks/soak_kiosk.py [--interactions 5000] [--idle 5] [--step 3] [--seed 1] [--mix layer=0]

It starts its own ``scoda-map kiosk`` on a free port (short idle and step times), opens
it in headless Debian Chromium at 1920x1080, warms up (--warmup interactions), records
the baseline, then drives the interactions:

* tap a random route, stop or point (a pointerdown on the page, as a finger gives, then
  ``click`` dispatched on the SVG path) and wait until the story card shows that feature
  (card visible, its highlight drawn), or until the card closes when the feature was
  already selected (a second tap closes);
* the story card's close button; a language switch (waits for the title to change);
  a layer button toggled and restored (waits for the layer's paths to go and come back);
* every --tour-every interactions the tour: no touch for idle + 2 * step (+2 s) seconds,
  counting the tour steps seen by watching the caption text change, then a tap on the
  title bar stops it (waits for the caption to hide).

Every wait is bounded (--timeout-ms); a wait that runs out counts as an error of its
kind and the run goes on. Every --sample-every interactions it brings the page to the
same state (story closed, English, all layers on) and samples: kernel RSS and server
RSS (psutil), browser memory over CDP (JS heap used after a forced GC, DOM nodes, event
listeners), the renderer processes' RSS, and "Live widgets" read from the staff panel
(Ctrl+Shift+S, then its Close button). Widget-creating kernel messages (comm_open /
comm_close over the kernel websocket) are counted too, and, as a diagnostic, how many
front-end views were ever made for each map layer ("map views"; see docs/kiosk.md).
--mix changes the interaction weights, e.g. --mix layer=0 for a run without layer toggles.

At the end it prints a table and the verdict: kernel RSS, JS heap and renderer RSS at
the end within 10 % of the level after warm-up, DOM nodes and live widgets not grown.
JSON goes to benchmarks/results/soak-<timestamp>.json (the server log beside it). The
whole run is bounded by --max-minutes. Exit status 0 when the verdict is PASS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import signal
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without an install, too

from bench.common import log  # noqa: E402
from bench.soak_js import POKE_JS, PRESENT_JS, STATE_JS, STORY_HIDDEN_JS, STORY_SHOWS_JS, TAP_JS, TITLE_CHANGED_JS  # noqa: E402
from bench.soak_report import git_commit, median, p95, table, verdict, versions, write  # noqa: E402
from bench.soak_sampling import Sampling  # noqa: E402
from scoda_map._data.loader import default_data_path, load  # noqa: E402
from scoda_map._testing.browser import READY_SELECTOR, chromium, new_page  # noqa: E402
from scoda_map._testing.server import running_server  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
WEIGHTS = {"tap": 62, "close": 10, "language": 13, "layer": 15}


class Timeout(Exception):
    """An interaction's effect did not show within the timeout."""


class Soak(Sampling):
    def __init__(self, args, server, page, atlas):
        self.args, self.server, self.page, self.atlas = args, server, page, atlas
        self.rng = random.Random(args.seed)
        self.weights = parse_mix(args.mix)
        self.timeout = args.timeout_ms
        self.count = 0  # interactions done
        self.errors: dict[str, int] = {}
        self.error_log: list[dict] = []
        self.latency: dict[str, list[float]] = {}
        self.ops: dict[str, int] = {}
        self.tours: list[dict] = []
        self.samples: list[dict] = []
        self.reloads = 0
        self.ws = {"frames": 0, "bytes": 0, "comm_open": 0, "comm_close": 0}
        self.page_errors: list[str] = []
        self.started = time.monotonic()
        self.layer_ids = {}
        for name in ("routes", "port_cities", "parks", "sites"):
            if name in atlas.layer_names():
                frame = atlas.layer(name)
                self.layer_ids[name] = [str(i) for i in frame.index[frame["on_map"]]]
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Performance.enable")
        page.on("pageerror", lambda error: self.page_errors.append(f"pageerror: {error}"[:300]))
        page.on("console", lambda msg: msg.type == "error" and self.page_errors.append(f"console: {msg.text}"[:300]))
        page.on("websocket", self._websocket)

    # -- bookkeeping ------------------------------------------------------------------
    def _websocket(self, ws) -> None:
        if "/channels" not in ws.url:
            return

        def frame(payload) -> None:
            data = payload if isinstance(payload, (bytes, bytearray)) else str(payload).encode()
            self.ws["frames"] += 1
            self.ws["bytes"] += len(data)
            if b"comm_open" in data[:4000]:
                self.ws["comm_open"] += 1
            if b"comm_close" in data[:4000]:
                self.ws["comm_close"] += 1

        ws.on("framereceived", frame)

    def error(self, kind: str, detail: str = "") -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if len(self.error_log) < 200:
            self.error_log.append({"at": self.count, "t_s": round(time.monotonic() - self.started, 1),
                                   "kind": kind, "detail": detail[:300]})
        log(f"error #{sum(self.errors.values())} at interaction {self.count}: {kind} {detail[:160]}")

    def wait(self, js: str, arg=None, timeout: float | None = None) -> None:
        try:
            self.page.wait_for_function(js, arg=arg, timeout=timeout or self.timeout, polling=50)
        except Exception as exc:  # playwright's TimeoutError, or the page navigating away
            raise Timeout(str(exc).splitlines()[0]) from None

    def state(self) -> dict:
        return self.page.evaluate(STATE_JS)

    def timed(self, kind: str, action) -> None:
        t0 = time.perf_counter()
        try:
            action()
        except Exception as exc:  # Timeout, playwright's TimeoutError or Error: count it, go on
            text = str(exc).splitlines()[0] if str(exc) else repr(exc)
            timeout = isinstance(exc, Timeout) or type(exc).__name__ == "TimeoutError"
            self.error(f"{'timeout' if timeout else 'error'}:{kind}", text)
            self.recover()
        else:
            self.latency.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
        self.ops[kind] = self.ops.get(kind, 0) + 1
        self.count += 1

    def recover(self) -> None:
        """After a timeout: a reloaded page is waited for; a playing tour is stopped."""
        try:
            state = self.state()
        except Exception:
            time.sleep(2)  # navigating? ask again once
            try:
                state = self.state()
            except Exception:
                state = {"marker": False}
        if not state.get("marker"):
            self.reloads += 1
            log("the page reloaded (kernel or server gone?): waiting for it to draw again")
            self.page.wait_for_selector(READY_SELECTOR, state="attached", timeout=120_000)
            self.page.locator(".scoda-layer-button").first.wait_for(timeout=60_000)
            self.page.evaluate("window.__soakMarker = 1")
            return
        if state.get("caption"):
            self.stop_tour()

    # -- interactions ---------------------------------------------------------------------
    def tap(self) -> None:
        before = self.state()
        selected = before["highlight"][0] if before["story"] and len(before["highlight"]) == 1 else None
        if before["caption"]:
            self.error("unexpected_tour", "the tour was playing before a tap")
        target = self.page.evaluate(TAP_JS, [self.rng.random()])
        if target is None:
            raise Timeout("no feature to tap")
        if target == selected:
            self.wait(STORY_HIDDEN_JS)
        else:
            self.wait(STORY_SHOWS_JS, target)

    def close(self) -> None:
        self.page.locator(".scoda-close").click(timeout=self.timeout)
        self.wait(STORY_HIDDEN_JS)

    def language(self, want: str | None = None) -> None:
        state = self.state()
        buttons = self.page.locator(".scoda-languages button")
        names = buttons.all_inner_texts()
        choices = [n for n in names if n != state["lang"]]
        pick = want if want is not None else self.rng.choice(choices)
        if pick == state["lang"]:
            return
        buttons.nth(names.index(pick)).click(timeout=self.timeout)
        self.wait(TITLE_CHANGED_JS, state["title"])

    def layer(self, name: str, on: bool) -> None:
        self.page.locator(f".scoda-layer-button-{name}").click(timeout=self.timeout)
        ids = self.layer_ids.get(name) or []
        if ids:  # a layer with nothing drawn (parks) has no paths to watch
            self.wait(PRESENT_JS, [f".scoda-f-{ids[0]}", on])
        active = "mod-active" in (self.page.locator(f".scoda-layer-button-{name}").get_attribute("class") or "")
        if active != on:
            raise Timeout(f"layer button {name} shows {'on' if active else 'off'}")

    def stop_tour(self) -> None:
        """A tap on the title bar (nothing there but the touch the kiosk listens for)."""
        try:
            self.page.locator(".scoda-kiosk-title").click(timeout=self.timeout)
        except Exception as exc:
            self.error("timeout:tap_title", str(exc).splitlines()[0])
            self.page.evaluate(POKE_JS)
        try:
            self.page.locator(".scoda-tour-caption").wait_for(state="hidden", timeout=self.timeout)
        except Exception as exc:
            raise Timeout(f"the tour did not stop: {str(exc).splitlines()[0]}") from None

    def tour(self) -> None:
        """Hands off for idle + 2 * step (+2 s); count the steps the caption shows; tap."""
        window = self.args.idle + 2 * self.args.step + 2
        t0 = time.monotonic()
        seen, last, first_at = [], None, None
        while time.monotonic() - t0 < window:
            caption = self.page.evaluate(STATE_JS)["caption"]
            if caption and caption != last:
                seen.append(caption.split("\n")[0])  # "n/6"
                first_at = first_at or time.monotonic() - t0
            last = caption or last
            time.sleep(0.2)
        record = {"at": self.count, "steps_seen": len(seen), "steps": seen,
                  "first_after_s": None if first_at is None else round(first_at, 1)}
        self.tours.append(record)
        if not seen:
            self.error("tour_did_not_start", f"no caption within {window:g} s")
        elif len(seen) < 2:
            self.error("tour_did_not_advance", f"one step seen in {window:g} s: {seen}")
        t1 = time.perf_counter()
        try:
            self.stop_tour()
        except Exception as exc:
            raise Timeout(f"tour did not stop: {str(exc).splitlines()[0]}") from None
        record["stop_ms"] = round((time.perf_counter() - t1) * 1000, 1)

    def one(self) -> None:
        kind = self.rng.choices(list(self.weights), weights=list(self.weights.values()))[0]
        if kind == "close" and not self.state()["story"]:
            kind = "tap"
        if kind == "layer":
            name = self.rng.choice(list(self.layer_ids))
            self.timed("layer_off", lambda: self.layer(name, False))
            self.timed("layer_on", lambda: self.layer(name, True))
            return
        self.timed(kind, {"tap": self.tap, "close": self.close, "language": self.language}[kind])

    # -- measuring ------------------------------------------------------------------------
    def normalize(self) -> None:
        """Same page state for every sample: story closed, English, no tour, all layers on."""
        state = self.state()
        if state["caption"]:
            self.stop_tour()
        if state["story"]:
            self.close()
        if state["lang"] != "English":
            self.language("English")
        for name in self.layer_ids:
            button = self.page.locator(f".scoda-layer-button-{name}")
            if "mod-active" not in (button.get_attribute("class") or ""):
                self.layer(name, True)
        time.sleep(1.0)


def parse_mix(text: str) -> dict[str, float]:
    """'tap=62,close=10,language=13,layer=15' -> weights (unnamed kinds keep their default)."""
    weights = dict(WEIGHTS)
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        if name not in WEIGHTS:
            raise SystemExit(f"--mix: unknown interaction {name!r} (known: {', '.join(WEIGHTS)})")
        weights[name] = float(value)
    if not any(weights.values()):
        raise SystemExit("--mix: every weight is 0")
    return {k: v for k, v in weights.items() if v > 0}


# -- report -------------------------------------------------------------------------------


def hard_stop(minutes: float, server_holder: dict) -> threading.Timer:
    """Last resort if something hangs past the time limit: kill the server, exit 2."""
    def fire():
        log(f"hard time limit ({minutes:g} min) passed: killing the server and exiting")
        server = server_holder.get("server")
        if server is not None:
            try:
                os.killpg(server.process.pid, signal.SIGKILL)
            except OSError:
                pass
        os._exit(2)
    timer = threading.Timer(minutes * 60, fire)
    timer.daemon = True
    timer.start()
    return timer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--interactions", type=int, default=5000, help="interactions after warm-up (default 5000)")
    parser.add_argument("--warmup", type=int, default=300, help="interactions before the baseline (default 300)")
    parser.add_argument("--idle", type=float, default=5, help="kiosk idle seconds before the tour (default 5)")
    parser.add_argument("--step", type=float, default=3, help="kiosk seconds per tour step (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample-every", type=int, default=500)
    parser.add_argument("--tour-every", type=int, default=250, help="let the tour play every N interactions")
    parser.add_argument("--mix", default="", help="interaction weights, e.g. 'layer=0' for a run without layer "
                                                  "toggles (default tap=62,close=10,language=13,layer=15)")
    parser.add_argument("--timeout-ms", type=int, default=10_000, help="bound on each interaction's wait")
    parser.add_argument("--max-minutes", type=float, default=150, help="stop the run after this long")
    parser.add_argument("--data", help="geodata folder (default: the shipped geodata)")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    json_path, log_path = out / f"soak-{stamp}.json", out / f"soak-{stamp}-kiosk.log"
    data = Path(args.data) if args.data else default_data_path()
    atlas = load(data)
    holder: dict = {}
    hard_stop(args.max_minutes + 10, holder)
    deadline = time.monotonic() + args.max_minutes * 60
    result = {"started": dt.datetime.now().isoformat(timespec="seconds"), "args": vars(args),
              "machine": {"cpus": os.cpu_count(), "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
                          "python": platform.python_version(), "platform": platform.platform()},
              "versions": versions(), "commit": git_commit(), "data_version": atlas.version}
    complete = False
    extra = ["--idle", f"{args.idle:g}", "--step", f"{args.step:g}"]
    with running_server("kiosk", data=data, extra=extra, log_path=log_path) as server, chromium() as browser:
        holder["server"] = server
        page = new_page(browser, 1920, 1080, outside=(outside := []))
        page.set_default_timeout(args.timeout_ms)
        soak = Soak(args, server, page, atlas)  # before navigating: it listens to the kernel websocket
        t0 = time.monotonic()
        page.goto(server, wait_until="domcontentloaded", timeout=120_000)
        page.wait_for_selector(READY_SELECTOR, state="attached", timeout=120_000)
        page.locator(".scoda-layer-button").first.wait_for(timeout=60_000)
        page.evaluate("window.__soakMarker = 1")
        result["page_ready_s"] = round(time.monotonic() - t0, 1)
        log(f"kiosk ready in {result['page_ready_s']} s at {server}")
        soak.started = time.monotonic()
        try:
            soak.sample("loaded")
            total = args.warmup + args.interactions
            next_tour = args.tour_every
            next_sample = args.warmup
            while soak.count < total and time.monotonic() < deadline:
                if soak.count >= next_tour:
                    next_tour += args.tour_every
                    soak.timed("tour", soak.tour)
                    continue
                soak.one()
                if soak.count >= next_sample:
                    label = "baseline" if next_sample == args.warmup else f"+{next_sample - args.warmup}"
                    soak.sample(label)
                    next_sample += args.sample_every
                    write(json_path, result, soak, outside, None)  # partial results survive a crash
            complete = soak.count >= total
            if not soak.samples or soak.samples[-1]["interactions"] != soak.count:
                soak.sample("end")
        finally:
            base = next((s for s in soak.samples if s["label"] == "baseline"), None)
            end = soak.samples[-1] if soak.samples else None
            ok, lines = verdict(base, end, complete, soak.reloads) if base and end and end is not base else (False, ["FAIL no baseline and end samples"])
            result["duration_s"] = round(time.monotonic() - soak.started, 1)
            result["verdict"] = {"pass": ok, "checks": lines}
            write(json_path, result, soak, outside, log_path)
            try:
                page.close(run_before_unload=True)  # lets Voila free the kernel
            except Exception:
                pass

    print()
    print(f"Kiosk soak: {soak.count} interactions ({args.warmup} warm-up) in {result['duration_s'] / 60:.1f} min, "
          f"idle {args.idle:g} s, step {args.step:g} s, seed {args.seed}, mix {soak.weights}")
    print(table(soak.samples))
    print()
    print("interaction   count  errors  median ms  p95 ms")
    for kind in sorted(soak.ops):
        errs = soak.errors.get(f"timeout:{kind}", 0)
        lat = soak.latency.get(kind, [])
        print(f"{kind:<12}{soak.ops[kind]:>7}{errs:>8}{median(lat) or '-':>11}{p95(lat) or '-':>8}")
    steps = sum(t["steps_seen"] for t in soak.tours)
    print(f"\ntours: {len(soak.tours)}, tour steps seen: {steps} "
          f"(per tour: {sorted({t['steps_seen'] for t in soak.tours})})")
    print(f"errors: {sum(soak.errors.values())} {soak.errors or ''}")
    print(f"page reloads: {soak.reloads}; browser errors: {len(soak.page_errors)}; "
          f"requests refused (outside this machine): {len(outside)}")
    print(f"kernel websocket: {soak.ws['frames']} frames, {soak.ws['bytes'] / 2**20:.1f} MB, "
          f"comm_open {soak.ws['comm_open']}, comm_close {soak.ws['comm_close']}")
    print("\nverdict: " + ("PASS" if ok else "FAIL"))
    for line in lines:
        print("  " + line)
    print(f"\nwrote {json_path}")
    return 0 if ok else 1




if __name__ == "__main__":
    sys.exit(main())
