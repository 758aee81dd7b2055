"""The visitor's screen size, reported to the kernel.

The layout itself is CSS (``static/layout.css``); the kernel only needs the size to
know which part of the map a bottom sheet or a side drawer covers, so that a
selection is framed in the part that stays visible. An invisible widget reads
``innerWidth``/``innerHeight`` and the same media query the stylesheet uses, and
sends them again when the window changes (a phone turned, a window resized).
"""

from __future__ import annotations

import anywidget
import traitlets

#: The stylesheet's "phones and tablets" query (keep in step with layout.css).
COMPACT_QUERY = "(max-width: 1023px), (max-height: 599px)"

_ESM = """
export default {
  render({ model, el }) {
    el.style.display = 'none';
    const query = window.matchMedia(%(query)r);
    let timer = null;
    const report = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        model.set('width', window.innerWidth);
        model.set('height', window.innerHeight);
        model.set('compact', query.matches);
        model.save_changes();
      }, 150);
    };
    window.addEventListener('resize', report);
    report();
    return () => { window.removeEventListener('resize', report); clearTimeout(timer); };
  },
};
""" % {"query": COMPACT_QUERY}  # noqa: UP031 (JavaScript: braces everywhere)


class ScreenSize(anywidget.AnyWidget):
    """``width``, ``height`` (CSS pixels) and ``compact`` (the phone/tablet layout) of the page.

    >>> ScreenSize().compact
    False
    """

    _esm = _ESM
    width = traitlets.Int(0).tag(sync=True)
    height = traitlets.Int(0).tag(sync=True)
    compact = traitlets.Bool(False).tag(sync=True)
