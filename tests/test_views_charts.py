"""The explorer's figures: plain plotly JSON that plotly accepts, drawn by a small widget."""

import copy
import json
import re

import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs_version

import scoda_map
from scoda_map._model.state import ExplorerState
from scoda_map._render.charts import coverage_spec, trains_spec
from scoda_map._server import FRONT_END_EXTENSIONS, SHARE, dashboards_path, voila_command
from scoda_map._views.charts import ChartsPanel
from scoda_map._views.plotly_chart import PLOTLY_BASIC_PATH, PlotlyChart


@pytest.fixture(scope="module")
def atlas():
    return scoda_map.load()


def test_every_trains_per_year_figure_is_one_point_with_its_id(atlas):
    spec = trains_spec(atlas)
    rows = atlas.indicators[atlas.indicators["indicator"] == "trains_per_year"]
    ids = [i for trace in spec["data"] for i in trace["customdata"]]
    assert sorted(ids) == sorted(rows["id"])
    targets = next(trace for trace in spec["data"] if trace["name"] == "target")
    assert targets["type"] == "scatter" and targets["mode"] == "markers"
    go.Figure(spec)  # plotly validates every property: a misspelt one raises here


def test_coverage_counts_linked_features_per_measure(atlas):
    (bar,) = coverage_spec(atlas)["data"]
    counts = dict(zip(bar["customdata"], bar["x"]))
    assert set(counts) == set(atlas.measures.index)
    for measure, count in counts.items():
        assert count == int((atlas.links["measure_id"] == measure).sum())
    assert bar["x"] == sorted(bar["x"])
    go.Figure(coverage_spec(atlas, "ru"))


def test_coverage_keeps_two_bars_for_titles_that_shorten_alike(atlas):
    # Shortened to fit a laptop's pane, two long titles that start alike read the same; each
    # measure is still its own bar, its full title in the hover.
    measures = atlas.measures.iloc[:2].copy()
    measures["title_en"] = ["Facilitation of customs clearance for rail freight", "Facilitation of customs clearance for air cargo"]
    twin = copy.copy(atlas)  # a new atlas to the per-atlas caches
    twin.measures, twin.links = measures, atlas.links[atlas.links["measure_id"].isin(measures.index)]
    spec = coverage_spec(twin, narrow=True)
    (bar,) = spec["data"]
    assert len(set(bar["y"])) == 2
    assert len(set(spec["layout"]["yaxis"]["ticktext"])) == 1  # both shown shortened alike
    assert {text.split(" for ")[-1] for text in bar["hovertext"]} == {"rail freight", "air cargo"}


def test_specs_are_plain_json_in_the_visitors_language(atlas):
    spec = trains_spec(atlas, "zh")
    json.dumps(spec)  # no numpy or pandas values left for the widget channel
    assert re.search(r"[\u4e00-\u9fff]", spec["layout"]["title"]["text"])
    assert spec["layout"]["title"]["text"] != trains_spec(atlas, "en")["layout"]["title"]["text"]


def test_figures_for_notebooks_are_plotly_figures_with_the_same_data(atlas):
    from scoda_map import figures

    figure = figures.trains_figure(atlas)
    assert isinstance(figure, go.Figure)
    assert list(figure.data[0].customdata) == trains_spec(atlas)["data"][0]["customdata"]


def test_the_panel_redraws_in_the_new_language_and_a_bar_click_selects_its_measure(atlas):
    state = ExplorerState(atlas)
    panel = ChartsPanel(state)
    english = panel.coverage.figure["layout"]["title"]["text"]
    state.lang = "ru"
    assert panel.coverage.figure["layout"]["title"]["text"] != english
    measure = panel.coverage.figure["data"][0]["customdata"][-1]
    panel.coverage._message(panel.coverage, {"event": "click", "id": measure}, [])
    assert state.measure == measure
    panel.trains._message(panel.trains, {"event": "click", "id": "ind-trains-2020"}, [])
    assert state.measure == measure  # a year is not a measure: nothing changes


def test_a_plotly_figure_is_sent_as_plain_json():
    chart = PlotlyChart(go.Figure(go.Bar(x=[1, 2], y=[3.5, 4], customdata=["a", "b"])))
    json.dumps(chart.figure)
    assert chart.figure["data"][0]["customdata"] == ["a", "b"]
    assert chart.figure["data"][0]["y"] == [3.5, 4]


def test_the_vendored_plotly_bundle_is_shipped_and_matches_the_installed_plotly():
    bundle = SHARE / "jupyter" / "voila" / PLOTLY_BASIC_PATH
    assert bundle.is_file(), bundle
    header = bundle.read_text(encoding="utf-8")[:200]
    shipped = re.search(r"plotly\.js \(basic - minified\) v(\d+)\.", header).group(1)
    assert shipped == get_plotlyjs_version().split(".")[0], "plotly.js major version differs from plotly's"


def test_voila_loads_only_the_front_end_extensions_the_dashboards_use():
    command = " ".join(voila_command("explorer.ipynb", 8866))
    assert "extension_allowlist" in command and "jupyterlab-plotly" not in command
    assert {"jupyter-leaflet", "anywidget", "@voila-dashboards/widgets-manager8"} <= set(FRONT_END_EXTENSIONS)


def test_the_kernel_sends_the_bundle_on_request_a_few_times_at_most():
    chart = PlotlyChart()
    sent = []
    chart.send = sent.append
    for _ in range(10):
        chart._message(chart, {"event": "need-plotly"}, [])
    assert len(sent) == 3
    assert "plotly.js (basic" in sent[0]["source"][:300]


def test_the_explorer_page_does_not_load_the_bundle_before_its_charts_are_shown():
    """plotly.js waits until a chart is on screen (the Figures pane): no early script."""
    notebook = json.loads((dashboards_path() / "explorer.ipynb").read_text(encoding="utf-8"))
    assert PLOTLY_BASIC_PATH not in json.dumps(notebook["metadata"])  # in the browser: test_e2e_explorer
