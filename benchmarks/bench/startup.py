"""How long ``scoda-map --help`` takes: the command line must start without the data stack."""

from __future__ import annotations

import subprocess
import sys
import time

from .common import ROOT, median


def cli_start(runs: int = 10) -> dict:
    """Wall time of ``python -m scoda_map.cli --help`` (a new interpreter each run), in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "scoda_map.cli", "--help"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        times.append(time.perf_counter() - started)
    return {"runs": runs, "median_s": median(times), "max_s": max(times), "all_s": [round(t, 3) for t in times]}
