"""The kiosk's eyes in the browser: touches, idleness, staff gestures (a 3 s press
in the top-left corner, or Ctrl+Shift+S), and a
watchdog that reloads the page when the kernel or the server has gone.

The browser keeps the clocks (idle time, tour steps) and sends small events;
the kernel decides what they mean. If the kernel stops answering pings, the
page waits until the server answers again and reloads into a fresh kernel: a
kiosk recovers with nobody near it. The watchdog counts unanswered pings, not
wall-clock time since the last answer: a clock that jumps (a screen waking from
sleep, the system clock set by the network) is not a dead kernel.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
export default {
  render({ model, el }) {
    let lastTouch = Date.now(), idleSent = false, unanswered = 0;
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
      if (msg && msg.event === 'pong') unanswered = 0;
      if (msg && msg.event === 'reload') reloadWhenServerAnswers();
    });
    let lastTick = Date.now();
    const TICK_MS = 1000;
    const timer = setInterval(() => {
      const now = Date.now();
      if (unanswered * TICK_MS > model.get('dead_after_ms')) reloadWhenServerAnswers();
      send('ping');
      unanswered += 1;
      if (!idleSent && now - lastTouch > model.get('idle_seconds') * 1000) { idleSent = true; lastTick = now; send('idle'); }
      if (model.get('touring') && now - lastTick > model.get('step_seconds') * 1000) { lastTick = now; send('tick'); }
    }, TICK_MS);
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
    """Send "idle" once after this long without a touch or a key."""
    step_seconds = traitlets.Float(12).tag(sync=True)
    """While touring, send "tick" this often."""
    touring = traitlets.Bool(False).tag(sync=True)
    """Set by the kernel while the tour plays."""
    dead_after_ms = traitlets.Int(5000).tag(sync=True)
    """Reload when the pings of this long (one a second) went unanswered."""
    staff_corner_px = traitlets.Int(120).tag(sync=True)
    """Size of the top-left square where a long press opens the staff panel."""
    staff_press_ms = traitlets.Int(3000).tag(sync=True)
    """How long that press must last."""

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
