"""End to end (#18): the time control in the explorer and the kiosk's growth step.

Expectations come from the loaded data through the model's as-of rules.
"""

import re

import pytest
from playwright.sync_api import expect

import scoda_map
from conftest import KIOSK_IDLE_SECONDS
from scoda_map._model.timeline import as_of, years
from scoda_map._testing.browser import open_dashboard, open_pane

pytestmark = pytest.mark.browser

PLAYING = re.compile(r"(^|\s)scoda-time-playing(\s|$)")

SHOWN_ROUTES = """() => new Set([...document.querySelectorAll('.scoda-map path.scoda-route')]
  .filter((p) => getComputedStyle(p).display !== 'none')
  .map((p) => (p.getAttribute('class').match(/scoda-f-(\\S+)/) || [])[1])).size"""


@pytest.fixture(scope="module")
def atlas():
    return scoda_map.load()


def drawn(atlas, year):
    """Route ids the map should draw as of ``year``: dated ones by then, and the undated ones (greyed)."""
    view = as_of(atlas, year)
    on_map = set(atlas.routes.index[atlas.routes["on_map"]])
    return (set(view.routes.index) | set(view.undated_routes.index)) & on_map


def open_at(page, url, year):
    open_dashboard(page, f"{url}?t={year}")
    page.wait_for_selector(f'.scoda-time[data-shown="{year}"]', state="attached")


def test_an_early_year_shows_fewer_routes_than_a_late_one_and_the_counts_and_figure_follow(page, explorer_url, atlas):
    early, late = 2016, 2025
    assert len(as_of(atlas, early).routes) < len(as_of(atlas, late).routes)
    shown = {}
    for year in (early, late):
        open_at(page, explorer_url, year)
        page.wait_for_function(f"() => ({SHOWN_ROUTES})() === {len(drawn(atlas, year))}")
        shown[year] = page.evaluate(SHOWN_ROUTES)
        expect(page.locator(".scoda-time-routes")).to_have_attribute("data-count", str(len(as_of(atlas, year).routes)))
        expect(page.locator(".scoda-time-asof")).to_contain_text(str(year))
        open_pane(page, "figures")  # the charts sit behind the tab bar
        expect(page.locator(".scoda-chart-trains")).to_have_attribute("data-mark-year", str(year))
        # The undated routes stay on the map, greyed, at any date.
        undated = set(as_of(atlas, year).undated_routes.index) & set(atlas.routes.index[atlas.routes["on_map"]])
        for route_id in undated:
            assert "scoda-t-undated" in page.locator(f".scoda-map path.scoda-f-{route_id}").first.get_attribute("class")
    assert shown[early] < shown[late]


def test_play_runs_to_the_last_year_and_stops(page, explorer_url, atlas):
    span = years(atlas)
    start = span[-3]
    open_at(page, explorer_url, start)
    page.locator(".scoda-time-play").click()
    expect(page.locator(".scoda-time")).to_have_attribute("data-shown", str(span[-1]), timeout=60_000)
    expect(page.locator(".scoda-time")).not_to_have_class(PLAYING)
    expect(page.locator(".scoda-time-play")).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".scoda-chart-trains")).to_have_attribute("data-mark-year", str(span[-1]))
    # The link follows the date, as the rest of the view state does.
    page.locator(".scoda-time-today").click()
    expect(page.locator(".scoda-time")).to_have_attribute("data-shown", "today")
    page.wait_for_function(f"() => ({SHOWN_ROUTES})() === {int(atlas.routes['on_map'].sum())}")


def test_the_kiosk_tour_plays_the_growth_step(page, kiosk_server, atlas):
    steps = atlas.tours[atlas.tours["tour_id"] == "default"].reset_index(drop=True)
    timeline = steps.index[steps["target_type"] == "timeline"]
    if timeline.empty:
        pytest.skip("the tour has no timeline step")
    span = years(atlas)
    open_dashboard(page, kiosk_server)
    control = page.locator(".scoda-time")
    control.wait_for(state="visible", timeout=(KIOSK_IDLE_SECONDS + 15 + 4 * int(timeline[0])) * 1000)
    expect(page.locator(".scoda-tour-caption")).to_contain_text(str(steps.at[timeline[0], "title_en"]))
    expect(control).to_have_attribute("data-shown", str(span[-1]), timeout=60_000)
    expect(control).not_to_have_class(PLAYING)


def test_routes_drawn_again_at_an_early_year_keep_the_years_look(page, explorer_url, atlas):
    """The map draws new route paths when a layer comes back on: they take the date's look
    too (the time control watches the map for new paths)."""
    early = 2016
    open_at(page, explorer_url, early)
    page.wait_for_function(f"() => ({SHOWN_ROUTES})() === {len(drawn(atlas, early))}")
    open_pane(page, "layers")
    box = page.locator('.scoda-layers input[data-layer="routes"]')
    box.uncheck()
    page.wait_for_function("() => !document.querySelector('.scoda-map path.scoda-route')")
    box.check()
    page.wait_for_function("() => !!document.querySelector('.scoda-map path.scoda-route')")
    page.wait_for_function(f"() => ({SHOWN_ROUTES})() === {len(drawn(atlas, early))}")
    assert len(drawn(atlas, early)) < int(atlas.routes["on_map"].sum())
