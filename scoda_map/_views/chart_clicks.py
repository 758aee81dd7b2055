"""A tiny bridge that sends plotly clicks back to the kernel.

Figures are MIME outputs (no FigureWidget), so nothing reports their clicks.
This widget's few lines of JavaScript listen for ``plotly_click`` on the
figures of the charts panel and send the clicked point's ``customdata``.
"""

from __future__ import annotations

import anywidget

_ESM = """
function attach(model) {
  document.querySelectorAll('.scoda-charts .js-plotly-plot').forEach((plot) => {
    if (plot.__scodaClicks || typeof plot.on !== 'function') return;
    plot.__scodaClicks = true;
    plot.on('plotly_click', (event) => {
      const point = event && event.points && event.points[0];
      if (!point || point.customdata === undefined || point.customdata === null) return;
      model.send({ event: 'click', id: String(point.customdata) });
    });
  });
}
export default {
  render({ model }) {
    attach(model);
    const observer = new MutationObserver(() => attach(model));
    observer.observe(document.body, { childList: true, subtree: true });
    return () => observer.disconnect();
  },
};
"""

MAX_ID = 100


class ChartClicks(anywidget.AnyWidget):
    """Invisible; calls ``on_click(id)`` callbacks with the clicked point's customdata."""

    _esm = _ESM

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._callbacks = []
        self.layout.display = "none"
        self.on_msg(self._message)

    def on_click(self, callback) -> None:
        self._callbacks.append(callback)

    def _message(self, widget, content, buffers) -> None:
        # A client can send anything here: accept only a short string id.
        if not isinstance(content, dict) or content.get("event") != "click":
            return
        value = content.get("id")
        if isinstance(value, str) and len(value) <= MAX_ID:
            for callback in self._callbacks:
                callback(value)
