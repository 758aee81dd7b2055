"""Remembered fragments (``_render.memo``) are never the wrong ones.

A language switch reuses fragments made before (docs/performance.md); a visitor must
still see exactly what a fresh render shows, whatever they did in between, and one
atlas's fragments must never be shown for another's.
"""

from pathlib import Path

import scoda_map
from scoda_map._model.notice import Notice
from scoda_map._model.state import ExplorerState
from scoda_map._render import charts, details, feature_list

MINIMAL = Path(__file__).parent / "data" / "minimal"


def fresh_details(state: ExplorerState) -> str:
    """What the details panel shows when nothing is remembered."""
    return str(details.notice_html(state.notice, state.lang) + details._body.__wrapped__(state.atlas, state.key(), state))


def test_details_after_any_walk_through_selections_and_languages_are_a_fresh_render():
    atlas = scoda_map.load()
    state = ExplorerState(atlas)
    routes = list(atlas.routes.index[:2])
    measure = atlas.measures.index[0]
    steps = [("feature", routes[0]), ("lang", "zh"), ("feature", routes[1]), ("lang", "ru"),
             ("measure", measure), ("lang", "en"), ("feature", routes[0]), ("lang", "zh"),
             ("layers", ()), ("lang", "ru"), ("as_of", "2016"), ("feature", routes[1]), ("lang", "zh"),
             ("notice", Notice("notice.link_ignored", items="x")), ("lang", "en"), ("notice", None)]
    for name, value in steps:
        if name == "feature":
            state.select_feature(value)
        elif name == "measure":
            state.select_measure(value)
        else:
            setattr(state, name, value)
        assert str(details.render(state)) == fresh_details(state), f"after {name}={value!r}"


def test_a_changed_chart_spec_does_not_change_the_next_one():
    atlas = scoda_map.load()
    first = charts.trains_spec(atlas, "zh")
    first["layout"]["title"]["text"] = "changed by a caller"
    first["data"].clear()
    again = charts.trains_spec(atlas, "zh")
    assert again["layout"]["title"]["text"] != "changed by a caller" and again["data"]


def test_two_atlases_never_share_a_fragment():
    shipped, minimal = scoda_map.load(), scoda_map.load(MINIMAL)
    layers = ("routes",)
    assert feature_list.render(shipped, "en", layers) == feature_list.render.__wrapped__(shipped, "en", layers)
    assert feature_list.render(minimal, "en", layers) == feature_list.render.__wrapped__(minimal, "en", layers)
    assert feature_list.render(shipped, "en", layers) != feature_list.render(minimal, "en", layers)


def test_the_measure_list_after_filters_searches_and_picks_is_a_fresh_render():
    from scoda_map._render import measure_browser

    atlas = scoda_map.load()
    state = ExplorerState(atlas)
    documents = list(atlas.documents.index)
    for name, value in [("lang", "zh"), ("document", documents[0]), ("query", "物流"), ("lang", "ru"),
                        ("query", ""), ("measure", atlas.measures.index[0]), ("document", None), ("as_of", "2021"),
                        ("lang", "en")]:
        setattr(state, name, value)
        fresh = measure_browser.render(atlas, state.visible_measures(), state.lang, state.measure, as_of=state.as_of)
        assert measure_browser.for_state(state) == fresh, f"after {name}={value!r}"
