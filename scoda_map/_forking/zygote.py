"""The template process: imports what a dashboard kernel needs once, then forks kernels.

Run by :mod:`scoda_map._forking.provisioner` as ``python -m scoda_map._forking.zygote
[explorer]`` (with ``explorer``, the explorer is drawn once ahead: :func:`warm_explorer`).
It talks over its standard input and output, one JSON object a line:

- it says ``{"ready": PID}`` once the imports are done;
- each request ``{"argv": [...], "env": {...}, "cwd": "..."}`` (an ordinary
  ``python -m ipykernel_launcher -f FILE`` command) is answered ``{"pid": PID}`` of a new
  kernel process, forked from this one, that runs exactly that command (or ``{"error":
  "..."}`` when it cannot fork: the server then starts that kernel the ordinary way);
- ``{"exited": PID, "code": N}`` reports a kernel's end (this process is its parent).

End of input (the server has gone) ends the template; its kernels notice their parent's
end and stop, as kernels of a stopped server always did. The template never runs a
visitor's code itself, and holds no socket, thread or event loop a kernel could inherit.
"""

from __future__ import annotations

import gc
import json
import os
import selectors
import signal
import sys

#: What a dashboard kernel imports before its first message (measured with
#: ``python -X importtime``): everything the notebooks' one line pulls in.
PRELOAD = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.comm",
    "ipywidgets", "ipyleaflet", "anywidget", "setproctitle",
    "scoda_map._apps.explorer", "scoda_map._apps.kiosk", "scoda_map._data.cache",
)


def preload(dashboard: str | None = None) -> None:
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    if dashboard == "explorer":
        warm_explorer()
    # Everything imported so far lives as long as the kernels: out of the collector's
    # reach, a kernel's collections neither walk it nor copy its pages (copy-on-write).
    gc.collect()
    gc.freeze()


def warm_explorer() -> None:
    """Draw the explorer once here, in each language, with no kernel (its widgets talk to
    nobody, then close): a forked kernel then finds the server's checked atlas in memory
    (scoda_map._data.cache) and the fragments of its first view, and of a first switch to
    Chinese or Russian, already drawn (scoda_map._render.memo). Only with the server's
    checked copy of the data: without it a kernel reads the files, as before."""
    from scoda_map import _env

    if not os.environ.get(_env.ATLAS_CACHE):
        return
    import ipykernel.ipkernel
    from ipywidgets import Widget

    from scoda_map._apps.explorer import Explorer
    from scoda_map._data.loader import load_for_dashboard
    from scoda_map._data.worldview import from_environment

    try:
        app = Explorer(load_for_dashboard(os.environ.get(_env.DATA) or None), worldview=from_environment(),
                       view_path=os.environ.get(_env.VIEW) or None)
        for lang in ("zh", "ru", "en"):
            app.state.lang = lang
    except Exception:  # noqa: BLE001 - kernels start cold instead; the log says why
        import traceback

        print("scoda-map: the kernels' template could not draw the explorer ahead:", file=sys.stderr)
        traceback.print_exc()
    finally:
        # Nothing of it may reach a kernel: no widget, no comm, no comm manager.
        Widget.close_all()
        ipykernel.ipkernel._comm_manager = None


def become_kernel(request: dict, keep: tuple[int, ...]) -> None:
    """In the forked child: take on the request's environment and run ipykernel; never returns."""
    code = 1
    try:
        os.setsid()  # its own process group, as jupyter_client gives every kernel
        signal.set_wakeup_fd(-1)
        for number in (signal.SIGCHLD, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for fd in keep:
            os.close(fd)
        argv = [str(part) for part in request["argv"]]
        _set_title(argv)  # before the environment changes: setproctitle needs it as it was
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        import random

        random.seed()  # not the template's sequence in every kernel
        # The kernel ends when its parent (this template) does. ipykernel read its parent's
        # pid from JPY_PARENT_PID when the template imported it, before any kernel existed.
        arguments = [*argv[3:], f"--IPKernelApp.parent_handle={os.getppid()}"]
        sys.argv = ["ipykernel_launcher", *arguments]
        _register_widget_targets()
        from ipykernel.kernelapp import launch_new_instance

        launch_new_instance(argv=arguments)
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # noqa: BLE001 - reported on the server's log, then the kernel ends
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _register_widget_targets() -> None:
    """Give the kernel ipywidgets' comm targets, as an ordinary kernel has them.

    ipywidgets registers ``jupyter.widget`` and ``jupyter.widget.control`` when it is
    imported inside a running kernel. The template imported it before any kernel existed,
    so a forked kernel had neither: the page's widget manager asked for every widget's state
    on the control channel, was refused, and fell back to one request a widget (about 150
    round trips for the explorer, each with its busy and idle messages). Registered here,
    on the comm manager the kernel is about to take up (ipykernel makes one per process)."""
    from ipywidgets import register_comm_target

    register_comm_target()


def _set_title(argv: list[str]) -> None:
    """The kernel's command line reads as an ordinary kernel's (``ps``, the tests and the
    benchmark find kernels by ``ipykernel`` and their connection file in it)."""
    try:
        import setproctitle
    except ImportError:
        return
    setproctitle.setproctitle(" ".join(argv))


def serve(requests: int, replies: int) -> None:
    """Answer fork requests from ``requests`` on ``replies`` until the input ends."""
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # the wake-up pipe does the work
    selector = selectors.DefaultSelector()
    selector.register(requests, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)

    def send(message: dict) -> None:
        os.write(replies, (json.dumps(message) + "\n").encode())

    send({"ready": os.getpid()})
    pending = b""
    while True:
        for key, _ in selector.select():
            if key.fd == wake_read:
                os.read(wake_read, 4096)
                _reap(send)
                continue
            chunk = os.read(requests, 65536)
            if not chunk:
                return
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                try:
                    request = json.loads(line)
                    pid = os.fork()
                except (ValueError, OSError) as error:  # the server starts that kernel the ordinary way
                    send({"error": str(error)})
                    continue
                if pid == 0:
                    selector.close()
                    become_kernel(request, keep=(requests, replies, wake_read, wake_write))
                send({"pid": pid})


def _reap(send) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        send({"exited": pid, "code": os.waitstatus_to_exitcode(status)})


def main() -> None:
    # The pipes to the server are moved off 0 and 1: a kernel's own output goes to the
    # server's log (standard error), as a kernel launched the ordinary way does.
    requests, replies = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(2, 1)
    os.close(null)
    preload(sys.argv[1] if len(sys.argv) > 1 else None)
    serve(requests, replies)


if __name__ == "__main__":
    main()
