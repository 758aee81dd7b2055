"""View state in the link: round trip, and forgiving reading of bad links."""

import pytest
from hypothesis import given, settings, strategies as st

import scoda_map
from scoda_map._model import url
from scoda_map._model.state import ExplorerState


@pytest.fixture(scope="module")
def atlas():
    return scoda_map.load()


def fresh(atlas):
    return ExplorerState(atlas)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_state_to_link_to_state_round_trips(atlas, data):
    state = fresh(atlas)
    state.lang = data.draw(st.sampled_from(["en", "zh", "ru"]))
    state.layers = tuple(data.draw(st.lists(st.sampled_from(atlas.layer_names()), unique=True)))
    if data.draw(st.booleans()):
        state.select_feature(data.draw(st.sampled_from(sorted(atlas.routes.index) + sorted(atlas.places.index))))
    else:
        state.select_measure(data.draw(st.sampled_from(sorted(atlas.measures.index))))
    state.document = data.draw(st.sampled_from([None, *atlas.documents.index]))
    state.query = data.draw(st.text(max_size=20)).strip()
    center = (data.draw(st.floats(-80, 80)), data.draw(st.floats(-179, 179)))
    zoom = data.draw(st.sampled_from([2.0, 3.5, 5.0, 9.0]))

    link = url.encode(state, center, zoom)
    restored = fresh(atlas)
    params = url.decode(link, restored)
    url.apply(params, restored)

    assert params.ignored == []
    for trait in ("lang", "layers", "feature", "measure", "document", "query"):
        assert getattr(restored, trait) == getattr(state, trait), trait
    assert params.values["c"] == pytest.approx((round(center[0], 3), round(center[1], 3)))
    assert params.values["z"] == zoom


@pytest.mark.parametrize("query, ignored", [
    ("feature=r-atlantis", ["feature=r-atlantis"]),
    ("lang=fr", ["lang=fr"]),
    ("z=abc&c=1000,2", ["z=abc", "c=1000,2"]),
    ("layers=routes,volcanoes", ["layers=routes,volcanoes"]),
    ("utm_source=mail", ["utm_source"]),
    ("feature=r-almaty&measure=op24-01", ["measure (a link selects a feature or a measure)"]),
    ("%%%&&&==", []),
    ("feature=" + "x" * 5000, ["(link too long)"]),
])
def test_bad_links_are_ignored_with_a_notice_never_an_error(atlas, query, ignored):
    params = url.decode(query, fresh(atlas))
    assert params.ignored == ignored


def test_a_repeated_parameter_takes_the_last_value(atlas):
    assert url.decode("lang=ru&lang=zh", fresh(atlas)).values == {"lang": "zh"}


def test_zoom_is_clamped_to_what_the_map_allows(atlas):
    assert url.decode("z=40", fresh(atlas)).values["z"] == url.ZOOM_RANGE[1]


def test_the_explorer_opens_a_link_and_says_what_it_ignored(atlas):
    app = scoda_map.Explorer(atlas)
    app.open_link("lang=ru&feature=r-almaty&bogus=1")
    assert (app.state.lang, app.state.feature) == ("ru", "r-almaty")
    shown = app.details.widget.value
    assert "bogus" in shown and "ссылки" in shown
    app.state.lang = "zh"  # the notice follows the language
    assert "bogus" in app.details.widget.value and "ссылки" not in app.details.widget.value
