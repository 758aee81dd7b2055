"""The figures panel: the trains and coverage charts from :mod:`scoda_map._render.charts`,
redrawn on a language change; a bar click selects its measure."""

from __future__ import annotations

import ipywidgets as widgets

from .._model.state import ExplorerState
from .._render.charts import CONFIG, coverage_spec, trains_spec
from .guard import guarded
from .plotly_chart import PlotlyChart
from .when_shown import WhenShown


class ChartsPanel:
    """The figures, redrawn on a language change (when their pane is ``shown``); a bar click
    selects its measure."""

    def __init__(self, state: ExplorerState, shown: WhenShown | None = None):
        self.state = state
        self.shown = shown or WhenShown()
        self.trains = PlotlyChart(config=CONFIG)
        self.coverage = PlotlyChart(config=CONFIG)
        self.trains.add_class("scoda-chart-trains")
        self.coverage.add_class("scoda-chart-coverage")
        for chart in (self.trains, self.coverage):
            chart.on_click(guarded(state, "chart click")(self._clicked))
        self.widget = widgets.VBox([self.trains, self.coverage])
        self.widget.add_class("scoda-charts")
        state.observe(self.shown.observer(self._draw), names="lang")
        self._draw()

    def _draw(self, change=None) -> None:
        self.trains.show(trains_spec(self.state.atlas, self.state.lang, narrow=True))
        self.coverage.show(coverage_spec(self.state.atlas, self.state.lang, narrow=True))

    def _clicked(self, point_id: str) -> None:
        if point_id in self.state.atlas.measures.index:
            self.state.select_measure(point_id)
