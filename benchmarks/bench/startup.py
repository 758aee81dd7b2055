"""How long ``scoda-map --help`` takes: the command line must start without the data stack.

A bare interpreter start (``python -c pass``) is timed alternately with it, so a busy
machine shows as a slow baseline rather than as a slow command line.
"""

from __future__ import annotations

import subprocess
import sys
import time

from .common import ROOT, median


def _run(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=60)
    return time.perf_counter() - started


def cli_start(runs: int = 10) -> dict:
    """Wall time of ``python -m scoda_map.cli --help`` and of ``python -c pass``, in seconds."""
    cli, bare = [], []
    for _ in range(runs):
        cli.append(_run(["-m", "scoda_map.cli", "--help"]))
        bare.append(_run(["-c", "pass"]))
    return {"runs": runs, "median_s": median(cli), "max_s": max(cli), "all_s": [round(t, 3) for t in cli],
            "interpreter_median_s": median(bare)}
