"""End to end: what a visitor sees of the worldview in the browser (issue 15).

The kiosk and the explorer say on screen that the map is a schematic (示意图), and
the explorer shows the 南海诸岛 inset when a link frames China without the sea.
"""

import pytest
from playwright.sync_api import expect

from scoda_map._i18n import t
from scoda_map._testing.browser import open_dashboard

pytestmark = pytest.mark.browser


def test_the_kiosk_says_the_map_is_a_schematic(page, kiosk_server):
    open_dashboard(page, kiosk_server)
    notice = page.locator(".scoda-kiosk-schematic p")
    expect(notice).to_contain_text("示意图")
    expect(notice).to_be_visible()
    box = notice.bounding_box()
    for button in page.locator(".scoda-layer-button").all():  # not hidden under the layer buttons
        other = button.bounding_box()
        assert box["y"] >= other["y"] + other["height"] or box["x"] >= other["x"] + other["width"]
    assert page.outside == []


def test_the_explorer_shows_the_inset_when_the_sea_is_out_of_frame(page, explorer_url):
    # Zoom 5 over western China: China in frame, the South China Sea (south of ~24° N) not, on the
    # desktop map's size (the map is wider and taller since the layout for every screen).
    open_dashboard(page, explorer_url + "?lang=zh&c=38.0,100.0&z=5")
    expect(page.locator(".scoda-footer .scoda-schematic")).to_contain_text("示意图")
    inset = page.locator(".scoda-inset")
    # Only the caption in the page's language shows (innerText leaves out hidden ones).
    expect(inset.locator(".scoda-inset-label")).to_have_text("南海诸岛", use_inner_text=True)
    expect(inset.locator("svg")).to_be_visible()
    page.locator(".scoda-languages button", has_text="Русский").click()
    expect(inset.locator(".scoda-inset-label")).to_have_text(t("map.inset.scs", "ru"), use_inner_text=True)
    page.locator(".leaflet-control-zoom-out").click()  # zoom 3: the whole sea comes into frame
    page.locator(".leaflet-control-zoom-out").click()
    expect(inset.locator("svg")).to_be_hidden()
