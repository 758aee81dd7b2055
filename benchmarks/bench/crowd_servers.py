"""The servers the concurrency benchmark loads, and what they hold (memory, CPU, kernels)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from scoda_map._testing.server import free_port, wait_until_up

DRAIN_TIMEOUT = 90.0  # waiting for kernels of the previous step to go


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


def wait_for_no_kernels(target: Target, timeout: float = DRAIN_TIMEOUT) -> tuple[float, int]:
    started = time.monotonic()
    while target.kernels() and time.monotonic() - started < timeout:
        time.sleep(0.3)
    return time.monotonic() - started, len(target.kernels())


def cpu_busy_seconds() -> float:
    times = psutil.cpu_times()  # guest time is already inside user time on Linux
    return sum(getattr(times, name, 0.0) for name in ("user", "nice", "system", "irq", "softirq", "steal"))
