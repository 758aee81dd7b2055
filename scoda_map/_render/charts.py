"""Figures: trains per year and policy coverage, as plotly JSON and figures.

The same spec functions serve notebooks (:mod:`scoda_map.figures`) and the
explorer, which draws them with plotly.js's basic bundle through a small widget
(:mod:`scoda_map._views.charts`; why not FigureWidget or plotly's MIME renderer
is said in :mod:`scoda_map._views.plotly_chart`). Only bar and scatter traces:
what the basic bundle draws. A bar's ``customdata`` is its measure id.
"""

from __future__ import annotations

import copy
import re
import unicodedata
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


# The explorer's figures pane is ~255 px wide on a laptop: there (``narrow``) titles wrap and the
# coverage chart's labels are shortened to fit it (counted in columns: a Chinese character is
# two), the full title in the bar's hover. A notebook's figure keeps its titles on one line.
TITLE_COLUMNS = 32
LABEL_COLUMNS = 22
AXIS_COLUMNS = 12
WIDE_LABEL_COLUMNS = 42
TITLE_LINE_PX = 18
NO_LINE_START = set("）」』】》〉，。、；：！？,.;:!?)]")


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def shorten(text: str, columns: int = LABEL_COLUMNS) -> str:
    """``text`` cut to ``columns`` (a Chinese character counts two), "…" marking the cut.

    >>> shorten("Smooth multimodal transport corridors", 20), shorten("畅通多式联运通道建设", 12)
    ('Smooth multimodal t…', '畅通多式联…')
    """
    if _columns(text) <= columns:
        return text
    out, used = "", 1
    for c in text:
        used += _columns(c)
        if used > columns:
            break
        out += c
    return out.rstrip() + "…"


def wrap(text: str, columns: int = TITLE_COLUMNS) -> list[str]:
    """``text`` in lines of at most ``columns``, broken at spaces (anywhere in Chinese). A line
    keeps the space it was broken at: joined, the lines read as the text (a screen reader
    reads a wrapped chart title as one).

    >>> wrap("China-Europe/Central Asia trains at SCODA per year", 32)
    ['China-Europe/Central Asia trains ', 'at SCODA per year']
    >>> wrap("上合示范区中欧（中亚）班列年度开行量", 20)   # a closing bracket stays on its line
    ['上合示范区中欧（中亚）', '班列年度开行量']
    """
    lines, line = [], ""
    for word in re.findall(r"\S+\s*", text):
        pieces = [word] if _columns(word.strip()) <= columns else list(word)  # no spaces: by character
        for piece in pieces:
            if line and _columns((line + piece).rstrip()) > columns and piece not in NO_LINE_START:
                lines.append(line)
                line = piece
            else:
                line += piece
    if line:
        lines.append(line)
    return lines


def _lines(text: str, columns: int | None) -> tuple[str, int]:
    """Plotly text wrapped at ``columns`` (None: one line), and its number of lines."""
    lines = wrap(text, columns) if columns else [text]
    return "<br>".join(plotly_text(line) for line in lines), len(lines)


def _title(text: str, narrow: bool) -> tuple[dict, int]:
    """A plotly title (wrapped when ``narrow``) and the top margin it needs."""
    if not narrow:
        return {"text": plotly_text(text)}, LAYOUT["margin"]["t"]
    wrapped, count = _lines(text, TITLE_COLUMNS)
    return {"text": wrapped, "font": {"size": 14}}, 18 + TITLE_LINE_PX * count


def _source_line(atlas: Atlas, source_ids, lang: str = "en") -> str:
    titles = [source_title_text(atlas.sources.loc[s], lang) for s in source_ids if s in atlas.sources.index]
    return plotly_text("; ".join(titles)[:160])


def _layout(**extra) -> dict:
    layout = copy.deepcopy(LAYOUT)
    layout.pop("template")  # plotly.js has no "none" template: no template at all is the same
    layout.update(extra)
    return layout


def trains_spec(atlas: Atlas, lang: str = "en", narrow: bool = False) -> dict:
    """Trains per year as plotly JSON (``{"data", "layout"}``); :func:`trains_figure` wraps it.

    Plain JSON, so the dashboards draw it without importing plotly.graph_objects
    (0.2 s per kernel here). ``narrow``: for the explorer's figures pane (the title wraps).
    Made once per atlas and language; each caller gets its own copy.
    """
    return copy.deepcopy(_trains_spec(atlas, lang, narrow))


@per_atlas()
def _trains_spec(atlas: Atlas, lang: str, narrow: bool) -> dict:
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
    title, top = _title(t("charts.trains_title", lang), narrow)
    layout = _layout(title=title, height=LAYOUT["height"] - LAYOUT["margin"]["t"] + top)  # the plot keeps its height
    layout["margin"]["t"] = top
    layout["yaxis"]["title"] = {"text": t("charts.trains_axis", lang)}
    layout["xaxis"]["dtick"] = 1
    return {"data": traces, "layout": layout}


def coverage_spec(atlas: Atlas, lang: str = "en", narrow: bool = False) -> dict:
    """Linked map features per measure as plotly JSON; a bar's customdata is its measure id.
    ``narrow``: for the explorer's figures pane (titles wrap, shorter labels).
    Made once per atlas and language; each caller gets its own copy."""
    return copy.deepcopy(_coverage_spec(atlas, lang, narrow))


@per_atlas()
def _coverage_spec(atlas: Atlas, lang: str, narrow: bool) -> dict:
    counts = atlas.links.groupby("measure_id").size() if len(atlas.links) else None
    measures = atlas.measures.assign(linked=[int(counts.get(m, 0)) if counts is not None else 0 for m in atlas.measures.index])
    measures = measures.sort_values("linked")
    titles = [data_text(m, "title", lang)[0] or m.name for _, m in measures.iterrows()]
    ids = [str(m) for m in measures.index]
    # One category a measure (its id), shown by its shortened title: two titles that start
    # alike and shorten alike stay two bars.
    bar = {"type": "bar", "x": [int(n) for n in measures["linked"]], "y": ids,
           "orientation": "h", "customdata": ids, "marker": {"color": "#009e73"},
           "hovertext": [plotly_text(x) for x in titles], "hovertemplate": "%{hovertext}: %{x}<extra></extra>"}
    title, top = _title(t("charts.coverage_title", lang), narrow)
    layout = _layout(title=title)
    layout["margin"]["l"] = 12
    layout["margin"]["t"] = top
    # Under the bars' plot area, narrow in the pane: its title wraps there too.
    axis, count = _lines(t("charts.coverage_axis", lang), AXIS_COLUMNS if narrow else None)
    layout["xaxis"]["title"] = {"text": axis}
    layout["margin"]["b"] = 22 + 14 * count
    layout["height"] = max(LAYOUT["height"], 22 * len(titles) + 24 + top + layout["margin"]["b"])
    layout["yaxis"]["automargin"] = True
    layout["yaxis"].update(tickmode="array", tickvals=ids,
                           ticktext=[plotly_text(shorten(x, LABEL_COLUMNS if narrow else WIDE_LABEL_COLUMNS)) for x in titles])
    if narrow:
        layout["yaxis"]["tickfont"] = {"size": 11}
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
