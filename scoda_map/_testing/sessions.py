"""Visitors that do not render: fetch the page (the notebook runs in a new kernel),
open the kernel's websocket, then close the tab the way a browser does.

Used by the hardening tests and the sessions soak (benchmarks/sessions_soak.py):
the machine's cost of a visitor without the browser's.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


def open_page(url: str, timeout: float = 120) -> tuple[int, str]:
    """GET the dashboard; return (status, body)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def kernel_id(page: str) -> str | None:
    match = KERNEL_ID.search(page)
    return match.group(1) if match else None


def close_tab(url: str, kernel: str, opener=None) -> int:
    """What a closing tab sends: Voila's shutdown beacon for its kernel.

    ``opener`` (a urllib opener with a cookie jar) sends the visitor's cookies, so
    a load balancer routes the beacon to the process that holds the kernel.
    """
    request = urllib.request.Request(f"{url}voila/api/shutdown/{kernel}", data=b"", method="POST")
    try:
        with (opener.open if opener else urllib.request.urlopen)(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


async def touch_websocket(url: str, kernel: str, seconds: float = 1.0) -> int:
    """Open the kernel websocket, ask for kernel info and read until the reply has come
    (at most ``seconds``); return the frames read."""
    import asyncio

    from tornado.websocket import websocket_connect

    ws_url = url.replace("http://", "ws://") + f"api/kernels/{kernel}/channels"
    connection = await websocket_connect(ws_url)
    connection.write_message(json.dumps({
        "header": {"msg_id": "probe", "msg_type": "kernel_info_request", "username": "", "session": "probe",
                   "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell", "buffers": [],
    }))
    frames = 0
    deadline = asyncio.get_running_loop().time() + seconds
    try:
        while True:
            message = await asyncio.wait_for(connection.read_message(), timeout=deadline - asyncio.get_running_loop().time())
            if message is None:
                break
            frames += 1
            if isinstance(message, str) and '"kernel_info_reply"' in message:
                break
    except TimeoutError:
        pass
    connection.close()
    return frames


def run_async(coroutine):
    """Run a coroutine to completion in a thread of its own.

    Tests may run while playwright's sync API holds an event loop in the main
    thread, where ``asyncio.run`` refuses to start.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
