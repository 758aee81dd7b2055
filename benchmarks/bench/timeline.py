"""The time control's step (#18): slider moved one year -> the map's route classes, the
counts and the figure's mark updated; and what the step cost on the websocket.

A step must not resend a map layer: the frames of each step are grouped by widget model
(``updates_by_model``) and any GeoJSON model among them is reported as ``layers_resent``.
"""

from __future__ import annotations

from .common import INTERACTION_TIMEOUT_MS
from .wire import updates_by_model

ARM = """
(year) => {
  const b = window.__tbench = {t0: null, t1: null, t2: null};
  const control = document.querySelector('.scoda-time');
  const slider = control.querySelector('.scoda-time-slider');
  slider.addEventListener('change', () => { if (b.t0 === null) b.t0 = performance.now(); }, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    if (b.t0 === null || b.t1 !== null || control.dataset.shown !== String(year)) return;
    b.t1 = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => { b.t2 = performance.now(); });
  });
  observer.observe(control, {attributes: true, attributeFilter: ['data-shown']});
}
"""

MOVE = """(year) => { const s = document.querySelector('.scoda-time-slider'); s.value = String(year);
  s.dispatchEvent(new Event('input', {bubbles: true})); s.dispatchEvent(new Event('change', {bubbles: true})); }"""


def time_steps(page, wire, years: list[int], count: int) -> list[dict]:
    """``count`` one-year steps, back and forth over ``years``; each timed and weighed."""
    out = []
    sequence = years + years[-2:0:-1]
    for i in range(count):
        year = sequence[(i + 1) % len(sequence)]
        page.evaluate(ARM, year)
        n0 = len(wire.frames)
        page.evaluate(MOVE, year)
        page.wait_for_function("window.__tbench.t2 !== null", timeout=INTERACTION_TIMEOUT_MS)
        n1 = len(wire.frames)
        b = page.evaluate("window.__tbench")
        wire.settle(page=page)
        n2 = len(wire.frames)
        frames = wire.frames[n0:n2]
        by_model = updates_by_model(frames, wire.labels)
        out.append({"year": year, "dom_ms": b["t1"] - b["t0"], "frame_ms": b["t2"] - b["t0"],
                    "ws_bytes_to_done": sum(len(f) for f in wire.frames[n0:n1]),
                    "ws_bytes_total": sum(len(f) for f in frames), "ws_frames_total": len(frames),
                    "layers_resent": [label for label in by_model if label.startswith("GeoJSON")],
                    "_frames": frames})
    return out
