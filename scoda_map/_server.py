"""Start Voila on a dashboard with the product's safe, offline settings.

One :class:`ServerConfig` describes a server: ``scoda-map serve``, ``kiosk`` and
each of ``cluster``'s workers, and the benchmarks, build one and turn it into the
Voila command line (:meth:`ServerConfig.command`) and environment
(:meth:`ServerConfig.environment`). :func:`prepared` does what must happen once
before a server starts: check the data, save the checked copy every kernel loads
instead of validating again, and write the kernel-free view served at ``/view/``.

This module imports neither Voila nor pandas: the command line starts fast and
loads them only when a command needs them.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import _env
from ._data.worldview import CHOICES as WORLDVIEWS, DEFAULT as DEFAULT_WORLDVIEW, HELP as WORLDVIEW_HELP

_PACKAGE = Path(__file__).resolve().parent
SHARE = _PACKAGE / "_share"
DATA_ENV = _env.DATA
EXPLORER, KIOSK = "explorer.ipynb", "kiosk.ipynb"
DEFAULT_PORT = 8866
DEFAULT_HOST = "127.0.0.1"
DEFAULT_MAX_KERNELS = 24
#: Idle visitor kernels are freed after this long; 0 (the kiosk's) never culls.
CULL_IDLE_SECONDS = 600
#: Where the kernel-free view of the explorer is served (same server, same link parameters).
VIEW_PATH = _env.VIEW_PATH
#: Names the process that served the page; nginx routes on it (see scoda_map/_share/nginx).
BACKEND_COOKIE = "scoda_backend"
#: Comma-separated host names the server answers to besides addresses and localhost.
PUBLIC_NAMES_ENV = "SCODA_MAP_PUBLIC_NAMES"
DEFAULT_MAX_KERNELS_PER_CLIENT = 4

# Voila drops the widgets manager that does not match the installed ipywidgets itself.
FRONT_END_EXTENSIONS = ("@voila-dashboards/widgets-manager7", "@voila-dashboards/widgets-manager8",
                        "@jupyter-widgets/jupyterlab-manager", "jupyter-leaflet", "anywidget")


def dashboards_path() -> Path:
    packaged = _PACKAGE / "_dashboards"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "dashboards"


@dataclass(frozen=True)
class ServerConfig:
    """Everything that decides how one dashboard server runs.

    Examples
    --------
    >>> config = ServerConfig(port=9000, worldview="ne", preheat=True, pool_size=4)
    >>> "--pool_size=4" in config.command() and "--port=9000" in config.command()
    True
    >>> config.environment({})["SCODA_MAP_WORLDVIEW"]
    'ne'
    >>> ServerConfig(notebook="kiosk.ipynb").cull_idle_seconds  # the kiosk's kernel lives all day
    0
    """

    notebook: str = EXPLORER  #: a dashboard's file name, or a notebook's absolute path (benchmarks)
    port: int = DEFAULT_PORT
    host: str = DEFAULT_HOST
    data: Path | None = None  #: geodata folder (None: the shipped data)
    worldview: str = DEFAULT_WORLDVIEW.value
    open_browser: bool = False
    max_kernels: int = DEFAULT_MAX_KERNELS
    max_kernels_per_client: int = DEFAULT_MAX_KERNELS_PER_CLIENT  #: never all of max_kernels (SECURITY.md)
    public_names: tuple[str, ...] = ()  #: host names served besides addresses and localhost
    cull_idle_seconds: int | None = None  #: None: 0 for the kiosk, else CULL_IDLE_SECONDS
    preheat: bool = False  #: keep kernels ready with the dashboard built
    pool_size: int = 1  #: how many, with preheat (``--expect N``)
    fork_kernels: bool = True  #: kernels forked from a warm template process (scoda_map._forking)
    backend_id: str = ""  #: this process's name behind ``scoda-map cluster``'s nginx
    atlas_cache: Path | None = None  #: the checked atlas kernels load (set by :func:`prepared`)
    view_dir: Path | None = None  #: the kernel-free view served at /view/ (set by :func:`prepared`)
    public_url: str | None = None  #: the address phones reach the server at (kiosk QR code)
    kiosk_idle: float = 60.0
    kiosk_step: float = 12.0
    kiosk_lang: str = "en"
    extra_env: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if self.cull_idle_seconds is None:
            object.__setattr__(self, "cull_idle_seconds", 0 if self.is_kiosk else CULL_IDLE_SECONDS)

    @property
    def is_kiosk(self) -> bool:
        return Path(self.notebook).name == KIOSK

    @property
    def notebook_path(self) -> Path:
        return dashboards_path() / self.notebook  # an absolute notebook path stays as it is

    def replace(self, **changes) -> ServerConfig:
        return dataclasses.replace(self, **changes)

    def shown_url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}/"

    def command(self) -> list[str]:
        """The Voila command line.

        Every setting a deployment needs is here, so ``scoda-map serve`` is safe with
        no extra flags: sources stripped, tracebacks logged not shown, the offline
        template, kernels freed when a tab closes (Voila's shutdown beacon is refused
        without this xsrf setting: voila issue #1458) and culled when idle, and a cap
        on running kernels (see :mod:`scoda_map._voila_app`).
        """
        return [
            sys.executable, "-m", "scoda_map._voila_app", str(self.notebook_path),
            f"--port={self.port}", f"--Voila.ip={self.host}", "--Voila.port_retries=0",
            "--Voila.open_browser=True" if self.open_browser else "--no-browser",
            "--template=scoda", "--strip_sources=True", "--show_tracebacks=False",
            "--Voila.tornado_settings", "disable_check_xsrf=True",
            # 0 never culls: the kiosk's one kernel must live all day.
            f"--MappingKernelManager.cull_idle_timeout={self.cull_idle_seconds}",
            "--MappingKernelManager.cull_interval=60",
            f"--ScodaVoila.max_kernels={self.max_kernels}",
            f"--ScodaVoila.fork_kernels={self.fork_kernels}",
            f"--ScodaVoila.max_kernels_per_client={self.max_kernels_per_client}",
            # The kiosk's own browser keeps a slot that visitors from the network cannot take.
            *(["--ScodaVoila.reserved_local_kernels=1"] if self.is_kiosk else []),
            *([f"--ScodaVoila.backend_id={self.backend_id}"] if self.backend_id else []),
            *([f"--ScodaVoila.view_dir={self.view_dir}"] if self.view_dir else []),
            # Kernels that have already run the notebook wait for the next visitors
            # (the app reads the visitor's link only then: scoda_map._apps.request).
            *(["--preheat_kernel=True", f"--pool_size={max(1, self.pool_size)}"] if self.preheat else []),
            # Under load (dozens of kernels at once): unix sockets avoid kernels racing for TCP
            # ports, and a longer wait for a cell's last output avoids pages without the
            # dashboard (docs/performance.md, concurrency).
            "--KernelManager.transport=ipc", "--VoilaExecutor.iopub_timeout=30",
            # Only the front-end extensions the dashboards use. Above all not jupyterlab-plotly:
            # the charts load plotly.js's basic bundle themselves (scoda_map/_views/plotly_chart.py).
            f"--VoilaConfiguration.extension_allowlist={list(FRONT_END_EXTENSIONS)!r}",
        ]

    def environment(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """Environment for the server and its kernels (``base``: default ``os.environ``)."""
        env = dict(os.environ if base is None else base)
        env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(SHARE / "jupyter"), env.get("JUPYTER_PATH")]))
        if self.data is not None:
            env[_env.DATA] = str(Path(self.data).resolve())
        if self.atlas_cache is not None:
            env[_env.ATLAS_CACHE] = str(self.atlas_cache)
        env[_env.WORLDVIEW] = self.worldview
        if self.view_dir is not None:
            env[_env.VIEW] = VIEW_PATH
        if self.public_url:
            env[_env.PUBLIC_URL] = self.public_url
        if self.is_kiosk:
            env |= {_env.KIOSK_IDLE: str(self.kiosk_idle), _env.KIOSK_STEP: str(self.kiosk_step),
                    _env.KIOSK_LANG: self.kiosk_lang}
        if self.public_names:
            env[PUBLIC_NAMES_ENV] = ",".join(self.public_names)
        env |= dict(self.extra_env)
        return env


def add_options(parser: argparse.ArgumentParser, *, port_help: str = "port to listen on",
                kernels: bool = True, browser: bool = True) -> None:
    """Options every server command shares (serve, kiosk, cluster)."""
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"{port_help} (default {DEFAULT_PORT})")
    parser.add_argument("--data", help="geodata folder to show (default: the shipped geodata)")
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to listen on (default {DEFAULT_HOST}; 0.0.0.0 to let tablets on the network in)")
    parser.add_argument("--no-browser", action="store_true",
                        help="do not open a browser" if browser else argparse.SUPPRESS)
    parser.add_argument("--worldview", choices=WORLDVIEWS, default=DEFAULT_WORLDVIEW.value,
                        help=WORLDVIEW_HELP + "; visitors cannot change it")
    parser.add_argument("--public-name", action="append", metavar="NAME",
                        help="a host name visitors use to reach the server (repeatable); IP addresses and "
                             "localhost always work, other names are refused (DNS rebinding)")
    parser.add_argument("--preheat", action="store_true",
                        help="keep one kernel ready with the dashboard built: faster first paint, one idle kernel more (docs/performance.md)")
    parser.add_argument("--no-fork-kernels", action="store_true",
                        help="start every kernel from nothing instead of forking it from a process that has "
                             "imported the dashboards already (slower; for comparison, docs/performance.md)")
    if kernels:
        parser.add_argument("--max-kernels", type=int, default=DEFAULT_MAX_KERNELS,
                            help="most visitors served at once (one kernel, ~175 MB, each); others get a 'busy, "
                                 f"retrying' page (default {DEFAULT_MAX_KERNELS})")
        parser.add_argument("--max-kernels-per-client", type=int, default=DEFAULT_MAX_KERNELS_PER_CLIENT,
                            help="most kernels one address may hold, never all of --max-kernels (default "
                                 f"{DEFAULT_MAX_KERNELS_PER_CLIENT}; raise it when visitors share one address, "
                                 "e.g. behind NAT; 0: no cap)")


def config_from_args(args: argparse.Namespace, notebook: str = EXPLORER) -> ServerConfig:
    """The server the command line's options describe (serve, kiosk; cluster's workers)."""
    expect = getattr(args, "expect", 0) or 0
    kiosk = {"kiosk_idle": args.idle, "kiosk_step": args.step, "kiosk_lang": args.lang} if notebook == KIOSK else {}
    return ServerConfig(
        notebook=notebook, port=args.port, host=args.host, data=Path(args.data) if args.data else None,
        worldview=args.worldview, open_browser=not args.no_browser,
        max_kernels=getattr(args, "max_kernels", DEFAULT_MAX_KERNELS),
        max_kernels_per_client=getattr(args, "max_kernels_per_client", DEFAULT_MAX_KERNELS_PER_CLIENT),
        public_names=tuple(getattr(args, "public_name", None) or ()),
        preheat=bool(getattr(args, "preheat", False) or expect), pool_size=max(1, expect),
        fork_kernels=not getattr(args, "no_fork_kernels", False),
        public_url=getattr(args, "public_url", None), **kiosk)


def voila_command(notebook: str, port: int, **settings) -> list[str]:
    """``ServerConfig(notebook, port, **settings).command()``."""
    return ServerConfig(notebook=notebook, port=port, **settings).command()


def voila_environment(data: str | Path | None = None) -> dict[str, str]:
    """``ServerConfig(data=data).environment()``."""
    return ServerConfig(data=Path(data) if data is not None else None).environment()


@contextmanager
def prepared(config: ServerConfig, *, view: bool | None = None) -> Iterator[ServerConfig]:
    """Check the data, save the checked copy for the kernels and (for the explorer) write
    the kernel-free view; yield the config that uses them; remove them afterwards.

    Raises :class:`scoda_map._data.errors.DataValidationError` on bad data, ValueError when
    the folder has no basemap for ``config.worldview``: a server must refuse to start and say
    what is wrong here, not in a visitor's browser.
    """
    from ._data.cache import write_cache
    from ._data.loader import default_data_path, load

    folder = Path(config.data) if config.data is not None else default_data_path()
    atlas = load(folder)
    try:
        atlas.basemap(config.worldview)  # a folder may ship one basemap only
    except KeyError as error:
        raise ValueError(f"{folder}: {error.args[0]} (--worldview)") from None
    cache = write_cache(atlas)  # kernels load this checked copy instead of validating again
    work = cache.parent
    try:
        view_dir = None
        if view if view is not None else (not config.is_kiosk or config.public_url):
            from ._view_site import build_view

            # From the kiosk's view, phones get no button to the live page: that is the kiosk itself.
            view_dir = build_view(atlas, work / "view", live=not config.is_kiosk, worldview=config.worldview)
        yield config.replace(data=folder, atlas_cache=cache, view_dir=view_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def serve(config: ServerConfig) -> int:
    """Run Voila in the foreground until interrupted; return its exit code."""
    print(f"SCODA Cooperation Map: {config.shown_url()}", flush=True)
    if config.view_dir:
        print(f"  without a kernel (for a whole group at once): {config.shown_url()}{VIEW_PATH}", flush=True)
    process = subprocess.Popen(config.command(), env=config.environment())

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
