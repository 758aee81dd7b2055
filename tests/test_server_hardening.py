"""Doors a visitor can open on the server: files, kernels, the crowd."""

import urllib.request

import pytest

from scoda_map._testing.server import running_server
from scoda_map._testing.sessions import close_tab, kernel_id, open_page, run_async, touch_websocket
from scoda_map._views.plotly_chart import PLOTLY_BASIC_PATH

MAX_KERNELS = 2


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


@pytest.mark.parametrize("path", ["voila/templates/scoda/static/scoda.css", "voila/static/voila.js", "voila/" + PLOTLY_BASIC_PATH])
def test_scripts_and_styles_come_compressed_for_a_phone_on_exhibition_wifi(server, path):
    import gzip

    request = urllib.request.Request(server + path, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
        assert response.headers.get("Content-Encoding") == "gzip"
    assert len(body) < len(gzip.decompress(body)) / 2


def test_closing_a_tab_frees_its_kernel(server):
    server.wait_for_kernels(0)
    status, page = open_page(server)
    kernel = kernel_id(page)
    assert status == 200 and kernel
    assert len(server.kernel_processes()) == 1
    assert run_async(touch_websocket(server, kernel)) >= 1
    assert close_tab(server, kernel) in (200, 204)
    server.wait_for_kernels(0)


def test_visitors_over_the_cap_get_a_polite_busy_page_not_a_hang(server):
    server.wait_for_kernels(0)
    kernels = [kernel_id(open_page(server)[1]) for _ in range(MAX_KERNELS)]
    status, page = open_page(server)
    assert status == 503
    assert len(server.kernel_processes()) == MAX_KERNELS  # refused before a kernel starts, not after a render
    assert "few seconds" in page and "几秒钟" in page and "несколько секунд" in page
    assert 'http-equiv="refresh"' in page
    for kernel in kernels:
        close_tab(server, kernel)
    server.wait_for_kernels(0)
    status, page = open_page(server)
    assert status == 200  # and the next visitor is served again
    close_tab(server, kernel_id(page))
