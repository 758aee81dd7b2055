"""The map: an offline basemap, one GeoJSON layer per data layer, and a small
highlight layer. Data goes to the browser once; a selection only replaces the
highlight layer's few features (never the base layers)."""

from __future__ import annotations

import asyncio

import ipyleaflet
import ipywidgets as widgets

from .._data.worldview import Worldview
from .._i18n import HTML_LANG, LANGUAGES, t
from .._model.state import ExplorerState
from .._render.aggregate import DIRECT_LIMIT, view_features
from .._render.basemap import POLYGON_STYLE, atlas_inset_drawing, inset_svg, needs_inset, styled_basemap
from .._render.features import bounds_of, highlight_geojson, point_layer_geojson, route_legs_geojson, stops_geojson
from .fit import Insets, fit, map_size, shows
from .guard import guarded
from .safe_map import SafeMap

HOME_CENTER = (43.0, 88.0)
HOME_ZOOM = 3
HOME_BOUNDS = [[-5.0, -40.0], [80.0, 215.0]]
EMPTY = {"type": "FeatureCollection", "features": []}  # roughly what a 1920 px map shows at home
BASEMAP_STYLE = POLYGON_STYLE
# The basemap covers the world but Antarctica, from -180 to 191 degrees east (Chukotka
# whole) and no polygon is cut: no view or zoom shows a straight edge where it ends.
POINT_STYLE = {"radius": 7, "weight": 2, "color": "#ffffff", "fillOpacity": 0.95, "opacity": 1}
STOP_STYLE = {"radius": 4, "weight": 1.5, "color": "#333333", "fillColor": "#ffffff", "fillOpacity": 1}
HIGHLIGHT_STYLE = {"radius": 13, "weight": 4, "color": "#f0b400", "fillOpacity": 0.15, "fillColor": "#f0b400", "opacity": 0.95}


class MapView:
    """The map widget and its layers, kept in step with an :class:`ExplorerState`."""

    def __init__(self, state: ExplorerState, worldview: Worldview | str | None = None, second_tap_closes: bool = False):
        self.state = state
        self.second_tap_closes = second_tap_closes
        atlas = state.atlas
        self.widget = SafeMap(
            layers=(), center=HOME_CENTER, zoom=HOME_ZOOM, min_zoom=2, max_zoom=9,
            zoom_snap=0.5, attribution_control=False, scroll_wheel_zoom=True,
            world_copy_jump=False, prefer_canvas=False,
            layout=widgets.Layout(width="100%", height="100%"),
        )
        self.worldview = Worldview.parse(worldview)
        #: Pixels hidden at the map's edges for a map of a given size (a sheet, a card).
        self.insets = lambda size: Insets()
        self._target: list[list[float]] | None = None
        self._framed = None
        self._size = None
        self._resize_pending = False
        self.widget.observe(self._schedule_resized, names=["bounds"])
        self.widget.add_class("scoda-map")
        self.widget.add(ipyleaflet.GeoJSON(data=styled_basemap(atlas.basemap(self.worldview)), name="basemap"))

        self.layers: dict[str, ipyleaflet.GeoJSON] = {}
        self.aggregated: dict[str, tuple] = {}  # big point layers, redrawn per view
        for name in atlas.layer_names():
            info = atlas.layer_info(name)
            if info.kind == "routes":
                layer = ipyleaflet.GeoJSON(data=route_legs_geojson(atlas), name=name, hover_style={"weight": 6, "opacity": 1})
            else:
                style = dict(POINT_STYLE, fillColor=info.color or "#555555")
                frame = atlas.layer(name)
                frame = frame[frame["on_map"]]
                if len(frame) > DIRECT_LIMIT:
                    self.aggregated[name] = (frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy(),
                                             frame.index.to_numpy(), info.color or "#555555")
                    data = {"type": "FeatureCollection", "features": view_features(*self.aggregated[name][:3], HOME_BOUNDS, HOME_ZOOM, info.color or "#555555")}
                else:
                    data = point_layer_geojson(atlas, name)
                layer = ipyleaflet.GeoJSON(data=data, name=name, point_style=style)
            layer.on_click(guarded(state, "map click")(self._clicked))
            self.layers[name] = layer
        # Border crossings and route ends: small stops that make routes easy to tap.
        self.stops = ipyleaflet.GeoJSON(data=stops_geojson(atlas), name="stops", point_style=STOP_STYLE)
        self.stops.on_click(guarded(state, "map click")(self._clicked))
        self.highlight = ipyleaflet.GeoJSON(data=highlight_geojson(atlas, []), name="highlight", point_style=HIGHLIGHT_STYLE)
        # The highlight lies on top: a tap on a selected feature lands here.
        self.highlight.on_click(guarded(state, "map click")(self._clicked))

        self._add_all_layers()
        # The 南海诸岛 inset: shown when a view has China without the South China Sea.
        self.inset = widgets.HTML()
        # The drawing is the same in every language (None: no ten-dash line, the ne worldview).
        self._inset_drawing = atlas_inset_drawing(state.atlas, self.worldview)
        self.inset.add_class("scoda-inset")
        self.inset.layout.display = "none"
        self.widget.add(ipyleaflet.WidgetControl(widget=self.inset, position="bottomright"))
        self._draw_inset()
        self.widget.observe(self._show_inset, names=["bounds"])
        self._show_layers()
        self._redraw_pending = False
        self._redraw_aggregated = guarded(state, "map move")(self._redraw_now)
        if self.aggregated:
            self.widget.observe(self._schedule_redraw, names=["bounds"])
        state.observe(self._show_layers, names="layers")
        state.observe(self._show_selection, names=["feature", "measure", "spotlight"])

    def _draw_inset(self) -> None:
        # Captioned in every language: the page shows the one <html lang> names (PageLang).
        if self._inset_drawing is None:
            return
        labels = {HTML_LANG[lang]: t("map.inset.scs", lang) for lang in LANGUAGES}
        self.inset.value = inset_svg(self.state.atlas.basemap(self.worldview), labels, drawing=self._inset_drawing)

    def _show_inset(self, change=None) -> None:
        display = None if self.inset.value and needs_inset(self.widget.bounds) else "none"
        if self.inset.layout.display != display:
            self.inset.layout.display = display

    def _schedule_redraw(self, change=None) -> None:
        # One map move updates south, west, north and east one by one: redraw once,
        # after they have all arrived.
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._redraw_aggregated()
            return
        if not self._redraw_pending:
            self._redraw_pending = True
            loop.call_later(0.05, self._redraw_aggregated)

    def _redraw_now(self, change=None) -> None:
        self._redraw_pending = False
        bounds = self.widget.bounds
        if not bounds:
            return
        for name, (lon, lat, ids, color) in self.aggregated.items():
            if name in self.state.layers:
                features = view_features(lon, lat, ids, bounds, self.widget.zoom, color)
                self.layers[name].data = {"type": "FeatureCollection", "features": features}

    def _clicked(self, **event) -> None:
        properties = (event.get("feature") or {}).get("properties") or {}
        if "count" in properties and "id" not in properties:  # a cell of a big layer: look closer
            coordinates = (event.get("feature") or {}).get("geometry", {}).get("coordinates")
            if isinstance(coordinates, list) and len(coordinates) == 2:
                self.widget.center = (float(coordinates[1]), float(coordinates[0]))
                self.widget.zoom = min(self.widget.zoom + 2, self.widget.max_zoom)
            return
        feature_id = properties.get("id")
        if self.second_tap_closes and feature_id is not None and feature_id == self.state.feature:
            self.state.clear()
        elif self.state.is_feature(feature_id):
            self.state.select_feature(feature_id)

    def _add_all_layers(self) -> None:
        """Every layer once, in a fixed order; a toggle swaps its data for nothing.

        Removing and re-adding layers leaked their front-end views (about 200 DOM
        nodes per routes toggle in the kiosk soak: ipywidgets keeps a handler per
        discarded view) and put routes over points after a toggle. jupyter-leaflet
        ignores a GeoJSON layer's initial ``visible``, so hiding is done with data.
        """
        self._full = {name: layer.data for name, layer in self.layers.items()}
        self._full_stops = self.stops.data
        ordered = [self.layers["routes"], self.stops] if "routes" in self.layers else []
        ordered += [layer for name, layer in self.layers.items() if name != "routes"]
        for layer in ordered + [self.highlight]:
            self.widget.add(layer)

    def _show_layers(self, change=None) -> None:
        shown = set(self.state.layers)
        for name, layer in self.layers.items():
            if name in self.aggregated:
                continue  # drawn per view by _redraw_now
            wanted = self._full[name] if name in shown else EMPTY
            if layer.data is not wanted:
                layer.data = wanted
        wanted = self._full_stops if "routes" in shown else EMPTY
        if self.stops.data is not wanted:
            self.stops.data = wanted
        for name in self.aggregated:
            if name not in shown:
                self.layers[name].data = EMPTY
        if self.aggregated and self.widget.bounds:
            self._schedule_redraw()

    def _show_selection(self, change=None) -> None:
        ids = self.state.highlight_ids()
        self.highlight.data = highlight_geojson(self.state.atlas, ids)
        if self.state.measure is not None or (self.state.spotlight and self.state.feature is None):
            bounds = bounds_of(self.state.atlas, ids)
            if bounds is not None:
                self._fit(bounds)
        elif self.state.feature is not None:
            # A feature chosen from a list, or tapped where a sheet or card will cover it:
            # bring it into the part of the map that stays visible, without zooming in.
            bounds = bounds_of(self.state.atlas, ids, pad=0.3)
            size = map_size(self.widget.bounds, self.widget.zoom) if self.widget.bounds else None
            if bounds is not None and size is not None and not shows(self.widget.bounds, size, self.insets(size), bounds):
                self._fit(bounds, zoom_in=False)

    def _fit(self, bounds: list[list[float]], zoom_in: bool = True) -> None:
        """Frame ``bounds`` in the part of the map the visitor sees (see :mod:`.fit`), now if
        the browser has told the map its size, else as soon as it does; and again when the
        map changes size (a phone turned, a window resized) until the visitor moves it."""
        self._target = bounds
        self._apply_target(max_zoom=None if zoom_in else self.widget.zoom)

    def _apply_target(self, max_zoom: float | None = None) -> None:
        size = map_size(self.widget.bounds, self.widget.zoom) if self.widget.bounds else None
        if self._target is None or size is None:
            if self._target is not None:  # no size yet: at least look the right way
                (south, west), (north, east) = self._target
                self.widget.center = ((south + north) / 2, (west + east) / 2)
            return
        self._size = size
        center, zoom = fit(self._target, size, self.insets(size), min_zoom=self.widget.min_zoom,
                           max_zoom=min(self.widget.max_zoom, max_zoom if max_zoom is not None else 99))
        self._framed = (center, zoom)
        self.widget.center = center
        self.widget.zoom = zoom

    def _schedule_resized(self, change=None) -> None:
        # The browser sends a move's four edges one by one: look once they have all arrived.
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._resized()
            return
        if not self._resize_pending:
            self._resize_pending = True
            loop.call_later(0.1, guarded(self.state, "map resize")(self._resized))

    def _resized(self, change=None) -> None:
        self._resize_pending = False
        bounds = self.widget.bounds
        size = map_size(bounds, self.widget.zoom) if bounds else None
        if size is None or self._target is None:
            return
        if self._framed is not None:
            (lat, lon), zoom = self._framed
            moved = abs(self.widget.zoom - zoom) > 0.01 or abs(self.widget.center[0] - lat) > 0.05 or abs(self.widget.center[1] - lon) > 0.05
            same_size = self._size is not None and abs(size[0] - self._size[0]) < 3 and abs(size[1] - self._size[1]) < 3
            if moved and same_size:
                self._target = None  # the visitor moved the map: leave it where they put it
                return
            if same_size:
                return
        self._apply_target()

    def forget_target(self) -> None:
        """Stop framing (a link gave its own centre and zoom)."""
        self._target = None

    def refit(self) -> None:
        """Frame the last target again (the visible part changed: a sheet opened or closed)."""
        if self._target is not None:
            self._apply_target()

    def add_overlay(self, widget: widgets.Widget, position: str = "bottomleft") -> None:
        """Put a small widget (the legend) on the map."""
        self.widget.add(ipyleaflet.WidgetControl(widget=widget, position=position))

    def home(self, fit: bool = False) -> None:
        """The home view; ``fit`` frames every drawn route (any screen shape)."""
        bounds = bounds_of(self.state.atlas, list(self.state.atlas.routes.index)) if fit else None
        if bounds is not None:
            self._fit(bounds)
        else:
            self.widget.center = HOME_CENTER
            self.widget.zoom = HOME_ZOOM
