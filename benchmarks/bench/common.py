"""Shared by the benchmark scripts: paths, bounds, logging and statistics."""

from __future__ import annotations

import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without an install, too

from scoda_map._testing.chromium import find_chromium  # noqa: E402

HERE = Path(__file__).resolve().parent.parent  # benchmarks/
BASELINE = HERE / "baseline.ipynb"
EXPLORER = "explorer.ipynb"
KIOSK = "kiosk.ipynb"
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


class Deadline(Exception):
    pass


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def p95(values):
    """Nearest-rank 95th percentile (of 20 values: the 19th smallest)."""
    values = sorted(v for v in values if v is not None)
    return values[max(0, math.ceil(0.95 * len(values)) - 1)] if values else None


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
        versions["rfc3987-syntax"] = "installed"
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

