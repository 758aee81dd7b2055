"""Share, cite and download the current view."""

from __future__ import annotations

import base64

import ipywidgets as widgets
import segno
from markupsafe import Markup

from .._i18n import t
from .._model import export, url
from .._model.state import ExplorerState
from .map_view import HOME_CENTER, HOME_ZOOM
from .static_map import standalone_html
from .url_bridge import UrlBridge


def _download(label: str, filename: str, mime: str, content: str) -> Markup:
    data = base64.b64encode(content.encode("utf-8")).decode("ascii")
    return Markup('<a class="scoda-download" download="{}" href="data:{};charset=utf-8;base64,{}">{}</a>').format(filename, mime, data, label)


class SharePanel:
    """The link for this view (with a QR code), a citation, and the selection as files."""

    def __init__(self, state: ExplorerState, map_widget):
        self.state, self.map = state, map_widget
        self.bridge = UrlBridge()
        self.content = widgets.HTML()
        # The standalone page inlines plotly.js (~5 MB): made only when asked for.
        self.save_map = widgets.Button(layout=widgets.Layout(width="auto"))
        self.save_map.add_class("scoda-save-map")
        self.save_map.on_click(self._make_standalone)
        self.saved = widgets.HTML()
        self.widget = widgets.VBox([self.content, self.save_map, self.saved, self.bridge])
        self.widget.add_class("scoda-share")
        state.observe(self._update, names=["lang", "layers", "feature", "measure", "document", "query"])
        map_widget.observe(self._update, names=["center", "zoom"])
        self.bridge.observe(self._update, names="page_url")
        self._update()

    def query(self) -> str:
        center, zoom = tuple(self.map.center), self.map.zoom
        if (center, zoom) == (HOME_CENTER, HOME_ZOOM):  # the home view needs no parameters
            return url.encode(self.state)
        return url.encode(self.state, center, zoom)

    def link(self) -> str | None:
        base = self.bridge.page_url
        return f"{base}?{self.query()}" if base else None

    def _make_standalone(self, _button=None) -> None:
        lang = self.state.lang
        html = standalone_html(self.state, self.link())
        self.saved.value = str(_download(t("share.html_ready", lang), "scoda-map-view.html", "text/html", html))

    def _update(self, change=None) -> None:
        self.saved.value = ""  # a saved page shows the old view: offer a new one
        self.save_map.description = t("share.html", self.state.lang)
        query = self.query()
        self.bridge.query = query
        lang, link = self.state.lang, self.link()
        parts = [Markup('<h4 class="scoda-subhead">{}</h4>').format(t("share.heading", lang))]
        if link:
            qr = segno.make(link, error="m").svg_inline(scale=3, dark="#0b3954")
            parts.append(Markup('<p class="scoda-link"><a href="{0}">{0}</a></p><div class="scoda-qr">{1}</div>').format(link, Markup(qr)))
        parts.append(Markup('<div class="scoda-label">{}</div><pre class="scoda-cite">{}</pre>').format(
            t("share.cite", lang), export.citation(self.state, link)))
        if export.selection_ids(self.state):
            parts.append(Markup('<p class="scoda-downloads">{} {}</p>').format(
                _download(t("share.csv", lang), "scoda-selection.csv", "text/csv", export.selection_csv(self.state)),
                _download(t("share.geojson", lang), "scoda-selection.geojson", "application/geo+json", export.selection_geojson(self.state))))
        self.content.value = str(Markup("").join(parts))
