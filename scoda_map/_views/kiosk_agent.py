"""The kiosk's eyes in the browser: touches, idleness, staff gestures (a 3 s press
in the top-left corner, or Ctrl+Shift+S), and a
watchdog that reloads the page when the kernel or the server has gone.

The browser keeps the clocks (idle time, tour steps) and sends small events;
the kernel decides what they mean. If the kernel stops answering pings, the
page waits until the server answers again and reloads into a fresh kernel: a
kiosk recovers with nobody near it.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
export default {
  render({ model, el }) {
    let lastTouch = Date.now(), idleSent = false, lastPong = Date.now();
    let lastTouchSent = 0, reloading = false, pressTimer = null;
    const send = (event, extra) => { try { model.send(Object.assign({ event }, extra || {})); } catch (e) {} };
    const touched = () => {
      lastTouch = Date.now(); idleSent = false;
      if (Date.now() - lastTouchSent > 800) { lastTouchSent = Date.now(); send('touch'); }
    };
    const onDown = (e) => {
      touched();
      const corner = model.get('staff_corner_px');
      if (e.clientX < corner && e.clientY < corner) {  // top-left: the title, no button there
        // One timer at a time: with two fingers down, the first one's timer must not outlive it.
        if (pressTimer) clearTimeout(pressTimer);
        pressTimer = setTimeout(() => { pressTimer = null; send('staff'); }, model.get('staff_press_ms'));
      }
    };
    const onUp = () => { if (pressTimer) { clearTimeout(pressTimer); pressTimer = null; } };
    const onKey = (e) => {
      touched();
      if (e.ctrlKey && e.shiftKey && (e.key === 'S' || e.key === 's')) send('staff');
    };
    // No context menu, no pinch-zoom of the page itself: the map handles gestures.
    const noMenu = (e) => e.preventDefault();
    document.addEventListener('pointerdown', onDown, true);
    document.addEventListener('pointerup', onUp, true);
    document.addEventListener('pointercancel', onUp, true);
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('contextmenu', noMenu, true);

    const reloadWhenServerAnswers = async () => {
      if (reloading) return;
      reloading = true;
      el.ownerDocument.body.classList.add('scoda-reconnecting');
      for (;;) {
        try {
          // A static file: asking for the page itself would start a kernel.
          const base = document.body.dataset.baseUrl || '/voila/';
          const r = await fetch(base + 'templates/scoda/static/scoda.css', { cache: 'no-store' });
          if (r.ok) { window.location.reload(); return; }
        } catch (e) {}
        await new Promise((ok) => setTimeout(ok, 1500));
      }
    };
    model.on('msg:custom', (msg) => {
      if (msg && msg.event === 'pong') lastPong = Date.now();
      if (msg && msg.event === 'reload') reloadWhenServerAnswers();
    });
    let lastTick = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      send('ping');
      if (now - lastPong > model.get('dead_after_ms')) reloadWhenServerAnswers();
      if (!idleSent && now - lastTouch > model.get('idle_seconds') * 1000) { idleSent = true; lastTick = now; send('idle'); }
      if (model.get('touring') && now - lastTick > model.get('step_seconds') * 1000) { lastTick = now; send('tick'); }
    }, 1000);
    return () => {
      clearInterval(timer);
      document.removeEventListener('pointerdown', onDown, true);
      document.removeEventListener('pointerup', onUp, true);
      document.removeEventListener('pointercancel', onUp, true);
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('contextmenu', noMenu, true);
    };
  },
};
"""

EVENTS = ("touch", "idle", "tick", "staff")


class KioskAgent(anywidget.AnyWidget):
    """Invisible. Calls ``on(event, callback)`` handlers for touch, idle, tick and staff."""

    _esm = _ESM
    idle_seconds = traitlets.Float(60).tag(sync=True)
    step_seconds = traitlets.Float(12).tag(sync=True)
    touring = traitlets.Bool(False).tag(sync=True)
    dead_after_ms = traitlets.Int(5000).tag(sync=True)
    staff_corner_px = traitlets.Int(120).tag(sync=True)
    staff_press_ms = traitlets.Int(3000).tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.layout.display = "none"
        self._handlers: dict[str, list] = {event: [] for event in EVENTS}
        self.on_msg(self._message)

    def on(self, event: str, callback) -> None:
        self._handlers[event].append(callback)

    def reload_page(self) -> None:
        """Ask the browser to reload (e.g. after staff reloaded the data)."""
        self.send({"event": "reload"})

    def _message(self, widget, content, buffers) -> None:
        # Anything can arrive here; only the known events do anything.
        event = content.get("event") if isinstance(content, dict) else None
        if event == "ping":
            self.send({"event": "pong"})
        elif event in self._handlers:
            for callback in self._handlers[event]:
                callback()
