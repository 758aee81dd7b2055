"""One widget for a panel of checkboxes rendered as HTML (the map's layers).

One ipywidgets ``Checkbox`` and one count per layer meant 13 widget models, and 13
messages at every language switch, each costing the browser its own task
(docs/performance.md). Here the kernel renders the panel once per language
(``_render.panels.layer_panel_html``, the static page shows the same HTML) and keeps
which boxes are ticked in ``checked``: a toggle only ticks boxes, it redraws nothing,
so focus stays where the visitor left it. Boxes are native ``<input type="checkbox">``
in their ``<label>``: Tab, Space and screen readers work as on any form.
"""

from __future__ import annotations

from collections.abc import Callable

import anywidget
import traitlets

_ESM = """
export default {
  render({ model, el }) {
    const box = document.createElement('div');
    box.className = 'scoda-check-list';
    el.appendChild(box);
    const tick = () => {
      const on = new Set(model.get('checked') || []);
      for (const input of box.querySelectorAll('input[data-layer]')) input.checked = on.has(input.dataset.layer);
    };
    const draw = () => {
      const active = box.contains(document.activeElement) ? document.activeElement.dataset.layer : null;
      box.innerHTML = model.get('html');
      tick();
      if (active) {
        const again = box.querySelector(`input[data-layer="${CSS.escape(active)}"]`);
        if (again) again.focus();
      }
    };
    box.addEventListener('change', (e) => {
      const input = e.target.closest('input[data-layer]');
      if (input && box.contains(input)) model.send({ toggle: input.dataset.layer, on: input.checked });
    });
    model.on('change:html', draw);
    model.on('change:checked', tick);
    draw();
    return () => { model.off('change:html', draw); model.off('change:checked', tick); };
  },
};
"""


class CheckList(anywidget.AnyWidget):
    """``html`` (trusted, rendered by ``_render``) shown, its ``data-layer`` boxes ticked as
    ``checked`` says; ``on_toggle(name, on)`` called when a visitor ticks or unticks one."""

    _esm = _ESM
    html = traitlets.Unicode("").tag(sync=True)  #: the panel's HTML, from ``_render``
    checked = traitlets.List(traitlets.Unicode()).tag(sync=True)  #: names of the ticked boxes

    def __init__(self, on_toggle: Callable[[str, bool], None], **kwargs):
        super().__init__(**kwargs)
        self._on_toggle = on_toggle
        self.on_msg(self._message)

    def _message(self, widget, content, buffers) -> None:
        # A client can send anything here: only a short name and a real boolean get through.
        if not isinstance(content, dict):
            return
        name, on = content.get("toggle"), content.get("on")
        if isinstance(name, str) and len(name) < 200 and isinstance(on, bool):
            self._on_toggle(name, on)
