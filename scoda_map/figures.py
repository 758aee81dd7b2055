"""Figures for notebooks and reports: the same charts and map the dashboards show.

Examples
--------
>>> import scoda_map
>>> from scoda_map import figures
>>> atlas = scoda_map.load()
>>> figures.trains_figure(atlas).layout.title.text
'China-Europe/Central Asia trains at SCODA per year'
>>> len(figures.map_figure(atlas, lang="zh", selected="r-almaty").data) > 3
True
"""

from __future__ import annotations

from typing import Iterable

import plotly.graph_objects as go

from ._data.atlas import Atlas
from ._model.state import ExplorerState
from ._views.charts import coverage_figure, trains_figure
from ._views.static_map import static_map_figure

__all__ = ["coverage_figure", "map_figure", "trains_figure"]


def map_figure(atlas: Atlas, lang: str = "en", layers: Iterable[str] | None = None,
               selected: str | None = None, measure: str | None = None) -> go.Figure:
    """A static map (plotly) of the layers, with a feature or a measure highlighted.

    Parameters
    ----------
    atlas : Atlas
    lang : {"en", "zh", "ru"}
    layers : iterable of str, optional
        Layers to draw; default: the layers the explorer shows at first.
    selected : str, optional
        A feature or place id to highlight.
    measure : str, optional
        A measure id: highlight everything it reaches.
    """
    state = ExplorerState(atlas, lang=lang)
    if layers is not None:
        state.layers = tuple(layers)
    if selected is not None:
        state.select_feature(selected)
    if measure is not None:
        state.select_measure(measure)
    return static_map_figure(state)
