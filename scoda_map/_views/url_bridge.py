"""Keep the browser's address bar in step with the view, and learn the page's address.

A few lines of JavaScript: ``history.replaceState`` when the query changes (no
reload, no new history entries), and the page's own origin and path sent once,
so the share link uses the address the visitor actually reached.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import anywidget
import traitlets

_ESM = """
export default {
  render({ model }) {
    const write = () => {
      const query = model.get('query');
      const url = window.location.pathname + (query ? '?' + query : '');
      if (url !== window.location.pathname + window.location.search) {
        window.history.replaceState(window.history.state, '', url);
      }
    };
    // After the next frame is drawn: replaceState makes Chromium bring the page's style up to
    // date at once, and in a language switch (<html lang> changed a moment before) that is a
    // whole-page recalculation in the middle of the switch's messages (18-32 ms in a trace).
    let pending = false;
    const apply = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => setTimeout(() => { pending = false; write(); }, 0));
    };
    model.send({ event: 'page', url: window.location.origin + window.location.pathname });
    model.on('change:query', apply);
    write();
    return () => model.off('change:query', apply);
  },
};
"""


class UrlBridge(anywidget.AnyWidget):
    """Invisible. ``query`` goes to the address bar; ``page_url`` comes back once."""

    _esm = _ESM
    query = traitlets.Unicode("").tag(sync=True)
    page_url = traitlets.Unicode("")  # not synced: set only from a checked message

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.layout.display = "none"
        self.on_msg(self._message)

    def _message(self, widget, content, buffers) -> None:
        url = content.get("url") if isinstance(content, dict) else None
        if isinstance(url, str) and len(url) < 500:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") and parts.netloc:
                self.page_url = f"{parts.scheme}://{parts.netloc}{parts.path}"
