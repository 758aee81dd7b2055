"""Browse the measures: filter by document, search the text, pick one."""

from __future__ import annotations

from contextlib import contextmanager

import ipywidgets as widgets
from markupsafe import escape

from .._i18n import t
from .._model.state import ExplorerState
from .._render.panels import document_options, measure_count_html, measure_options
from .guard import guarded


class MeasureList:
    """A document filter, a text search and a list of measures."""

    def __init__(self, state: ExplorerState):
        self.state = state
        self.heading = widgets.HTML()
        self.document = widgets.Dropdown(layout=widgets.Layout(width="100%"))
        self.search = widgets.Text(continuous_update=False, layout=widgets.Layout(width="100%"))
        self.list = widgets.Select(rows=10, layout=widgets.Layout(width="100%"))
        self.count = widgets.HTML()
        self.widget = widgets.VBox([self.heading, self.document, self.search, self.list, self.count])
        self.widget.add_class("scoda-measures")
        self.list.add_class("scoda-measure-list")
        self._syncing = False

        self.document.observe(guarded(state, "document filter")(self._document_chosen), names="value")
        self.search.observe(guarded(state, "measure search")(self._searched), names="value")
        self.list.observe(guarded(state, "measure choice")(self._measure_chosen), names="value")
        state.observe(self._relabel, names="lang")
        state.observe(self._refill, names=["document", "query"])
        state.observe(self._show_selected, names="measure")
        self._relabel()

    # -- visitor actions: always through the state's checks --------------------
    def _document_chosen(self, change) -> None:
        if self._syncing:
            return
        value = change["new"] if change["new"] in self.state.atlas.documents.index else None
        self.state.document = value

    def _searched(self, change) -> None:
        self.state.query = str(change["new"])

    def _measure_chosen(self, change) -> None:
        if self._syncing or change["new"] is None:
            return
        self.state.select_measure(change["new"])

    # -- redraws ---------------------------------------------------------------
    def _relabel(self, change=None) -> None:
        lang, atlas = self.state.lang, self.state.atlas
        self.heading.value = f"<h3 class=\"scoda-panel-title\">{escape(t('measures.heading', lang))}</h3>"
        self.search.placeholder = t("measures.search", lang)
        options = document_options(atlas, lang)
        with self._hold():
            self.document.options = options
            self.document.value = self.state.document or ""
        self._refill()

    def _refill(self, change=None) -> None:
        options = measure_options(self.state)
        with self._hold():
            self.list.options = options
            self.list.value = self.state.measure if self.state.measure in dict(options).values() else None
        self.count.value = str(measure_count_html(self.state.atlas, self.state.lang, len(options)))

    def _show_selected(self, change=None) -> None:
        with self._hold():
            self.list.value = self.state.measure if self.state.measure in dict(self.list.options).values() else None

    @contextmanager
    def _hold(self):
        """Update widgets from the state without treating it as a visitor's action."""
        self._syncing = True
        try:
            yield
        finally:
            self._syncing = False
