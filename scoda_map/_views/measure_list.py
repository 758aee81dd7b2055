"""Browse the measures: filter by document, search the text, read them all, pick one.

The list is the measure browser of ``_render.measure_browser`` (full titles,
grouped by document and section, numbered as in the document) in one
``ButtonList`` widget; a press goes through ``ExplorerState.select_measure``.
"""

from __future__ import annotations

from contextlib import contextmanager

import ipywidgets as widgets
from markupsafe import escape

from .._i18n import t
from .._model.state import ExplorerState
from .._model.timeline import period_end
from .._render import measure_browser
from .._render.panels import document_options, measure_count_html
from .button_list import ButtonList
from .guard import guarded
from .when_shown import WhenShown


class MeasureList:
    """A document filter, a text search and a list of measures."""

    def __init__(self, state: ExplorerState, shown: WhenShown | None = None):
        self.state = state
        self.shown = shown or WhenShown()  # its pane
        self.heading = widgets.HTML()
        self.document = widgets.Dropdown(layout=widgets.Layout(width="100%"))
        self.search = widgets.Text(continuous_update=False, layout=widgets.Layout(width="100%"))
        self.list = ButtonList(guarded(state, "measure choice")(self._measure_chosen))
        self.count = widgets.HTML()
        self.widget = widgets.VBox([self.heading, self.document, self.search, self.list, self.count])
        self.widget.add_class("scoda-measures")
        self.list.add_class("scoda-measure-list")
        self._syncing = False

        self.document.observe(guarded(state, "document filter")(self._document_chosen), names="value")
        self.search.observe(guarded(state, "measure search")(self._searched), names="value")
        # Redrawn when its pane is shown (WhenShown): a hidden list is not resent at every change.
        state.observe(self.shown.observer(self._relabel), names="lang")
        state.observe(self.shown.observer(self._refill), names=["document", "query"])
        state.observe(self.shown.observer(self._show_selected), names="measure")
        self._issued_by = self._documents_issued()
        state.observe(self.shown.observer(self._time_moved), names="as_of")
        self._relabel()

    # -- visitor actions: always through the state's checks --------------------
    def _document_chosen(self, change) -> None:
        if self._syncing:
            return
        value = change["new"] if change["new"] in self.state.atlas.documents.index else None
        self.state.document = value

    def _searched(self, change) -> None:
        self.state.query = str(change["new"])

    def _measure_chosen(self, measure_id: str) -> None:
        # A second press on the picked measure clears it, as aria-pressed suggests.
        self.state.select_measure(None if measure_id == self.state.measure else measure_id)

    # -- redraws ---------------------------------------------------------------
    def _relabel(self, change=None) -> None:
        lang, atlas = self.state.lang, self.state.atlas
        self.heading.value = f"<h3 class=\"scoda-panel-title\">{escape(t('measures.heading', lang))}</h3>"
        options = document_options(atlas, lang)
        # One message per widget (hold_sync): the filter's labels, options and choice together.
        with self._hold(), self.document.hold_sync(), self.search.hold_sync():
            self.search.placeholder = t("measures.search", lang)
            # Screen-reader names (the labels are visually hidden by content.css).
            self.document.description = t("measures.document_label", lang)
            self.search.description = t("measures.search_label", lang)
            self.document.options = options
            self.document.value = self.state.document or ""
        self._refill()

    def _refill(self, change=None) -> None:
        lang, atlas = self.state.lang, self.state.atlas
        visible = self.state.visible_measures()
        with self.list.hold_sync():
            self.list.label = t("measures.list_label", lang)
            self.list.html = str(measure_browser.for_state(self.state))
        self.count.value = str(measure_count_html(atlas, lang, len(visible)))

    def _documents_issued(self) -> frozenset:
        """The documents issued by the time control's date (all of them at today's)."""
        shown = period_end(self.state.as_of) if self.state.as_of else None
        return frozenset(doc_id for doc_id, doc in self.state.atlas.documents.iterrows()
                         if shown is None or (period_end(doc.get("issued")) or shown) <= shown)

    def _time_moved(self, change=None) -> None:
        # Redraw only when a document comes into force or leaves it: a played timeline moves
        # every second, and the list need not be resent at each step.
        issued = self._documents_issued()
        if issued != self._issued_by:
            self._issued_by = issued
            self._refill()

    def _show_selected(self, change=None) -> None:
        self._refill()

    @contextmanager
    def _hold(self):
        """Update widgets from the state without treating it as a visitor's action."""
        self._syncing = True
        try:
            yield
        finally:
            self._syncing = False
