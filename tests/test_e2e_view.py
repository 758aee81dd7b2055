"""End to end: a shared link opens the kernel-free view of the same server, which leads to the live map.

A whole delegation scanning one QR code must not start a kernel each (docs/performance.md,
"A delegation at once"): the share panel's link and QR code open ``/view/`` with the view's
parameters, and "Open the live map" there opens the live explorer on the same view.
"""

import gzip
import urllib.request

import pytest

from scoda_map._testing.browser import open_dashboard

pytestmark = pytest.mark.browser

VIEW_READY = "body[data-ready=true]"


def test_the_shared_link_opens_the_view_without_a_kernel_and_leads_back_to_the_live_map(page, explorer_url):
    open_dashboard(page, explorer_url + "?lang=zh&feature=r-almaty")
    page.locator(".scoda-details").get_by_text("支持它的措施").wait_for()
    page.locator(".scoda-tabbar button", has_text="分享").click()  # the Share pane opens the share panel
    link = page.locator(".scoda-share .scoda-link")
    link.wait_for()
    shared = link.inner_text().strip()
    assert shared.startswith(explorer_url + "view/?") and "feature=r-almaty" in shared and "lang=zh" in shared

    kernels_before = len(explorer_url.kernel_processes())
    page.goto(shared, wait_until="domcontentloaded")
    page.wait_for_selector(VIEW_READY, state="attached")
    page.locator("#details").get_by_text("胶州—阿拉木图").first.wait_for()
    assert len(explorer_url.kernel_processes()) <= kernels_before  # the view started no kernel

    live = page.locator("#scoda-live")
    live.get_by_text("打开交互式地图").wait_for()
    live.click()
    page.wait_for_url(lambda url: "/view/" not in url and "feature=r-almaty" in url)
    page.locator(".scoda-details").get_by_text("支持它的措施").wait_for()
    assert page.outside == [], f"requests left the machine: {page.outside}"


def test_the_view_is_served_as_files_that_phones_can_cache_compressed(explorer_url):
    with urllib.request.urlopen(explorer_url + "view/", timeout=30) as response:
        page = response.read()
        assert response.headers["Cache-Control"] == "no-cache"  # a new data version shows at once
    asset = page.decode("utf-8").split('src="assets/', 1)[1].split('"', 1)[0]
    with urllib.request.urlopen(explorer_url + "view/assets/" + asset, timeout=30) as response:
        assert "max-age" in response.headers["Cache-Control"]
    request = urllib.request.Request(explorer_url + "view/", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Content-Type"].startswith("text/html")
        assert gzip.decompress(response.read()) == page
