"""The measure browser, the overview, the legend and the feature list as HTML:
what a visitor reads, derived from the loaded atlas (never from shipped counts)."""

import re

import pandas as pd
import pytest
from markupsafe import escape

import scoda_map
from scoda_map._i18n import LANGUAGES, data_text, t
from scoda_map._model.state import ExplorerState
from scoda_map._render import feature_list, legend, measure_browser, overview
from tests.conftest import MINIMAL


@pytest.fixture(scope="module", params=["shipped", "minimal"])
def atlas(request):
    return scoda_map.load() if request.param == "shipped" else scoda_map.load(MINIMAL)


def buttons(html: str) -> list[str]:
    return re.findall(r'data-pick="([^"]+)"', html)


def test_every_measure_is_listed_once_with_its_whole_title(atlas):
    html = str(measure_browser.render(atlas, atlas.measures, "en"))
    assert sorted(buttons(html)) == sorted(atlas.measures.index)
    for measure_id, measure in atlas.measures.iterrows():
        assert str(escape(measure["title_en"])) in html, measure_id


def test_measures_are_grouped_by_document_then_section_in_reading_order(atlas):
    state = ExplorerState(atlas)
    groups = measure_browser.group_measures(atlas, state.visible_measures())
    assert [g.document_id for g in groups] == list(dict.fromkeys(state.visible_measures()["document_id"]))
    for group in groups:
        members = atlas.measures[atlas.measures["document_id"] == group.document_id]
        assert group.known == len(members)
        sections = [s.section_id for s in group.sections]
        assert len(sections) == len(set(sections)), "a section appears once per document"
        for section in group.sections:
            for entry in section.measures:
                measure = atlas.measures.loc[entry.measure_id]
                assert (measure["section_id"] if measure["section_id"] == measure["section_id"] and measure["section_id"] else None) == section.section_id
                numbered = [e.number for e in section.measures if e.number is not None]
                assert numbered == sorted(numbered), "numbered as in the document"


def test_each_measure_says_how_many_map_features_it_reaches_and_its_text_status(atlas):
    groups = measure_browser.group_measures(atlas, atlas.measures)
    for entry in (e for g in groups for s in g.sections for e in s.measures):
        expected = int(atlas.features_for(entry.measure_id)["on_map"].sum())
        assert entry.features == expected
        html = str(measure_browser.render(atlas, atlas.measures.loc[[entry.measure_id]], "ru"))
        reach = t("measures.reaches", "ru", count=expected) if expected else t("measures.reaches_none", "ru")
        assert reach in html
        assert t(f"text_status.{entry.text_status}", "ru") in html


def test_the_picked_measure_is_pressed_and_only_it(atlas):
    picked = atlas.measures.index[-1]
    html = str(measure_browser.render(atlas, atlas.measures, "zh", selected=picked))
    assert html.count('aria-pressed="true"') == 1
    assert re.search(rf'data-pick="{re.escape(picked)}" aria-pressed="true"', html)


def test_data_text_in_the_browser_is_escaped(atlas):
    measures = atlas.measures.copy()
    first = measures.index[0]
    measures.loc[first, "title_en"] = '<img src=x onerror="alert(1)">'
    html = str(measure_browser.render(atlas, measures.loc[[first]], "en"))
    assert "<img" not in html and "&lt;img" in html


def test_no_match_says_so(atlas):
    html = str(measure_browser.render(atlas, atlas.measures.iloc[0:0], "ru"))
    assert t("measures.none", "ru") in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_overview_puts_named_and_stated_side_by_side_with_sources(atlas, lang):
    html = str(overview.render(atlas, lang))
    completeness = atlas.completeness()
    for name in atlas.layer_names():
        row = completeness.loc[name]
        if pd.isna(row["claimed"]):
            continue
        claim = atlas.claims.loc[atlas.layer_info(name).claim]
        assert t("overview.named_stated", lang, listed=int(row["listed"]), claimed=int(row["claimed"]),
                 date=str(claim["date"])[:4]) in html
    assert t("overview.howto", lang) in html
    assert "identified" not in html, "the old 'N of M identified' wording"


def test_the_overview_gives_trains_of_the_latest_full_year_with_its_source(atlas):
    html = str(overview.render(atlas, "en"))
    trains = atlas.indicators[(atlas.indicators["indicator"] == "trains_per_year") & (atlas.indicators["kind"] == "actual")]
    if not len(trains):
        assert t("overview.trains_label", "en") not in html
        return
    latest = trains.sort_values(["year", "date"]).iloc[-1]
    assert f"in {int(latest['year'])} (latest full year)" in html
    assert not (trains["year"] > latest["year"]).any()
    source = atlas.sources.loc[latest["source_ids"][0]]
    assert str(source["url"]).replace("&", "&amp;") in html


def test_the_overview_counts_measures_per_document_against_the_stated_number(atlas):
    html = str(overview.render(atlas, "en"))
    for doc_id, doc in atlas.documents.iterrows():
        if not pd.isna(doc["measure_count"]):
            known = int((atlas.measures["document_id"] == doc_id).sum())
            assert t("overview.measures", "en", known=known, claimed=int(doc["measure_count"])) in html


def test_the_legend_gives_each_corridor_a_distinct_dash_pattern_as_well_as_a_colour(atlas):
    dashes = legend.corridor_dashes(atlas)
    used = [c for c in atlas.corridors.index if c in set(atlas.routes["corridor"])]
    if len(used) <= len(legend.CORRIDOR_DASHES):
        assert len({dashes[c] for c in used}) == len(used)
    assert legend.WATER_DASH not in dashes.values()
    html = str(legend.render(atlas, "zh"))
    for cid in used:
        assert data_text(atlas.corridors.loc[cid], "name", "zh")[0] in html
    assert html.count("<li>") == len(used) + 1


def test_the_feature_list_offers_every_feature_of_the_visible_layers(atlas):
    layers = atlas.layer_names()
    html = str(feature_list.render(atlas, "en", layers))
    expected = [fid for name in layers for fid in atlas.layer(name).index]
    assert sorted(buttons(html)) == sorted(expected)
    only_routes = str(feature_list.render(atlas, "en", ["routes"]))
    assert sorted(buttons(only_routes)) == sorted(atlas.routes.index)


def test_a_document_not_yet_issued_at_the_time_controls_date_says_so(atlas):
    """The timeline's date reaches the measure browser: measures of a later document were not
    in force then, and the list says so (at today's date, nothing is marked)."""
    from scoda_map._model.timeline import period_end

    dated = {doc_id: period_end(doc.get("issued")) for doc_id, doc in atlas.documents.iterrows()}
    listed = set(atlas.measures["document_id"])
    doc_id, issued = max(((d, when) for d, when in dated.items() if when and d in listed), key=lambda item: item[1])
    before = str(issued.year - 1)
    html = str(measure_browser.render(atlas, atlas.measures, "en", as_of=before))
    title = str(escape(data_text(atlas.documents.loc[doc_id], "title", "en")[0]))
    marked = [block for block in html.split('<section class="scoda-mb-doc">') if "scoda-mb-not-yet" in block]
    assert any(title in block.split("</h4>")[0] for block in marked)
    assert "scoda-mb-not-yet" not in str(measure_browser.render(atlas, atlas.measures, "en"))
