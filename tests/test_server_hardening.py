"""Doors a visitor can open on the server: files, kernels, the crowd."""

import os
import time
import urllib.request

import pytest

from scoda_map._testing.server import running_server
from scoda_map._testing.sessions import close_tab, kernel_id, open_page, run_async, touch_websocket

MAX_KERNELS = 2
# The hardening issue's loop; SCODA_TEST_SESSIONS=20 makes a quick local run.
SESSIONS = int(os.environ.get("SCODA_TEST_SESSIONS", 200))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("hardening") / "serve.log"
    with running_server("serve", extra=["--max-kernels", str(MAX_KERNELS)], log_path=log) as server:
        yield server


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for_kernels(server, count: int, timeout: float = 30) -> None:
    """Poll until the server holds ``count`` kernels; the deadline is generous (a busy
    machine), since how fast kernels go is measured by benchmarks/timings.py."""
    deadline = time.monotonic() + timeout
    while len(server.kernel_processes()) != count:
        assert time.monotonic() < deadline, f"{len(server.kernel_processes())} kernels, expected {count}"
        time.sleep(0.2)


SECRETS = [
    "voila/files/../pyproject.toml", "voila/files/%2e%2e/pyproject.toml", "voila/files/..%2fpyproject.toml",
    "voila/files/explorer.ipynb", "voila/files/kiosk.ipynb", "voila/files/../geodata/datapackage.json",
    "voila/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "voila/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "voila/templates/scoda/conf.json", "voila/templates/scoda/index.html.j2",
    "voila/templates/scoda/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
    "voila/labextensions/%2e%2e/%2e%2e/%2e%2e/pyproject.toml", "voila/api/contents", "api/contents", "voila/tree",
    "environment.yml", "voila/files/environment.yml",
]


@pytest.mark.parametrize("path", SECRETS)
def test_the_repos_files_and_the_machines_cannot_be_fetched(server, path):
    status, body = fetch(server + path)
    assert status != 200 or b"[project]" not in body and b"root:" not in body and b"dependencies" not in body
    assert status in (302, 403, 404, 500) or body.lstrip().startswith(b"<!doctype html")


@pytest.mark.parametrize("path", ["voila/templates/scoda/static/scoda.css",
                                  "voila/templates/scoda/static/fonts/NotoSansSC-Regular-subset.woff2"])
def test_what_the_dashboards_need_is_served(server, path):
    assert fetch(server + path)[0] == 200


def test_closing_a_tab_frees_its_kernel(server):
    wait_for_kernels(server, 0)
    status, page = open_page(server)
    kernel = kernel_id(page)
    assert status == 200 and kernel
    assert len(server.kernel_processes()) == 1
    assert run_async(touch_websocket(server, kernel)) >= 1
    assert close_tab(server, kernel) in (200, 204)
    wait_for_kernels(server, 0)


def test_visitors_over_the_cap_get_a_polite_busy_page_not_a_hang(server):
    wait_for_kernels(server, 0)
    kernels = [kernel_id(open_page(server)[1]) for _ in range(MAX_KERNELS)]
    status, page = open_page(server)
    assert status == 503
    assert len(server.kernel_processes()) == MAX_KERNELS  # refused before a kernel starts, not after a render
    assert "few seconds" in page and "几秒钟" in page and "несколько секунд" in page
    assert 'http-equiv="refresh"' in page
    for kernel in kernels:
        close_tab(server, kernel)
    wait_for_kernels(server, 0)
    status, page = open_page(server)
    assert status == 200  # and the next visitor is served again
    close_tab(server, kernel_id(page))


def test_sessions_opened_and_closed_in_a_row_leave_nothing_behind(server):
    """200 visitors one after another (page fetched, kernel websocket opened, tab closed):
    no kernel left behind, and server memory back at its level after the first sessions
    (which load templates and handlers once)."""
    import psutil

    from concurrent.futures import ThreadPoolExecutor

    wait_for_kernels(server, 0)
    server_process = psutil.Process(server.process.pid).children()[0]
    rss = []  # MiB, every 10 sessions, all kernels gone
    # A closing tab sends its beacon and goes: the next visitor does not wait for the shutdown.
    with ThreadPoolExecutor(max_workers=1) as beacons:
        closing = []
        for number in range(SESSIONS):
            status, page = open_page(server)
            kernel = kernel_id(page)
            assert status == 200 and kernel, f"session {number}: HTTP {status}, no kernel in the page"
            assert run_async(touch_websocket(server, kernel, seconds=30)) >= 1, f"session {number}: no kernel reply"
            closing.append(beacons.submit(close_tab, server, kernel))
            if number % 10 == 9 or number == SESSIONS - 1:  # a short local run still has a sample
                assert all(beacon.result() in (200, 204) for beacon in closing)
                closing.clear()
                wait_for_kernels(server, 0)  # each tab's kernel goes
                rss.append(server_process.memory_info().rss / 2**20)
    wait_for_kernels(server, 0)
    start = rss[min(1, len(rss) - 1)]  # after 20 sessions
    assert rss[-1] < start * 1.10, f"server memory after every 10 sessions, MiB: {[round(r) for r in rss]}"
