"""Attack the server the way a script would: raw HTTP from chosen loopback addresses,
idle sockets, kernel websockets with hand-made messages. Used by tests/test_security_*.py.

Every address in 127.0.0.0/8 is this machine, so a test can be several clients:
127.0.0.1 is the local browser (the kiosk's), 127.0.0.2 and up are visitors.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from .server import Server, free_port, serving
from .sessions import KERNEL_ID

ATTACKER, VISITOR, OTHER = "127.0.0.2", "127.0.0.3", "127.0.0.4"


@contextmanager
def voila_server(notebook: str = "explorer.ipynb", *, max_kernels: int = 2, cull_idle_seconds: int = 600,
                 extra: list[str] | None = None, log_path: str | Path | None = None, env: dict | None = None,
                 open_files: int | None = None) -> Iterator[Server]:
    """The shipped Voila command line (``scoda_map._server.voila_command``) plus ``extra``
    settings, on a free port, optionally with a low open-files limit (soft and hard)."""
    from .. import _server

    port = free_port()
    command = _server.voila_command(notebook, port, max_kernels=max_kernels, cull_idle_seconds=cull_idle_seconds)
    environment = _server.voila_environment() | (env or {})
    with serving(command + list(extra or []), port, log_path=log_path, env=environment, open_files=open_files) as url:
        yield url


def request(url: str, path: str = "", *, source: str = ATTACKER, headers: dict | None = None,
            method: str = "GET", body: bytes | None = None, timeout: float = 120) -> tuple[int, dict, str]:
    """One HTTP request from ``source``; returns (status, headers, body text)."""
    parts = urlsplit(url + path)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout, source_address=(source, 0))
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target or "/", body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def page_kernel(body: str) -> str | None:
    match = KERNEL_ID.search(body)
    return match.group(1) if match else None


def idle_sockets(url: str, count: int, source: str = ATTACKER) -> list[socket.socket]:
    """Open ``count`` TCP connections that never send a request."""
    parts = urlsplit(url)
    sockets = []
    for _ in range(count):
        sock = socket.socket()
        sock.bind((source, 0))
        sock.settimeout(5)
        try:
            sock.connect((parts.hostname, parts.port))
        except OSError:
            sock.close()
            continue
        sockets.append(sock)
    return sockets


def wait_for(condition, timeout: float = 30, step: float = 0.2, message: str = "condition"):
    """Poll ``condition()`` until it returns something truthy; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{message}: not met within {timeout} s")
        time.sleep(step)


def kernel_message(msg_type: str, content: dict, channel: str = "shell", metadata: dict | None = None) -> str:
    """A kernel message in Jupyter's JSON websocket form."""
    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "", "session": "attack",
                   "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": metadata or {}, "content": content, "channel": channel, "buffers": [],
    })


class KernelSocket:
    """A kernel websocket driven by hand (tornado's client, in its own event loop thread)."""

    def __init__(self, url: str, kernel: str, headers: dict | None = None):
        import asyncio
        import threading

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.ws_url = url.replace("http://", "ws://") + f"api/kernels/{kernel}/channels"
        self.headers = headers or {}
        self.connection = self._run(self._connect())
        self.frames: list[str | bytes] = []

    def _run(self, coroutine, timeout: float = 60):
        import asyncio

        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def _connect(self):
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        return await websocket_connect(HTTPRequest(self.ws_url, headers=self.headers), max_message_size=64 << 20)

    def send(self, message: str | bytes) -> None:
        async def write():
            await self.connection.write_message(message, binary=isinstance(message, bytes))
        self._run(write())

    def read_for(self, seconds: float) -> list:
        """Frames received within ``seconds`` (None once the server has closed the socket)."""
        import asyncio

        async def read():
            got = []
            deadline = self.loop.time() + seconds
            while self.loop.time() < deadline:
                try:
                    frame = await asyncio.wait_for(self.connection.read_message(), deadline - self.loop.time())
                except TimeoutError:
                    break
                got.append(frame)
                if frame is None:
                    break
            return got
        frames = self._run(read(), timeout=seconds + 30)
        self.frames += [f for f in frames if f is not None]
        return frames

    def request_reply(self, msg_type: str, content: dict, reply_type: str, seconds: float = 30) -> dict | None:
        """Send a request and read until its reply arrives (or ``seconds`` pass)."""
        self.send(kernel_message(msg_type, content))
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for frame in self.read_for(1):
                if isinstance(frame, str):
                    message = json.loads(frame)
                    if message.get("header", {}).get("msg_type") == reply_type:
                        return message
                if frame is None:
                    return None
        return None

    def close(self) -> None:
        """Close the socket from its own loop's thread (tornado is not thread-safe: closing from
        the test's thread raced the loop answering the server's close frame, and the half-written
        buffer raised in tornado)."""
        async def shut():
            self.connection.close()
        try:
            self._run(shut(), timeout=10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=5)
