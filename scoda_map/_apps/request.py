"""The visitor's request, for a dashboard built before the visitor arrived.

With ``--preheat`` Voila runs the notebook in a spare kernel before anyone asks for
it; the visitor's link (``QUERY_STRING``) is not known yet. Voila answers a
websocket at ``<server>/voila/query/<kernel id>`` with the request's details (a JSON
object of environment variables) once a visitor takes the kernel; the notebook
waits for that message and copies it into ``os.environ``.

Voila's own helper (``voila.utils.wait_for_request``) does the same, but importing
it loads Voila, jupyter_server and jupyter-events into every kernel (with
``rfc3987-syntax`` installed, as a plain ``pip install`` leaves it, about 3 s per
kernel on a 2-core machine). This module does it with tornado, which the kernel has
loaded already.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading

log = logging.getLogger("scoda_map")

#: Environment variables Voila gives a preheated kernel (voila.utils.ENV_VARIABLE).
PREHEAT, KERNEL_ID = "VOILA_PREHEAT", "VOILA_KERNEL_ID"
CONNECT_TIMEOUT = 5.0


def query_url(environ: dict[str, str] | None = None) -> str:
    """Where a preheated kernel asks for its request, as Voila builds it.

    >>> query_url({"VOILA_APP_PORT": "9000", "VOILA_KERNEL_ID": "k1"})
    'ws://127.0.0.1:9000/voila/query/k1'
    >>> query_url({"VOILA_SERVER_URL": "/map/", "VOILA_KERNEL_ID": "k1"})
    'ws://127.0.0.1:8866/map/voila/query/k1'
    """
    env = os.environ if environ is None else environ
    protocol = env.get("VOILA_WS_PROTOCOL", "ws")
    host = env.get("VOILA_APP_IP", "127.0.0.1")
    port = env.get("VOILA_APP_PORT", "8866")
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{env.get(KERNEL_ID, '')}"


async def _receive(url: str) -> str | None:
    from tornado.websocket import websocket_connect

    connection = await websocket_connect(url, connect_timeout=CONNECT_TIMEOUT)
    try:
        return await connection.read_message()  # arrives when a visitor takes this kernel
    finally:
        connection.close()


def wait_for_request(environ: dict[str, str] | None = None) -> bool:
    """In a preheated kernel: block until a visitor takes it, then put the request's
    details (``QUERY_STRING`` …) into ``os.environ``. Returns at once otherwise.

    True when request details arrived.

    >>> wait_for_request({})  # not preheated: nothing to wait for
    False
    """
    env = os.environ if environ is None else environ
    if env.get(PREHEAT, "False") == "False":
        return False
    url = query_url(env)
    received: list[str | None] = [None]

    def run() -> None:  # the kernel's own event loop is busy running this cell
        loop = asyncio.new_event_loop()
        try:
            received[0] = loop.run_until_complete(_receive(url))
        except Exception:  # logged; the dashboard still opens, on its home view
            log.warning("no request details from %s", url, exc_info=True)
        finally:
            loop.close()

    thread = threading.Thread(target=run, name="scoda-wait-for-request", daemon=True)
    thread.start()
    thread.join()
    if not received[0]:
        return False
    for key, value in json.loads(received[0]).items():
        os.environ[key] = str(value)
    return True
