"""A jupyter_client kernel provisioner that forks kernels from a warm template process.

Used by every server this package starts (``serve``, ``kiosk``, ``cluster`` and the
benchmarks, through :class:`scoda_map._server.ServerConfig`): :func:`register` makes it the
default provisioner of the server process. It is jupyter_client's :class:`LocalProvisioner`
except for how the process comes to be: instead of starting ``python -m ipykernel_launcher
-f FILE`` from nothing, the template (:mod:`scoda_map._forking.zygote`) forks a process that
has imported everything already and runs that same command line in it. Signals, interrupts,
shutdown, restarts, culling and the memory budget work on that process as on any kernel.

Whenever the template cannot serve a launch (a kernel command other than ipykernel's in
this Python, a system without ``fork``, a template that failed to start or died) the launch
is the ordinary one, and the server log says why once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

__all__ = ["PROVISIONER_NAME", "ForkingProvisioner", "register"]

PROVISIONER_NAME = "scoda-forking-provisioner"
#: How long the template may take to import everything (a busy 2-core machine).
READY_SECONDS = 120

log = logging.getLogger("scoda_map")


def register(warm: str | None = None) -> None:
    """Make the forking provisioner this process's default one (no entry point needed:
    it works from a source checkout as from an installed package). ``warm="explorer"``:
    the template draws the explorer once ahead (the server serves the explorer)."""
    Template.warm = warm
    from importlib.metadata import EntryPoint

    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    entry = EntryPoint(name=PROVISIONER_NAME, value=f"{__name__}:ForkingProvisioner",
                       group=KernelProvisionerFactory.GROUP_NAME)
    KernelProvisionerFactory.provisioners[PROVISIONER_NAME] = entry
    KernelProvisionerFactory.instance().default_provisioner_name = PROVISIONER_NAME


def forkable(cmd: list[str]) -> bool:
    """Whether ``cmd`` is the ordinary ipykernel command of this very Python."""
    return (hasattr(os, "fork") and len(cmd) >= 3 and cmd[1:3] == ["-m", "ipykernel_launcher"]
            and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable))


class ForkedProcess:
    """The little of :class:`subprocess.Popen` a provisioner uses, for a kernel the template
    forked (its parent is the template, which reports its exit)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, template: Template):
        self.pid = pid
        self._template = template
        self._code: int | None = None

    @property
    def returncode(self) -> int | None:
        if self._code is None:
            self._code = self._template.exit_code(self.pid)
            if self._code is not None:
                # Kept here from now on: the template's record goes (an expo day starts hundreds
                # of kernels, and a later kernel may be given the same pid).
                self._template.forget(self.pid)
        return self._code

    def poll(self) -> int | None:
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        return self.returncode  # only called once poll() has seen the end

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        import signal

        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        import signal

        self.send_signal(signal.SIGKILL)


class Template:
    """The running template process of this server, and the kernels it forked."""

    _shared: Template | None = None
    _starting: asyncio.Lock | None = None
    _loop: asyncio.AbstractEventLoop | None = None
    warm: str | None = None  #: the dashboard the template draws ahead (set by :func:`register`)

    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process
        self.pid = process.pid
        self._lock = asyncio.Lock()
        self._replies: asyncio.Queue = asyncio.Queue()
        self._exits: dict[int, int] = {}
        self._reader = asyncio.ensure_future(self._read())

    @classmethod
    async def shared(cls) -> Template | None:
        """The server's template, started on first use; None if it cannot run."""
        loop = asyncio.get_running_loop()
        if cls._loop is not loop:  # a server has one loop; tests may run several in turn
            if cls._shared is not None and cls._shared.process.returncode is None:
                cls._shared.process.kill()
            cls._loop, cls._shared, cls._starting = loop, None, asyncio.Lock()
        async with cls._starting:
            if cls._shared is not None and cls._shared.alive:
                return cls._shared
            cls._shared = await cls._start()
            return cls._shared

    @classmethod
    async def stop(cls) -> None:
        """End the template (its input closes); its kernels end with it."""
        template, cls._shared = cls._shared, None
        if template is not None and template.process.returncode is None:
            template.process.stdin.close()
            await template.process.wait()

    @classmethod
    async def _start(cls) -> Template | None:
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "scoda_map._forking.zygote", *([cls.warm] if cls.warm else []),
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
            line = await asyncio.wait_for(process.stdout.readline(), READY_SECONDS)
            if "ready" not in json.loads(line or b"{}"):
                raise RuntimeError(f"the template said {line!r}")
        except Exception as error:  # noqa: BLE001 - kernels still start the ordinary way
            log.warning("kernels start the ordinary way: the template process did not start (%s)", error)
            return None
        return cls(process)

    @property
    def alive(self) -> bool:
        return self.process.returncode is None and not self._reader.done()

    async def fork(self, cmd: list[str], env: dict[str, str], cwd: str) -> int:
        async with self._lock:
            self.process.stdin.write((json.dumps({"argv": cmd, "env": env, "cwd": cwd}) + "\n").encode())
            await self.process.stdin.drain()
            pid = await asyncio.wait_for(self._replies.get(), READY_SECONDS)
        if not isinstance(pid, int):
            raise RuntimeError(pid or "the template process has gone")
        return pid

    def forget(self, pid: int) -> None:
        """Drop an ended kernel's exit code once its process object holds it."""
        self._exits.pop(pid, None)

    def exit_code(self, pid: int) -> int | None:
        if pid in self._exits:
            return self._exits[pid]
        if not self.alive:  # its kernels have lost their parent too; are they still there?
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                self._exits[pid] = -1
                return -1
            except PermissionError:
                pass
        return None

    async def _read(self) -> None:
        try:
            while line := await self.process.stdout.readline():
                message = json.loads(line)
                if "pid" in message or "error" in message:
                    self._replies.put_nowait(message.get("pid") or f"the template could not fork: {message['error']}")
                elif "exited" in message:
                    self._exits[message["exited"]] = message["code"]
        finally:
            self._replies.put_nowait(None)  # a launch waiting for an answer gets one


class ForkingProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, with kernels forked from the template when it can."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        template = await Template.shared() if forkable(cmd) else None
        if template is None:
            return await super().launch_kernel(cmd, **kwargs)
        env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        cwd = str(kwargs.get("cwd") or os.getcwd())
        try:
            pid = await template.fork(cmd, env, cwd)
        except Exception as error:  # noqa: BLE001 - the ordinary way still works
            log.warning("kernel started the ordinary way: the template process failed (%s)", error)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedProcess(pid, template)
        self.pid = self.pgid = pid  # the kernel made its own process group (os.setsid)
        self.cwd = cwd
        return self.connection_info
