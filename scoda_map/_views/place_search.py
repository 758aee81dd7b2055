"""Find a place by its English, Chinese or Russian name."""

from __future__ import annotations

import ipywidgets as widgets

from .._i18n import t
from .._model.state import ExplorerState
from .guard import guarded

MAX_INPUT = 200


class PlaceSearch:
    """A combobox over every place's names; choosing one selects the place."""

    def __init__(self, state: ExplorerState, on_found=None):
        self.state = state
        self.on_found = on_found
        self.box = widgets.Combobox(options=state.places.options(), ensure_option=False,
                                    continuous_update=False, layout=widgets.Layout(width="100%"))
        self.message = widgets.HTML()
        self.widget = widgets.VBox([self.box, self.message])
        self.widget.add_class("scoda-search")
        self.box.observe(guarded(state, "place search")(self._searched), names="value")
        state.observe(self._relabel, names="lang")
        self._relabel()

    def _relabel(self, change=None) -> None:
        self.box.placeholder = t("search.placeholder", self.state.lang)

    def _searched(self, change) -> None:
        query = str(change["new"])[:MAX_INPUT]
        if not query.strip():
            self.message.value = ""
            return
        place_id = self.state.places.place_for(query)
        if place_id is None:
            from markupsafe import escape
            self.message.value = f"<span class=\"scoda-muted\">{escape(t('search.no_match', self.state.lang, query=query))}</span>"
            return
        self.message.value = ""
        self.state.select_feature(place_id)
        if self.on_found is not None:
            self.on_found(place_id)
