"""Plain HTTP from a script: kernel slots, Host names, cross-site requests, what is served.

Issue 19, findings 3 (one script locks every visitor out), 9 (no Host allowlist,
cross-site GETs start kernels) and 10 (more served than SECURITY.md says, version
banners). Each attack comes from 127.0.0.2 (the script); 127.0.0.3 is another
visitor, who must still be served while it runs.
"""

import json

import pytest
from tornado.httpclient import HTTPClientError

from scoda_map._testing.attack import ATTACKER, OTHER, VISITOR, KernelSocket, page_kernel, request, voila_server, wait_for
from scoda_map._testing.sessions import close_tab

MAX_KERNELS = 3
UNCONNECTED_SECONDS = 4


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("security-http") / "voila.log"
    with voila_server(max_kernels=MAX_KERNELS, log_path=log,
                      extra=[f"--ScodaVoila.unconnected_kernel_seconds={UNCONNECTED_SECONDS}"]) as server:
        server.log = log
        yield server


def kernels(server) -> int:
    return len(server.kernel_processes())


def release(server, *pages):
    for body in pages:
        if page_kernel(body):
            close_tab(server, page_kernel(body))
    wait_for(lambda: kernels(server) == 0, message="every kernel gone")


# --- finding 3: kernel slots ----------------------------------------------------------------
def test_a_script_taking_pages_without_connecting_leaves_a_slot_for_another_visitor(server):
    from concurrent.futures import ThreadPoolExecutor

    wait_for(lambda: kernels(server) == 0, message="no kernel at the start")
    with ThreadPoolExecutor(MAX_KERNELS) as pool:  # the script asks for every slot at once
        taken = [pool.submit(request, server, source=ATTACKER) for _ in range(MAX_KERNELS)]
        # One is refused at once (429); the visitor asks while the script's pages render.
        wait_for(lambda: any(f.done() and f.result()[0] == 429 for f in taken), timeout=60,
                 message="the script refused a slot")
        status, _, body = request(server, source=VISITOR)
        taken = [f.result() for f in taken]
    statuses = sorted(status for status, _, _ in taken)
    assert statuses == [200] * (MAX_KERNELS - 1) + [429], statuses
    assert status == 200 and page_kernel(body), f"another visitor got no dashboard: HTTP {status}"
    release(server, body, *[b for _, _, b in taken])


def test_a_page_that_never_connects_lets_its_kernel_go(server):
    wait_for(lambda: kernels(server) == 0, message="no kernel at the start")
    status, _, body = request(server, source=ATTACKER)
    assert status == 200 and page_kernel(body)
    wait_for(lambda: kernels(server) == 0, timeout=UNCONNECTED_SECONDS + 30, message="unconnected kernel shut down")
    assert "never connected" in server.log.read_text()


def test_a_page_that_connects_keeps_its_kernel(server):
    wait_for(lambda: kernels(server) == 0, message="no kernel at the start")
    status, _, body = request(server, source=VISITOR)
    socket = KernelSocket(server, page_kernel(body))
    try:
        socket.read_for(UNCONNECTED_SECONDS + 4)  # past the unconnected page's life
        assert kernels(server) == 1
    finally:
        try:
            socket.close()
        finally:  # the kernel is let go even if closing failed, so the next test starts clean
            release(server, body)


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    log = tmp_path_factory.mktemp("security-kiosk") / "voila.log"
    with voila_server("kiosk.ipynb", max_kernels=2, cull_idle_seconds=0, log_path=log) as server:
        yield server


def test_the_kiosks_own_browser_keeps_its_slot(kiosk):
    """Visitors from the network cannot take the slot kept for the kiosk's browser (127.0.0.1)."""
    first = request(kiosk, source=ATTACKER)
    second = request(kiosk, source=VISITOR)
    assert first[0] == 200 and second[0] == 503
    own = request(kiosk, source="127.0.0.1")
    assert own[0] == 200 and page_kernel(own[2])
    release(kiosk, first[2], own[2])


# --- finding 9: Host names and cross-site requests --------------------------------------------
@pytest.mark.parametrize("path", ["", "voila/templates/scoda/static/scoda.css", "api/kernels"])
def test_a_rebound_host_name_is_refused(server, path):
    status, _, body = request(server, path, source=VISITOR, headers={"Host": "attacker.example:80"})
    assert status == 400 and "kernelId" not in body
    assert kernels(server) == 0


def test_a_rebound_host_cannot_open_a_kernel_websocket(server):
    status, _, body = request(server, source=VISITOR)
    try:
        with pytest.raises(HTTPClientError) as refused:  # the handshake is answered with an error status
            KernelSocket(server, page_kernel(body), headers={"Host": "attacker.example", "Origin": "http://attacker.example"})
        assert refused.value.code in (400, 403)
    finally:
        release(server, body)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", "192.168.1.20"])
def test_addresses_and_localhost_are_served(server, host):
    status, _, _ = request(server, "voila/templates/scoda/static/scoda.css", source=VISITOR, headers={"Host": host})
    assert status == 200


@pytest.mark.parametrize("dest,mode", [("image", "no-cors"), ("script", "no-cors"), ("empty", "cors"), ("iframe", "navigate")])
def test_another_sites_page_cannot_start_kernels(server, dest, mode):
    status, _, body = request(server, source=OTHER, headers={
        "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": mode, "Sec-Fetch-Dest": dest})
    assert status == 403 and not page_kernel(body)
    assert kernels(server) == 0


def test_a_shared_link_followed_from_another_site_opens_the_dashboard(server):
    status, _, body = request(server, "?lang=zh", source=OTHER, headers={
        "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", "Sec-Fetch-User": "?1"})
    assert status == 200 and page_kernel(body)
    release(server, body)


# --- finding 10: only what the page needs, no banners ---------------------------------------
@pytest.mark.parametrize("path", [
    "voila/labextensions/jupyterlab-plotly/package.json",
    "voila/labextensions/jupyterlab_pygments/package.json",
    "voila/labextensions/@voila-dashboards/jupyterlab-preview/package.json",
    "voila/templates/lab/static/index.css",
    "voila/templates/reveal/static/index.css",
    "voila/templates/classic/static/index.css",
])
def test_other_extensions_and_templates_are_not_served(server, path):
    assert request(server, path, source=VISITOR)[0] == 404


@pytest.mark.parametrize("path", ["voila/labextensions/jupyter-leaflet/package.json",
                                  "voila/labextensions/anywidget/package.json",
                                  "voila/templates/scoda/static/scoda-page.js"])
def test_the_front_ends_the_dashboards_use_are_served(server, path):
    assert request(server, path, source=VISITOR)[0] == 200


def test_no_version_banners_in_headers_pages_or_the_kernel(server):
    import platform

    import tornado
    import voila

    banners = [f"TornadoServer/{tornado.version}", f'"{voila.__version__}"', f"voila/{voila.__version__}",
               f"Python {platform.python_version()}", platform.python_version()]
    for path in ["voila/templates/scoda/static/scoda.css", "no-such-page", "api/kernels"]:
        status, headers, body = request(server, path, source=VISITOR)
        assert "server" not in headers
        assert not any(b in body for b in banners)
    status, headers, body = request(server, source=VISITOR)
    socket = KernelSocket(server, page_kernel(body))
    try:
        assert "server" not in headers and not any(b in body for b in banners)
        reply = socket.request_reply("kernel_info_request", {}, "kernel_info_reply")
        assert reply is not None
        content = json.dumps(reply["content"])
        assert platform.python_version() not in content and "IPython" not in content
    finally:
        try:
            socket.close()
        finally:  # the kernel is let go even if closing failed, so the next test starts clean
            release(server, body)
