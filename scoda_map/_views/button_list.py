"""One widget for a long list of buttons rendered as HTML (measures, map features).

One ipywidgets button per measure or route would mean dozens of widget models
per visitor; here the kernel renders the list once as HTML (``_render``) and the
browser sends back the ``data-pick`` value of the button pressed. Buttons are
real ``<button>`` elements: Tab reaches them, Enter and Space press them, screen
readers read their text; Up/Down (and Home/End) move between them. Focus stays on
the same button when the list is redrawn (after a pick or a language switch). A list in
a hidden pane is drawn when it comes on screen.
"""

from __future__ import annotations

from collections.abc import Callable

import anywidget
import traitlets

_ESM = """
export default {
  render({ model, el }) {
    const box = document.createElement('div');
    box.className = 'scoda-button-list';
    el.appendChild(box);
    const buttons = () => Array.from(box.querySelectorAll('button[data-pick]'));
    // A list in a hidden pane (the tab bar shows one at a time) is drawn when the pane opens:
    // a language switch or a page start then only lays out what is on screen.
    // Whether it is on screen comes from the ResizeObserver below (0 x 0 in a hidden pane),
    // not from reading the layout here: that forced a layout of the page at every message
    // of a language switch. Until the observer first reports, it counts as shown.
    let stale = false, onScreen = true;
    const draw = () => {
      if (!onScreen) { stale = true; return; }
      stale = false;
      const active = box.contains(document.activeElement) ? document.activeElement.dataset.pick : null;
      box.innerHTML = model.get('html');
      if (active) {
        const again = buttons().find((b) => b.dataset.pick === active);
        if (again) again.focus();
      }
    };
    box.addEventListener('click', (e) => {
      const button = e.target.closest('button[data-pick]');
      if (button && box.contains(button)) model.send({ pick: button.dataset.pick });
    });
    box.addEventListener('keydown', (e) => {
      const all = buttons(), i = all.indexOf(document.activeElement);
      if (i < 0) return;
      const next = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: all.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      all[Math.max(0, Math.min(all.length - 1, next))].focus();
    });
    // The group's screen-reader name: a language switch changes it, and need not lay the list out again.
    const name = () => {
      const label = model.get('label');
      if (label) { box.setAttribute('role', 'group'); box.setAttribute('aria-label', label); }
    };
    const shown = new ResizeObserver((entries) => {
      const size = entries[entries.length - 1].contentRect;
      onScreen = size.width > 0 || size.height > 0;
      if (stale && onScreen) draw();
    });
    shown.observe(el);
    model.on('change:html', draw);
    model.on('change:label', name);
    name();
    draw();
    return () => { model.off('change:html', draw); model.off('change:label', name); shown.disconnect(); };
  },
};
"""


class ButtonList(anywidget.AnyWidget):
    """``html`` (trusted, rendered by ``_render``) shown; ``on_pick(value)`` called on a press."""

    _esm = _ESM
    html = traitlets.Unicode("").tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)  # the group's screen-reader name

    def __init__(self, on_pick: Callable[[str], None], **kwargs):
        super().__init__(**kwargs)
        self._on_pick = on_pick
        self.on_msg(self._message)

    def _message(self, widget, content, buffers) -> None:
        pick = content.get("pick") if isinstance(content, dict) else None
        if isinstance(pick, str) and len(pick) < 200:
            self._on_pick(pick)
