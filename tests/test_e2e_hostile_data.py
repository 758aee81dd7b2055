"""Text from data that tries to be HTML stays text in every panel (no script runs)."""

import shutil

import pandas as pd
import pytest
from playwright.sync_api import expect

from conftest import ROOT
from helpers import edit_csv, row
from scoda_map._testing.browser import new_page, open_dashboard
from scoda_map._testing.server import running_server

pytestmark = pytest.mark.browser
PAYLOAD = '<img src=x onerror="window.__xss=1">'


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(ROOT / "geodata", folder)
    # Ids taken from the data where an import or audit may change them.
    first_source = pd.read_csv(folder / "routes.csv").set_index("id").loc["r-almaty", "source_ids"].split(";")[0]
    edit_csv(folder / "sources.csv", lambda rows: row(rows, "id", first_source).update(title=PAYLOAD + " title"))
    edit_csv(folder / "routes.csv", lambda rows: row(rows, "id", "r-almaty").update(cargo_en=PAYLOAD, note=PAYLOAD))
    edit_csv(folder / "measures.csv", lambda rows: row(rows, "id", "op24-01").update(summary_en=PAYLOAD, quote=PAYLOAD))
    edit_csv(folder / "links.csv", lambda rows: [r.update(rationale_en=PAYLOAD) for r in rows if r["measure_id"] == "op24-01"])
    edit_csv(folder / "indicators.csv", lambda rows: [r.update(label_en=PAYLOAD) for r in rows if r["indicator"] == "trains_per_year"])
    with running_server("serve", data=folder) as url:
        yield url


def test_markup_in_data_is_shown_as_text_everywhere(browser, hostile_server):
    page = new_page(browser)
    try:
        open_dashboard(page, hostile_server + "?feature=r-almaty")
        details = page.locator(".scoda-details")
        details.get_by_text("Measures that support it").wait_for()
        page.locator(".scoda-details details.scoda-measure").first.evaluate("d => d.open = true")
        expect(details).to_contain_text(PAYLOAD)  # the visitor reads the text as written
        page.locator(".scoda-tabbar button", has_text="Share").click()  # opens the share panel
        page.locator(".scoda-save-map").click()
        page.locator(".scoda-share a[download='scoda-map-view.html']").wait_for(state="attached")
        page.locator(".scoda-tabbar button", has_text="Measures").click()
        page.locator(".scoda-mb-item", has_text="multimodal transport corridors").first.click()
        details.get_by_text("What this measure reaches on the map").wait_for()
        expect(details).to_contain_text(PAYLOAD)
        page.locator(".scoda-tabbar button", has_text="Figures").click()
        page.locator(".scoda-charts .js-plotly-plot").first.hover()
        assert page.evaluate("window.__xss") is None, "a script from the data ran"
        assert page.locator(".scoda-app img[src='x']").count() == 0
    finally:
        page.close(run_before_unload=True)
        page.context.close()
