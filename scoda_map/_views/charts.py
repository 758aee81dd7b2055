"""Figures: trains per year and policy coverage, as plotly figures.

Figures are shown through plotly's MIME renderer (served once over HTTP by its
lab extension), not as FigureWidgets, which would push plotly's 5 MB bundle
through every visitor's kernel websocket. Clicks come back through a tiny
bridge widget (:mod:`scoda_map._views.chart_clicks`).
"""

from __future__ import annotations

import json

import ipywidgets as widgets
import plotly.graph_objects as go
import plotly.io as pio

from .._data.atlas import Atlas
from .._i18n import data_text, t
from .._model.state import ExplorerState
from .chart_clicks import ChartClicks
from .guard import guarded
from .html import plotly_text

PLOTLY_MIME = "application/vnd.plotly.v1+json"
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"], "responsive": True}
KIND_STYLE = {
    "actual": {"marker": {"color": "#0072b2"}},
    "derived": {"marker": {"color": "#9ecae1", "line": {"color": "#0072b2", "width": 1.5}}},
    "partial": {"mode": "markers", "marker": {"symbol": "circle-open", "size": 11, "color": "#0072b2", "line": {"width": 2}}},
    "target": {"mode": "markers", "marker": {"symbol": "diamond", "size": 13, "color": "#d55e00"}},
}
# template "none": plotly's default templates add ~10 kB of styling to every figure.
LAYOUT = dict(height=260, margin=dict(l=48, r=12, t=36, b=36), template="none",
              xaxis=dict(gridcolor="#e6eaed", zeroline=False), yaxis=dict(gridcolor="#e6eaed", zeroline=False),
              font=dict(family="SCODA Sans, Noto Sans, Noto Sans CJK SC, sans-serif", size=12),
              legend=dict(orientation="h", y=-0.22), hoverlabel=dict(align="left"))


def _source_line(atlas: Atlas, source_ids) -> str:
    titles = [str(atlas.sources.at[s, "title"]) for s in source_ids if s in atlas.sources.index]
    return plotly_text("; ".join(titles)[:160])


def trains_figure(atlas: Atlas, lang: str = "en") -> go.Figure:
    """Trains per year at SCODA: full years as bars, partial counts, derived figures and targets."""
    data = atlas.indicators[atlas.indicators["indicator"] == "trains_per_year"].sort_values(["year", "period"])
    figure = go.Figure(layout=go.Layout(**LAYOUT, title=t("charts.trains_title", lang), yaxis_title=t("charts.trains_axis", lang)))
    for kind, style in KIND_STYLE.items():
        rows = data[data["kind"] == kind]
        if rows.empty:
            continue
        hover = [
            f"{row.period}: {row.comparator if row.comparator != '=' else ''}{row.value:,.0f}<br>"
            f"{t('confidence.' + row.confidence, lang)} · {_source_line(atlas, row.source_ids)}"
            for row in rows.itertuples()
        ]
        common = dict(x=rows["year"], y=rows["value"], name=t(f"charts.kind.{kind}", lang),
                      customdata=rows["id"], hovertext=hover, hoverinfo="text")
        trace = go.Scatter(**common, **style) if style.get("mode") else go.Bar(**common, **style)
        figure.add_trace(trace)
    figure.update_xaxes(dtick=1)
    return figure


def coverage_figure(atlas: Atlas, lang: str = "en") -> go.Figure:
    """Linked map features per measure; a bar's customdata is its measure id."""
    counts = atlas.links.groupby("measure_id").size() if len(atlas.links) else None
    measures = atlas.measures.assign(linked=[int(counts.get(m, 0)) if counts is not None else 0 for m in atlas.measures.index])
    measures = measures.sort_values("linked")
    labels = [plotly_text((data_text(m, "title", lang)[0] or m.name)[:42]) for _, m in measures.iterrows()]
    figure = go.Figure(go.Bar(x=measures["linked"], y=labels, orientation="h", customdata=measures.index,
                              marker_color="#009e73", hovertemplate="%{y}: %{x}<extra></extra>"),
                       layout=go.Layout(**LAYOUT, title=t("charts.coverage_title", lang), xaxis_title=t("charts.coverage_axis", lang)))
    figure.update_layout(height=max(260, 22 * len(labels) + 80), margin=dict(l=12))
    figure.update_yaxes(automargin=True)
    return figure


class ChartsPanel:
    """The figures, redrawn on a language change; a bar click selects its measure."""

    def __init__(self, state: ExplorerState):
        self.state = state
        self.trains = widgets.Output()
        self.coverage = widgets.Output()
        self.trains.add_class("scoda-chart-trains")
        self.coverage.add_class("scoda-chart-coverage")
        self.clicks = ChartClicks()
        self.clicks.on_click(guarded(state, "chart click")(self._clicked))
        self.widget = widgets.VBox([self.trains, self.coverage, self.clicks])
        self.widget.add_class("scoda-charts")
        state.observe(self._draw, names="lang")
        self._draw()

    def _draw(self, change=None) -> None:
        for output, figure in ((self.trains, trains_figure(self.state.atlas, self.state.lang)),
                               (self.coverage, coverage_figure(self.state.atlas, self.state.lang))):
            # Set the output directly as plotly's MIME bundle: no kernel display
            # machinery, and no other renderer can inline plotly.js (MBs) into it.
            spec = json.loads(pio.to_json(figure, validate=False))
            spec["config"] = CONFIG
            output.outputs = ({"output_type": "display_data", "data": {PLOTLY_MIME: spec}, "metadata": {}},)

    def _clicked(self, point_id: str) -> None:
        if point_id in self.state.atlas.measures.index:
            self.state.select_measure(point_id)
