"""`scoda-map export-site`: the explorer as a static site, with no kernel and no network."""

import json
import re
from pathlib import Path

import pytest
from markupsafe import escape
from playwright.sync_api import expect

import scoda_map
from scoda_map import cli
from scoda_map._export.site import build_site, script_json
from scoda_map._i18n import catalog, t

PAYLOAD = '</script><script>window.__xss=1</script><!--<script><img src=x onerror="window.__xss=2">'
DATA_SCRIPT = re.compile(r'<script type="application/json" id="scoda-data">(.*?)</script>', re.S)


def page_data(index: Path) -> dict:
    html = index.read_text(encoding="utf-8")
    found = DATA_SCRIPT.findall(html)
    assert len(found) == 1
    return json.loads(found[0])


def hostile_atlas():
    """The shipped data with markup in text fields and links that are not http(s)."""
    atlas = scoda_map.load()
    atlas.routes.loc["r-almaty", "cargo_en"] = PAYLOAD
    atlas.routes.loc["r-almaty", "name_en"] = PAYLOAD
    atlas.measures.loc["op24-01", "summary_en"] = PAYLOAD
    atlas.measures.loc["op24-01", "quote"] = PAYLOAD
    atlas.links.loc[atlas.links["measure_id"] == "op24-01", "rationale_en"] = PAYLOAD
    first, second, third = hostile_sources(atlas)
    atlas.sources.loc[first, "title"] = PAYLOAD
    atlas.sources.loc[first, "url"] = "javascript:window.__xss=3"
    atlas.sources.loc[second, "url"] = "data:text/html,<script>window.__xss=4</script>"
    atlas.sources.loc[third, "url"] = "//evil.example/relative"
    return atlas


def hostile_sources(atlas) -> list[str]:
    """Three sources the Almaty route cites (ids from the data: an import may change them)."""
    cited = list(atlas.routes.loc["r-almaty", "source_ids"])
    assert len(cited) >= 3, cited
    return cited[:3]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(scoda_map.load(), tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    return build_site(hostile_atlas(), tmp_path_factory.mktemp("hostile"))


# -- the folder and its data -------------------------------------------------------
def test_every_route_place_measure_and_feature_has_its_details_in_every_language(site):
    atlas = scoda_map.load()
    data = page_data(site)
    members = {fid for name in atlas.layer_names() for fid in atlas.layer(name).index}
    wanted = {f"f:{i}" for i in members | set(atlas.places.index)} | {f"m:{i}" for i in atlas.measures.index}
    for lang in ("en", "zh", "ru"):
        fragments = data["fragments"][lang]
        assert set(fragments["details"]) == wanted | {""}
        assert catalog(lang)["details.supporting_measures"] in fragments["details"]["f:r-almaty"]
        assert catalog(lang)["details.reaches"] in fragments["details"]["m:op24-01"]
        # The layer panel's honest "N of M" counts, as the explorer words them.
        row = atlas.completeness().loc["routes"]
        words = catalog(lang)["layers.count_claimed"].format(listed=row["listed"], claimed=int(row["claimed"]), on_map=row["on_map"])
        assert str(escape(words)) in fragments["layers"]
    assert "胶州—阿拉木图" in data["fragments"]["zh"]["details"]["f:r-almaty"]
    assert data["version"] == atlas.version


def test_every_file_the_page_loads_is_in_the_folder(site):
    html = site.read_text(encoding="utf-8")
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(references) == 3  # the stylesheet, plotly.js, the page's code
    for ref in references:
        assert not re.match(r"^[a-z]+:|^//", ref), ref
        assert (site.parent / ref).is_file(), ref
    css = next(site.parent.glob("assets/site-*.css")).read_text(encoding="utf-8")
    for url in re.findall(r'url\("([^"]+)"\)', css):
        assert (site.parent / "assets" / url).is_file(), url
    assert "connect-src 'none'" in html  # and the page may not fetch anything at all


def test_the_site_ships_the_basic_plotly_bundle_the_dashboards_use(site):
    from scoda_map._render.static_map import PLOTLY_BASIC_FILE

    bundles = list(site.parent.glob("assets/plotly-*.js"))
    assert [b.name for b in bundles] == [PLOTLY_BASIC_FILE.name]
    assert bundles[0].read_bytes() == PLOTLY_BASIC_FILE.read_bytes()
    # The basic bundle draws scatter and bar, not maps: the map must use only what it has.
    assert "scattergeo" not in PLOTLY_BASIC_FILE.read_text(encoding="utf-8")
    assert {trace["type"] for trace in page_data(site)["figure"]["data"]} == {"scatter"}


def test_markup_in_data_cannot_close_the_script_element(hostile_site):
    html = hostile_site.read_text(encoding="utf-8")
    block = DATA_SCRIPT.search(html).group(1)
    assert "<" not in block and ">" not in block
    assert html.count("</script>") == 3  # the data, plotly.js and the page's code: nothing more
    details = page_data(hostile_site)["fragments"]["en"]["details"]
    for key in ("f:r-almaty", "m:op24-01"):
        assert PAYLOAD not in details[key] and str(escape(PAYLOAD)) in details[key]  # the words as written, as text
    assert json.loads(script_json({"a": "</SCRIPT>&<!--"}))["a"] == "</SCRIPT>&<!--"


def test_only_http_links_reach_the_page(hostile_site):
    details = page_data(hostile_site)["fragments"]["en"]["details"]
    hrefs = [href for html in details.values() for href in re.findall(r'href="([^"]*)"', html)]
    assert hrefs and all(href.startswith(("http://", "https://")) for href in hrefs)


def test_the_page_code_only_shows_fragments_rendered_in_python():
    code = (Path(scoda_map.__file__).parent / "_export" / "static" / "site.js").read_text(encoding="utf-8")
    for sink in ("outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "createElement"):
        assert sink not in code, sink
    assert code.count("innerHTML") == 1  # in put(), which shows a fragment from the page's data
    # No message lookup, no details or search logic of its own.
    for logic in ("i18n", "function t(", "toLowerCase().indexOf", "linksBy", "rationale", "source_ids"):
        assert logic not in code, logic


def test_a_second_export_replaces_its_own_files_only(tmp_path):
    atlas = scoda_map.load()
    build_site(atlas, tmp_path)
    (tmp_path / "assets" / "site-0123456789.js").write_text("stale", encoding="utf-8")
    (tmp_path / "robots.txt").write_text("User-agent: *", encoding="utf-8")
    build_site(atlas, tmp_path, lang="zh")
    assert not (tmp_path / "assets" / "site-0123456789.js").exists()
    assert (tmp_path / "robots.txt").exists()
    assert len(list((tmp_path / "assets").glob("site-*.js"))) == 1
    assert page_data(tmp_path / "index.html")["default_lang"] == "zh"


def test_the_command_writes_the_site(tmp_path, capsys):
    assert cli.main(["export-site", str(tmp_path / "site")]) == 0
    assert (tmp_path / "site" / "index.html").is_file()
    assert "data version" in capsys.readouterr().out


def test_the_command_refuses_bad_data(tmp_path, capsys):
    assert cli.main(["export-site", str(tmp_path / "site"), "--data", str(tmp_path / "nothing")]) == 1
    assert not (tmp_path / "site").exists()


# -- in the browser ----------------------------------------------------------------
# A real click: the screen position of a vertex of the route's trace that lies
# farthest from every other tappable point, so plotly's nearest-point hover picks it.
SCREEN_POINT = """id => {
  const gd = document.getElementById('map'), layout = gd._fullLayout;
  const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const px = (x, y) => [layout.xaxis.l2p(x), layout.yaxis.l2p(y)];
  const mine = [], others = [];
  gd.data.forEach(trace => (trace.customdata || []).forEach((cid, i) => {
    if (cid === null || trace.visible === false || trace.x[i] === null) return;
    (cid === id ? mine : others).push(px(trace.x[i], trace.y[i]));
  }));
  let best = null, bestGap = -1;
  for (const [x, y] of mine) {
    if (x < 5 || y < 5 || x > box.width - 5 || y > box.height - 5) continue;
    const gap = Math.min(...others.map(([u, v]) => Math.hypot(u - x, v - y)));
    if (gap > bestGap) { best = [x, y]; bestGap = gap; }
  }
  return {x: box.left + best[0], y: box.top + best[1], gap: bestGap};
}"""


def open_site(browser, index: Path, outside: list, view: str = ""):
    from scoda_map._testing.browser import new_page

    page = new_page(browser, outside=outside)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.goto(index.as_uri() + view)
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    return page


@pytest.mark.browser
def test_the_site_works_from_disk_in_both_directions_and_in_chinese(browser, site):
    outside: list[str] = []
    page = open_site(browser, site, outside)
    try:
        details = page.locator("#details")
        row = scoda_map.load().completeness().loc["routes"]
        expect(page.locator("#layers")).to_contain_text(t("layers.count_claimed", "en", listed=row["listed"],
                                                          claimed=int(row["claimed"]), on_map=row["on_map"]))

        # The page's own hook, as a link or a script would use it.
        assert page.evaluate("window.scodaSite.select('r-almaty')") is True
        details.get_by_text("Measures that support it").wait_for()
        expect(details).to_contain_text("Jiaozhou - Almaty")
        expect(details.locator("details.scoda-measure[data-measure='op24-01']")).to_have_count(1)
        assert page.evaluate("location.hash") == "#lang=en&feature=r-almaty"

        # A real click on the route's line on the plotly map.
        page.evaluate("window.scodaSite.clear()")
        details.get_by_text("Tap a route").wait_for()
        point = page.evaluate(SCREEN_POINT, "r-almaty")
        assert point["gap"] > 4, point
        page.mouse.move(point["x"], point["y"], steps=5)
        # plotly throttles hover: click once its hover has reached the route, as a hand would.
        page.wait_for_function("(document.getElementById('map')._hoverdata || [])[0]?.customdata === 'r-almaty'",
                               timeout=5_000)
        page.mouse.click(point["x"], point["y"])
        details.get_by_text("Measures that support it").wait_for()
        expect(details).to_contain_text("Jiaozhou - Almaty")
        expect(details).to_contain_text("Sources")
        assert page.evaluate("window.scodaSite.state().feature") == "r-almaty"

        # The other direction: a measure from the list lights what it reaches.
        button = page.locator("#measure-list .scoda-mb-item[data-pick='op24-01']")
        button.click()
        details.get_by_text("What this measure reaches on the map").wait_for()
        expect(button).to_have_attribute("aria-pressed", "true")
        expect(details.locator("li[data-feature]")).to_have_count(len(scoda_map.load().features_for("op24-01")))
        page.wait_for_function("""() => document.getElementById('map').data.filter(t => t.name === 'highlight')
            .some(t => t.x.some(v => v !== null))""")  # something is lit on the map
        details.locator("li[data-feature='r-almaty']").click()  # and back to the route
        details.get_by_text("Measures that support it").wait_for()

        # The place search finds a city by its Chinese name.
        page.locator("#place-search").fill("阿拉木图")
        page.locator("#place-search").press("Enter")
        details.get_by_text("Routes through here").wait_for()
        page.wait_for_function("window.scodaSite.state().feature === 'almaty'")
        details.locator("[data-feature='r-almaty']").first.click()
        details.get_by_text("Measures that support it").wait_for()

        # Chinese: interface, data labels and the map's hover texts.
        page.locator("#languages button[data-lang='zh']").click()
        page.locator("#site-title").get_by_text(catalog("zh")["app.title"]).wait_for()
        expect(details).to_contain_text(catalog("zh")["details.supporting_measures"])
        expect(details).to_contain_text("胶州—阿拉木图")
        page.wait_for_function("document.getElementById('map').data.flatMap(t => t.text || []).includes('胶州—阿拉木图')")
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
        # the project's own translations carry their mark; the sources' own titles their language
        assert details.locator("sup.scoda-own[title='本项目译']").count() >= 1
        assert details.locator(".scoda-sources .scoda-original[lang]").count() >= 1

        assert page.errors == [], page.errors
        assert outside == [], f"requests left the machine: {outside}"
    finally:
        page.context.close()


@pytest.mark.browser
def test_markup_from_data_stays_text_in_the_site(browser, hostile_site):
    outside: list[str] = []
    # A link with a query string as the live explorer writes it, and a fragment, which wins.
    page = open_site(browser, hostile_site, outside, "?lang=zh&measure=op24-01#lang=en&feature=r-almaty")
    try:
        details = page.locator("#details")
        details.get_by_text("Measures that support it").wait_for()
        assert page.evaluate("window.scodaSite.state().feature") == "r-almaty"
        assert page.evaluate("window.scodaSite.selectMeasure('__proto__')") is False  # only ids in the data
        page.locator("#details details.scoda-measure").first.evaluate("d => d.open = true")
        expect(details).to_contain_text(PAYLOAD)
        assert details.locator("a[href^='javascript'], a[href^='data'], a[href^='//']").count() == 0
        page.evaluate("window.scodaSite.selectMeasure('op24-01')")
        details.get_by_text("What this measure reaches on the map").wait_for()
        expect(details).to_contain_text(PAYLOAD)
        assert page.evaluate("window.__xss") is None, "a script from the data ran"
        assert page.locator("img[src='x']").count() == 0
        assert outside == []
    finally:
        page.context.close()
