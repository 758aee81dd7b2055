"""Visitors that arrive together: clients that fetch what a browser would, and one real browser."""

from __future__ import annotations

import asyncio
import gzip
import http.cookiejar
import json
import math
import re
import threading
import time
import urllib.error
import urllib.request

from scoda_map._server import BACKEND_COOKIE
from scoda_map._testing.sessions import close_tab

from .crowd_servers import Target

KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
#: The explorer's one widget output: a page without it has lost the notebook's output (Voila's
#: executor gives up waiting for IOPub after nbclient's iopub_timeout, 4 s, when the server lags).
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: The phone profile of the delegation step (a mid-range phone; Chrome DevTools' "4x slowdown").
PHONE = {"viewport": {"width": 390, "height": 844}, "scale": 3, "cpu_slowdown": 4,
         "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/156.0 Mobile Safari/537.36"}
#: The kernel-free view is drawn (scoda_map/_export/static/site.js sets it).
VIEW_READY = "body[data-ready=true]"
PAGE_TIMEOUT = 240.0  # a page not complete by then is an error (timeout)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


class Visitor:
    """A tab that does not render, with its own cookies as a browser has."""

    def __init__(self, url: str, query: str = ""):
        self.url, self.query = url, query  # the server's root; the link's query string ("?…")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.record: dict = {"outcome": None}

    def cookies(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def fetch_page(self, deadline: float) -> tuple[int, str]:
        request = urllib.request.Request(self.url + self.query)
        try:
            with self.opener.open(request, timeout=60) as response:
                chunks = []
                while True:
                    if time.monotonic() > deadline:
                        raise TimeoutError("page not complete in time")
                    chunk = response.read(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
                return response.status, b"".join(chunks).decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    async def session(self, kernel: str, loaded, all_loaded: threading.Event, hold: float, deadline: float) -> None:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        request = HTTPRequest(self.url.replace("http://", "ws://") + f"api/kernels/{kernel}/channels",
                              headers={"Cookie": self.cookies()}, connect_timeout=30, request_timeout=30)
        started = time.monotonic()
        connection = await websocket_connect(request)
        try:
            connection.write_message(json.dumps({
                "header": {"msg_id": "probe", "msg_type": "kernel_info_request", "username": "",
                           "session": "probe", "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell", "buffers": []}))
            frames = 0
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no kernel_info_reply")
                message = await asyncio.wait_for(connection.read_message(), timeout=min(left, 60))
                if message is None:
                    raise ConnectionError("websocket closed before the kernel_info_reply")
                frames += 1
                if isinstance(message, str) and '"kernel_info_reply"' in message:
                    break
            self.record["kernel_info_s"] = time.monotonic() - started
            loaded()
            # Hold the session until everyone of the step has loaded, then `hold` seconds more, reading
            # all the while: tornado's client answers the server's pings only while messages are read.
            until = None
            while True:
                now = time.monotonic()
                if until is None and (all_loaded.is_set() or now >= deadline):
                    until = min(now + hold, deadline)
                if until is not None and now >= until:
                    break
                try:
                    message = await asyncio.wait_for(connection.read_message(), timeout=0.5)
                except TimeoutError:
                    continue
                if message is None:
                    raise ConnectionError("websocket closed while held")
                frames += 1
            self.record["frames"] = frames
        finally:
            connection.close()

    def close_tab(self, kernel: str) -> int:
        return close_tab(self.url, kernel, self.opener)

    def run(self, go: threading.Event, loaded, all_loaded: threading.Event, hold: float, step_deadline: float):
        record = self.record
        go.wait(30)
        started = time.monotonic()
        counted = False
        try:
            status, page = self.fetch_page(min(started + PAGE_TIMEOUT, step_deadline))
            record["status"], record["page_s"] = status, time.monotonic() - started
            if status == 503:
                record["outcome"] = "busy"
                return
            kernel = KERNEL_ID.search(page)
            if status != 200 or kernel is None:
                record["outcome"], record["error"] = "error", f"status {status}" + ("" if kernel else ", no kernel id")
                return
            record["backend"] = next((c.value for c in self.jar if c.name == BACKEND_COOKIE), None)
            if WIDGET_VIEW not in page:  # still a visitor with a kernel: hold and close it like the others
                record["incomplete"] = True

            def loaded_once():
                nonlocal counted
                counted = True
                loaded()

            try:
                asyncio.run(self.session(kernel.group(1), loaded_once, all_loaded, hold, step_deadline))
            finally:
                record["close_status"] = self.close_tab(kernel.group(1))
            if record.get("incomplete"):
                record["outcome"], record["error"] = "error", "page without the dashboard's output (IOPub timeout)"
            else:
                record["outcome"] = "ok"
        except Exception as error:  # noqa: BLE001 - every failure is a result here
            record["outcome"], record["error"] = "error", f"{type(error).__name__}: {error}"[:200]
            record.setdefault("page_s", time.monotonic() - started)
        finally:
            if not counted:
                loaded()


def phone_page(browser, outside: list):
    """A page as a mid-range phone opens it: 390x844 at 3x, touch, the CPU slowed 4x (CDP)."""
    from scoda_map._testing.browser import READY_TIMEOUT_MS, is_local

    context = browser.new_context(viewport=PHONE["viewport"], device_scale_factor=PHONE["scale"], is_mobile=True,
                                  has_touch=True, user_agent=PHONE["user_agent"])

    def guard(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(READY_TIMEOUT_MS)
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": PHONE["cpu_slowdown"]})
    return page


class ViewVisitor:
    """A phone opening the kernel-free view: the page, then every file it names, as a browser fetches them."""

    ASSET = re.compile(r'(?:src|href)="((?:assets/|live\.)[^"]+)"')

    def __init__(self, url: str):
        self.url = url
        self.record: dict = {"outcome": None}

    def get(self, url: str) -> tuple[int, int]:
        request = urllib.request.Request(url, headers={"User-Agent": PHONE["user_agent"], "Accept-Encoding": "gzip"})
        try:
            with urllib.request.urlopen(request, timeout=PAGE_TIMEOUT) as response:
                return response.status, len(response.read())
        except urllib.error.HTTPError as error:
            return error.code, 0

    def run(self, go: threading.Event, loaded, all_loaded: threading.Event, hold: float, deadline: float) -> None:
        go.wait(30)
        started = time.monotonic()
        try:
            request = urllib.request.Request(self.url, headers={"User-Agent": PHONE["user_agent"],
                                                                "Accept-Encoding": "gzip"})
            with urllib.request.urlopen(request, timeout=PAGE_TIMEOUT) as response:
                status, body = response.status, response.read()
                if response.headers.get("Content-Encoding") == "gzip":
                    received, body = len(body), gzip.decompress(body)
                else:
                    received = len(body)
            page = body.decode("utf-8", "replace")
            self.record["html_s"] = time.monotonic() - started
            base = self.url.split("?", 1)[0]
            for asset in dict.fromkeys(self.ASSET.findall(page)):
                code, size = self.get(base + asset)
                received += size
                status = status if code == 200 else code
            self.record["page_s"], self.record["bytes"], self.record["status"] = time.monotonic() - started, received, status
            self.record["outcome"] = "ok" if status == 200 else "error"
            if status != 200:
                self.record["error"] = f"status {status}"
        except Exception as error:  # noqa: BLE001 - every failure is a result here
            self.record["outcome"], self.record["error"] = "error", f"{type(error).__name__}: {error}"[:200]
            self.record.setdefault("page_s", time.monotonic() - started)
        finally:
            loaded()


def browser_visit(browser, target: Target, all_loaded: threading.Event, hold: float, deadline: float,
                  phone: bool = False, path: str = "", ready: str | None = None) -> dict:
    """One real Chromium tab under the load: its ready time, then held like the others, then closed.

    ``phone``: a phone's profile (390x844, touch, CPU slowed 4x); ``path`` and ``ready``: another
    page than the live explorer (the kernel-free view) and the selector that says it is drawn.
    """
    from scoda_map._testing.browser import READY_SELECTOR, new_page

    result: dict = {}
    outside: list = []
    page = phone_page(browser, outside) if phone else new_page(browser, outside=outside)
    ready = ready or READY_SELECTOR
    page.set_default_timeout(max(1000, (deadline - time.monotonic()) * 1000))
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text[:200]}") if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(f"pageerror: {str(e)[:200]}"))
    result["console"] = console
    started = time.monotonic()
    try:
        page.goto(target.url + path, wait_until="domcontentloaded")
        result["html_s"] = time.monotonic() - started
        page.wait_for_selector(ready, state="attached")
        result["ready_s"] = time.monotonic() - started
        result["outcome"] = "ok"
    except Exception as error:  # noqa: BLE001
        result["outcome"], result["error"] = "error", f"{type(error).__name__}: {str(error)[:160]}"
    try:
        cookies = {c["name"]: c["value"] for c in page.context.cookies()}
        result["backend"] = cookies.get(BACKEND_COOKIE)
        while not all_loaded.is_set() and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        page.wait_for_timeout(hold * 1000)
        kernel = KERNEL_ID.search(page.content())
        page.close(run_before_unload=True)  # fires Voila's shutdown beacon
        if kernel:  # give the beacon time to leave before the context (and its network) goes
            gone_by = time.monotonic() + 10
            while kernel.group(1) in target.kernel_ids() and time.monotonic() < gone_by:
                time.sleep(0.2)
            result["kernel_closed"] = kernel.group(1) not in target.kernel_ids()
        page.context.close()
    except Exception as error:  # noqa: BLE001
        result.setdefault("error", f"closing: {type(error).__name__}: {str(error)[:120]}")
    result["outside_requests"] = len(outside)
    return result
