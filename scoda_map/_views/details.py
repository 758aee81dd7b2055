"""The details widget: shows :func:`scoda_map._render.details.render` for the state."""

from __future__ import annotations

import ipywidgets as widgets

from .._model.state import ExplorerState
from .._render.details import render


class DetailsPanel:
    """The details widget, redrawn whenever the selection or language changes."""

    def __init__(self, state: ExplorerState):
        self.state = state
        self.widget = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.widget.add_class("scoda-details")
        state.observe(self._redraw, names=["feature", "measure", "lang", "notice"])
        self._redraw()

    def _redraw(self, change=None) -> None:
        self.widget.value = str(render(self.state))
