"""English / 中文 / Русский: switch the interface without reloading the page."""

from __future__ import annotations

import ipywidgets as widgets

from .._i18n import LANGUAGE_NAMES, LANGUAGES
from .._model.state import ExplorerState
from .batch import Courier, together
from .guard import guarded


class LanguagePicker:
    """Three buttons bound to ``state.lang``; a switch reaches the page as one message."""

    def __init__(self, state: ExplorerState):
        self.state = state
        self.courier = Courier()
        self.widget = widgets.ToggleButtons(options=[(LANGUAGE_NAMES[lang], lang) for lang in LANGUAGES],
                                            value=state.lang, style={"button_width": "auto"})
        self.widget.add_class("scoda-languages")
        self.widget.observe(guarded(state, "language switch")(self._picked), names="value")
        state.observe(self._sync, names="lang")

    def _picked(self, change) -> None:
        # Every text on the page changes: sent as one message, the page draws it in one frame.
        if change["new"] in LANGUAGES:
            with together(self.courier):
                self.state.lang = change["new"]

    def _sync(self, change) -> None:
        self.widget.value = change["new"]
