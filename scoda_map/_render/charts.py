"""Figures: trains per year and policy coverage, as plotly JSON and figures.

The same spec functions serve notebooks (:mod:`scoda_map.figures`) and the
explorer, which draws them with plotly.js's basic bundle through a small widget
(:mod:`scoda_map._views.charts`; why not FigureWidget or plotly's MIME renderer
is said in :mod:`scoda_map._views.plotly_chart`). Only bar and scatter traces:
what the basic bundle draws. A bar's ``customdata`` is its measure id.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from .._data.atlas import Atlas
from .._i18n import data_text, t
from .html import plotly_text, source_title_text
from .memo import per_atlas

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = ["CONFIG", "KIND_STYLE", "coverage_figure", "coverage_spec", "trains_figure", "trains_spec"]

CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"], "responsive": True}
KIND_STYLE = {
    "actual": {"marker": {"color": "#0072b2"}},
    "derived": {"marker": {"color": "#9ecae1", "line": {"color": "#0072b2", "width": 1.5}}},
    # A partial count sits inside its year's bar (Jan-Aug 2025 in the 2025 bar): a white
    # disc with a dark ring shows on the dark bar, the light bar and the white background.
    "partial": {"mode": "markers", "marker": {"symbol": "circle", "size": 12, "color": "#ffffff",
                                              "line": {"width": 2.5, "color": "#1a1a1a"}}},
    "target": {"mode": "markers", "marker": {"symbol": "diamond", "size": 13, "color": "#d55e00"}},
}
# template "none": plotly's default templates add ~10 kB of styling to every figure.
LAYOUT = dict(height=260, margin=dict(l=48, r=12, t=36, b=36), template="none",
              xaxis=dict(gridcolor="#e6eaed", zeroline=False), yaxis=dict(gridcolor="#e6eaed", zeroline=False),
              font=dict(family="SCODA Sans, Noto Sans, Noto Sans CJK SC, sans-serif", size=12),
              legend=dict(orientation="h", y=-0.22), hoverlabel=dict(align="left"))


def _source_line(atlas: Atlas, source_ids, lang: str = "en") -> str:
    titles = [source_title_text(atlas.sources.loc[s], lang) for s in source_ids if s in atlas.sources.index]
    return plotly_text("; ".join(titles)[:160])


def _layout(**extra) -> dict:
    layout = copy.deepcopy(LAYOUT)
    layout.pop("template")  # plotly.js has no "none" template: no template at all is the same
    layout.update(extra)
    return layout


def trains_spec(atlas: Atlas, lang: str = "en") -> dict:
    """Trains per year as plotly JSON (``{"data", "layout"}``); :func:`trains_figure` wraps it.

    Plain JSON, so the dashboards draw it without importing plotly.graph_objects
    (0.2 s per kernel here). Made once per atlas and language; each caller gets its own copy.
    """
    return copy.deepcopy(_trains_spec(atlas, lang))


@per_atlas()
def _trains_spec(atlas: Atlas, lang: str) -> dict:
    data = atlas.indicators[atlas.indicators["indicator"] == "trains_per_year"].sort_values(["year", "period"])
    traces = []
    for kind, style in KIND_STYLE.items():
        rows = data[data["kind"] == kind]
        if rows.empty:
            continue
        hover = [
            f"{row.period}: {row.comparator if row.comparator != '=' else ''}{row.value:,.0f}<br>"
            f"{t('confidence.' + row.confidence, lang)} · {_source_line(atlas, row.source_ids, lang)}"
            for row in rows.itertuples()
        ]
        traces.append({"type": "scatter" if style.get("mode") else "bar",
                       "x": [int(year) for year in rows["year"]], "y": [float(value) for value in rows["value"]],
                       "name": t(f"charts.kind.{kind}", lang), "customdata": [str(i) for i in rows["id"]],
                       "hovertext": hover, "hoverinfo": "text", **copy.deepcopy(style)})
    layout = _layout(title={"text": t("charts.trains_title", lang)})
    layout["yaxis"]["title"] = {"text": t("charts.trains_axis", lang)}
    layout["xaxis"]["dtick"] = 1
    return {"data": traces, "layout": layout}


def coverage_spec(atlas: Atlas, lang: str = "en") -> dict:
    """Linked map features per measure as plotly JSON; a bar's customdata is its measure id.
    Made once per atlas and language; each caller gets its own copy."""
    return copy.deepcopy(_coverage_spec(atlas, lang))


@per_atlas()
def _coverage_spec(atlas: Atlas, lang: str) -> dict:
    counts = atlas.links.groupby("measure_id").size() if len(atlas.links) else None
    measures = atlas.measures.assign(linked=[int(counts.get(m, 0)) if counts is not None else 0 for m in atlas.measures.index])
    measures = measures.sort_values("linked")
    labels = [plotly_text((data_text(m, "title", lang)[0] or m.name)[:42]) for _, m in measures.iterrows()]
    bar = {"type": "bar", "x": [int(n) for n in measures["linked"]], "y": labels, "orientation": "h",
           "customdata": [str(m) for m in measures.index], "marker": {"color": "#009e73"},
           "hovertemplate": "%{y}: %{x}<extra></extra>"}
    layout = _layout(title={"text": t("charts.coverage_title", lang)}, height=max(260, 22 * len(labels) + 80))
    layout["margin"]["l"] = 12
    layout["xaxis"]["title"] = {"text": t("charts.coverage_axis", lang)}
    layout["yaxis"]["automargin"] = True
    return {"data": [bar], "layout": layout}


def trains_figure(atlas: Atlas, lang: str = "en") -> go.Figure:
    """Trains per year at SCODA: full years as bars, partial counts, derived figures and targets."""
    return _figure(trains_spec(atlas, lang))


def coverage_figure(atlas: Atlas, lang: str = "en") -> go.Figure:
    """Linked map features per measure; a bar's customdata is its measure id."""
    return _figure(coverage_spec(atlas, lang))


def _figure(spec: dict) -> go.Figure:
    import plotly.graph_objects as go  # 0.2 s: only for notebooks, never for the dashboards' specs

    # Validated by plotly here; a spec plotly rejects fails the figure tests.
    figure = go.Figure(spec)
    figure.update_layout(template="none")
    return figure
