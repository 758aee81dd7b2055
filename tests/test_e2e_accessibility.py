"""Accessibility in the browser: axe-core (WCAG 2.1 AA rules) finds nothing serious or
critical on the explorer and the kiosk, in English, Chinese and Russian, with nothing
selected and with a route selected; every route is reachable from the keyboard; a
measure picked from the keyboard highlights its features; ``<html lang>`` follows
the language switch."""

import pytest
from playwright.sync_api import expect

import scoda_map
from scoda_map._i18n import HTML_LANG, LANGUAGE_NAMES, data_text, t
from scoda_map._testing.browser import open_dashboard, open_pane

pytestmark = pytest.mark.browser

#: axe rule tags for WCAG 2.0/2.1 A and AA.
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}


@pytest.fixture(scope="module")
def atlas():
    return scoda_map.load()


@pytest.fixture(scope="module")
def route(atlas):
    """A drawn route that a measure supports (its details list measures)."""
    drawn = atlas.routes[atlas.routes["on_map"]]
    return next(rid for rid in drawn.index if len(atlas.measures_for(rid))) if len(atlas.links) else drawn.index[0]


def serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_AA)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:5]]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("lang", ["en", "zh", "ru"])
def test_the_explorer_has_no_serious_axe_violations(page, explorer_url, atlas, route, lang):
    open_dashboard(page, explorer_url + ("" if lang == "en" else f"?lang={lang}"))
    expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[lang])
    open_pane(page, "measures")  # axe checks what is shown: the measure browser, then the feature list
    page.locator(".scoda-mb-item").first.wait_for()
    expect(page.locator(".scoda-details")).to_contain_text(t("overview.heading", lang))
    assert serious(page) == [], "nothing selected"
    name = data_text(atlas.routes.loc[route], "name", lang)[0]
    open_pane(page, "layers")
    page.locator(f'.scoda-fl-item[data-pick="{route}"]').click()
    expect(page.locator(".scoda-details .scoda-title")).to_contain_text(name)
    assert serious(page) == [], "a route selected"


@pytest.mark.parametrize("lang", ["en", "zh", "ru"])
def test_the_kiosk_has_no_serious_axe_violations(page, kiosk_server, route, lang):
    open_dashboard(page, kiosk_server)
    if lang != "en":
        page.locator(".scoda-languages button", has_text=LANGUAGE_NAMES[lang]).click()
    expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[lang])
    assert serious(page) == [], "home view"
    page.locator(f".scoda-f-{route}").first.dispatch_event("click")
    page.locator(".scoda-story").wait_for(state="visible")
    assert serious(page) == [], "a route selected"


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the focused element matches ``selector`` (as a keyboard user would)."""
    page.locator(selector).first.wait_for(state="attached")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_tab_reaches_a_route_in_the_feature_list_and_enter_shows_it(page, explorer_url, atlas):
    open_dashboard(page, explorer_url)
    open_pane(page, "layers")
    tab_to(page, ".scoda-fl-item")
    focused = page.evaluate("document.activeElement.dataset.pick")
    page.keyboard.press("Enter")
    name = data_text(atlas.feature(focused), "name", "en")[0]
    expect(page.locator(".scoda-details .scoda-title")).to_contain_text(name)
    expect(page.locator(f'.scoda-fl-item[data-pick="{focused}"]')).to_have_attribute("aria-pressed", "true")
    page.locator(f".scoda-h-{focused}").first.wait_for(state="attached")


def test_a_measure_picked_from_the_keyboard_highlights_its_features(page, explorer_url, atlas):
    reaching = [m for m in atlas.measures.index if any(atlas.features_for(m)["on_map"])]
    open_dashboard(page, explorer_url)
    open_pane(page, "measures")
    tab_to(page, ".scoda-mb-item")
    # Down arrow moves through the list; stop on a measure that reaches the map.
    for _ in range(len(atlas.measures)):
        if page.evaluate("document.activeElement.dataset.pick") in reaching:
            break
        page.keyboard.press("ArrowDown")
    measure = page.evaluate("document.activeElement.dataset.pick")
    assert measure in reaching
    page.keyboard.press("Enter")
    expect(page.locator(f'.scoda-mb-item[data-pick="{measure}"]')).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("document.querySelectorAll('.scoda-highlight').length > 0")
    # The focus stays on the measure after the list is redrawn.
    assert page.evaluate("document.activeElement.dataset.pick") == measure


def test_html_lang_follows_the_language_switch(page, explorer_url):
    open_dashboard(page, explorer_url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for lang in ("zh", "ru", "en"):
        page.locator(".scoda-languages button", has_text=LANGUAGE_NAMES[lang]).click()
        expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[lang])
