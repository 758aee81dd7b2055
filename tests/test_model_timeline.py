"""The story over time (#18): as-of rules, the link's t=, the citation, the time control.

Expectations come from the loaded data or from small stand-ins built here, never from
the shipped data's counts.
"""

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

import scoda_map
from scoda_map._model import export, url
from scoda_map._model.state import ExplorerState
from scoda_map._model.timeline import UNDATED, as_of, histories, period_end, route_history
from scoda_map._render.timeline import panel_html, route_classes, trains_mark


@pytest.fixture(scope="module")
def atlas():
    return scoda_map.load()


def stand_in(routes, sources, documents=None):
    """A minimal atlas: the rules only read these tables."""
    routes = pd.DataFrame(routes).set_index("id", drop=False)
    routes["on_map"] = True
    sources = pd.DataFrame(sources or [{"id": "s0", "date": "2000"}]).set_index("id", drop=False)
    documents = pd.DataFrame(documents or [{"id": "d1", "issued": "2020-12-31", "date": "2020-12-31", "title_en": "Measures"}]).set_index("id", drop=False)
    indicators = pd.DataFrame([{"indicator": "trains_per_year", "year": 2020, "kind": "actual", "value": 10.0,
                                "period": "2020", "comparator": "=", "date": "2021"}])
    claims = pd.DataFrame([{"layer": "routes", "count": 3, "date": "2022-03-01"}])
    measures = pd.DataFrame([{"id": "m1", "document_id": "d1"}]).set_index("id", drop=False)
    return SimpleNamespace(routes=routes, sources=sources, documents=documents, indicators=indicators,
                           claims=claims, measures=measures)


def route(route_id, status, first_run=None, status_source_ids=(), date="2024"):
    return {"id": route_id, "status": status, "first_run": first_run, "status_source_ids": tuple(status_source_ids), "date": date}


# -- first run -------------------------------------------------------------------
def test_a_route_appears_once_its_first_run_is_past_at_the_precision_the_data_has():
    atlas = stand_in([route("r-day", "single_run", "2021-07-05", ["s1"]), route("r-year", "single_run", "2022", ["s1"]),
                      route("r-month", "single_run", "2023-02", ["s1"])], [{"id": "s1", "date": "2023-03-01"}])
    assert "r-day" not in as_of(atlas, "2021-07-04").routes.index
    assert "r-day" in as_of(atlas, "2021-07-05").routes.index
    # A year of first run is certain only once the year is over; a month once the month is.
    assert "r-year" not in as_of(atlas, "2022-06").routes.index
    assert "r-year" in as_of(atlas, "2022").routes.index
    assert "r-month" not in as_of(atlas, "2023-02-27").routes.index
    assert "r-month" in as_of(atlas, "2023-02").routes.index


def test_the_shipped_routes_appear_in_the_year_of_their_first_run(atlas):
    dated = atlas.routes[atlas.routes["first_run"].notna()]
    assert not dated.empty
    for route_id, first_run in dated["first_run"].items():
        year = int(str(first_run)[:4])
        assert route_id not in as_of(atlas, year - 1).routes.index, route_id
        assert route_id in as_of(atlas, year).routes.index, route_id


def test_the_network_grows_and_never_shrinks_over_the_slider_years(atlas):
    from scoda_map._model.timeline import years

    span = years(atlas)
    sizes = [len(as_of(atlas, year).routes) for year in span]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]


# -- status changes ----------------------------------------------------------------
def test_regular_holds_from_its_dated_source_and_is_unknown_before():
    atlas = stand_in([route("r-a", "regular", "2015", ["s-2018"])], [{"id": "s-2018", "date": "2018-05-28"}])
    assert as_of(atlas, "2016").routes.at["r-a", "status_as_of"] == "unknown"
    assert as_of(atlas, "2018-05-27").routes.at["r-a", "status_as_of"] == "unknown"
    assert as_of(atlas, "2018-05-28").routes.at["r-a", "status_as_of"] == "regular"


def test_the_shipped_statuses_as_of_today_are_the_routes_statuses(atlas):
    late = as_of(atlas, "2100")
    for route_id, status in late.routes["status_as_of"].items():
        expected = atlas.routes.at[route_id, "status"]
        assert status == expected, route_id


def test_a_route_without_a_first_run_appears_from_the_first_dated_source_of_a_status_that_says_it_ran():
    atlas = stand_in([route("r-b", "single_run", None, ["s1", "s2"])], [{"id": "s1", "date": "2022-03-25"}, {"id": "s2", "date": "2024"}])
    history = route_history(atlas, "r-b")
    assert (history.appears, history.basis) == (dt.date(2022, 3, 25), "evidence")
    assert "r-b" not in as_of(atlas, "2022-03-24").routes.index
    assert as_of(atlas, "2022-03-25").routes.at["r-b", "status_as_of"] == "single_run"


def test_a_planned_route_shows_as_planned_from_the_date_it_was_reported():
    atlas = stand_in([route("r-p", "planned", None, (), date="2024-03-17")], [])
    assert "r-p" not in as_of(atlas, "2023").routes.index
    assert as_of(atlas, "2024").routes.at["r-p", "status_as_of"] == "planned"


# -- undated records -------------------------------------------------------------
def test_undated_routes_are_listed_apart_at_every_date_and_never_placed_in_time():
    atlas = stand_in([route("r-u", "unknown"), route("r-s", "single_run", None, ["s-undated"])],
                     [{"id": "s-undated", "date": None}])
    for date in ("1990", "2021-06", "2100"):
        view = as_of(atlas, date)
        assert set(view.undated_routes.index) == {"r-u", "r-s"}
        assert view.routes.empty
    assert route_classes(atlas, "2021") == {"r-u": UNDATED, "r-s": UNDATED}


def test_shipped_undated_routes_are_those_without_any_date_to_go_by(atlas):
    for route_id, history in histories(atlas).items():
        record = atlas.routes.loc[route_id]
        if history.basis == "unknown":
            assert pd.isna(record["first_run"]) or not record["first_run"], route_id
            assert route_id in as_of(atlas, "2100").undated_routes.index


# -- trains, claims and measures ---------------------------------------------------
def test_documents_are_in_force_from_their_issue_date(atlas):
    for doc_id, document in atlas.documents.iterrows():
        issued = period_end(document["issued"]) or period_end(document["date"])
        before, on = issued - dt.timedelta(days=1), issued
        assert not as_of(atlas, before.isoformat()).documents.at[doc_id, "in_force"]
        assert as_of(atlas, on.isoformat()).documents.at[doc_id, "in_force"]
        measures = as_of(atlas, on.isoformat()).measures
        assert measures[measures["document_id"] == doc_id]["in_force"].all()


def test_trains_and_claims_count_only_what_was_known_by_the_date(atlas):
    trains = atlas.indicators[atlas.indicators["indicator"] == "trains_per_year"]
    year = int(trains["year"].median())
    view = as_of(atlas, year)
    assert set(view.trains["year"]) <= set(range(0, year + 1)) and year in set(view.trains["year"])
    first_claim = min(atlas.claims["date"].map(period_end))
    assert as_of(atlas, (first_claim - dt.timedelta(days=1)).isoformat()).claims.empty


def test_as_of_refuses_a_value_that_is_not_a_date(atlas):
    with pytest.raises(ValueError, match="YYYY"):
        as_of(atlas, "last year")


# -- the link, the citation, the panel ---------------------------------------------
def test_t_in_the_link_round_trips_and_bad_values_are_ignored_with_a_notice(atlas):
    state = ExplorerState(atlas)
    state.as_of = "2021"
    assert "t=2021" in url.encode(state)
    restored = ExplorerState(atlas)
    url.apply(url.decode("t=2021&lang=zh", restored), restored)
    assert restored.as_of == "2021"
    for bad in ("t=soon", "t=2021-13", "t=99999"):
        params = url.decode(bad, ExplorerState(atlas))
        assert "t" not in params.values and params.ignored


def test_the_citation_says_as_of_the_date(atlas):
    state = ExplorerState(atlas)
    assert "as of" not in export.citation(state, None)
    state.as_of = "2021"
    assert "as of 2021" in export.citation(state, None)


def test_the_panel_counts_follow_the_date_in_each_language(atlas):
    early, late = as_of(atlas, 2016), as_of(atlas, 2025)
    for lang in ("en", "zh", "ru"):
        assert f'data-count="{len(early.routes)}"' in panel_html(atlas, "2016", lang)
        assert f'data-count="{len(late.routes)}"' in panel_html(atlas, "2025", lang)
    assert trains_mark("2016")["mark_year"] == 2016 and trains_mark(None) == {"shapes": []}


def test_the_time_control_takes_only_dates_from_the_page(atlas):
    from scoda_map._views.time_control import TimeControl

    state = ExplorerState(atlas)
    control = TimeControl(state)
    control.value = "2016"
    hidden = {k for k, v in control.classes.items() if v == "hidden"}
    assert state.as_of == "2016" and hidden
    control.value = "<script>"
    assert state.as_of == "2016" and control.value == "2016"
    control.value = ""
    assert state.as_of is None and control.classes == {}


# -- the kiosk tour's growth step ----------------------------------------------------
def test_a_timeline_tour_step_plays_the_years_the_data_dates_and_a_touch_resets_the_date(atlas):
    from scoda_map._model.timeline import years
    from scoda_map._model.tour import TourPlayer

    state = ExplorerState(atlas)
    player = TourPlayer(state)
    steps = player.steps()
    timeline = [i for i, kind in enumerate(steps["target_type"]) if kind == "timeline"]
    assert timeline, "the shipped tour plays the network's growth"
    span = years(atlas)
    step = player.step(timeline[0])
    assert step.years is not None and span[0] <= step.years[0] <= step.years[1] <= span[-1]
    player.start()
    while player.index != timeline[0]:
        player.advance()
    assert player.timeline == f"{step.years[0]}-{step.years[1]}"
    state.as_of = str(step.years[1])
    player.stop()
    assert player.timeline == "" and state.as_of is None


def test_validate_names_a_timeline_step_whose_target_is_not_a_span_of_years(tmp_path):
    import shutil

    from conftest import ROOT

    shutil.copytree(ROOT / "geodata", tmp_path / "geodata")
    tour = tmp_path / "geodata" / "tour.csv"
    text = tour.read_text(encoding="utf-8")
    assert ",timeline,," in text
    tour.write_text(text.replace(",timeline,,", ",timeline,2025-2015,", 1), encoding="utf-8")
    problems = scoda_map.validate(tmp_path / "geodata")
    assert any(p.field == "target" and "2025-2015" in p.message and "tour.csv" in str(p.file) for p in problems)
