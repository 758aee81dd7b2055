"""The command line a staff member runs."""

import re
import subprocess
import sys

import pytest

import scoda_map
from helpers import edit_csv, row
from scoda_map import cli
from scoda_map._server import voila_command


def test_validate_passes_on_the_shipped_data_with_a_summary(capsys):
    assert cli.main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "valid" in out and "routes" in out and "claimed" in out
    assert "translations" in out and "中文" in out  # translation coverage per layer


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
    assert f"data version {scoda_map.load().version}" in html and "op24" not in html  # the citation, not raw ids
    assert "\\u4e0a\\u5408\\u793a\\u8303\\u533a" in html  # the Chinese title (JSON-escaped in the figure)
    assert not re.search(r"<script[^>]*\bsrc=", html)  # plotly.js inlined: nothing to fetch
    assert "ignored: junk" in capsys.readouterr().err
