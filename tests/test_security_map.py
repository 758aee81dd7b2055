"""Map centre, zoom and edges from a crafted client (issue 19, finding 7).

The values arrive as a widget 'update' would deliver them (``set_state``). A value
no real map sends is refused; the session keeps working and the share link keeps
following the view.
"""

import math

import pytest
from traitlets import TraitError

import scoda_map


@pytest.fixture(scope="module")
def atlas():
    return scoda_map.load()


@pytest.fixture
def app(atlas):
    return scoda_map.Explorer(atlas)


CRAFTED = [{"center": "nowhere"}, {"center": ["x", 1]}, {"center": [1, 2, 3]}, {"center": [math.nan, 10]},
           {"center": [1e308 * 10, 0]}, {"center": [95, 10]}, {"center": None}, {"zoom": "z"}, {"zoom": math.inf},
           {"zoom": 1e300}, {"zoom": -50}, {"south": "x"}, {"north": math.nan}, {"east": 1e300}]


@pytest.mark.parametrize("state", CRAFTED, ids=[str(s) for s in CRAFTED])
def test_a_crafted_view_is_refused_and_the_session_keeps_working(app, state):
    widget = app.map.widget
    before = (list(widget.center), widget.zoom)
    try:
        widget.set_state(state)
    except (TraitError, TypeError, ValueError):
        pass  # refused: what a widget does with a wrong value
    assert (list(widget.center), widget.zoom) == before
    # Later changes work, show no error notice, and the share link follows them.
    widget.set_state({"center": [48.5, 120.25], "zoom": 6})
    app.state.select_feature("r-almaty")
    assert app.state.notice in (None, "")
    assert "c=48.500,120.250" in app.share.bridge.query.replace("%2C", ",")
    assert "z=6" in app.share.bridge.query


def test_a_view_across_the_antimeridian_gives_a_link_that_opens(app):
    from scoda_map._model import url

    app.map.widget.set_state({"center": [40.0, 200.0], "zoom": 4})
    query = app.share.bridge.query
    assert "c=40.000,-160.000" in query.replace("%2C", ",")
    assert url.decode(query, app.state).ignored == []
