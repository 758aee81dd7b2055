"""``scoda-map cluster``: several Voila processes behind nginx, started by one command.

Voila runs one kernel per visitor inside the process that served the page, so one
process is bounded by what its kernels cost. This starts N explorer processes
(``scoda-map serve``'s command line, each on a free loopback port and named by
``ScodaVoila.backend_id``) and Debian's nginx in front of them, as the current
user, with its configuration, pid file, logs and temporary files in one run
folder. Pages set a cookie naming their process and nginx routes on it, so a
page's kernel websocket reaches the process that started the kernel (see
``scoda_map/_share/nginx/scoda.conf.j2``). Ctrl-C or SIGTERM stops nginx, then
the workers (which shut their kernels down), then removes the run folder.

Nothing here supervises: if any process dies the command stops everything and
exits 1, for systemd (or whatever started it) to restart.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from . import _server

NGINX = "/usr/sbin/nginx"
NGINX_HELP = "nginx is not installed; on Debian or Ubuntu: sudo apt-get install nginx"
TEMPLATE = _server.SHARE / "nginx" / "scoda.conf.j2"
#: A static file: asking for "/" would start a kernel.
PROBE_PATH = "voila/templates/scoda/static/scoda.css"
START_TIMEOUT = 120.0
STOP_TIMEOUT = 20.0


@dataclass
class Worker:
    id: str
    port: int
    process: subprocess.Popen | None = None
    log: Path | None = None


class _Stop(Exception):
    """SIGTERM or SIGHUP arrived."""


def free_port(host: str = "127.0.0.1") -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def render_config(workers: list[Worker], run_dir: Path, listen: str, user: str | None = None) -> str:
    """The nginx configuration for these workers (a pure function, for tests)."""
    import jinja2

    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    return template.render(workers=workers, run_dir=str(run_dir), conf=str(run_dir / "nginx.conf"),
                           listen=listen, cookie=_server.BACKEND_COOKIE, user=user)


def _listen_address(host: str, port: int) -> str:
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


def _die_with_parent() -> None:
    """In the child: get SIGTERM if the cluster process dies, even by SIGKILL (Linux)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _start(command: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    # Own session: a terminal's Ctrl-C reaches only this process, which stops the
    # children in order (nginx first, then the workers and their kernels).
    with open(log, "ab") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, start_new_session=True,
                                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + PROBE_PATH, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _wait_until_up(named: dict[str, tuple[str, subprocess.Popen]], timeout: float) -> None:
    """Wait until every (url, process) answers; raise if one exits or time runs out."""
    waiting = dict(named)
    deadline = time.monotonic() + timeout
    while waiting:
        for name, (url, process) in list(waiting.items()):
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode} before answering")
            if _answers(url):
                del waiting[name]
        if waiting and time.monotonic() > deadline:
            raise TimeoutError(f"no answer within {timeout:.0f} s from: {', '.join(waiting)}")
        if waiting:
            time.sleep(0.3)


def _tail(path: Path | None, lines: int = 15) -> str:
    if path is None or not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _stop(process: subprocess.Popen | None, sig: int | None = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> None:
    """Send ``sig`` (None: already sent), wait, then kill the process's session."""
    if process is None or process.poll() is not None:
        return
    if sig is not None:
        process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # its session: whatever it started and left
        except OSError:
            process.kill()
        process.wait(timeout=5)


def run_cluster(config: _server.ServerConfig | None = None, *, workers: int = 2, run_dir: str | Path | None = None,
                nginx: str = NGINX) -> int:
    """Start the workers and nginx; block until Ctrl-C/SIGTERM or a process dies.

    ``config`` is the server nginx stands for (its port and host are nginx's); each worker
    runs it on its own loopback port with ``config.max_kernels`` kernels at most. Give it
    the result of :func:`scoda_map._server.prepared`, so the workers' kernels load the
    checked data and the kernel-free view is served, as under ``scoda-map serve``.
    """
    config = config or _server.ServerConfig()
    port, host = config.port, config.host
    if not Path(nginx).is_file() or not os.access(nginx, os.X_OK):
        print(NGINX_HELP, file=sys.stderr)
        return 1
    if workers < 1:
        print("--workers must be at least 1", file=sys.stderr)
        return 2
    keep = run_dir is not None
    root = Path(run_dir).resolve() if keep else Path(tempfile.mkdtemp(prefix="scoda-cluster-"))
    (root / "tmp").mkdir(parents=True, exist_ok=True)
    pool = [Worker(id=f"w{i}", port=free_port()) for i in range(1, workers + 1)]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Started as root, nginx's workers run as nobody: they must reach tmp/ (nginx gives
        # them its subfolders) to buffer large responses to slow clients.
        root.chmod(0o711)
        (root / "tmp").chmod(0o755)
    conf = root / "nginx.conf"
    conf.write_text(render_config(pool, root, _listen_address(host, port)), encoding="utf-8")
    nginx_process = None
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}

    def on_signal(sig, frame):
        raise _Stop()

    for sig in previous:
        signal.signal(sig, on_signal)
    status = 0
    try:
        check = subprocess.run([nginx, "-t", "-q", "-p", str(root), "-c", str(conf)],
                               capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            print(f"nginx refused {conf}:\n{check.stderr.strip()}", file=sys.stderr)
            return 1
        for worker in pool:
            own = config.replace(port=worker.port, host="127.0.0.1", backend_id=worker.id, open_browser=False)
            worker.log = root / f"worker-{worker.id}.log"
            worker.process = _start(own.command(), worker.log, own.environment())
        _wait_until_up({f"worker {w.id} (port {w.port}, log {w.log})": (f"http://127.0.0.1:{w.port}/", w.process)
                        for w in pool}, START_TIMEOUT)
        nginx_process = _start([nginx, "-p", str(root), "-c", str(conf)], root / "nginx.out")
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        url = f"http://{_listen_address(shown, port)}/"
        _wait_until_up({f"nginx (log {root / 'nginx-error.log'})": (url, nginx_process)}, 30)
        for worker in pool:
            print(f"  worker {worker.id}: 127.0.0.1:{worker.port} (pid {worker.process.pid}, "
                  f"at most {config.max_kernels} visitors)", flush=True)
        print(f"  nginx: {conf} (pid {nginx_process.pid})", flush=True)
        print(f"SCODA Cooperation Map ({workers} processes behind nginx): {url}", flush=True)
        watched = [(f"worker {w.id}", w.process, w.log) for w in pool]
        watched.append(("nginx", nginx_process, root / "nginx-error.log"))
        while True:
            for name, process, log in watched:
                if process.poll() is not None:
                    print(f"{name} exited with {process.returncode}; stopping the cluster.", file=sys.stderr)
                    tail = _tail(log)
                    if tail:
                        print(tail, file=sys.stderr)
                    status = 1
                    break
            else:
                time.sleep(0.5)
                continue
            break
    except (KeyboardInterrupt, _Stop):
        print("stopping the cluster", flush=True)
    except (RuntimeError, TimeoutError, OSError, subprocess.SubprocessError) as error:
        print(f"cluster failed: {error}", file=sys.stderr)
        for worker in pool:
            if worker.process is not None and worker.process.poll() is not None:
                print(f"--- {worker.log}\n{_tail(worker.log, 10)}", file=sys.stderr)
        status = 1
    finally:
        try:
            for sig in previous:  # a second Ctrl-C or SIGTERM must not cut the clean-up short
                signal.signal(sig, signal.SIG_IGN)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            _stop(nginx_process, signal.SIGTERM, 10)  # fast shutdown: open websockets would hold a graceful one
            for worker in pool:  # Voila shuts its kernels down on SIGTERM
                if worker.process is not None and worker.process.poll() is None:
                    worker.process.send_signal(signal.SIGTERM)
            for worker in pool:
                _stop(worker.process, None)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            signal.signal(signal.SIGINT, signal.default_int_handler)
        if status == 0 and not keep:
            shutil.rmtree(root, ignore_errors=True)
        elif status != 0:
            print(f"logs kept in {root}", file=sys.stderr)
    return status


def _run(args: argparse.Namespace) -> int:
    from ._data.errors import DataValidationError

    args.no_browser = True  # as `serve --no-browser`: the cluster never opens one
    config = _server.config_from_args(args).replace(max_kernels=args.max_kernels_per_worker)
    try:
        with _server.prepared(config) as ready:  # checked once; every worker's kernels load it (as `serve`)
            return run_cluster(ready, workers=args.workers, run_dir=args.run_dir)
    except (DataValidationError, ValueError) as error:  # refuse to start on bad data, as `serve` does
        print(error, file=sys.stderr)
        return 1


def add_parser(commands) -> None:
    """Add ``scoda-map cluster`` to the command line's subcommands."""
    cluster = commands.add_parser(
        "cluster", help="serve the explorer from several processes behind nginx (more visitors per machine)",
        description="Start N explorer processes on free loopback ports and Debian's nginx in front of them "
                    "(sticky by cookie, so each tab's kernel websocket reaches its process); print the one URL; "
                    "stop everything on Ctrl-C or SIGTERM. Needs nginx (sudo apt-get install nginx); "
                    "no root needed. See docs/performance.md, 'Concurrency and scale-out'.")
    cluster.add_argument("--workers", type=int, default=2, help="Voila processes (default 2; about one per core)")
    _server.add_options(cluster, port_help="port nginx listens on", kernels=False, browser=False)
    cluster.add_argument("--max-kernels-per-worker", type=int, default=_server.DEFAULT_MAX_KERNELS,
                         help="visitors each process serves at once (a kernel, ~200 MB, each); "
                              "others get a 'busy, retrying' page (default 24)")
    cluster.add_argument("--run-dir", help="folder for nginx's configuration, logs and pid file, kept after "
                                           "(default: a temporary folder, removed on a clean stop)")
    cluster.set_defaults(run=_run)
