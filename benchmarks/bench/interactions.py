"""Timed interactions on one open page: event -> DOM change -> next frame."""

from __future__ import annotations

import json
import time

from scoda_map._i18n import LANGUAGE_NAMES, data_text, t
from scoda_map._model.state import ExplorerState
from scoda_map._render.features import highlight_geojson
from scoda_map._testing.browser import open_pane

from .common import INTERACTION_TIMEOUT_MS, SETTLE_QUIET, SETTLE_TIMEOUT
from .wire import model_labels

# One timed interaction: a capture listener stamps the event, a MutationObserver stamps
# the first DOM state that satisfies the condition, then the next animation frame.
ARM_SCRIPT = """
([events, root, condition]) => {
  const b = window.__bench = {t0: null, t1: null, t2: null};
  for (const el of document.querySelectorAll('.scoda-highlight')) el.__benchOld = true;
  const details = document.querySelector('.scoda-details');
  b.before = details ? details.innerHTML : '';
  const ok = new Function('b', 'return (' + condition + ');');
  const stamp = () => { if (b.t0 === null) b.t0 = performance.now(); };
  for (const name of events) window.addEventListener(name, stamp, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    if (b.t0 === null || b.t1 !== null || !ok(b)) return;
    b.t1 = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => { b.t2 = performance.now(); });
  });
  observer.observe(document.querySelector(root) || document, {childList: true, subtree: true, characterData: true});
}
"""


# A title's own words: without its marks (EN for a missing translation, tr./译/пер. for the
# project's own one), which are <sup> elements.
TITLE_TEXT = "(el) => { const c = el.cloneNode(true); c.querySelectorAll('sup').forEach((s) => s.remove()); return c.textContent.trim(); }"

ROUTE_DONE = """(() => {
  const d = document.querySelector('.scoda-details');
  const title = d && d.querySelector('.scoda-title');
  return !!title && d.innerHTML !== b.before && (TITLE_TEXT)(title) === %s;
})()""".replace("TITLE_TEXT", TITLE_TEXT)


HIGHLIGHT_DONE = """(() => {
  const now = [...document.querySelectorAll('.scoda-highlight')];
  if (now.some((el) => el.__benchOld)) return false;
  const got = new Set();
  for (const el of now) for (const c of el.classList) if (c.startsWith('scoda-h-')) got.add(c.slice(8));
  const want = %s;
  return got.size === want.length && want.every((id) => got.has(id));
})()"""


LANGUAGE_DONE = """(() => {
  const d = document.querySelector('.scoda-details .scoda-title');
  if (!d) return false;
  const tabs = [...document.querySelectorAll('.scoda-tabbar button')].map((el) => el.textContent.trim());
  const charts = [...document.querySelectorAll('.scoda-chart-coverage .gtitle')].map((el) => el.textContent);
  const chart = %s;
  return (""" + TITLE_TEXT + """)(d) === %s && tabs.includes(%s) && (!chart || charts.includes(chart));
})()"""


class Wire:
    """The open page's websocket frames, to count what one interaction costs."""

    def __init__(self, frames: list, times: list):
        self.frames, self.times = frames, times
        self.labels = model_labels(frames)

    def settle(self, quiet: float = SETTLE_QUIET, timeout: float = SETTLE_TIMEOUT, page=None) -> float:
        """Until no frame has come for ``quiet`` seconds; the seconds waited."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            last = self.times[-1] if self.times else 0.0
            if time.monotonic() - max(last, started) >= quiet:
                break
            page.wait_for_timeout(50)  # lets playwright deliver events meanwhile
        return time.monotonic() - started


def timed(page, wire: Wire, events: list[str], root: str, condition: str, action) -> dict:
    """One interaction: event -> condition in the DOM; then what came over the wire until
    the page is quiet again, so the next interaction starts on an idle kernel and page."""
    page.evaluate(ARM_SCRIPT, [events, root, condition])
    n0 = len(wire.frames)
    action()
    page.wait_for_function("window.__bench.t2 !== null", timeout=INTERACTION_TIMEOUT_MS)
    n1 = len(wire.frames)
    b = page.evaluate("window.__bench")
    settled = wire.settle(page=page)
    n2 = len(wire.frames)
    return {"dom_ms": b["t1"] - b["t0"], "frame_ms": b["t2"] - b["t0"],
            "ws_frames_to_done": n1 - n0, "ws_bytes_to_done": sum(len(f) for f in wire.frames[n0:n1]),
            "ws_frames_total": n2 - n0, "ws_bytes_total": sum(len(f) for f in wire.frames[n0:n2]),
            "settle_s": settled, "_frames": wire.frames[n0:n2]}


def route_clicks(page, wire, atlas, routes: list[str], count: int) -> list[dict]:
    out = []
    for i in range(count):
        route = routes[i % 2]
        name = data_text(atlas.routes.loc[route], "name", "en")[0]
        condition = ROUTE_DONE % json.dumps(name)
        locator = page.locator(f".scoda-f-{route}").first
        result = timed(page, wire, ["click"], ".scoda-details", condition, lambda locator=locator: locator.dispatch_event("click"))
        out.append(dict(result, route=route))
    return out


def measure_choices(atlas) -> list[tuple[int, str, list[str]]]:
    """Two measures to alternate: (option index, measure id, highlighted feature ids).

    Only measures that highlight something drawn, and two with different highlights:
    the map redraws the highlight only when its data changes."""
    state = ExplorerState(atlas)
    choices = []
    for index, measure_id in enumerate(state.visible_measures().index):
        state.select_measure(measure_id)
        ids = sorted({f["properties"]["id"] for f in highlight_geojson(atlas, state.highlight_ids())["features"]})
        if ids and all(ids != other[2] for other in choices):
            choices.append((index, measure_id, ids))
        if len(choices) == 2:
            break
    return choices


def measure_selects(page, wire, atlas, choices, routes: list[str], count: int) -> list[dict]:
    """Press a measure in the measure browser (the Measures pane): done when its highlight is drawn."""
    open_pane(page, "measures")
    page.locator(".scoda-mb-item").first.wait_for()
    wire.settle(page=page)
    out = []
    for i in range(count):
        index, measure_id, ids = choices[i % len(choices)]
        if len(choices) == 1:
            # One usable measure only (small data): reselecting it changes nothing, so a
            # click on a route it does not highlight (not timed) resets the selection.
            reset = next(r for r in routes if [r] != ids)
            name = data_text(atlas.routes.loc[reset], "name", "en")[0]
            page.locator(f".scoda-f-{reset}").first.dispatch_event("click")
            page.wait_for_function(
                "([name, id]) => !document.querySelector('.scoda-mb-item[aria-pressed=\"true\"]')"
                f" && ({TITLE_TEXT})(document.querySelector('.scoda-details .scoda-title') || document.createElement('b')) === name"
                " && !!document.querySelector('.scoda-h-' + id)",
                arg=[name, reset], timeout=INTERACTION_TIMEOUT_MS)
            wire.settle(page=page)
        condition = HIGHLIGHT_DONE % json.dumps(ids)
        result = timed(page, wire, ["click"], ".scoda-map", condition,
                       lambda measure_id=measure_id: page.locator(f'.scoda-mb-item[data-pick="{measure_id}"]').click())
        out.append(dict(result, measure=measure_id, highlighted=len(ids)))
    return out



def language_switches(page, wire, atlas, route: str, count: int, figures: bool = False) -> list[dict]:
    """Switch en -> zh -> ru -> en ... with a route selected: done when the details title (the
    route's name) and the tab bar are in the new language; with ``figures``, in the Figures
    pane, so the charts redraw too (the heaviest switch) and their titles count as well."""
    open_pane(page, "figures" if figures else "measures")
    if figures:
        page.locator(".scoda-chart-coverage .gtitle").first.wait_for()
    current = page.evaluate("document.documentElement.lang.slice(0, 2)") or "en"  # <html lang> follows the switch
    name = data_text(atlas.routes.loc[route], "name", current)[0]
    shown = f"name => ({TITLE_TEXT})(document.querySelector('.scoda-details .scoda-title') || document.createElement('b')) === name"
    if not page.evaluate(shown, name):  # a second click on the selected route would clear it
        page.locator(f".scoda-f-{route}").first.dispatch_event("click")
    page.wait_for_function(shown, arg=name, timeout=INTERACTION_TIMEOUT_MS)
    wire.settle(page=page)
    order = ["zh", "ru", "en"]
    start = (order.index(current) + 1) % len(order) if current in order else 0
    out = []
    for i in range(count):
        lang = order[(start + i) % len(order)]
        chart = json.dumps(t("charts.coverage_title", lang) if figures else "")
        condition = LANGUAGE_DONE % (chart, json.dumps(data_text(atlas.routes.loc[route], "name", lang)[0]),
                                     json.dumps(t("layout.tab.figures", lang)))
        button = page.locator(".scoda-languages button", has_text=LANGUAGE_NAMES[lang]).first
        result = timed(page, wire, ["click"], "body", condition, lambda button=button: button.click())
        out.append(dict(result, lang=lang))
    return out
