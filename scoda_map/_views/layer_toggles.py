"""Layer toggles with honest counts: "documented N of M" from the data."""

from __future__ import annotations

import ipywidgets as widgets

from .._model.state import ExplorerState
from .._render.panels import layer_panel_html, legend_html
from .check_list import CheckList
from .guard import guarded
from .when_shown import WhenShown


class LayerToggles:
    """The layer panel (one ``CheckList``: a checkbox, colour and completeness per layer) and
    the map legend. ``shown``: the panel's pane (the legend is on the map, always shown)."""

    def __init__(self, state: ExplorerState, shown: WhenShown | None = None):
        self.state = state
        self.shown = shown or WhenShown()
        self.panel = CheckList(guarded(state, "layer toggle")(self._toggled))
        self.legend = widgets.HTML()  # shown on the map (see MapView.add_legend)
        self.legend.add_class("scoda-legend-box")
        self.widget = self.panel
        self.widget.add_class("scoda-layers")
        state.observe(self.shown.observer(self._relabel_panel), names="lang")
        state.observe(self._relabel_legend, names="lang")
        state.observe(self._sync, names="layers")
        self._relabel_panel()
        self._relabel_legend()
        self._sync()

    def _toggled(self, name: str, on: bool) -> None:
        if name in self.state.atlas.layer_names():  # an unknown name (a crafted message) changes nothing
            self.state.show_layer(name, on)

    def _sync(self, change=None) -> None:
        self.panel.checked = [name for name in self.state.atlas.layer_names() if name in self.state.layers]

    def _relabel_panel(self, change=None) -> None:
        self.panel.html = str(layer_panel_html(self.state.atlas, self.state.lang))

    def _relabel_legend(self, change=None) -> None:
        self.legend.value = str(legend_html(self.state.atlas, self.state.lang))
