"""`scoda-map cluster`: Voila processes behind nginx, sticky by cookie.

The nginx tests need Debian's nginx (.ci/run installs it) and skip without it.
"""

import asyncio
import email.utils
import http.cookiejar
import json
import re
import threading
import time
import urllib.error
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from scoda_map._cluster import NGINX, Worker, render_config, run_cluster
from scoda_map._testing.server import running_server
from scoda_map._testing.sessions import kernel_id, run_async
from scoda_map._voila_app import BACKEND_COOKIE

KERNELS_PER_WORKER = 2
needs_nginx = pytest.mark.skipif(not Path(NGINX).exists(),
                                 reason=f"{NGINX} is absent (sudo apt-get install nginx; .ci/run installs it)")


def test_the_config_sends_each_backend_cookie_to_its_process_and_the_rest_to_the_pool(tmp_path):
    conf = render_config([Worker("w1", 40001), Worker("w2", 40002)], tmp_path, "127.0.0.1:8866")
    assert re.search(r"map \$cookie_scoda_backend \$scoda_upstream \{\s*w1 127\.0\.0\.1:40001;\s*"
                     r"w2 127\.0\.0\.1:40002;\s*default scoda_pool;", conf)
    assert re.search(r"upstream scoda_pool \{\s*least_conn;\s*server 127\.0\.0\.1:40001;\s*server 127\.0\.0\.1:40002;", conf)
    assert "proxy_pass http://$scoda_upstream;" in conf and "listen 127.0.0.1:8866;" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf and "proxy_read_timeout 3600s;" in conf
    # nothing outside the run folder: no root needed
    for line in conf.splitlines():
        for path in re.findall(r'"(/[^"]+)"', line):
            assert path.startswith(str(tmp_path)), line


def test_without_nginx_the_command_says_how_to_install_it(tmp_path, capsys):
    assert run_cluster(nginx=str(tmp_path / "no-nginx")) == 1
    assert "apt-get install nginx" in capsys.readouterr().err


class Visitor:
    """A tab that does not render, with its own cookies (as a browser has)."""

    def __init__(self, url: str):
        self.url = url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.status = self.kernel = None

    def open(self) -> "Visitor":
        try:
            with self.opener.open(self.url, timeout=90) as response:
                self.status, page = response.status, response.read().decode()
                self.kernel = kernel_id(page)
        except urllib.error.HTTPError as error:
            self.status = error.code
        return self

    @property
    def backend(self) -> str | None:
        return next((c.value for c in self.jar if c.name == BACKEND_COOKIE), None)

    def cookies(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    async def kernel_info(self) -> dict:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        request = HTTPRequest(self.url.replace("http://", "ws://") + f"api/kernels/{self.kernel}/channels",
                              headers={"Cookie": self.cookies()}, connect_timeout=20, request_timeout=20)
        connection = await websocket_connect(request)
        connection.write_message(json.dumps({
            "header": {"msg_id": "probe", "msg_type": "kernel_info_request", "username": "", "session": "probe",
                       "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell", "buffers": []}))
        try:
            while True:
                message = await asyncio.wait_for(connection.read_message(), timeout=30)
                assert message is not None, "websocket closed before the kernel_info_reply"
                if isinstance(message, str):
                    reply = json.loads(message)
                    if reply.get("msg_type") == "kernel_info_reply":
                        return reply["content"]
        finally:
            connection.close()

    def close_tab(self) -> int:
        request = urllib.request.Request(f"{self.url}voila/api/shutdown/{self.kernel}", data=b"", method="POST")
        with self.opener.open(request, timeout=30) as response:
            return response.status


def open_together(url: str, count: int) -> list[Visitor]:
    visitors = [Visitor(url) for _ in range(count)]
    threads = [threading.Thread(target=visitor.open) for visitor in visitors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return visitors


def workers(cluster) -> dict[str, object]:
    """backend id -> the Voila process serving it."""
    import psutil

    found = {}
    for child in psutil.Process(cluster.process.pid).children():
        match = re.search(r"--ScodaVoila\.backend_id=(\S+)", " ".join(child.cmdline()))
        if match:
            found[match.group(1)] = child
    return found


def kernels_of(worker) -> set[str]:
    ids = set()
    for child in worker.children(recursive=True):  # forked by its template process
        match = re.search(r"kernel-([0-9a-f-]{36})\.json", " ".join(child.cmdline()))
        if match:
            ids.add(match.group(1))
    return ids


def wait_for_kernels(cluster, count: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while len(cluster.kernel_processes()) != count:
        assert time.monotonic() < deadline, f"{len(cluster.kernel_processes())} kernels, expected {count}"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.skip(f"{NGINX} is absent (sudo apt-get install nginx; .ci/run installs it)")
    log = tmp_path_factory.mktemp("cluster") / "cluster.log"
    extra = ["--workers", "2", "--max-kernels-per-worker", str(KERNELS_PER_WORKER)]
    with running_server("cluster", extra=extra, log_path=log) as url:
        yield url


@needs_nginx
def test_sessions_through_nginx_spread_over_both_processes_and_each_websocket_reaches_its_kernel(cluster):
    assert set(workers(cluster)) == {"w1", "w2"}
    # A burst of two more visitors than the cluster takes: each process lets in its cap and no more
    # (kernels join Voila's list only once started, so a check on that list alone lets a burst through).
    visitors = open_together(cluster, 2 * KERNELS_PER_WORKER + 2)
    statuses = sorted(v.status for v in visitors)
    assert statuses == [200] * (2 * KERNELS_PER_WORKER) + [503, 503], statuses
    visitors = [v for v in visitors if v.status == 200]
    assert all(v.kernel for v in visitors)
    assert len(cluster.kernel_processes()) == 2 * KERNELS_PER_WORKER  # the refused started no kernel
    by_backend = {name: kernels_of(process) for name, process in workers(cluster).items()}
    for visitor in visitors:  # the cookie names the process that holds the page's kernel
        assert visitor.kernel in by_backend[visitor.backend], (visitor.backend, by_backend)
    assert sorted(v.backend for v in visitors) == ["w1", "w1", "w2", "w2"]  # least_conn spread them
    for visitor in visitors:  # the websocket, through nginx, reaches that kernel
        assert run_async(visitor.kernel_info())["status"] == "ok"

    # Both processes full: a returning visitor gets the busy page at once, and its cookie
    # is cleared so the page's retry goes to the balancer's choice, not back to a full process.
    with pytest.raises(urllib.error.HTTPError) as busy:
        urllib.request.urlopen(urllib.request.Request(cluster, headers={"Cookie": f"{BACKEND_COOKIE}=w1"}), timeout=30)
    assert busy.value.code == 503 and len(cluster.kernel_processes()) == 2 * KERNELS_PER_WORKER
    cleared = SimpleCookie(", ".join(busy.value.headers.get_all("Set-Cookie") or []))
    assert cleared[BACKEND_COOKIE].value == "" and cleared[BACKEND_COOKIE]["expires"]  # expired: removed
    assert email.utils.parsedate_to_datetime(cleared[BACKEND_COOKIE]["expires"]).timestamp() < time.time()

    # Closing tabs (the beacon, routed by the cookie) frees their kernels; one stays open
    # for the next test, which checks that stopping the cluster takes it down.
    for visitor in visitors[1:]:
        assert visitor.close_tab() in (200, 204)
    wait_for_kernels(cluster, 1)


@needs_nginx
def test_stopping_the_cluster_stops_nginx_the_workers_and_their_kernels(cluster):
    import psutil

    if not cluster.kernel_processes():  # a tab left open: the stop must take its kernel down too
        assert Visitor(cluster).open().status == 200
    family = psutil.Process(cluster.process.pid).children(recursive=True)
    names = " ".join(" ".join(p.cmdline()) for p in family)
    assert "nginx: master" in names and "ipykernel" in names and names.count("scoda_map._voila_app") == 2
    cluster.process.terminate()
    assert cluster.process.wait(timeout=40) == 0
    gone, alive = psutil.wait_procs(family, timeout=10)
    assert not alive, [p.cmdline() for p in alive]
    with pytest.raises(OSError):
        urllib.request.urlopen(cluster, timeout=3)
