"""The staff panel speaks the kiosk's language, like everything else on the wall."""

import scoda_map
from conftest import MINIMAL
from scoda_map._model.state import ExplorerState
from scoda_map._model.tour import TourPlayer
from scoda_map._views.staff_panel import StaffPanel


def test_the_staff_panel_follows_the_language():
    state = ExplorerState(scoda_map.load(MINIMAL))
    panel = StaffPanel(TourPlayer(state), on_reload=lambda: None, status=lambda: {"Data version": "1"})
    assert (panel.play.description, panel.reload.description) == ("Play tour now", "Reload data")
    state.lang = "ru"
    assert (panel.play.description, panel.reload.description, panel.close.description) == (
        "Запустить тур", "Перезагрузить данные", "Закрыть")
    assert "Персонал" in panel.heading.value
    state.lang = "zh"
    assert panel.tour.description == "导览"


def test_the_citation_is_in_the_visitors_language():
    import datetime as dt

    from scoda_map._model.export import citation

    state = ExplorerState(scoda_map.load(MINIMAL), lang="ru")
    state.select_feature("r-almaty")
    text = citation(state, "http://example.org/?feature=r-almaty", today=dt.date(2026, 12, 2))
    assert text.startswith("Карта сотрудничества SCODA, версия данных")
    assert "Вид: http://example.org/?feature=r-almaty" in text
    assert "Источники: Test source A." in text  # source titles stay as published
