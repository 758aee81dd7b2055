"""End to end: the kiosk on a touch screen, unattended."""

import os
import signal

import pytest
from playwright.sync_api import expect

import scoda_map
from conftest import KIOSK_IDLE_SECONDS, KIOSK_STEP_SECONDS
from scoda_map._apps.kiosk import KIOSK_LAYERS
from scoda_map._testing.browser import open_dashboard

pytestmark = pytest.mark.browser


def test_home_view_draws_offline_with_big_touch_targets(page, kiosk_server):
    open_dashboard(page, kiosk_server)
    buttons = page.locator(".scoda-layer-button")
    expect(buttons).to_have_count(len([n for n in KIOSK_LAYERS if n in scoda_map.load().layer_names()]))
    for i in range(buttons.count()):
        box = buttons.nth(i).bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48
    assert page.locator(".scoda-story").is_hidden()
    assert page.evaluate("document.scrollingElement.scrollHeight <= window.innerHeight")
    assert page.outside == []


def test_a_tap_opens_the_story_and_close_or_a_second_tap_shuts_it(page, kiosk_server):
    open_dashboard(page, kiosk_server)
    route = page.locator(".scoda-f-r-almaty").first
    route.dispatch_event("click")
    story = page.locator(".scoda-story")
    story.get_by_text("Measures that support it").wait_for()
    expect(story).to_contain_text("Almaty")
    page.locator(".scoda-close").click()
    story.wait_for(state="hidden")
    route.dispatch_event("click")
    story.wait_for(state="visible")
    route.dispatch_event("click")
    story.wait_for(state="hidden")


def test_the_tour_starts_when_idle_and_a_tap_stops_it(page, kiosk_server):
    open_dashboard(page, kiosk_server)
    caption = page.locator(".scoda-tour-caption")
    caption.wait_for(state="visible", timeout=(KIOSK_IDLE_SECONDS + 15) * 1000)
    first = caption.inner_text()
    page.wait_for_function("(first) => document.querySelector('.scoda-tour-caption').innerText !== first",
                           arg=first, timeout=(KIOSK_STEP_SECONDS + 10) * 1000)
    page.mouse.click(400, 600)
    caption.wait_for(state="hidden", timeout=10_000)


def test_a_killed_kernel_brings_the_page_back_to_the_home_view(page, kiosk_server):
    open_dashboard(page, kiosk_server)
    page.evaluate("window.__beforeKill = true")
    kernels_before = {k.pid for k in kiosk_server.kernel_processes()}
    assert kernels_before
    for pid in kernels_before:
        os.kill(pid, signal.SIGKILL)
    # Generous deadlines on a busy machine: how fast it comes back is for the benchmark.
    page.wait_for_function("window.__beforeKill === undefined", timeout=60_000)
    page.wait_for_selector(".scoda-map .leaflet-interactive", state="attached", timeout=60_000)
    page.locator(".scoda-layer-button").first.wait_for()


# Counts the kernel's answers to the watchdog's pings.
PONGS = """() => { window.__pongs = 0; const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (!this.__counted) {
      this.__counted = true;
      this.addEventListener('message', (e) => {
        const text = typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data);
        if (/"event":\\s*"pong"/.test(text)) window.__pongs += 1;
      });
    }
    return send.call(this, data); }; }"""


def test_a_clock_jump_with_the_kernel_alive_does_not_reload_the_page(page, kiosk_server):
    # A kiosk screen waking from sleep, or its clock set by the network, jumps the page's
    # clock. The kernel still answers: the page must stay (it reloaded when the watchdog
    # measured wall-clock time since the last answer).
    open_dashboard(page, kiosk_server)
    page.locator(".scoda-layer-button").first.wait_for()
    page.evaluate("window.__stayed = true")
    page.evaluate(PONGS)
    page.clock.install()
    page.clock.run_for(10_000)
    # Three answers after the jump: the watchdog has looked at least twice since.
    page.wait_for_function("window.__pongs >= 3", timeout=30_000)
    assert page.evaluate("window.__stayed === true")


PRESSES = """(steps) => { for (const [id, type] of steps) {
  document.body.dispatchEvent(new PointerEvent(type, {bubbles: true, cancelable: true, composed: true,
                                                      pointerId: id, clientX: 10, clientY: 10})); } }"""
# Keeps what the page sends to its kernel, to see whether the staff gesture was sent.
SPY = """() => { window.__sent = []; const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    try { window.__sent.push(typeof data === 'string' ? data : new TextDecoder().decode(data)); } catch (e) {}
    return send.call(this, data); }; }"""
STAFF_SENT = "() => window.__sent.some(m => /\"event\":\\s*\"staff\"/.test(m))"


def test_the_staff_panel_needs_a_long_press_in_the_corner(page, kiosk_server):
    open_dashboard(page, kiosk_server)
    page.locator(".scoda-layer-button").first.wait_for()
    staff = page.locator(".scoda-staff")
    page.evaluate(SPY)
    # The page's clock is moved on by hand (3.1 s, past the 3 s press): the press timer fires
    # or not as it would, and the test knows it at once instead of waiting and hoping.
    page.clock.install()
    # Two fingers down in the corner and lifted again: no panel, however long one waits.
    page.evaluate(PRESSES, [[1, "pointerdown"], [2, "pointerdown"], [2, "pointerup"], [1, "pointerup"]])
    page.clock.run_for(3_100)
    assert not page.evaluate(STAFF_SENT) and not staff.is_visible()
    # A 3-second press there opens it.
    page.mouse.move(10, 10)
    page.mouse.down()
    page.clock.run_for(3_100)
    page.mouse.up()
    assert page.evaluate(STAFF_SENT)
    staff.wait_for(state="visible", timeout=30_000)
