"""A failing handler or a failing start never shows a traceback to a visitor."""

import logging

import scoda_map
from conftest import MINIMAL
from scoda_map._apps.explorer import Explorer
from scoda_map._model.state import ExplorerState
from scoda_map._render.messages import notice_text
from scoda_map._views.guard import guarded


def test_a_failing_handler_is_logged_and_becomes_a_short_notice(caplog):
    state = ExplorerState(scoda_map.load(MINIMAL), lang="zh")

    @guarded(state, "test click")
    def broken():
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="scoda_map"):
        assert broken() is None
    assert notice_text(state.notice, state.lang) == "出现了问题，地图仍可使用。工作人员：请查看服务器日志。"
    assert "test click failed" in caplog.text and "boom" in caplog.text


def test_a_dashboard_that_cannot_start_says_so_in_three_languages(monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("SCODA_MAP_DATA", str(tmp_path / "missing"))
    with caplog.at_level(logging.ERROR, logger="scoda_map"):
        page = Explorer.from_environment()
    assert "not available" in page.value and "暂时无法使用" in page.value and "недоступна" in page.value
    assert "Traceback" not in page.value and "DataValidationError" in caplog.text
