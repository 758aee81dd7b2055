"""Kernels: no client takes every slot, pages that never connect let go, memory is bounded.

One kernel per page; ``max_kernels`` bounds them all. Within that:

- a client (its address, :mod:`.clients`) may hold at most ``per_client`` kernels,
  never all of them: one slot is always left for somebody else;
- ``reserved_local`` slots are kept for this machine's own browser (the kiosk's):
  visitors from elsewhere get the busy page before they are taken;
- a page whose kernel websocket has not connected ``unconnected_seconds`` after
  the page was sent is a script's, not a visitor's: its kernel is shut down;
- a kernel whose memory (RSS, with its children) passes ``memory_mb`` is shut
  down and logged; the visitor's page says the connection is lost, and a reload
  starts a fresh kernel.
"""

from __future__ import annotations

import asyncio
import logging
import time

from tornado.ioloop import PeriodicCallback

log = logging.getLogger("scoda_map.security")

BUSY, TOO_MANY = 503, 429
#: A page still rendering after this long is not going to connect either.
RENDER_GIVE_UP_SECONDS = 600


class KernelGuard:
    """Admission and clean-up of visitors' kernels (one per server process)."""

    def __init__(self, kernel_manager, *, max_kernels: int, per_client: int, reserved_local: int,
                 unconnected_seconds: float, memory_mb: int, interval: float = 2.0):
        self.km = kernel_manager
        self.max_kernels, self.per_client, self.reserved_local = max_kernels, per_client, reserved_local
        self.unconnected_seconds, self.memory_mb, self.interval = unconnected_seconds, memory_mb, interval
        self.owners: dict[str, str] = {}        # kernel id -> client address
        self.registered: dict[str, float] = {}  # kernel id -> when its page started
        self.page_sent: dict[str, float] = {}   # kernel id -> when its page was complete
        self.connected: set[str] = set()
        self.starting: dict[object, str] = {}   # page handler -> client, kernel not started yet
        self.stopping: set[str] = set()
        self._timer: PeriodicCallback | None = None

    # --- admission -------------------------------------------------------------------------
    def client_cap(self) -> int:
        """Kernels one client may hold: never every slot."""
        if not self.per_client:
            return 0
        if not self.max_kernels:
            return self.per_client
        return max(1, min(self.per_client, self.max_kernels - self.reserved_local - 1))

    def refuse(self, client: str, local: bool) -> int | None:
        """None to let this page start a kernel, else the HTTP status to answer with."""
        ids = self._alive()
        running = self.running(ids)
        if self.max_kernels:
            cap = self.max_kernels - (0 if local else self.reserved_local)
            if running >= cap:
                return BUSY
        cap = self.client_cap()
        if cap and not local:
            mine = sum(1 for k in ids if self.owners.get(k) == client) + sum(
                1 for c in self.starting.values() if c == client)
            if mine >= cap:
                return TOO_MANY
        return None

    def running(self, ids: set[str] | None = None) -> int:
        """Kernels running or being started for a page.

        A page's kernel is listed from ``start_kernel()`` on, but the page names it (and
        leaves ``starting``) only when its config is written: each page counts once.
        """
        ids = self._alive() if ids is None else ids
        return max(len(ids), sum(1 for k in ids if k in self.owners) + len(self.starting))

    def page_started(self, handler, client: str) -> None:
        self.starting[handler] = client

    def kernel_known(self, handler, kernel_id: str) -> None:
        """The page being written names its kernel: from now on it counts as running."""
        client = self.starting.pop(handler, None)
        if client is not None and kernel_id not in self.owners:
            self.owners[kernel_id] = client
            self.registered[kernel_id] = time.monotonic()

    def page_done(self, handler, kernel_id: str | None) -> None:
        self.starting.pop(handler, None)
        if kernel_id and kernel_id in self.owners:
            self.page_sent.setdefault(kernel_id, time.monotonic())

    # --- clean-up --------------------------------------------------------------------------
    def start(self) -> None:
        self._timer = PeriodicCallback(self.check, self.interval * 1000)
        self._timer.start()

    def _alive(self) -> set[str]:
        ids = set(self.km.list_kernel_ids())
        for kernel_id in [k for k in self.owners if k not in ids]:
            self._forget(kernel_id)
        return ids

    def _forget(self, kernel_id: str) -> None:
        for table in (self.owners, self.registered, self.page_sent):
            table.pop(kernel_id, None)
        self.connected.discard(kernel_id)
        self.stopping.discard(kernel_id)

    def check(self) -> None:
        now = time.monotonic()
        ids = self._alive()
        connections = getattr(self.km, "_kernel_connections", {})
        for kernel_id in list(self.owners):
            if kernel_id in self.stopping:
                continue
            if connections.get(kernel_id, 0) > 0:
                self.connected.add(kernel_id)
            if kernel_id in self.connected:
                continue
            sent = self.page_sent.get(kernel_id)
            if sent is not None and now - sent > self.unconnected_seconds:
                self._shut_down(kernel_id, f"its page never connected ({self.unconnected_seconds:g} s)")
            elif sent is None and now - self.registered.get(kernel_id, now) > RENDER_GIVE_UP_SECONDS:
                self._shut_down(kernel_id, "its page never finished")
        if self.memory_mb:
            for kernel_id in ids - self.stopping:
                rss = kernel_memory_mb(self.km, kernel_id)
                if rss is not None and rss > self.memory_mb:
                    self._shut_down(kernel_id, f"it used {rss:.0f} MiB (budget {self.memory_mb} MiB)", now=True)

    def _shut_down(self, kernel_id: str, why: str, now: bool = False) -> None:
        self.stopping.add(kernel_id)
        log.warning("shutting down kernel %s of %s: %s", kernel_id, self.owners.get(kernel_id, "the pool"), why)

        async def stop():
            try:
                await _maybe_await(self.km.shutdown_kernel(kernel_id, now=now))
            except Exception:  # gone already, or failing: say so, keep guarding
                log.warning("could not shut down kernel %s", kernel_id, exc_info=True)
            finally:
                self._forget(kernel_id)

        asyncio.ensure_future(stop())


async def _maybe_await(value):
    if asyncio.iscoroutine(value) or isinstance(value, asyncio.Future):
        return await value
    return value


def kernel_memory_mb(kernel_manager, kernel_id: str) -> float | None:
    """Resident memory of a kernel's process and its children, in MiB (None: unknown)."""
    import psutil

    try:
        kernel = kernel_manager.get_kernel(kernel_id)
        process = getattr(getattr(kernel, "provisioner", None), "process", None)
        pid = getattr(process, "pid", None)
        if pid is None:
            return None
        root = psutil.Process(pid)
        total = root.memory_info().rss
        for child in root.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                continue
        return total / 2**20
    except (KeyError, psutil.Error):
        return None
