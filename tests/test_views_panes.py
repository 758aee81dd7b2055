"""What a visitor's event changes leaves the kernel in one burst, and a pane that is not on
screen is redrawn when it is shown (``_views.batch``, ``_views.when_shown``)."""

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget import _instances

import scoda_map
from conftest import MINIMAL
from scoda_map._i18n import LANGUAGES, t
from scoda_map._views.batch import Courier, together


@pytest.fixture
def messages(monkeypatch):
    """Every message the kernel would send to a widget's page side: (widget, method, content)."""
    out = []
    original = widgets.Widget._send

    def spy(self, msg, buffers=None):
        out.append((self, msg.get("method"), msg.get("state") or msg.get("content"), buffers))
        return original(self, msg, buffers)

    monkeypatch.setattr(widgets.Widget, "_send", spy)
    return out


@pytest.fixture
def sent(monkeypatch):
    """Every widget update the kernel would send: (widget, the state's keys), in its own
    message or in a courier's (``_views.batch``)."""
    out = []
    original = widgets.Widget._send

    def spy(self, msg, buffers=None):
        if msg.get("method") == "update":
            out.append((self, sorted(msg["state"])))
        elif msg.get("method") == "custom" and isinstance(self, Courier):
            out.extend((_instances[model_id], sorted(state)) for model_id, state in msg["content"]["updates"])
        return original(self, msg, buffers)

    monkeypatch.setattr(widgets.Widget, "_send", spy)
    return out


@pytest.fixture
def app():
    return scoda_map.Explorer(scoda_map.load(MINIMAL))


def test_updates_made_together_are_sent_at_the_end_one_message_per_widget(sent):
    a, b = widgets.HTML(), widgets.HTML()
    with together():
        a.value = "one"
        b.value = "two"
        a.value = "three"
        assert sent == []  # nothing leaves before the block ends
    assert sorted((w is a, keys) for w, keys in sent) == [(False, ["value"]), (True, ["value"])]
    assert a.value == "three"


def test_updates_made_together_leave_as_one_message_with_a_courier(messages):
    courier = Courier()
    courier._message(courier, {"event": "ready"}, [])  # as the page says once it listens
    a, b, c = widgets.HTML(), widgets.HTML(), widgets.Image()
    messages.clear()  # what making them sent
    with together(courier):
        b.value = "two"
        a.value = "one"
        c.value = b"\x89PNG"  # binary: cannot ride in the courier's JSON
        assert messages == []
    (image, method, state, buffers), (carrier, method2, content, _) = messages
    assert (image, method, buffers != []) == (c, "update", True)  # on its own, first
    assert (carrier, method2) == (courier, "custom")
    # One message: each changed widget's new values, in the order the widgets were made.
    assert content["updates"] == [[a.model_id, {"value": "one"}], [b.model_id, {"value": "two"}]]


def test_a_widget_that_fails_to_send_leaves_no_other_widget_held(sent):
    class Broken(widgets.HTML):
        def send_state(self, key=None):
            raise RuntimeError("its page is gone")

    broken, a = Broken(), widgets.HTML()
    sent.clear()
    with pytest.raises(RuntimeError), together():
        broken.value = "x"
        a.value = "y"
    a.value = "z"
    assert (a, ["value"]) in sent  # sent as it changed: no longer held


def test_a_courier_the_page_has_not_loaded_yet_is_not_used(sent):
    courier, a = Courier(), widgets.HTML()
    sent.clear()  # what making them sent
    with together(courier):
        a.value = "one"
    assert sent == [(a, ["value"])]  # on its own: the page could not have read the courier's


def test_a_language_switch_leaves_as_one_message(app, messages, sent):
    app.languages.courier._message(app.languages.courier, {"event": "ready"}, [])
    before_last_observer = []
    app.state.observe(lambda change: before_last_observer.append(len(messages)), names="lang")
    app.languages.widget.set_state({"index": LANGUAGES.index("zh")})  # as the visitor's click arrives
    assert app.state.lang == "zh"
    # Everything computed before anything was sent but the buttons' echo of the click;
    # then one message with everything else.
    assert before_last_observer == [1]
    assert [(w is app.languages.widget, method) for w, method, _, _ in messages] == [(True, "echo_update"),
                                                                                  (False, "custom")]
    assert len(sent) > 5
    assert len({id(w) for w, _ in sent}) == len(sent)  # each widget once
    assert app.header in {w for w, _ in sent}


def test_a_hidden_pane_is_relabelled_when_it_is_shown(app, sent):
    app.layout.tabs.value = "measures"  # the Layers pane leaves the screen
    app.languages.widget.set_state({"index": LANGUAGES.index("ru")})
    widgets_sent = {id(w) for w, _ in sent}
    assert id(app.measures.list) in widgets_sent  # on screen: redrawn at once
    assert id(app.features.list) not in widgets_sent and id(app.charts.coverage) not in widgets_sent
    assert t("features.heading", "en") in app.features.heading.value  # still the old text, unseen
    sent.clear()
    app.layout.tabs.value = "layers"
    assert t("features.heading", "ru") in app.features.heading.value
    assert app.search.box.placeholder == t("search.placeholder", "ru")
    # The pane's redraw leaves with (before) the class that shows it, in the same burst.
    order = [w for w, _ in sent]
    assert order.index(app.features.list) < order.index(app.layout.widget)


def test_a_selection_does_not_resend_the_hidden_feature_list(app, sent):
    app.layout.tabs.value = "measures"
    route = app.atlas.routes.index[0]
    app.state.select_feature(route)
    assert id(app.features.list) not in {id(w) for w, _ in sent}
    app.layout.tabs.value = "layers"
    assert f'data-pick="{route}"' in app.features.list.html


def test_on_a_phone_the_map_hides_every_pane(app):
    assert app.layout.pane_shown("layers")  # a laptop: the Layers pane beside the map
    app.layout.screen.compact = True
    assert not any(app.layout.pane_shown(p) for p in ("layers", "measures", "figures", "share"))
    app.state.lang = "zh"
    assert t("features.heading", "en") in app.features.heading.value
    app.layout.screen.compact = False  # the window grows: the Layers pane comes back, relabelled
    assert t("features.heading", "zh") in app.features.heading.value


def test_a_link_opens_every_pane_in_its_language(app):
    app.open_link("lang=zh&q=rail")  # the page is then sent whole: hidden panes included
    assert t("features.heading", "zh") in app.features.heading.value
    assert t("measures.heading", "zh") in app.measures.heading.value
