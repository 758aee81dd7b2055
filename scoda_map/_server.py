"""Start Voila on a dashboard with the product's safe, offline settings."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
SHARE = _PACKAGE / "_share"
DATA_ENV = "SCODA_MAP_DATA"


# Voila drops the widgets manager that does not match the installed ipywidgets itself.
FRONT_END_EXTENSIONS = ("@voila-dashboards/widgets-manager7", "@voila-dashboards/widgets-manager8",
                        "@jupyter-widgets/jupyterlab-manager", "jupyter-leaflet", "anywidget")


def dashboards_path() -> Path:
    packaged = _PACKAGE / "_dashboards"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "dashboards"


def voila_command(notebook: str, port: int, *, host: str = "127.0.0.1", open_browser: bool = False,
                  cull_idle_seconds: int = 600, max_kernels: int = 24, preheat: bool = False) -> list[str]:
    """The Voila command line for one dashboard.

    Every setting a deployment needs is here, so ``scoda-map serve`` is safe with
    no extra flags: sources stripped, tracebacks logged not shown, the offline
    template, kernels freed when a tab closes (Voila's shutdown beacon is refused
    without this xsrf setting: voila issue #1458) and culled when idle, and a cap
    on running kernels (see :mod:`scoda_map._voila_app`).
    """
    path = dashboards_path() / notebook
    return [
        sys.executable, "-m", "scoda_map._voila_app", str(path),
        f"--port={port}", f"--Voila.ip={host}", "--Voila.port_retries=0",
        "--no-browser" if not open_browser else "--Voila.open_browser=True",
        "--template=scoda", "--strip_sources=True", "--show_tracebacks=False",
        "--Voila.tornado_settings", "disable_check_xsrf=True",
        # 0 never culls: the kiosk's one kernel must live all day.
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_seconds}",
        "--MappingKernelManager.cull_interval=60",
        f"--ScodaVoila.max_kernels={max_kernels}",
        # A kernel that has already run the notebook waits for the next visitor
        # (the app reads the visitor's link only then: voila.utils.wait_for_request).
        *(["--preheat_kernel=True", "--pool_size=1"] if preheat else []),
        # Under load (dozens of kernels at once): unix sockets avoid kernels racing for TCP
        # ports, and a longer wait for a cell's last output avoids pages without the
        # dashboard (docs/performance.md, concurrency).
        "--KernelManager.transport=ipc", "--VoilaExecutor.iopub_timeout=30",
        # Only the front-end extensions the dashboards use. Above all not jupyterlab-plotly:
        # the charts load plotly.js's basic bundle themselves (scoda_map/_views/plotly_chart.py).
        f"--VoilaConfiguration.extension_allowlist={list(FRONT_END_EXTENSIONS)!r}",
    ]


def voila_environment(data: str | Path | None = None) -> dict[str, str]:
    """Environment for the server and its kernels: template path and data folder."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(SHARE / "jupyter"), env.get("JUPYTER_PATH")]))
    if data is not None:
        env[DATA_ENV] = str(Path(data).resolve())
    return env


def serve(notebook: str, port: int, *, data: str | Path | None = None, host: str = "127.0.0.1",
          open_browser: bool = False, cull_idle_seconds: int = 600, max_kernels: int = 24,
          preheat: bool = False, env: dict[str, str] | None = None) -> int:
    """Run Voila in the foreground until interrupted; return its exit code."""
    command = voila_command(notebook, port, host=host, open_browser=open_browser,
                            cull_idle_seconds=cull_idle_seconds, max_kernels=max_kernels, preheat=preheat)
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    print(f"SCODA Cooperation Map: http://{shown_host}:{port}/", flush=True)
    process = subprocess.Popen(command, env=voila_environment(data) | (env or {}))

    def stop(signum, frame):  # a service manager's SIGTERM must reach Voila too
        process.terminate()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if process.poll() is None:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
