"""The explorer's state without a browser: selections, links both ways, filters."""

import re

import pytest
from traitlets import TraitError

import scoda_map
from conftest import MINIMAL
from scoda_map._i18n import catalog
from scoda_map._model.state import ExplorerState
from scoda_map._render.messages import notice_text


@pytest.fixture(scope="module")
def atlas():
    return scoda_map.load(MINIMAL)


@pytest.fixture
def state(atlas):
    return ExplorerState(atlas)


def test_the_measure_list_follows_its_filter_and_a_caller_cannot_change_it(state, atlas):
    """The filtered list is remembered per filter (a language switch redraws list and count from
    it): each caller gets its own copy, and a changed filter gives a new answer."""
    every = state.visible_measures()
    first = every.index[0]
    every.loc[first, "document_id"] = "changed"
    assert state.visible_measures().loc[first, "document_id"] == atlas.measures.loc[first, "document_id"]
    assert len(state.visible_measures()) == len(atlas.measures)
    document = atlas.measures["document_id"].iloc[0]
    state.document = document
    assert set(state.visible_measures()["document_id"]) == {document}
    state.document = None
    assert len(state.visible_measures()) == len(atlas.measures)


def test_selecting_a_route_lists_the_measures_that_support_it(state):
    assert state.select_feature("r-almaty")
    assert state.linked_measures()["measure_id"].tolist() == ["op24-01"]
    assert state.highlight_ids() == ["r-almaty"]


def test_a_route_with_no_link_lists_no_measure(state):
    state.select_feature("r-incheon-almaty")
    assert state.linked_measures().empty


def test_selecting_a_measure_highlights_every_feature_it_reaches(state):
    state.select_measure("op24-01")
    assert sorted(state.highlight_ids()) == ["r-almaty", "site-multimodal-center"]
    assert state.feature is None


def test_selecting_a_feature_clears_the_measure_and_back(state):
    state.select_measure("op24-01")
    state.select_feature("port-incheon")
    assert (state.feature, state.measure) == ("port-incheon", None)
    state.select_measure("op24-01")
    assert (state.feature, state.measure) == (None, "op24-01")


def test_a_place_gathers_the_measures_of_everything_there(state):
    state.select_feature("almaty")
    assert set(state.features_at_selection()) == {"r-almaty", "r-incheon-almaty"}
    assert state.linked_measures()["measure_id"].tolist() == ["op24-01"]


@pytest.mark.parametrize("bad", ["r-nowhere", "", "<script>", 42, None.__class__.__name__])
def test_unknown_ids_leave_the_selection_and_say_so(state, bad):
    state.select_feature("r-almaty")
    assert not state.select_feature(bad)
    assert state.feature == "r-almaty"
    assert state.notice


def test_unknown_measure_is_refused_with_a_notice(state):
    assert not state.select_measure("op24-99")
    assert state.measure is None and "op24-99" in notice_text(state.notice, "en")


def test_a_notice_follows_a_language_switch(state):
    """The state keeps the message's key, so the notice is drawn in the language shown now."""
    from scoda_map._render.details import render

    state.lang = "en"
    state.select_feature("r-nowhere")
    assert "Nothing called" in render(state)
    state.lang = "zh"
    html = render(state)
    assert "r-nowhere" in html and "Nothing called" not in html
    assert catalog("zh")["notice.unknown_feature"].split("{")[0] in html
    state.lang = "ru"
    assert notice_text(state.notice, "ru") in re.sub("<[^>]+>", "", str(render(state)))


def test_the_measure_search_finds_text_in_any_language_and_the_quote(state):
    state.query = "畅通"
    assert state.visible_measures()["id"].tolist() == ["op24-01"]
    state.query = "nothing like this"
    assert state.visible_measures().empty


def test_the_document_filter_only_takes_known_documents(state):
    state.document = "opinions_2024"
    assert len(state.visible_measures()) == 1
    with pytest.raises(TraitError):
        state.document = "no_such_document"


def test_layers_keep_the_atlas_order_and_drop_unknown_names(state):
    state.layers = ("sites", "bogus", "routes")
    assert state.layers == ("routes", "sites")
    state.show_layer("sites", False)
    assert state.layers == ("routes",)


def test_place_search_finds_chinese_and_russian_names(state):
    assert state.places.place_for("阿拉木图") == "almaty"
    assert state.places.place_for("алматы") == "almaty"
    assert state.places.place_for("a") is None  # ambiguous: several places match


def test_hidden_layers_send_no_features_until_shown():
    app = scoda_map.Explorer(scoda_map.load())
    friendly = app.map.layers["friendly_ports"]
    assert "friendly_ports" not in app.state.layers and friendly.data["features"] == []
    app.state.show_layer("friendly_ports")
    assert len(friendly.data["features"]) == int(app.state.atlas.layer("friendly_ports")["on_map"].sum()) > 0
    app.state.show_layer("routes", False)
    assert app.map.layers["routes"].data["features"] == [] and app.map.stops.data["features"] == []
    layers_on_map = list(app.map.widget.layers)
    app.state.show_layer("routes")
    assert list(app.map.widget.layers) == layers_on_map  # toggles never add or remove map layers
