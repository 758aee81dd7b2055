"""The kiosk soak's samples: kernel, server and browser memory, DOM size and live widgets."""

from __future__ import annotations

import os
import time

import psutil

from .common import log
from .soak_js import POKE_JS, STAFF_JS, VIEWS_JS


def mb(value) -> float | None:
    return None if value is None else round(value / 2**20, 1)


class Sampling:
    """What :class:`Soak` measures every --sample-every interactions (a mixin: it uses the soak's page)."""

    def staff_status(self) -> dict:
        self.page.keyboard.press("Control+Shift+S")
        self.page.locator(".scoda-staff").wait_for(state="visible", timeout=self.timeout)
        self.wait("() => document.querySelectorAll('.scoda-staff dt').length > 0")
        status = self.page.evaluate(STAFF_JS)
        self.page.locator(".scoda-staff button", has_text="Close").click(timeout=self.timeout)
        self.page.locator(".scoda-staff").wait_for(state="hidden", timeout=self.timeout)
        return status

    def renderers(self) -> list[psutil.Process]:
        found = []
        for proc in psutil.Process().children(recursive=True):
            try:
                cmd = proc.cmdline()
            except psutil.Error:
                continue
            if any(a == "--type=renderer" for a in cmd) and not any("extension" in a for a in cmd):
                found.append(proc)
        return found

    def sample(self, label: str) -> dict | None:
        log(f"sample '{label}' at interaction {self.count}")
        try:
            return self._sample(label)
        except Exception as exc:  # the page navigating, the browser gone: record it, go on
            self.error("error:sample", str(exc).splitlines()[0] if str(exc) else repr(exc))
            self.recover()
            return None

    def _sample(self, label: str) -> dict:
        status, timing = {}, {}
        t = time.perf_counter()
        try:
            self.normalize()
            timing["normalize_s"] = round(time.perf_counter() - t, 2)
            t = time.perf_counter()
            status = self.staff_status()
            timing["staff_panel_s"] = round(time.perf_counter() - t, 2)
        except Exception as exc:
            self.error("timeout:sample", str(exc).splitlines()[0] if str(exc) else repr(exc))
            self.recover()
        self.page.evaluate(POKE_JS)  # keep the idle clock (and the tour) away while measuring
        t = time.perf_counter()
        self.cdp.send("HeapProfiler.collectGarbage")
        timing["gc_s"] = round(time.perf_counter() - t, 2)
        self.page.evaluate(POKE_JS)
        metrics = {m["name"]: m["value"] for m in self.cdp.send("Performance.getMetrics")["metrics"]}
        t = time.perf_counter()
        kernels = []
        for proc in self.server.kernel_processes():
            try:
                kernels.append({"pid": proc.pid, "rss": proc.memory_info().rss})
            except psutil.Error:
                pass
        server_rss = 0
        try:
            root = psutil.Process(self.server.process.pid)
            tree = [root] + root.children(recursive=True)
            for proc in tree:
                if proc.pid not in {k["pid"] for k in kernels}:
                    server_rss += proc.memory_info().rss
        except psutil.Error:
            pass
        renderer_rss, renderer_uss, renderer_pids = 0, 0, []
        for proc in self.renderers():
            try:
                info = proc.memory_full_info()
                renderer_rss += info.rss
                renderer_uss += info.uss
                renderer_pids.append(proc.pid)
            except psutil.Error:
                pass
        timing["processes_s"] = round(time.perf_counter() - t, 2)
        views = self.page.evaluate(VIEWS_JS)
        state = self.state()
        if state["caption"]:
            self.error("sample_disturbed", f"the tour started while sampling ({timing})")
            try:
                self.stop_tour()
            except Exception as exc:
                self.error("timeout:sample", str(exc).splitlines()[0])
                self.recover()
        row = {
            "label": label,
            "interactions": self.count,
            "elapsed_s": round(time.monotonic() - self.started, 1),
            "kernel_pids": [k["pid"] for k in kernels],
            "kernel_rss_mb": mb(sum(k["rss"] for k in kernels)) if kernels else None,
            "server_rss_mb": mb(server_rss),
            "renderer_rss_mb": mb(renderer_rss) if renderer_pids else None,
            "renderer_uss_mb": mb(renderer_uss) if renderer_pids else None,
            "renderer_pids": renderer_pids,
            "js_heap_used_mb": mb(metrics.get("JSHeapUsedSize")),
            "js_heap_total_mb": mb(metrics.get("JSHeapTotalSize")),
            "dom_nodes": int(metrics.get("Nodes", 0)),
            "js_event_listeners": int(metrics.get("JSEventListeners", 0)),
            "documents": int(metrics.get("Documents", 0)),
            "live_widgets": int(status["Live widgets"]) if status.get("Live widgets", "").isdigit() else None,
            "data_version": status.get("Data version"),
            "last_error": status.get("Last error"),
            "layer_views_made": sum(views.values()) if views else None,
            "layer_views_by_model": views,
            "ws_frames": self.ws["frames"],
            "ws_comm_open": self.ws["comm_open"],
            "ws_comm_close": self.ws["comm_close"],
            "errors": sum(self.errors.values()),
            "reloads": self.reloads,
            "sample_timing": timing,
            "load_average_1min": round(os.getloadavg()[0], 2),  # other jobs on the machine skew latencies
        }
        self.samples.append(row)
        return row
