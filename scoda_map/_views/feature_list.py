"""The map's features as a list of buttons (see ``_render.feature_list``), folded
in a ``<details>``-like toggle so it does not push the measures away."""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import escape

from .._i18n import t
from .._model.state import ExplorerState
from .._render import feature_list
from .button_list import ButtonList
from .guard import guarded
from .when_shown import WhenShown


class FeatureList:
    """A heading and one ``ButtonList`` of the visible layers' features.

    ``shown``: the pane it sits in (a hidden list is redrawn when its pane is shown).
    """

    def __init__(self, state: ExplorerState, shown: WhenShown | None = None):
        self.state = state
        self.shown = shown or WhenShown()
        self.heading = widgets.HTML()
        self.list = ButtonList(guarded(state, "feature list")(self._picked))
        self.list.add_class("scoda-feature-list")
        self.widget = widgets.VBox([self.heading, self.list])
        self.widget.add_class("scoda-features")
        state.observe(self.shown.observer(self._redraw), names=["lang", "layers", "feature"])
        self._redraw()

    def _picked(self, feature_id: str) -> None:
        if feature_id == self.state.feature:
            self.state.clear()
        else:
            self.state.select_feature(feature_id)

    def _redraw(self, change=None) -> None:
        lang = self.state.lang
        self.heading.value = f"<h3 class=\"scoda-panel-title\">{escape(t('features.heading', lang))}</h3>"
        with self.list.hold_sync():  # label and list in one message
            self.list.label = t("features.heading", lang)
            self.list.html = str(feature_list.render(self.state.atlas, lang, tuple(self.state.layers), self.state.feature))
