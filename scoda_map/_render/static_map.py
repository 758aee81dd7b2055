"""The current view as a standalone HTML file that opens offline in any browser.

ipywidgets' embed would load its JavaScript from a CDN, so the saved view is a
plotly figure instead: the basemap, the routes and points, the selection
highlighted, with plotly.js inlined (about 5 MB, no network needed).

The pieces of the figure (basemap, corridors, point layers, highlight, layout)
are functions of their own: the static site export (``scoda_map._export.site``)
draws its interactive map from the same pieces.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import plotly.graph_objects as go

from .._data.atlas import Atlas
from .._data.worldview import Worldview, schematic_key
from .._i18n import data_text, t
from .._model import export
from .._model.state import ExplorerState
from .basemap import BORDER as BASEMAP_LINE, LAND as BASEMAP_FILL, PLOTLY_LINES, WATER, line_kind, line_parts, split
from .html import plotly_text

HIGHLIGHT = "#f0b400"
#: The map's frame: longitude and latitude ranges, and the latitude stretch.
X_RANGE, Y_RANGE, Y_SCALE = (0, 145), (2, 68), 1.3  # from 2° N: the whole ten-dash line is in frame
FONT_FAMILY = "Noto Sans, Noto Sans CJK SC, Microsoft YaHei, sans-serif"


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


def basemap_trace(atlas: Atlas, worldview: Worldview | str | None = None, digits: int | None = None) -> go.Scatter:
    """The offline country layer as one filled line trace (coordinates rounded to ``digits``)."""
    polygons, _ = split(atlas.basemap(worldview))
    rings = [ring for feature in polygons for ring in _rings(feature["geometry"])]
    xs, ys = _joined(rings)
    return go.Scatter(x=_rounded(xs, digits), y=_rounded(ys, digits), mode="lines", fill="toself", fillcolor=BASEMAP_FILL,
                      line=dict(color=BASEMAP_LINE, width=0.6), hoverinfo="skip", showlegend=False, name="basemap")


def basemap_line_traces(atlas: Atlas, worldview: Worldview | str | None = None, digits: int | None = None) -> list[go.Scatter]:
    """The basemap's line features (the ten-dash line, undetermined lines), one trace a kind,
    each undetermined line over a mask in the land colour; named ``basemap:<kind>``."""
    _, lines = split(atlas.basemap(worldview))
    traces = []
    for kind in ("mask", "undetermined", "ten_dash"):
        wanted = "undetermined" if kind == "mask" else kind
        chosen = [part for feature in lines if line_kind(feature) == wanted for part in line_parts(feature)]
        if chosen:
            xs, ys = _joined(chosen)
            traces.append(go.Scatter(x=_rounded(xs, digits), y=_rounded(ys, digits), mode="lines", line=PLOTLY_LINES[kind],
                                     hoverinfo="skip", showlegend=False, name=f"basemap:{kind}"))
    return traces


def schematic_note(worldview: Worldview | str | None, lang: str) -> dict[str, Any]:
    """The figure annotation that says the map is a schematic (示意图), not a reviewed map."""
    return dict(text=plotly_text(t(schematic_key(worldview), lang)), xref="paper", yref="paper", x=1, y=0,
                xanchor="right", yanchor="bottom", showarrow=False, font=dict(size=11, color="#444"),
                bgcolor="rgba(255,255,255,.8)", name="schematic")


def corridor_traces(atlas: Atlas, lang: str) -> list[go.Scatter]:
    """The drawn route legs, one trace per corridor in its colour."""
    traces = []
    for corridor_id, corridor in atlas.corridors.iterrows():
        legs = atlas.route_legs[atlas.route_legs["corridor"] == corridor_id]
        if legs.empty:
            continue
        xs, ys = _joined(list(geometry.coords) for geometry in legs.geometry)
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=corridor["color"], width=2.5),
                                 name=plotly_text(data_text(corridor, "name", lang)[0]), hoverinfo="skip"))
    return traces


def point_trace(atlas: Atlas, name: str, lang: str, **extra: Any) -> go.Scatter:
    """The located members of a point layer, named in ``lang``; ``extra`` adds trace settings."""
    info = atlas.layer_info(name)
    frame = atlas.layer(name)
    frame = frame[frame["on_map"]]
    settings = dict(
        x=frame.geometry.x, y=frame.geometry.y, mode="markers", name=plotly_text(info.title.get(lang) or info.title["en"]),
        marker=dict(size=9, color=info.color or "#555", line=dict(color="#fff", width=1.5)),
        text=[plotly_text(data_text(row, "name", lang)[0]) for _, row in frame.iterrows()], hoverinfo="text")
    return go.Scatter(**{**settings, **extra})


def highlight_geometry(atlas: Atlas, ids: Iterable[str]) -> tuple[list, list]:
    """The lines (lists of (x, y)) and points (shapely Points) of features or places."""
    lines, points = [], []
    for feature_id in ids:
        try:
            geometry = atlas.feature(feature_id).geometry
        except KeyError:
            geometry = atlas.places.geometry.get(feature_id)
        if geometry is None:
            continue
        if geometry.geom_type == "Point":
            points.append(geometry)
        else:
            lines += [list(part.coords) for part in getattr(geometry, "geoms", [geometry])]
    return lines, points


def highlight_line_trace(lines: list, label: str) -> go.Scatter:
    xs, ys = _joined(lines)
    return go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=HIGHLIGHT, width=7),
                      opacity=0.6, name=label, hoverinfo="skip")


def highlight_point_trace(points: list, label: str) -> go.Scatter:
    return go.Scatter(x=[p.x for p in points], y=[p.y for p in points], mode="markers",
                      marker=dict(size=22, color="rgba(240,180,0,.25)", line=dict(color=HIGHLIGHT, width=3)),
                      name=label, hoverinfo="skip")


def map_layout(**overrides: Any) -> dict[str, Any]:
    """The map's layout: water, frame, font; ``overrides`` replace top-level keys."""
    layout = dict(
        template="none", plot_bgcolor=WATER, paper_bgcolor="#ffffff", height=720,
        margin=dict(l=10, r=10, t=50, b=10), legend=dict(bgcolor="rgba(255,255,255,.85)"),
        font=dict(family=FONT_FAMILY),
        xaxis=dict(range=list(X_RANGE), visible=False),
        yaxis=dict(range=list(Y_RANGE), visible=False, scaleanchor="x", scaleratio=Y_SCALE),
    )
    layout.update(overrides)
    return layout


def static_map_figure(state: ExplorerState, worldview: Worldview | str | None = None) -> go.Figure:
    """A plotly figure of the map as the visitor sees it (layers, selection, language)."""
    atlas, lang = state.atlas, state.lang
    figure = go.Figure()
    figure.add_trace(basemap_trace(atlas, worldview))
    figure.add_traces(basemap_line_traces(atlas, worldview))
    if "routes" in state.layers:
        figure.add_traces(corridor_traces(atlas, lang))
    for name in state.layers:
        if atlas.layer_info(name).kind == "points":
            figure.add_trace(point_trace(atlas, name, lang))
    _add_selection(figure, state)
    figure.update_layout(title=t("app.title", lang) + f" · data {atlas.version}", **map_layout())
    figure.add_annotation(schematic_note(worldview, lang))
    return figure


def _add_selection(figure: go.Figure, state: ExplorerState) -> None:
    ids = state.highlight_ids()
    if not ids:
        return
    lines, points = highlight_geometry(state.atlas, ids)
    if lines:
        figure.add_trace(highlight_line_trace(lines, t("legend.highlight", state.lang)))
    if points:
        figure.add_trace(highlight_point_trace(points, t("legend.highlight", state.lang)))


def standalone_html(state: ExplorerState, link: str | None = None, worldview: Worldview | str | None = None) -> str:
    """A complete HTML page of the view, with plotly.js inlined and the citation below."""
    figure = static_map_figure(state, worldview)
    html = figure.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False})
    from markupsafe import escape
    cite = escape(t(schematic_key(worldview), state.lang) + "\n\n" + export.citation(state, link))
    return html.replace("</body>", f'<pre style="font-family:sans-serif;white-space:pre-wrap;margin:12px">{cite}</pre></body>', 1)
