"""End to end: the Chinese and Russian pages show no English sentence.

What a visitor reads in the details panel, the measure list, the layers and legend and
the charts' labels is checked for runs of three or more Latin-alphabet words. Originals
kept in their own language (a source's title and publisher, a measure's quote) are
marked ``class="scoda-original"`` / ``"scoda-name"`` with a ``lang`` attribute and are
left out. A run whose every word is capitalised is taken for a proper name (a company such
as "Shandong Hi-speed Group" keeps its own Latin name in Russian). No ``EN`` fallback marker
may show either: the shipped data is fully translated.
"""

import re

import pytest

from scoda_map._i18n import t
from scoda_map._testing.browser import open_dashboard, open_pane

pytestmark = pytest.mark.browser

#: Three or more Latin-alphabet words in a row: an English phrase, not a name like "Natural Earth".
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’.\-]*(?:[ \u00a0]+[A-Za-z][A-Za-z'’.\-]*){2,}")

VISIBLE_TEXT = """(selectors) => {
  // open every measure, so its text is checked too
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  const out = [];
  for (const selector of selectors) {
    for (const root of document.querySelectorAll(selector)) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      let node;
      while ((node = walker.nextNode())) {
        const element = node.parentElement;
        if (!element || element.closest('.scoda-original, .scoda-name, .scoda-sr, script, style')) continue;
        if (element.tagName !== 'OPTION' && !element.checkVisibility()) continue;
        if (node.textContent.trim()) out.push(node.textContent.trim());
      }
    }
  }
  return out;
}"""

EXPLORER_PARTS = [".scoda-details", ".scoda-measures", ".scoda-layers", ".scoda-legend-box",
                  ".scoda-charts .xtitle", ".scoda-charts .ytitle", ".scoda-charts .gtitle",
                  ".scoda-charts .ytick", ".scoda-charts .legendtext"]
KIOSK_PARTS = [".scoda-story", ".scoda-kiosk-top", ".scoda-layer-button", ".scoda-legend-box"]


def english_runs(page, parts) -> list[str]:
    """English phrases in the visible text of ``parts`` (CSS selectors), and every English fallback."""
    texts = page.evaluate(VISIBLE_TEXT, parts)
    runs = [f"{run!r} in {text[:120]!r}" for text in texts for run in ENGLISH_RUN.findall(text)
            if not all(word[0].isupper() for word in run.split())]
    fallbacks = page.evaluate("(parts) => parts.flatMap(p => [...document.querySelectorAll(p + ' .scoda-fallback')])"
                              ".map(m => m.previousElementSibling ? m.previousElementSibling.textContent : '?')", parts)
    return runs + [f"untranslated: {name!r}" for name in fallbacks]


def explorer_runs(page) -> list[str]:
    """English phrases in every pane of the explorer: the tab bar shows one pane at a time, and
    the checker reads only what is visible, so each pane is opened in turn (details stay open)."""
    runs = []
    for pane in ("layers", "measures", "figures"):
        open_pane(page, pane)
        if pane == "measures":
            page.locator(".scoda-measure-list .scoda-mb-item").first.wait_for()
        if pane == "figures":
            _charts_drawn(page)
        runs += [run for run in english_runs(page, EXPLORER_PARTS) if run not in runs]
    return runs


def _charts_drawn(page) -> None:
    page.wait_for_function("document.querySelectorAll('.scoda-chart-coverage .ytick text').length > 0"
                           " && document.querySelectorAll('.scoda-chart-trains .legendtext').length > 0")


@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_the_explorer_with_a_route_selected_reads_in_the_visitors_language(page, explorer_url, lang):
    open_dashboard(page, explorer_url + f"?lang={lang}&feature=r-almaty")
    page.locator(".scoda-details").get_by_text(t("details.supporting_measures", lang)).wait_for()
    runs = explorer_runs(page)
    assert not runs, "English on the page:\n" + "\n".join(runs)


@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_the_explorer_with_a_measure_selected_reads_in_the_visitors_language(page, explorer_url, lang):
    open_dashboard(page, explorer_url + f"?lang={lang}&measure=op24-01")
    page.locator(".scoda-details").get_by_text(t("details.reaches", lang)).wait_for()
    runs = explorer_runs(page)
    assert not runs, "English on the page:\n" + "\n".join(runs)


@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_the_kiosk_story_of_a_route_and_its_measures_reads_in_the_visitors_language(page, kiosk_server, lang):
    open_dashboard(page, kiosk_server)
    page.locator(".scoda-languages button", has_text={"zh": "中文", "ru": "Русский"}[lang]).click()
    page.locator(".scoda-kiosk-top").get_by_text(t("app.title", lang)).wait_for()
    page.locator(".scoda-f-r-almaty").first.dispatch_event("click")
    page.locator(".scoda-story").get_by_text(t("details.supporting_measures", lang)).wait_for()
    runs = english_runs(page, KIOSK_PARTS)
    assert not runs, "English on the page:\n" + "\n".join(runs)


def test_the_checker_finds_english_and_passes_marked_originals(page):
    page.set_content('<div class="scoda-details"><p>支持它的措施 Natural Earth</p>'
                     '<p>Improve China-Europe trains</p><p>Шаньдунская Shandong Hi-speed Group</p>'
                     '<span lang="en">Almaty Route</span><sup class="scoda-fallback">EN</sup>'
                     '<span class="scoda-original" lang="en">Opinions of Supporting the Demonstration Area</span></div>')
    assert english_runs(page, [".scoda-details"]) == ["'Improve China-Europe trains' in 'Improve China-Europe trains'",
                                                      "untranslated: 'Almaty Route'"]
