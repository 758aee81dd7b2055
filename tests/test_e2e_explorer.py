"""End to end: the explorer in headless Chromium against `scoda-map serve`.

One server for the whole module; each test opens its own page (its own kernel).
"""

import re

import pytest
from playwright.sync_api import expect

import scoda_map
from scoda_map._i18n import t
from scoda_map._testing.browser import open_dashboard

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def atlas():
    """The data `scoda-map serve` shows: expectations come from it, not from its counts."""
    return scoda_map.load()


def routes_count(atlas, lang: str = "en") -> str:
    """The routes line of the layer panel, as the data makes it ("N of M identified ...")."""
    row = atlas.completeness().loc["routes"]
    return t("layers.count_claimed", lang, listed=row["listed"], claimed=int(row["claimed"]), on_map=row["on_map"])


def open_pane(page, name: str) -> None:
    """Choose a pane in the tab bar (Layers, Measures, Figures, Share): only one shows at a time."""
    page.locator(".scoda-tabbar button", has_text=name).click()


def test_the_map_draws_offline_with_every_panel(page, explorer_url, atlas):
    open_dashboard(page, explorer_url)
    page.locator(".scoda-details .scoda-overview").wait_for()
    # plotly.js waits for the charts to come on screen: the map and the details do not wait for it.
    assert page.evaluate("typeof window.Plotly") == "undefined"
    open_pane(page, "Figures")
    for hook in ["scoda-map", "scoda-details", "scoda-measures", "scoda-search", "scoda-layers", "scoda-charts"]:
        page.locator(f".{hook}").first.wait_for(state="attached")
    page.wait_for_selector(".scoda-route", state="attached")
    page.wait_for_selector(".scoda-charts .js-plotly-plot", state="attached")
    expect(page.locator(".scoda-layers")).to_contain_text(routes_count(atlas))
    assert page.outside == [], f"requests left the machine: {page.outside}"


def test_clicking_almatys_route_shows_the_measures_that_support_it(page, explorer_url):
    open_dashboard(page, explorer_url)
    page.locator(".scoda-f-r-almaty").first.dispatch_event("click")
    details = page.locator(".scoda-details")
    details.get_by_text("Measures that support it").wait_for()
    expect(details).to_contain_text("Almaty")
    expect(details).to_contain_text("Sources")
    page.locator(".scoda-details details.scoda-measure").first.wait_for()
    page.locator(".scoda-h-r-almaty").first.wait_for(state="attached")


def test_selecting_a_measure_highlights_what_it_reaches(page, explorer_url, atlas):
    open_dashboard(page, explorer_url)
    open_pane(page, "Measures")
    # The browser shows each measure's whole title (no cut after ~40 characters).
    measure = max((m for m in atlas.measures.index if any(atlas.features_for(m)["on_map"])),
                  key=lambda m: len(atlas.measures.loc[m, "title_en"]))
    button = page.locator(f'.scoda-mb-item[data-pick="{measure}"]')
    expect(button).to_contain_text(atlas.measures.loc[measure, "title_en"])
    button.click()
    page.locator(".scoda-details").get_by_text("What this measure reaches on the map").wait_for()
    page.locator(".scoda-details li[data-feature]").first.wait_for()
    page.wait_for_function("document.querySelectorAll('.scoda-highlight').length > 0")
    expect(button).to_have_attribute("aria-pressed", "true")


def test_the_search_finds_a_city_by_its_chinese_name(page, explorer_url):
    open_dashboard(page, explorer_url)
    box = page.locator(".scoda-search input")
    box.fill("阿拉木图")
    box.press("Enter")
    page.locator(".scoda-details").get_by_text("Almaty").first.wait_for()
    expect(page.locator(".scoda-details")).to_contain_text("KZ")


def test_a_link_opens_the_chinese_interface_on_the_almaty_route(page, explorer_url):
    open_dashboard(page, explorer_url + "?lang=zh&feature=r-almaty&bogus=1")
    details = page.locator(".scoda-details")
    details.get_by_text("支持它的措施").wait_for()
    for words in ["胶州—阿拉木图", "来源", "链接中有部分内容无法识别"]:  # the unknown parameter is named, not an error page
        expect(details).to_contain_text(words)
    expect(page.locator(".scoda-layers")).to_contain_text("图层")
    page.wait_for_function("window.location.search.includes('feature=r-almaty')")


def test_switching_language_keeps_the_selection(page, explorer_url):
    received: list[bytes] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: received.append(
        frame if isinstance(frame, bytes) else frame.encode())))
    open_dashboard(page, explorer_url + "?feature=r-almaty")
    page.locator(".scoda-details").get_by_text("Measures that support it").wait_for()
    page.locator(".scoda-languages button", has_text="Русский").click()
    page.locator(".scoda-details").get_by_text("Меры, которые это поддерживают").wait_for()
    # Each panel answers the switch in its own time: wait for the layer panel's language too.
    expect(page.locator(".scoda-layers")).to_contain_text("Слои")
    page.wait_for_function("window.location.search.includes('lang=ru') && window.location.search.includes('feature=r-almaty')")
    # It came as the courier's one message (``_views.batch``): the page had said it listens.
    assert any(b'"updates"' in frame and "Слои".encode() in frame for frame in received)


def test_the_share_panel_gives_a_link_qr_citation_and_the_selection_as_files(page, explorer_url, atlas):
    open_dashboard(page, explorer_url + "?feature=r-almaty")
    page.locator(".scoda-details").get_by_text("Measures that support it").wait_for()
    open_pane(page, "Share")  # opens the share panel
    share = page.locator(".scoda-share")
    share.locator(".scoda-qr svg").wait_for()
    expect(share.locator(".scoda-link")).to_contain_text("feature=r-almaty")
    expect(share.locator(".scoda-cite")).to_contain_text(f"data version {atlas.version}")
    share.get_by_role("button", name="Download the selection (CSV)").click()
    link = share.locator("a[download='scoda-selection.csv']")
    link.wait_for(state="attached")
    with page.expect_download() as download:
        link.click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.startswith("layer,id,") and "r-almaty" in text and "documented" in text


@pytest.fixture(scope="module")
def preheated_url(tmp_path_factory):
    from scoda_map._testing.server import running_server

    with running_server("serve", extra=["--preheat"], log_path=tmp_path_factory.mktemp("preheat") / "serve.log") as url:
        yield url


def test_a_preheated_kernel_still_opens_the_visitors_link(page, preheated_url):
    open_dashboard(page, preheated_url + "?lang=ru&feature=r-tashkent")
    page.locator(".scoda-details").get_by_text("Меры, которые это поддерживают").wait_for()
    expect(page.locator(".scoda-details")).to_contain_text(re.compile("Tashkent|Ташкент"))


def test_a_bar_click_in_the_coverage_chart_selects_its_measure(page, explorer_url):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_dashboard(page, explorer_url)
    open_pane(page, "Figures")
    bars = page.locator(".scoda-chart-coverage .js-plotly-plot .point path")
    bars.last.wait_for(state="attached")
    bars.last.click(force=True)  # the longest bar: the measure that reaches most
    page.locator(".scoda-details").get_by_text("What this measure reaches on the map").wait_for()
    expect(page.locator(".scoda-details")).to_contain_text("multimodal transport corridor")
    # plotly.js's basic bundle from the template, not the jupyterlab-plotly extension's full one
    assert any("vendor/plotly-basic" in url for url in requested)
    assert not any("jupyterlab-plotly" in url for url in requested)
    # Run once for both charts (each ran its own copy: two plotly.js instances on the page).
    assert page.evaluate("document.querySelectorAll('script[src*=\"plotly-basic\"]').length") == 1


def test_a_chart_seen_in_a_language_comes_back_at_the_screens_size(page, explorer_url):
    # Switching back to a language shows the chart drawn for it before, fitted to the pane
    # even when the window changed size meanwhile, and its bars still answer clicks.
    open_dashboard(page, explorer_url + "?lang=zh")
    open_pane(page, t("layout.tab.figures", "zh"))
    title = page.locator(".scoda-chart-coverage .gtitle")
    expect(title).to_have_text(t("charts.coverage_title", "zh"))
    page.evaluate("window.__zhPlot = document.querySelector('.scoda-chart-coverage .js-plotly-plot')")
    width = page.evaluate("document.querySelector('.scoda-chart-coverage').clientWidth")
    page.locator(".scoda-languages button", has_text="English").click()
    expect(title).to_have_text(t("charts.coverage_title", "en"))
    assert page.evaluate("window.__zhPlot.isConnected") is False  # kept aside, not redrawn in English
    page.set_viewport_size({"width": 1600, "height": 900})
    page.wait_for_function("(w) => document.querySelector('.scoda-chart-coverage').clientWidth !== w", arg=width)
    page.locator(".scoda-languages button", has_text="中文").click()
    expect(title).to_have_text(t("charts.coverage_title", "zh"))
    assert page.evaluate("document.querySelector('.scoda-chart-coverage .js-plotly-plot') === window.__zhPlot")
    assert page.locator(".scoda-chart-coverage .js-plotly-plot").count() == 1  # the others kept off the page
    page.wait_for_function("""() => { const el = document.querySelector('.scoda-chart-coverage');
        const svg = el.querySelector('.main-svg'); return Math.abs(svg.getBoundingClientRect().width - el.clientWidth) < 2; }""")
    page.locator(".scoda-chart-coverage .js-plotly-plot .point path").last.click(force=True)
    expect(page.locator(".scoda-details")).to_contain_text(t("details.reaches", "zh"))


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_the_charts_text_fits_a_laptops_figures_pane(browser, explorer_url, lang):
    # The pane is ~255 px wide at 1366x768: titles wrap and bar labels are shortened (the full
    # title in the hover); no title, label or axis text is cut off at the chart's edges.
    from scoda_map._testing.browser import new_page

    page = new_page(browser, 1366, 768)
    try:
        open_dashboard(page, explorer_url + f"?lang={lang}")
        open_pane(page, t("layout.tab.figures", lang))
        page.locator(".scoda-chart-coverage .ytick text").last.wait_for()
        page.locator(".scoda-chart-trains .gtitle").wait_for()
        outside = page.evaluate("""() => [...document.querySelectorAll('.scoda-charts .js-plotly-plot')].flatMap((plot) => {
            const box = plot.getBoundingClientRect();
            return [...plot.querySelectorAll('.gtitle, .ytick text, .xtick text, .xtitle, .ytitle')].filter((el) => {
              const r = el.getBoundingClientRect();
              return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1);
            }).map((el) => el.textContent); })""")
        assert outside == []
    finally:
        page.close(run_before_unload=True)
        page.context.close()


def test_the_charts_still_draw_when_the_page_cannot_fetch_plotly(page, explorer_url):
    # As in JupyterLab, where the template's static folder is not served: the kernel sends it.
    page.route("**/vendor/plotly-basic-*.js", lambda route: route.fulfill(status=404, body="not here"))
    open_dashboard(page, explorer_url)
    open_pane(page, "Figures")
    page.wait_for_selector(".scoda-chart-trains .js-plotly-plot .point", state="attached")
