"""The live explorer and the static site show the same panels: both come from
the render layer, and this test renders the same selections through both.

Live: the explorer's widgets (``Explorer``, its details, measure list and place
search). Static: the exported page in Chromium, driven through its link and its
controls. The HTML is compared after the browser has parsed both (so only
markup differences count, not how a serialiser quotes).
"""

import re

import pytest

import scoda_map
from scoda_map._export.site import build_site

LANGS = ("en", "zh", "ru")
# A route, a place (several routes), a point-layer member, a measure; the link also carries an unknown parameter.
VIEWS = ["feature=r-almaty&bogus=1", "feature=almaty", "feature={member}", "measure=op24-01&also=2", "feature=nowhere"]
NORMALISE = "html => { const t = document.createElement('template'); t.innerHTML = html; return t.innerHTML; }"


@pytest.fixture(scope="module")
def atlas():
    return scoda_map.load()


@pytest.fixture(scope="module")
def member(atlas):
    name = next(n for n in atlas.layer_names() if atlas.layer_info(n).kind == "points")
    return atlas.layer(name).index[0]


@pytest.fixture(scope="module")
def page(browser, atlas, tmp_path_factory):
    from scoda_map._testing.browser import new_page

    index = build_site(atlas, tmp_path_factory.mktemp("site"))
    outside: list[str] = []
    page = new_page(browser, outside=outside)
    page.goto(index.as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    page.index = index
    yield page
    assert outside == []
    page.context.close()


def live_app(atlas, lang: str, query: str):
    app = scoda_map.Explorer(atlas, lang=lang)
    app.open_link(query)
    return app


def open_static(page, query: str) -> None:
    # A fresh page reads the link as on opening (going from one hash to another would be a
    # hash change in the same page, which rewrites the address to the state it arrives at).
    page.goto("about:blank")
    page.goto(page.index.as_uri() + "#" + query)
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)


def same(page, live_html: str, static_selector: str, outer: bool = False) -> None:
    element = page.locator(static_selector)
    static = element.evaluate("e => e.outerHTML") if outer else element.inner_html()
    assert page.evaluate(NORMALISE, live_html) == page.evaluate(NORMALISE, static)


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_details_and_link_notices_are_the_same_live_and_static(page, atlas, member, lang):
    for view in VIEWS:
        query = f"lang={lang}&" + view.format(member=member)
        app = live_app(atlas, lang, query)
        open_static(page, query)
        assert page.evaluate("window.scodaSite.state().lang") == lang
        same(page, app.details.widget.value, "#details")
        if "bogus" in query:
            assert "bogus" in page.locator("#details .scoda-notice").inner_text()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_a_refused_id_and_a_language_switch_are_the_same_live_and_static(page, atlas, lang):
    app = live_app(atlas, "en", "feature=r-almaty")
    open_static(page, "lang=en&feature=r-almaty")
    assert app.state.select_measure("op24-99") is False
    assert page.evaluate("window.scodaSite.selectMeasure('op24-99')") is False
    app.state.lang = lang  # the notice follows the language
    page.locator(f"#languages button[data-lang='{lang}']").click()
    page.wait_for_function(f"document.documentElement.lang.startsWith('{lang}')")
    same(page, app.details.widget.value, "#details")


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_the_measure_list_search_and_legend_are_the_same_live_and_static(page, atlas, lang):
    query = "RAIL"  # any case: both fold it as Python's str.casefold
    app = live_app(atlas, lang, f"q={query}")
    open_static(page, f"lang={lang}&q={query}")
    # The same measure browser, left with the same measures by the search: the static page holds
    # them all and hides what the search leaves out (what is hidden is taken out to compare).
    assert len(app.state.visible_measures())
    shown = page.locator("#measure-list").evaluate(
        "e => { const c = e.cloneNode(true); c.querySelectorAll('[hidden]').forEach(h => h.remove()); return c.innerHTML; }")
    assert page.evaluate(NORMALISE, app.measures.list.html) == page.evaluate(NORMALISE, shown)
    same(page, app.measures.count.value, "#measure-count")
    same(page, app.layers.legend.value, "#legend")
    same(page, app.layers.panel.html, "#layers")  # the layer panel: titles and honest counts
    # The place search: several places match, or none.
    for typed in ("an", "zzzz-no-place"):
        app.search.box.value = typed
        page.locator("#place-search").fill(typed)
        page.locator("#place-search").press("Enter")
        page.wait_for_function("document.getElementById('search-message').textContent.length > 0")
        same(page, app.search.message.value, "#search-message")
    text = re.sub("<[^>]+>", "", app.search.message.value)
    assert "zzzz-no-place" in text


def test_the_render_layer_figures_and_export_load_no_widget_library():
    """Notebooks, the export and the render layer run without ipywidgets or anywidget."""
    import subprocess
    import sys

    code = ("import sys, scoda_map._render, scoda_map._render.details, scoda_map._render.panels, "
            "scoda_map._render.static_map, scoda_map._render.charts, scoda_map.figures, scoda_map._export.site; "
            "print(sorted(m for m in ('ipywidgets', 'anywidget', 'ipyleaflet') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_saved_map_page_inlines_the_basic_bundle_and_draws_scatter_only(atlas):
    from scoda_map._model.state import ExplorerState
    from scoda_map._render.static_map import PLOTLY_BASIC_FILE, map_spec, standalone_html

    state = ExplorerState(atlas, lang="zh")
    state.select_feature("r-almaty")
    html = standalone_html(state)
    assert PLOTLY_BASIC_FILE.read_text(encoding="utf-8")[:2000] in html
    assert {trace["type"] for trace in map_spec(state)["data"]} == {"scatter"}
    assert "胶州—阿拉木图" in html  # the route's name on hover, in the visitor's language
