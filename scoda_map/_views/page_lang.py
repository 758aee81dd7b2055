"""Keep ``<html lang>`` in step with the visitor's language.

Screen readers pick their voice from it, and browsers their fonts and hyphenation:
a Chinese page announced as English is read out letter by letter.
"""

from __future__ import annotations

import anywidget
import traitlets

from .._i18n import HTML_LANG

_ESM = """
export default {
  render({ model, el }) {
    const apply = () => { document.documentElement.lang = model.get('lang'); };
    model.on('change:lang', apply);
    apply();
    return () => model.off('change:lang', apply);
  },
};
"""


class PageLang(anywidget.AnyWidget):
    """Invisible; ``lang`` is written to ``document.documentElement.lang``."""

    _esm = _ESM
    lang = traitlets.Unicode("en").tag(sync=True)

    def __init__(self, state, **kwargs):
        super().__init__(lang=HTML_LANG.get(state.lang, state.lang), **kwargs)
        self.layout.display = "none"
        state.observe(lambda change: setattr(self, "lang", HTML_LANG.get(change["new"], change["new"])), names="lang")
