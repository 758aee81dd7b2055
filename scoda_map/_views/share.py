"""Share, cite and download the current view."""

from __future__ import annotations

import base64

import ipywidgets as widgets
import segno
from markupsafe import Markup

from .._i18n import t
from .._model import export, url
from .._model.state import ExplorerState
from .._render.static_map import standalone_html
from .guard import guarded
from .map_view import HOME_CENTER, HOME_ZOOM
from .safe_map import wrap_longitude
from .url_bridge import UrlBridge
from .when_shown import WhenShown


def _download(label: str, filename: str, mime: str, content: str) -> Markup:
    data = base64.b64encode(content.encode("utf-8")).decode("ascii")
    return Markup('<a class="scoda-download" download="{}" href="data:{};charset=utf-8;base64,{}">{}</a>').format(filename, mime, data, label)


class SharePanel:
    """The link for this view (with a QR code), a citation, and the selection as files.

    Closed by default: the address bar follows the view at every change (a few
    bytes), while the QR code, citation and files are made only when the visitor
    opens the panel or asks for a file.
    """

    def __init__(self, state: ExplorerState, map_widget, worldview=None, view_path: str | None = None,
                 shown: WhenShown | None = None):
        #: view_path: where the server serves the kernel-free view (``serve``: "view/"); None: share the live page
        self.state, self.map, self.worldview, self.view_path = state, map_widget, worldview, view_path
        self.shown = shown or WhenShown()  # its pane: the panel is redrawn when shown
        self.bridge = UrlBridge()
        self.toggle = widgets.ToggleButton(value=False, layout=widgets.Layout(width="auto"))
        self.toggle.add_class("scoda-share-toggle")
        self.toggle.observe(self._render, names="value")
        self.content = widgets.HTML()
        self.csv = widgets.Button(layout=widgets.Layout(width="auto"))
        self.geojson = widgets.Button(layout=widgets.Layout(width="auto"))
        # The standalone page inlines the basic plotly.js bundle (~1.2 MB): made only when asked for.
        self.save_map = widgets.Button(layout=widgets.Layout(width="auto"))
        self.save_map.add_class("scoda-save-map")
        self.csv.on_click(guarded(state, "CSV download")(lambda _: self._offer(
            "share.csv", "scoda-selection.csv", "text/csv", export.selection_csv(self.state))))
        self.geojson.on_click(guarded(state, "GeoJSON download")(lambda _: self._offer(
            "share.geojson", "scoda-selection.geojson", "application/geo+json", export.selection_geojson(self.state))))
        self.save_map.on_click(guarded(state, "map page")(lambda _: self._offer(
            "share.html_ready", "scoda-map-view.html", "text/html", standalone_html(self.state, self.live_link(), self.worldview))))
        self.files = widgets.HTML()
        self.body = widgets.VBox([self.content, widgets.HBox([self.csv, self.geojson]), self.save_map, self.files])
        self.widget = widgets.VBox([self.toggle, self.body, self.bridge])
        self.widget.add_class("scoda-share")
        state.observe(self._changed, names=["lang", "layers", "feature", "measure", "document", "query", "as_of"])
        map_widget.observe(self._changed, names=["center", "zoom"])
        self.bridge.observe(self.shown.observer(self._render), names="page_url")
        self._changed()

    def query(self) -> str:
        center, zoom = tuple(self.map.center), self.map.zoom
        if (center, zoom) == (HOME_CENTER, HOME_ZOOM):  # the home view needs no parameters
            return url.encode(self.state)
        return url.encode(self.state, (center[0], wrap_longitude(center[1])), zoom)

    def link(self) -> str | None:
        """The link to share: the kernel-free view of this view if the server has one."""
        base = self.bridge.page_url
        return export.share_link(base, self.query(), self.view_path) if base else None

    def live_link(self) -> str | None:
        """The live explorer at this view."""
        base = self.bridge.page_url
        return export.share_link(base, self.query()) if base else None

    def _offer(self, label_key: str, filename: str, mime: str, content: str) -> None:
        self.files.value = str(_download(t(label_key, self.state.lang), filename, mime, content))

    def _changed(self, change=None) -> None:
        self.bridge.query = self.query()
        self.files.value = ""  # a file made earlier shows the old view
        self.shown.run(self._render)

    def _render(self, change=None) -> None:
        lang = self.state.lang
        self.toggle.description = t("share.heading", lang)
        self.body.layout.display = None if self.toggle.value else "none"
        if not self.toggle.value:
            return
        link = self.link()
        parts = []
        if link:
            qr = segno.make(link, error="m").svg_inline(scale=3, dark="#0b3954")
            parts.append(Markup('<p class="scoda-link"><a href="{0}">{0}</a></p><div class="scoda-qr">{1}</div>').format(link, Markup(qr)))
        parts.append(Markup('<div class="scoda-label">{}</div><pre class="scoda-cite">{}</pre>').format(
            t("share.cite", lang), export.citation(self.state, link)))
        self.content.value = str(Markup("").join(parts))
        has_selection = bool(export.selection_ids(self.state))
        for button, key in ((self.csv, "share.csv"), (self.geojson, "share.geojson")):
            button.description = t(key, lang)
            button.layout.display = None if has_selection else "none"
        self.save_map.description = t("share.html", lang)
