"""Start ``scoda-map`` on a free loopback port and wait until it answers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering {url}")
        try:
            # A static file: asking for "/" would execute the notebook in a kernel.
            with urllib.request.urlopen(url + "voila/templates/scoda/static/scoda.css", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"no answer from {url} within {timeout} s")


class Server(str):
    """The server's root URL (a str), with its process for tests that need it."""

    process: subprocess.Popen

    def kernel_processes(self) -> list:
        """The ipykernel processes this server started (needs psutil)."""
        import psutil

        kernels = []
        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline()):
                    kernels.append(child)
            except psutil.Error:  # gone, or a zombie, while we looked
                continue
        return kernels

    def wait_for_kernels(self, count: int, timeout: float = 30) -> None:
        """Poll until the server holds ``count`` kernels; the deadline is generous (a busy
        machine): how fast kernels go is measured by benchmarks/timings.py, not here."""
        deadline = time.monotonic() + timeout
        while len(self.kernel_processes()) != count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.kernel_processes())} kernels, expected {count}")
            time.sleep(0.2)


@contextmanager
def serving(args: list[str], port: int, *, log_path: str | Path | None = None, env: dict | None = None,
            open_files: int | None = None) -> Iterator[Server]:
    """Run a server command (``args``, listening on ``port``), in its own process group; yield its
    root URL once it answers; stop the whole group after (the wrapper, Voila, its kernels).

    ``open_files`` sets a low open-files limit (soft and hard) on the server, as a service has.
    """
    def session():
        os.setsid()
        if open_files:
            import resource

            resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))

    log = open(log_path, "w") if log_path else subprocess.DEVNULL
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env, preexec_fn=session)
    url = Server(f"http://127.0.0.1:{port}/")
    url.process = process
    try:
        wait_until_up(url, process)
        yield url
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if log_path:
            log.close()


@contextmanager
def running_server(command: str = "serve", data: str | Path | None = None, extra: list[str] | None = None,
                   log_path: str | Path | None = None) -> Iterator[Server]:
    """Run ``scoda-map COMMAND`` on a free port; yield its root URL; stop it after."""
    port = free_port()
    args = [sys.executable, "-m", "scoda_map.cli", command, "--port", str(port), "--no-browser"]
    if data is not None:
        args += ["--data", str(data)]
    with serving(args + (extra or []), port, log_path=log_path) as url:
        yield url
