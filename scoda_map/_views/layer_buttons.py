"""Big layer buttons for a touch screen: one toggle per layer."""

from __future__ import annotations

import ipywidgets as widgets

from .._model.state import ExplorerState


class LayerButtons:
    """A row of large toggle buttons bound to ``state.layers``."""

    def __init__(self, state: ExplorerState, names: list[str] | None = None):
        self.state = state
        atlas = state.atlas
        self.names = [n for n in (names or atlas.layer_names()) if n in atlas.layer_names()]
        self.buttons: dict[str, widgets.ToggleButton] = {}
        for name in self.names:
            button = widgets.ToggleButton(value=name in state.layers)
            button.add_class("scoda-layer-button")
            button.add_class(f"scoda-layer-button-{name}")
            button.observe(lambda change, name=name: state.show_layer(name, bool(change["new"])), names="value")
            self.buttons[name] = button
        self.widget = widgets.HBox(list(self.buttons.values()))
        self.widget.add_class("scoda-layer-buttons")
        self.widget.add_class("scoda-layers")
        state.observe(self._relabel, names="lang")
        state.observe(self._sync, names="layers")
        self._relabel()

    def _relabel(self, change=None) -> None:
        for name, button in self.buttons.items():
            title = self.state.atlas.layer_info(name).title
            button.description = title.get(self.state.lang) or title["en"]

    def _sync(self, change=None) -> None:
        for name, button in self.buttons.items():
            button.value = name in self.state.layers
