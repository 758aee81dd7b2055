"""The map as a plotly figure: for the saved map page, ``figures.map_figure`` and
the static site, from the same traces.

The live explorer draws with Leaflet; these three draw with plotly, and all four
take their features from :mod:`scoda_map._render.features` (route legs, point
members, stops, selection), so every renderer shows the same map. Only
``scatter`` traces on longitude/latitude axes (no ``scattergeo``): the basic
plotly.js bundle, the one bundle every page ships, draws them.

The saved page (:func:`standalone_html`) is one HTML file that opens offline in
any browser, with that bundle inlined (ipywidgets' embed would load its
JavaScript from a CDN).

Examples
--------
>>> import scoda_map
>>> from scoda_map._model.state import ExplorerState
>>> state = ExplorerState(scoda_map.load(), lang="zh")
>>> state.select_feature("r-almaty")
True
>>> spec = map_spec(state)
>>> {trace["type"] for trace in spec["data"]}
{'scatter'}
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from markupsafe import escape

from .._data.atlas import Atlas
from .._data.worldview import Worldview, schematic_key
from .._i18n import data_text, t
from .._model import export
from .._model.state import ExplorerState
from .basemap import BORDER as BASEMAP_LINE, LAND as BASEMAP_FILL, PLOTLY_LINES, WATER, line_kind, line_parts, split
from .features import highlight_geometry, located_members, route_legs, safe_color, stop_place_ids
from .html import plotly_text

__all__ = [
    "PLOTLY_BASIC_FILE", "basemap_line_traces", "basemap_trace", "highlight_traces", "layer_traces", "map_layout", "map_spec",
    "plotly_basic_js", "schematic_note", "standalone_html", "static_map_figure",
]

HIGHLIGHT = "#f0b400"
#: The map's frame: longitude and latitude ranges, and the latitude stretch.
X_RANGE, Y_RANGE, Y_SCALE = (0, 145), (2, 68), 1.3  # from 2° N: the whole ten-dash line is in frame
FONT_FAMILY = "Noto Sans, Noto Sans CJK SC, Microsoft YaHei, sans-serif"
#: Coordinates: 4 decimals (~10 m) for features, 3 (~100 m) for the basemap.
DIGITS, BASEMAP_DIGITS = 4, 3
#: Route legs get a vertex every STEP degrees, so a click (or hover) anywhere along a line finds its route.
STEP = 0.5
#: plotly.js's basic bundle (scatter, bar, pie), vendored with the dashboards' template.
PLOTLY_BASIC_VERSION = "4.1.1"
PLOTLY_BASIC_FILE = (Path(__file__).resolve().parent.parent / "_share" / "jupyter" / "voila" / "templates" / "scoda"
                     / "static" / "vendor" / f"plotly-basic-{PLOTLY_BASIC_VERSION}.min.js")


def plotly_basic_js() -> str:
    """The text of the basic plotly.js bundle every page of the project uses."""
    return PLOTLY_BASIC_FILE.read_text(encoding="utf-8")


def _rings(geometry: dict) -> list[list[list[float]]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [ring for polygon in polygons for ring in polygon]


def _joined(lines) -> tuple[list, list]:
    """Many lines as one trace: coordinates separated by None."""
    xs, ys = [], []
    for line in lines:
        xs += [x for x, _ in line] + [None]
        ys += [y for _, y in line] + [None]
    return xs, ys


def _rounded(values: list, digits: int | None) -> list:
    return values if digits is None else [None if v is None else round(v, digits) for v in values]


def _densified(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = [coords[0]]
    for (x0, y0), (x1, y1) in zip(coords, coords[1:]):
        steps = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / STEP))
        out += [(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps) for i in range(1, steps + 1)]
    return [(round(x, DIGITS), round(y, DIGITS)) for x, y in out]


def _name(atlas: Atlas, feature_id: str | None, lang: str) -> str:
    if feature_id is None:
        return ""
    try:
        record = atlas.feature(feature_id)
    except KeyError:
        record = atlas.record("places", feature_id)
    return plotly_text(data_text(record, "name", lang)[0] or feature_id)


# -- traces ----------------------------------------------------------------------------
def basemap_trace(atlas: Atlas, worldview: Worldview | str | None = None, digits: int | None = BASEMAP_DIGITS) -> dict[str, Any]:
    """The offline country polygons (in ``worldview``) as one filled line trace."""
    polygons, _ = split(atlas.basemap(worldview))
    rings = [ring for feature in polygons for ring in _rings(feature["geometry"])]
    xs, ys = _joined(rings)
    return dict(type="scatter", x=_rounded(xs, digits), y=_rounded(ys, digits), mode="lines", fill="toself",
                fillcolor=BASEMAP_FILL, line=dict(color=BASEMAP_LINE, width=0.6), hoverinfo="skip", showlegend=False,
                name="basemap")


def basemap_line_traces(atlas: Atlas, worldview: Worldview | str | None = None,
                        digits: int | None = BASEMAP_DIGITS) -> list[dict[str, Any]]:
    """The basemap's line features (the ten-dash line, undetermined lines), one trace a kind,
    each undetermined line over a mask in the land colour; named ``basemap:<kind>``."""
    _, lines = split(atlas.basemap(worldview))
    traces = []
    for kind in ("mask", "undetermined", "ten_dash"):
        wanted = "undetermined" if kind == "mask" else kind
        chosen = [part for feature in lines if line_kind(feature) == wanted for part in line_parts(feature)]
        if chosen:
            xs, ys = _joined(chosen)
            traces.append(dict(type="scatter", x=_rounded(xs, digits), y=_rounded(ys, digits), mode="lines",
                               line=dict(PLOTLY_LINES[kind]), hoverinfo="skip", showlegend=False, name=f"basemap:{kind}"))
    return traces


def schematic_note(worldview: Worldview | str | None, lang: str) -> dict[str, Any]:
    """The figure annotation that says the map is a schematic (示意图), not a reviewed map."""
    return dict(text=plotly_text(t(schematic_key(worldview), lang)), xref="paper", yref="paper", x=1, y=0,
                xanchor="right", yanchor="bottom", showarrow=False, font=dict(size=11, color="#444"),
                bgcolor="rgba(255,255,255,.8)", name="schematic")


def _route_traces(atlas: Atlas, lang: str) -> list[dict[str, Any]]:
    """Routes by corridor (solid rail, dashed sea/river legs); every vertex names its route."""
    legs = route_legs(atlas)
    traces = []
    for corridor_id, corridor in atlas.corridors.iterrows():
        for dashed in (False, True):
            chosen = [leg for leg in legs if leg.corridor == corridor_id and leg.dashed == dashed]
            if not chosen:
                continue
            xs, ys, ids = [], [], []
            for leg in chosen:
                line = _densified(list(leg.geometry.coords))
                xs += [x for x, _ in line] + [None]
                ys += [y for _, y in line] + [None]
                ids += [leg.route_id] * len(line) + [None]
            label = plotly_text(data_text(corridor, "name", lang)[0] or corridor_id)
            traces.append(dict(type="scatter", x=xs, y=ys, customdata=ids, mode="lines", hoverinfo="text",
                               text=[_name(atlas, i, lang) for i in ids],
                               line=dict(color=chosen[0].color, width=2.5, dash="dot" if dashed else "solid"),
                               name=label, legendgroup=corridor_id, showlegend=not dashed))
    return traces


def _stops_trace(atlas: Atlas, lang: str) -> dict[str, Any]:
    """Crossings and route ends of drawn routes (as the explorer shows them), tappable places."""
    ids = stop_place_ids(atlas)
    points = [atlas.places.geometry[p] for p in ids]
    return dict(type="scatter", x=[round(p.x, DIGITS) for p in points], y=[round(p.y, DIGITS) for p in points],
                customdata=ids, mode="markers", hoverinfo="text", text=[_name(atlas, i, lang) for i in ids],
                name="stops", showlegend=False, marker=dict(size=7, color="#ffffff", line=dict(color="#333333", width=1.5)))


def _point_trace(atlas: Atlas, name: str, lang: str) -> dict[str, Any]:
    """The located members of a point layer, named in ``lang``."""
    info = atlas.layer_info(name)
    ids, points = located_members(atlas, name)
    return dict(type="scatter", x=[round(p.x, DIGITS) for p in points], y=[round(p.y, DIGITS) for p in points],
                customdata=ids, mode="markers", hoverinfo="text", text=[_name(atlas, i, lang) for i in ids],
                name=plotly_text(info.title.get(lang) or info.title["en"]),
                marker=dict(size=9, color=safe_color(info.color), line=dict(color="#fff", width=1.5)))


def layer_traces(atlas: Atlas, name: str, lang: str) -> list[dict[str, Any]]:
    """The traces of one map layer: a point layer's members, or the routes and their stops."""
    if atlas.layer_info(name).kind == "points":
        return [_point_trace(atlas, name, lang)]
    return _route_traces(atlas, lang) + [_stops_trace(atlas, lang)]


def highlight_traces(atlas: Atlas, ids: Iterable[str], lang: str) -> list[dict[str, Any]]:
    """The selection's lines and points, over everything: always two traces (maybe empty)."""
    lines, points = highlight_geometry(atlas, ids)
    label = t("legend.highlight", lang)
    xs, ys = _joined(lines)
    return [
        dict(type="scatter", x=_rounded(xs, DIGITS), y=_rounded(ys, DIGITS), mode="lines", name=label, hoverinfo="skip",
             line=dict(color=HIGHLIGHT, width=9), opacity=0.6, showlegend=bool(lines)),
        dict(type="scatter", x=[round(p.x, DIGITS) for p in points], y=[round(p.y, DIGITS) for p in points],
             mode="markers", name=label, hoverinfo="skip", showlegend=bool(points),
             marker=dict(size=22, color="rgba(240,180,0,.25)", line=dict(color=HIGHLIGHT, width=3))),
    ]


def map_layout(**overrides: Any) -> dict[str, Any]:
    """The map's layout (plotly.js JSON): water, frame, font; ``overrides`` replace top-level keys."""
    layout = dict(
        plot_bgcolor=WATER, paper_bgcolor="#ffffff", height=720,
        margin=dict(l=10, r=10, t=50, b=10), legend=dict(bgcolor="rgba(255,255,255,.85)"),
        font=dict(family=FONT_FAMILY),
        xaxis=dict(range=list(X_RANGE), visible=False),
        yaxis=dict(range=list(Y_RANGE), visible=False, scaleanchor="x", scaleratio=Y_SCALE),
    )
    layout.update(overrides)
    return layout


# -- the map as the visitor sees it ----------------------------------------------------
def map_spec(state: ExplorerState, worldview: Worldview | str | None = None) -> dict[str, Any]:
    """The map (layers, selection, language, borders in ``worldview``) as plotly JSON ``{"data", "layout"}``."""
    atlas, lang = state.atlas, state.lang
    data = [basemap_trace(atlas, worldview)] + basemap_line_traces(atlas, worldview)
    for name in state.layers:
        data += layer_traces(atlas, name, lang)
    data += highlight_traces(atlas, state.highlight_ids(), lang)
    layout = map_layout(title={"text": t("app.title", lang) + f" · data {atlas.version}"},
                        annotations=[schematic_note(worldview, lang)])
    return {"data": data, "layout": layout}


def static_map_figure(state: ExplorerState, worldview: Worldview | str | None = None):
    """:func:`map_spec` as a ``plotly.graph_objects.Figure`` (for notebooks)."""
    import plotly.graph_objects as go  # only notebooks pay for plotly.py's figure classes

    figure = go.Figure(map_spec(state, worldview))
    figure.update_layout(template="none")
    return figure


def _script_json(value: Any) -> str:
    """JSON that cannot close the ``<script>`` element carrying it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def standalone_html(state: ExplorerState, link: str | None = None, worldview: Worldview | str | None = None) -> str:
    """A complete HTML page of the view, with the basic plotly.js bundle inlined and the citation below."""
    spec = map_spec(state, worldview)
    title = escape(t("app.title", state.lang))
    cite = escape(t(schematic_key(worldview), state.lang) + "\n\n" + export.citation(state, link))
    config = {"displaylogo": False, "responsive": True, "scrollZoom": True}
    bundle = plotly_basic_js().replace("</script", "<\\/script")
    return (f'<!doctype html>\n<html lang="{escape(state.lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n</head>\n'
            f'<body style="margin:0;font-family:sans-serif">\n<div id="map" style="width:100%;height:720px"></div>\n'
            f'<script>{bundle}</script>\n'
            f'<script type="application/json" id="map-spec">{_script_json(spec)}</script>\n'
            f'<script>(function () {{ var spec = JSON.parse(document.getElementById("map-spec").textContent);\n'
            f'Plotly.newPlot("map", spec.data, spec.layout, {json.dumps(config)}); }}());</script>\n'
            f'<pre style="white-space:pre-wrap;margin:12px">{cite}</pre>\n</body>\n</html>\n')
