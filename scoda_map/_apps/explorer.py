"""The explorer dashboard a delegation opens: one ``Explorer`` object.

The notebook only builds and shows it::

    from scoda_map import Explorer
    Explorer.from_environment()
"""

from __future__ import annotations

import logging
import os

import ipywidgets as widgets

from .. import _env
from .._data.atlas import Atlas
from .._data.loader import load_for_dashboard
from .._data.worldview import Worldview, from_environment
from .._model import url
from .._model.notice import Notice
from .._model.state import ExplorerState
from .._render import overview
from .._render.panels import footer_html, header_html
from .._views.charts import ChartsPanel
from .._views.details import DetailsPanel
from .._views.feature_list import FeatureList
from .._views.language_picker import LanguagePicker
from .._views.layer_toggles import LayerToggles
from .._views.layout import PANES, Layout
from .._views.map_view import MapView
from .._views.measure_list import MeasureList
from .._views.page_lang import PageLang
from .._views.place_search import PlaceSearch
from .._views.share import SharePanel
from .._views.time_control import TimeControl
from .._views.when_shown import WhenShown
from .request import wait_for_request
from .unavailable import unavailable

log = logging.getLogger("scoda_map")


class Explorer:
    """Map, layers, place search, measures, details and figures, wired to one state.

    Parameters
    ----------
    atlas : Atlas
        The data to show.
    lang : {"en", "zh", "ru"}
        Interface language.
    worldview : {"cn", "ne"}, optional
        Borders: China's standard map as far as the shipped sources allow (``cn``, default)
        or Natural Earth's de facto lines (``ne``, for research); see ``Worldview``.
    view_path : str, optional
        Where the server serves the kernel-free view (``scoda-map serve``: ``view/``): the
        share link and QR code open it. None: they open this live page.

    Examples
    --------
    >>> import scoda_map
    >>> app = scoda_map.Explorer(scoda_map.load())
    >>> app.state.select_feature("r-almaty")
    True
    """

    def __init__(self, atlas: Atlas, lang: str = "en", worldview: Worldview | str | None = None,
                 view_path: str | None = None):
        self.atlas = atlas
        self.state = ExplorerState(atlas, lang=lang)
        self.map = MapView(self.state, worldview=worldview)
        self.details = DetailsPanel(self.state)
        # What the panes hold is redrawn when its pane is on screen (the layout says which).
        self.panes = {pane: WhenShown() for pane in PANES if pane != "map"}
        self.search = PlaceSearch(self.state, on_found=self._fly_to, shown=self.panes["layers"])
        self.layers = LayerToggles(self.state, shown=self.panes["layers"])
        self.measures = MeasureList(self.state, shown=self.panes["measures"])
        # The keyboard's way to every route and point.
        self.features = FeatureList(self.state, shown=self.panes["layers"])
        self.page_lang = PageLang(self.state)  # <html lang> follows the visitor's language
        self.charts = ChartsPanel(self.state, shown=self.panes["figures"])
        self.time = TimeControl(self.state, trains_chart=self.charts.trains)
        self.share = SharePanel(self.state, self.map.widget, self.map.worldview, view_path=view_path,
                                shown=self.panes["share"])
        self.languages = LanguagePicker(self.state)
        self.header = widgets.HTML()
        self.footer = widgets.HTML()
        self.header.add_class("scoda-header")
        self.footer.add_class("scoda-footer")
        # Phones: the details sheet opens with a selection only, so the overview (headline
        # figures and how to use) heads the Figures pane there; layout.css hides it elsewhere.
        self.overview = widgets.HTML()
        self.overview.add_class("scoda-figures-overview")
        self.state.observe(self._relabel, names="lang")
        self.state.observe(self.panes["figures"].observer(self._relabel_overview), names="lang")
        self._relabel()
        self._relabel_overview()
        self.widget = self._layout()
        # The route network framed in whatever space the map gets, once it knows its size.
        self.map.home(fit=True)

    @classmethod
    def from_environment(cls) -> Explorer:
        """Build on the data folder named by ``SCODA_MAP_DATA`` (set by ``scoda-map serve``)
        and open the view the page's link asks for. If it cannot start, the visitor
        gets a short message (and the server log the traceback) instead."""
        try:
            return cls._from_environment()
        except Exception:  # noqa: BLE001 - never a traceback on a visitor's screen
            return unavailable("explorer")

    @classmethod
    def _from_environment(cls) -> Explorer:
        app = cls(load_for_dashboard(os.environ.get(_env.DATA) or None),
                  worldview=from_environment(), view_path=os.environ.get(_env.VIEW) or None)
        # With a preheated kernel the request (and its query string) arrives only now;
        # everything above is what preheating saves. Without preheat this returns at once.
        wait_for_request()
        app.open_link(os.environ.get("QUERY_STRING", ""))
        return app

    def link(self, base: str = "http://127.0.0.1:8866/") -> str:
        """The link that opens this view in the dashboard (served at ``base``)."""
        query = self.share.query()
        return f"{base}?{query}" if query else base

    def open_link(self, query_string: str) -> None:
        """Show the view a link's query string describes; ignore what does not fit."""
        params = url.decode(query_string or "", self.state)
        url.apply(params, self.state)
        if "c" in params.values or "z" in params.values:
            self.map.forget_target()
        if "c" in params.values:
            self.map.widget.center = params.values["c"]
        if "z" in params.values:
            self.map.widget.zoom = params.values["z"]
        if params.ignored:
            self.state.notice = Notice("notice.link_ignored", items=", ".join(params.ignored))
        # The page is sent whole after this: every pane in the link's language and view.
        for pane in self.panes.values():
            pane.flush()

    def _layout(self) -> widgets.Widget:
        # Where each part sits on each screen size: _views/layout.py and static/layout.css.
        self.layout = Layout(self.state, {
            "header": self.header, "languages": self.languages.widget, "map": self.map.widget,
            "legend": self.layers.legend, "search": self.search.widget, "layers": self.layers.widget,
            "measures": self.measures.widget, "figures": widgets.VBox([self.overview, self.charts.widget]), "share": self.share.widget,
            "details": self.details.widget, "footer": self.footer,
            "feature_list": [self.features.widget], "invisible": [self.page_lang], "timebar": [self.time.widget],
        }, on_share=lambda: setattr(self.share.toggle, "value", True), shown=self.panes)
        self.map.add_overlay(self.layout.legend)
        self.map.insets = self.layout.insets
        # A phone turned or a window resized: frame again what was framed (see MapView._resized).
        self.layout.screen.observe(lambda change: self.map.refit(), names="compact")
        return self.layout.widget

    def _relabel(self, change=None) -> None:
        self.header.value = str(header_html(self.state.lang))
        self.footer.value = str(footer_html(self.atlas, self.state.lang, self.map.worldview))

    def _relabel_overview(self) -> None:  # heads the Figures pane on phones
        self.overview.value = str(overview.render(self.atlas, self.state.lang))

    def _fly_to(self, place_id: str) -> None:
        point = self.atlas.places.geometry.get(place_id)
        if point is not None:
            self.map.widget.center = (point.y, point.x)
            self.map.widget.zoom = max(self.map.widget.zoom, 5)

    def _ipython_display_(self) -> None:
        from IPython.display import display
        display(self.widget)
