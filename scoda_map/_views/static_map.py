"""The current view as a standalone HTML file that opens offline in any browser.

ipywidgets' embed would load its JavaScript from a CDN, so the saved view is a
plotly figure instead: the basemap, the routes and points, the selection
highlighted, with plotly.js inlined (about 5 MB, no network needed).
"""

from __future__ import annotations

import plotly.graph_objects as go

from .._i18n import data_text, t
from .._model import export
from .._model.state import ExplorerState
from .html import plotly_text

BASEMAP_FILL, BASEMAP_LINE, WATER = "#f6f3ec", "#b8b2a4", "#cfe2ec"


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


def static_map_figure(state: ExplorerState, worldview: str = "cn") -> go.Figure:
    """A plotly figure of the map as the visitor sees it (layers, selection, language)."""
    atlas, lang = state.atlas, state.lang
    figure = go.Figure()
    rings = [ring for feature in atlas.basemap(worldview)["features"] for ring in _rings(feature["geometry"])]
    xs, ys = _joined(rings)
    figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=BASEMAP_FILL,
                                line=dict(color=BASEMAP_LINE, width=0.6), hoverinfo="skip", showlegend=False))
    if "routes" in state.layers:
        for corridor_id, corridor in atlas.corridors.iterrows():
            legs = atlas.route_legs[atlas.route_legs["corridor"] == corridor_id]
            if legs.empty:
                continue
            xs, ys = _joined(list(geometry.coords) for geometry in legs.geometry)
            figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=corridor["color"], width=2.5),
                                        name=plotly_text(data_text(corridor, "name", lang)[0]), hoverinfo="skip"))
    for name in state.layers:
        info = atlas.layer_info(name)
        if info.kind != "points":
            continue
        frame = atlas.layer(name)
        frame = frame[frame["on_map"]]
        figure.add_trace(go.Scatter(
            x=frame.geometry.x, y=frame.geometry.y, mode="markers", name=plotly_text(info.title.get(lang) or info.title["en"]),
            marker=dict(size=9, color=info.color or "#555", line=dict(color="#fff", width=1.5)),
            text=[plotly_text(data_text(row, "name", lang)[0]) for _, row in frame.iterrows()], hoverinfo="text"))
    _add_selection(figure, state)
    title = t("app.title", lang) + f" · data {atlas.version}"
    figure.update_layout(
        title=title, template="none", plot_bgcolor=WATER, paper_bgcolor="#ffffff", height=720,
        margin=dict(l=10, r=10, t=50, b=10), legend=dict(bgcolor="rgba(255,255,255,.85)"),
        font=dict(family="Noto Sans, Noto Sans CJK SC, Microsoft YaHei, sans-serif"),
        xaxis=dict(range=[0, 145], visible=False), yaxis=dict(range=[5, 68], visible=False, scaleanchor="x", scaleratio=1.3),
    )
    return figure


def _add_selection(figure: go.Figure, state: ExplorerState) -> None:
    ids = state.highlight_ids()
    if not ids:
        return
    atlas = state.atlas
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
    if lines:
        xs, ys = _joined(lines)
        figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#f0b400", width=7),
                                    opacity=0.6, name=t("legend.highlight", state.lang), hoverinfo="skip"))
    if points:
        figure.add_trace(go.Scatter(x=[p.x for p in points], y=[p.y for p in points], mode="markers",
                                    marker=dict(size=22, color="rgba(240,180,0,.25)", line=dict(color="#f0b400", width=3)),
                                    name=t("legend.highlight", state.lang), hoverinfo="skip"))


def standalone_html(state: ExplorerState, link: str | None = None) -> str:
    """A complete HTML page of the view, with plotly.js inlined and the citation below."""
    figure = static_map_figure(state)
    html = figure.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False})
    from markupsafe import escape
    cite = escape(export.citation(state, link))
    return html.replace("</body>", f'<pre style="font-family:sans-serif;white-space:pre-wrap;margin:12px">{cite}</pre></body>', 1)
