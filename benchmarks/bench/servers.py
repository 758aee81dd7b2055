"""Voila servers for the benchmark, their kernels, and the machine's noise."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import psutil

from scoda_map._server import ServerConfig
from scoda_map._testing.server import free_port, wait_until_up

from .common import MACHINE_QUIET_PERCENT, MACHINE_QUIET_WAIT, POOL_TIMEOUT, QUIET_CPU_PERCENT, QUIET_TIMEOUT, ROOT, log


class Server:
    """One Voila process on a free port: the explorer's command, with this run's notebook."""

    live: list[Server] = []
    fork_kernels = True  #: False: kernels started from nothing (run.py --no-fork-kernels), to compare

    def __init__(self, name: str, notebook: str, data: Path, basemap: Path, logs: Path, preheat: bool,
                 cache: Path | None = None, attempt: int = 1):
        self.name = name
        self.spec = (name, notebook, data, basemap, logs, preheat, cache)
        self.attempt = attempt
        self.port = free_port()
        # The explorer's own server settings (scoda_map._server.ServerConfig); the notebook is
        # joined onto dashboards/, an absolute path stays as it is. As under `scoda-map serve`,
        # kernels read the checked atlas (cache).
        config = ServerConfig(notebook=notebook, port=self.port, data=data, preheat=preheat, atlas_cache=cache,
                              fork_kernels=Server.fork_kernels, extra_env={"SCODA_BENCH_BASEMAP": str(basemap)})
        command, env = config.command(), config.environment()
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

