"""The kiosk's idle home shows the overview (headline figures, how to use) beside the map,
until a visitor picks something or closes it; the next idle brings it back (issue 13)."""

import pytest

import scoda_map
from scoda_map._i18n import t


@pytest.fixture(scope="module")
def atlas():
    return scoda_map.load()


def shown(widget) -> bool:
    return widget.layout.display != "none"


def test_the_kiosk_home_shows_the_overview_until_a_visitor_closes_it(atlas):
    kiosk = scoda_map.Kiosk(atlas, idle_seconds=30)
    route = next(i for i, r in atlas.routes.iterrows() if r["on_map"])
    assert shown(kiosk.overview_card) and not shown(kiosk.card)
    assert t("overview.heading", "en") in kiosk.overview.value
    assert kiosk._insets((1920, 1080)).right > 0  # the home view frames the map beside it
    assert kiosk._insets((1080, 1920)).right == 0  # portrait: no room, kiosk.css hides it

    kiosk.state.select_feature(route)  # a tap: the story card instead
    assert shown(kiosk.card) and not shown(kiosk.overview_card)
    kiosk.state.clear()  # the story closed: home again
    assert shown(kiosk.overview_card)

    kiosk.overview_close.click()  # closed: the map has the screen
    assert not shown(kiosk.overview_card) and kiosk._insets((1920, 1080)).right == 0
    kiosk.state.lang = "zh"
    assert t("overview.heading", "zh") in kiosk.overview.value

    kiosk.idle()  # nobody there: the tour plays over the map, the overview waits
    assert not shown(kiosk.overview_card)
    kiosk.touch()  # somebody stops the tour: home, with the overview again (in the default language)
    kiosk.state.clear()
    assert shown(kiosk.overview_card)
    assert t("overview.heading", "en") in kiosk.overview.value
