"""The command line a staff member runs."""

import re
import subprocess
import sys

import pytest

import scoda_map
from helpers import edit_csv, edit_geojson, feature, row
from scoda_map import cli
from scoda_map._server import voila_command


def test_validate_passes_on_the_shipped_data_with_a_summary(capsys):
    assert cli.main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "valid" in out and "routes" in out and "claimed" in out
    assert "translations" in out and "中文" in out  # translation coverage per layer
    assert re.search(r"measures\.csv\s+summary\s+\d+\s+\d+ \(100%\)\s+\d+ \(100%\)", out)  # per field


def _drop_russian_title(folder):
    edit_csv(folder / "measures.csv", lambda rows: rows[0].update(title_ru=""))


def test_validate_counts_translations_per_field_and_only_warns_on_extension_data(minimal_copy, capsys):
    _drop_russian_title(minimal_copy)
    assert cli.main(["validate", str(minimal_copy)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"measures\.csv\s+title\s+(\d+)\s+\d+ \(100%\)\s+\d+ \((?!100%)\d+%\)", out)
    assert "warning: measures.csv: op24-01: title_ru: no Russian translation" in out


def test_validate_fails_on_a_missing_translation_where_translations_are_required(minimal_copy, capsys):
    assert cli.main(["validate", "--require-translations", str(minimal_copy)]) == 1  # Khorgos has no Russian name
    assert "places.geojson: khorgos-cn: name_ru: no Russian translation" in capsys.readouterr().err
    edit_geojson(minimal_copy / "places.geojson", lambda features: feature(features, "khorgos-cn")["properties"].update(name_ru="Хоргос"))
    assert cli.main(["validate", "--require-translations", str(minimal_copy)]) == 0  # now complete
    capsys.readouterr()
    _drop_russian_title(minimal_copy)
    assert cli.main(["validate", "--require-translations", str(minimal_copy)]) == 1
    err = capsys.readouterr().err
    assert "INCOMPLETE TRANSLATIONS" in err and "measures.csv: op24-01: title_ru: no Russian translation" in err


def test_validate_fails_on_a_gap_in_the_shipped_data_without_being_asked(minimal_copy, capsys, monkeypatch):
    from scoda_map._data import translations
    monkeypatch.setattr(translations, "shipped_data_path", lambda: minimal_copy)  # this copy is "the shipped data"
    edit_csv(minimal_copy / "sites.csv", lambda rows: rows[0].update(origin_zh=""))
    assert cli.main(["validate", str(minimal_copy)]) == 1
    assert ": origin_zh: say where the Chinese text comes from" in capsys.readouterr().err


def test_validate_rejects_a_broken_folder_listing_file_record_field(minimal_copy, capsys):
    edit_csv(minimal_copy / "routes.csv", lambda rows: row(rows, "id", "r-almaty").update(status="running"))
    assert cli.main(["validate", str(minimal_copy)]) == 1
    err = capsys.readouterr().err
    assert "INVALID" in err and "routes.csv: r-almaty: status:" in err


def test_serve_refuses_bad_data_before_starting_a_server(minimal_copy, capsys):
    (minimal_copy / "places.geojson").write_text("{", encoding="utf-8")
    assert cli.main(["serve", "--data", str(minimal_copy), "--no-browser", "--port", "1"]) == 1
    assert "places.geojson" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--help"], ["validate", "--help"], ["serve", "--help"]])
def test_help_everywhere(args):
    result = subprocess.run([sys.executable, "-m", "scoda_map.cli", *args], capture_output=True, text=True)
    assert result.returncode == 0 and "usage: scoda-map" in result.stdout


def test_the_voila_command_is_safe_by_default():
    command = " ".join(voila_command("explorer.ipynb", 8866))
    for setting in ["--Voila.ip=127.0.0.1", "--show_tracebacks=False", "--strip_sources=True",
                    "--template=scoda", "disable_check_xsrf=True", "cull_idle_timeout", "--Voila.port_retries=0"]:
        assert setting in command


def test_export_html_writes_an_offline_page_of_the_view(tmp_path, capsys):
    target = tmp_path / "view.html"
    assert cli.main(["export-html", str(target), "--view", "lang=zh&measure=op24-new-three&junk=1"]) == 0
    html = target.read_text(encoding="utf-8")
    assert f"数据版本 {scoda_map.load().version}" in html and "op24" not in html  # the citation, in Chinese, not raw ids
    assert "上合示范区" in html  # the Chinese title
    assert not re.search(r"<script[^>]*\bsrc=", html)  # plotly.js inlined: nothing to fetch
    assert "ignored: junk" in capsys.readouterr().err
