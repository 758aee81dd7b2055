"""Find a place by its English, Chinese or Russian name."""

from __future__ import annotations

import ipywidgets as widgets

from .._i18n import t
from .._model.state import ExplorerState
from .._render.panels import search_message_html
from .guard import guarded
from .when_shown import WhenShown

MAX_INPUT = 200
# Every option travels to the page with the widget: 100,000 place names were 2.9 MB.
MAX_OPTIONS = 2000
MATCHES_SHOWN = 50


class PlaceSearch:
    """A combobox over the places' names; choosing one selects the place.

    The list offers every place, unless layers of more than ``MAX_OPTIONS`` rows
    (a researcher's big point layer) would make it too long to send: then it offers
    the other places, and text that matches several places replaces it with the
    first matches.
    """

    def __init__(self, state: ExplorerState, on_found=None, shown: WhenShown | None = None):
        self.state = state
        self.shown = shown or WhenShown()  # its pane: relabelled when shown
        self.on_found = on_found
        big = frozenset(name for name in state.atlas.layer_names() if len(state.atlas.layer(name)) > MAX_OPTIONS)
        self._options = state.places.options(skip_layers=big)
        self.box = widgets.Combobox(options=self._options, ensure_option=False,
                                    continuous_update=False, layout=widgets.Layout(width="100%"))
        self.message = widgets.HTML()
        self.widget = widgets.VBox([self.box, self.message])
        self.widget.add_class("scoda-search")
        self.box.observe(guarded(state, "place search")(self._searched), names="value")
        state.observe(self.shown.observer(self._relabel), names="lang")
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
            shown, count = self.state.places.matches(query, MATCHES_SHOWN)
            key = "search.many" if count > 1 else "search.no_match"
            self.message.value = str(search_message_html(key, self.state.lang, query, count))
            if count > 1:
                self.box.options = tuple(dict.fromkeys(shown + self._options))
            return
        self.message.value = ""
        self.state.select_feature(place_id)
        if self.on_found is not None:
            self.on_found(place_id)
