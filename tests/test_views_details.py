"""The details panel: what a visitor reads, and that data text is always escaped."""

import html
import re

import pytest

import scoda_map
from conftest import MINIMAL
from helpers import edit_csv, row
from scoda_map._model.state import ExplorerState
from scoda_map._views.details import render
from scoda_map._views.html import link


@pytest.fixture
def state():
    return ExplorerState(scoda_map.load(MINIMAL))


def visible_text(markup) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", str(markup)))


def test_a_route_shows_its_facts_sources_and_supporting_measures(state):
    state.select_feature("r-almaty")
    shown = visible_text(render(state))
    for words in ["Jiaozhou–Almaty", "Central Asia", "about 12 days", "Khorgos", "Test source A",
                  "Measures that support it", "1. Smooth multimodal corridors", "1.畅通多式联运通道。"]:
        assert words in shown


def test_a_measure_shows_what_it_reaches_and_which_are_off_the_map(state):
    state.select_measure("op24-01")
    shown = visible_text(render(state))
    assert "What this measure reaches on the map" in shown
    assert "SCODA Multimodal Transport Center" in shown and "not on the map" in shown


def test_missing_translations_fall_back_to_english_with_a_marker(state):
    state.lang = "ru"
    state.select_feature("r-almaty")  # no Russian route name in the fixture
    markup = str(render(state))
    assert 'Jiaozhou–Almaty<sup class="scoda-fallback"' in markup
    assert "Меры, которые это поддерживают" in markup


def test_text_from_data_is_escaped_everywhere(minimal_copy):
    attack = '"><img src=x onerror=alert(1)>'
    edit_csv(minimal_copy / "routes.csv", lambda rows: row(rows, "id", "r-almaty").update(cargo_en=attack, note=attack))
    edit_csv(minimal_copy / "measures.csv", lambda rows: rows[0].update(summary_en=attack, quote=attack))
    edit_csv(minimal_copy / "links.csv", lambda rows: rows[0].update(rationale_en=attack))
    edit_csv(minimal_copy / "sources.csv", lambda rows: rows[0].update(title=attack))
    state = ExplorerState(scoda_map.load(minimal_copy))
    for select in (lambda: state.select_feature("r-almaty"), lambda: state.select_measure("op24-01")):
        select()
        markup = str(render(state))
        assert "<img" not in markup
        assert "&lt;img src=x onerror=alert(1)&gt;" in markup


@pytest.mark.parametrize("url, linked", [("https://example.org/a", True), ("http://x.cn/p?id=1", True),
                                          ("javascript:alert(1)", False), ("data:text/html,hi", False), (None, False)])
def test_only_http_urls_become_links(url, linked):
    assert ("<a href" in str(link(url, "title"))) is linked
