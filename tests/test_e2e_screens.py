"""The explorer on every screen a delegation brings: phones (portrait and landscape), a
tablet, a laptop, a desktop and a 4K room display (issue #13).

One server for the module, one page per screen size. On each: the map is on screen and
takes most of it, the legend leaves the map readable, nothing scrolls sideways, a tapped
route shows its details on screen, and a measure can be picked, read in full and its
features highlighted. The numbers measured are printed (``-s``) for docs and notes.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import scoda_map
from scoda_map._i18n import data_text
from scoda_map._model.state import ExplorerState
from scoda_map._testing.browser import new_page, open_dashboard

pytestmark = pytest.mark.browser

# width, height, the map's least share of the viewport (50 % on phones, 45 % elsewhere)
SCREENS = [
    (360, 740, 0.50), (390, 844, 0.50), (844, 390, 0.50), (768, 1024, 0.45),
    (1366, 768, 0.45), (1920, 1080, 0.45), (3840, 2160, 0.45),
]
COMPACT = "(max-width: 1023px), (max-height: 599px)"  # layout.css's phone and tablet layout

# The visible part of an element (clipped to the viewport), as a share of the viewport or of the map.
AREAS = """() => {
  const vw = innerWidth, vh = innerHeight;
  const clip = (e) => { if (!e) return 0; const r = e.getBoundingClientRect();
    const w = Math.max(0, Math.min(r.right, vw) - Math.max(r.left, 0)), h = Math.max(0, Math.min(r.bottom, vh) - Math.max(r.top, 0));
    return w * h; };
  const map = document.querySelector('.scoda-map');
  const legend = document.querySelector('.scoda-legend-fold');
  return {map: clip(map) / (vw * vh), legend: clip(legend) / Math.max(clip(map), 1),
          scroll: document.scrollingElement.scrollWidth, width: vw};
}"""


@pytest.fixture(scope="module")
def atlas():
    return scoda_map.load()


@pytest.fixture(scope="module")
def route(atlas):
    """A route drawn on the map, and its name as the details show it."""
    route_id = next(i for i, r in atlas.routes.iterrows() if r["on_map"])
    return route_id, data_text(atlas.routes.loc[route_id], "name", "en")[0]


@pytest.fixture(scope="module")
def measure(atlas):
    """A measure that reaches something on the map (from the data, not its counts)."""
    state = ExplorerState(atlas)
    for measure_id, row in atlas.measures.iterrows():
        state.select_measure(measure_id)
        if state.highlight_ids():
            return measure_id, data_text(row, "title", "en")[0]
    pytest.skip("no measure reaches a feature on the map")


@pytest.fixture(params=SCREENS, ids=[f"{w}x{h}" for w, h, _ in SCREENS])
def screen(request, browser):
    width, height, least = request.param
    page = new_page(browser, width, height)
    yield page, least
    page.close(run_before_unload=True)
    page.context.close()


def test_the_explorer_fits_the_screen(screen, explorer_url, route, measure):
    page, least = screen
    open_dashboard(page, explorer_url)
    compact = page.evaluate(f"matchMedia({COMPACT!r}).matches")

    # The map: on screen and most of it; the legend leaves it readable; nothing scrolls sideways.
    page.wait_for_function(f"({AREAS})().map >= {least}")
    areas = page.evaluate(AREAS)
    assert areas["legend"] <= 0.25, areas
    assert areas["scroll"] <= areas["width"], areas
    print(f"\n{page.viewport_size}: map {areas['map']:.0%} of the viewport, legend {areas['legend']:.0%} of the map")

    # The time control under the map grows with the other controls (a room display doubles
    # them all, read from across the room; its play button once stayed at laptop size there).
    play = page.locator(".scoda-time-control button").first
    expect(play).to_be_visible()
    sizes = page.evaluate("""() => [document.querySelector('.scoda-time-control button'),
      document.querySelector('.scoda-tabbar button:nth-child(2)')].map(e => e.getBoundingClientRect().height)""")
    assert sizes[0] >= 0.6 * sizes[1], f"play button {sizes[0]:.0f} px high beside tabs of {sizes[1]:.0f} px"

    # A tap on a route: its details on screen (a bottom sheet on phones).
    # The route is on screen; the tap is dispatched on its line (a pointer click at its box's
    # centre can land while the map is still framing the network for this screen, and miss).
    route_id, name = route
    line = page.locator(f".scoda-f-{route_id}").first
    expect(line).to_be_in_viewport()
    line.dispatch_event("click")
    title = page.locator(".scoda-details .scoda-title")
    expect(title).to_contain_text(name)
    expect(title).to_be_in_viewport()
    expect(page.locator(f".scoda-h-{route_id}").first).to_be_attached()
    if compact:  # the sheet closes with a button, not only by dragging
        page.locator(".scoda-sheet-close").click()
        expect(title).not_to_be_in_viewport()
        expect(page.locator(".scoda-legend-open-button")).to_be_visible()  # folded where space is short

    # A measure: picked from the measures pane, read in full, its features highlighted.
    measure_id, full_title = measure
    page.locator(".scoda-tabbar button").nth(2).click()  # Map, Layers, Measures, ...
    button = page.locator(f'.scoda-mb-item[data-pick="{measure_id}"]')
    expect(button).to_contain_text(full_title)  # read in full in the list, before picking it
    button.click()  # playwright scrolls it into view and clicks only what a finger could reach
    details = page.locator(".scoda-details")
    expect(details.locator(".scoda-title")).to_contain_text(full_title)
    expect(details.locator(".scoda-title")).to_be_in_viewport()
    page.wait_for_function("document.querySelectorAll('.scoda-highlight').length > 0")
    assert page.evaluate(AREAS)["scroll"] <= page.viewport_size["width"]

    # The overview (headline figures, how to use): in the details column while nothing is
    # selected on large screens; at the head of the Figures pane on phones and tablets.
    page.locator(".scoda-tabbar button").nth(3).click()
    in_figures = page.locator(".scoda-figures-overview .scoda-overview")
    if compact:
        expect(in_figures).to_be_in_viewport()
    else:
        expect(in_figures).to_be_hidden()
        page.locator(".scoda-tabbar button").nth(2).click()
        page.locator(f'.scoda-mb-item[data-pick="{measure_id}"]').click()  # picked again: cleared
        expect(page.locator(".scoda-details .scoda-overview")).to_be_visible()

    # The place search (Layers pane): whole, its border not cut at the pane's edge.
    page.locator(".scoda-tabbar button").nth(1).click()
    expect(page.locator(".scoda-search input")).to_be_visible()
    box = page.evaluate("""() => {
      const input = document.querySelector('.scoda-search input').getBoundingClientRect();
      const pane = document.querySelector('.scoda-search').closest('.scoda-pane').getBoundingClientRect();
      return [input.left - pane.left, pane.right - input.right];
    }""")
    assert min(box) >= -0.5, f"the search box sticks out of its pane by {-min(box):.1f} px"


def test_the_share_link_opens_the_same_view_on_a_phone(browser, explorer_url, route, atlas):
    route_id, _ = route
    zh_name = data_text(atlas.routes.loc[route_id], "name", "zh")[0]
    page = new_page(browser, 390, 844)
    try:
        open_dashboard(page, explorer_url + f"?lang=zh&feature={route_id}")
        page.locator(".scoda-tabbar button").nth(4).click()  # Share: opens the panel with the link and QR code
        link = page.locator(".scoda-share .scoda-link a")
        expect(link).to_be_in_viewport()
        expect(page.locator(".scoda-share .scoda-qr svg")).to_be_visible()
        href = link.get_attribute("href")
        assert f"feature={route_id}" in href and "lang=zh" in href
        # What a phone scanning the QR code opens: the kernel-free view when the server has
        # one (/view/), else the live explorer; either shows the route's details on screen.
        page.goto(href, wait_until="domcontentloaded")
        if "/view/" in href:
            page.wait_for_selector("body[data-ready=true]", state="attached")
            details = page.locator("#details")
            expect(details).to_contain_text(zh_name)
            expect(details.get_by_text(zh_name).first).to_be_in_viewport()
            expect(page.locator("#scoda-live")).to_be_in_viewport()  # the way on to the live map
            page.locator("#scoda-live").click()
            page.wait_for_url(lambda url: "/view/" not in url and f"feature={route_id}" in url)
        page.wait_for_selector(".scoda-map .leaflet-interactive", state="attached")
        title = page.locator(".scoda-details .scoda-title")
        expect(title).to_contain_text(zh_name)
        expect(title).to_be_in_viewport()
        expect(page.locator(f".scoda-h-{route_id}").first).to_be_attached()
        assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    finally:
        page.close(run_before_unload=True)
        page.context.close()


def test_the_details_sheet_follows_a_finger_on_a_phone(browser, explorer_url, route):
    """Pulled up, the sheet opens in full; pulled down, it goes back to half height, then closes."""
    route_id, name = route
    page = new_page(browser, 390, 844)
    try:
        open_dashboard(page, explorer_url + f"?feature={route_id}")
        app, handle = page.locator(".scoda-app"), page.locator(".scoda-sheet-handle")
        expect(app).to_have_class(has_class("scoda-sheet-open"))

        def pull(dy: float) -> None:
            box = handle.bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2  # between its two buttons
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(x, y + dy, steps=6)
            page.mouse.up()

        pull(-200)
        expect(app).to_have_class(has_class("scoda-sheet-full"))
        pull(10)  # a wobble changes nothing
        expect(app).to_have_class(has_class("scoda-sheet-full"))
        pull(200)
        expect(app).not_to_have_class(has_class("scoda-sheet-full"))
        expect(app).to_have_class(has_class("scoda-sheet-open"))
        pull(200)
        expect(app).not_to_have_class(has_class("scoda-sheet-open"))
        expect(page.locator(".scoda-details .scoda-title")).not_to_be_in_viewport()
    finally:
        page.close(run_before_unload=True)
        page.context.close()


def has_class(name: str):
    """A class among others, as playwright's to_have_class matches the whole attribute."""
    import re

    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")
