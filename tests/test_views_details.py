"""The details panel: what a visitor reads, and that data text is always escaped."""

import csv
import html
import re

import pytest

import scoda_map
from conftest import MINIMAL
from helpers import edit_csv, edit_geojson, feature, row
from scoda_map._model.state import ExplorerState
from scoda_map._render.details import _coordinates, render
from scoda_map._render.html import link


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


def test_missing_translations_fall_back_to_english_with_a_marker(minimal_copy):
    edit_csv(minimal_copy / "routes.csv", lambda rows: row(rows, "id", "r-almaty").update(name_ru=""))
    state = ExplorerState(scoda_map.load(minimal_copy), lang="ru")
    state.select_feature("r-almaty")  # no Russian route name in this copy
    markup = str(render(state))
    assert '<span lang="en">Jiaozhou–Almaty</span><sup class="scoda-fallback"' in markup
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


def test_a_route_shows_its_status_and_the_source_that_shows_it(state):
    state.select_feature("r-almaty")
    shown = visible_text(render(state))
    assert re.search(r"regular service\s*\(\s*shown by:\s*Test source A\s*\)", shown), shown
    state.lang = "zh"  # in Chinese punctuation
    assert re.search(r"常态化开行\s*（依据：\s*Test source A\s*）", visible_text(render(state)))


@pytest.mark.parametrize("lang, kind, marks", [("en", "news outlet", "(,)"), ("zh", "新闻媒体", "（，）"), ("ru", "СМИ", "(,)")])
def test_each_source_shows_what_kind_of_publisher_it_is(state, lang, kind, marks):
    state.lang = lang
    state.select_feature("r-almaty")
    opening, comma, closing = map(re.escape, marks)
    assert re.search(rf"Test source A\s*{opening}\s*{kind}{comma}\s*Test\s*{comma}\s*2021-01-17\s*{closing}",
                     visible_text(render(state)))


def test_a_source_without_a_kind_shows_without_one(minimal_copy):
    edit_csv(minimal_copy / "sources.csv", lambda rows: rows[0].update(kind=""))
    state = ExplorerState(scoda_map.load(minimal_copy))
    state.select_feature("r-almaty")
    assert re.search(r"Test source A\s*\(\s*Test\s*,\s*2021-01-17\s*\)", visible_text(render(state)))


def test_cargo_path_and_note_follow_the_language(minimal_copy):
    path = minimal_copy / "routes.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    row(rows, "id", "r-almaty").update(cargo_en="Excavators", cargo_zh="挖掘机", cargo_ru="Экскаваторы",
                                       via_en="Via Khorgos.", via_zh="经霍尔果斯出境。", via_ru="Через Хоргос.",
                                       note_en="One train.", note_zh="仅一列。", note_ru="Один поезд.")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(dict.fromkeys(key for r in rows for key in r)), restval="")
        writer.writeheader()
        writer.writerows(rows)
    state = ExplorerState(scoda_map.load(minimal_copy))
    state.select_feature("r-almaty")
    for lang, words in [("en", ["Excavators", "Via Khorgos.", "One train."]), ("zh", ["挖掘机", "经霍尔果斯出境。", "仅一列。"]),
                        ("ru", ["Экскаваторы", "Через Хоргос.", "Один поезд."])]:
        state.lang = lang
        shown = visible_text(render(state))
        assert all(word in shown for word in words), (lang, shown)
        if lang != "en":
            assert "Excavators" not in shown and "One train." not in shown



def test_what_a_point_stands_for_follows_the_language(minimal_copy):
    def explain(features):
        feature(features, "almaty")["properties"].update(
            coord_note="The point is the city.", coord_note_zh="坐标点为城市。", coord_note_ru="Точка — город.")
    edit_geojson(minimal_copy / "places.geojson", explain)
    place = dict(scoda_map.load(minimal_copy).places.loc["almaty"])
    for lang, words in [("en", "The point is the city."), ("zh", "坐标点为城市。"), ("ru", "Точка — город.")]:
        shown = visible_text(_coordinates(place, lang))
        assert words in shown and (lang == "en" or "The point is the city." not in shown)


def test_a_described_source_shows_its_description_in_the_visitors_language(minimal_copy):
    path = minimal_copy / "sources.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    row(rows, "id", "src-a").update(title="Xinhua item on a train (title not recorded)",
                                    title_zh="新华社关于班列的报道(标题未记录)", title_ru="Материал Синьхуа о поезде (заголовок не записан)")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(dict.fromkeys(key for r in rows for key in r)), restval="")
        writer.writeheader()
        writer.writerows(rows)
    state = ExplorerState(scoda_map.load(minimal_copy))
    state.select_feature("r-almaty")
    for lang, title in [("en", "Xinhua item on a train"), ("zh", "新华社关于班列的报道"), ("ru", "Материал Синьхуа о поезде")]:
        state.lang = lang
        shown = visible_text(render(state))
        assert title in shown and (lang == "en" or "Xinhua item" not in shown), (lang, shown)


def test_the_projects_own_translations_are_marked_and_originals_carry_their_language(state):
    state.lang = "zh"
    state.select_measure("op24-01")
    markup = str(render(state))
    # the Chinese title is the document's own wording: no mark; the link's Chinese rationale is ours
    assert "畅通多式联运通道</h3>" in markup
    assert re.search(r'面向上合组织国家的图定线路。<sup class="scoda-own" title="本项目译">', markup)
    assert '<span class="scoda-sr">本项目译</span>' in markup  # read out by screen readers
    assert '<span class="scoda-original" lang="zh">1.畅通多式联运通道。</span>' in markup  # the quote
    assert '<span class="scoda-original" lang="en">Test source B</span>' in markup  # a source's own title
    state.lang = "en"
    assert re.search(r'Smooth multimodal corridors<sup class="scoda-own" title="project translation">', str(render(state)))
