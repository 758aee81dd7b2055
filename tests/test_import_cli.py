"""``scoda-map import``: one command, a report, a dry run, confirmation, undo; exit codes 0 / 1 / 2."""

import hashlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import scoda_map
from conftest import MINIMAL, ROOT
from scoda_map import cli

SHEETS = ROOT / "tests" / "data" / "sheets"


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def parks_sheet(tmp_path):
    """The ten Chinese park names, copied so that the default report lands in tmp_path."""
    target = tmp_path / "sheets" / "parks_zh.xlsx"
    target.parent.mkdir()
    shutil.copy(SHEETS / "parks_zh.xlsx", target)
    return target


@pytest.fixture
def no_tty(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


def test_one_command_with_a_report_and_the_parks_on_the_map(minimal_copy, parks_sheet, capsys, no_tty):
    assert cli.main(["import", str(parks_sheet), "--layer", "parks", "--data", str(minimal_copy), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "added 5, updated 0, unchanged 0, rejected 2, ambiguous 3" in out
    assert "row 5    ambiguous 杨凌农业高新技术产业示范区: 2 GeoNames places in CN are named 'Yangling'" in out
    assert "written; the previous files are in" in out and "scoda-map import --undo" in out
    report = pd.read_excel(parks_sheet.with_name("parks_zh-report.xlsx"))  # next to the sheet by default
    assert list(report["outcome"]) == ["added", "added", "added", "ambiguous", "ambiguous", "added", "ambiguous",
                                       "added", "rejected", "rejected"]
    parks = scoda_map.load(minimal_copy).layer("parks")
    assert int(parks["on_map"].sum()) == 5 and all(len(ids) for ids in parks["source_ids"])
    assert cli.main(["validate", str(minimal_copy)]) == 0


def test_the_dry_run_changes_nothing(minimal_copy, parks_sheet, tmp_path, capsys):
    before = snapshot(minimal_copy)
    report = tmp_path / "dry.csv"
    assert cli.main(["import", str(parks_sheet), "--layer", "parks", "--data", str(minimal_copy),
                     "--dry-run", "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert "dry run: nothing written" in out and "files to change: datapackage.json, parks.csv, places.geojson, sources.csv" in out
    assert snapshot(minimal_copy) == before and report.is_file()


def test_without_yes_and_without_a_terminal_nothing_is_written(minimal_copy, parks_sheet, capsys, no_tty):
    before = snapshot(minimal_copy)
    assert cli.main(["import", str(parks_sheet), "--layer", "parks", "--data", str(minimal_copy)]) == 2
    assert "--yes" in capsys.readouterr().err and snapshot(minimal_copy) == before


def test_at_a_terminal_the_person_is_asked(minimal_copy, parks_sheet, monkeypatch, capsys):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter(["n", "y"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    before = snapshot(minimal_copy)
    assert cli.main(["import", str(parks_sheet), "--layer", "parks", "--data", str(minimal_copy)]) == 0
    assert snapshot(minimal_copy) == before
    assert cli.main(["import", str(parks_sheet), "--layer", "parks", "--data", str(minimal_copy)]) == 0
    assert (minimal_copy / ".history").is_dir()


def test_undo_from_the_command_line(minimal_copy, parks_sheet, capsys, no_tty):
    before = {k: v for k, v in snapshot(minimal_copy).items()}
    assert cli.main(["import", str(parks_sheet), "--layer", "parks", "--data", str(minimal_copy), "--yes"]) == 0
    assert cli.main(["import", "--undo", "--data", str(minimal_copy)]) == 0
    assert "undone: the import of parks_zh.xlsx" in capsys.readouterr().out
    assert {k: v for k, v in snapshot(minimal_copy).items() if not k.startswith(".history")} == before
    assert cli.main(["import", "--undo", "--data", str(minimal_copy)]) == 0
    assert "nothing to undo" in capsys.readouterr().out


def test_undo_over_a_later_edit_needs_yes(minimal_copy, parks_sheet, capsys, no_tty):
    assert cli.main(["import", str(parks_sheet), "--layer", "parks", "--data", str(minimal_copy), "--yes"]) == 0
    (minimal_copy / "parks.csv").write_text("edited\n", encoding="utf-8")
    assert cli.main(["import", "--undo", "--data", str(minimal_copy)]) == 1
    assert "parks.csv" in capsys.readouterr().err
    assert cli.main(["import", "--undo", "--data", str(minimal_copy), "--yes"]) == 0


def test_nothing_to_write_because_every_row_is_wrong_exits_1(minimal_copy, tmp_path, capsys):
    sheet = tmp_path / "bad.csv"
    sheet.write_text("name,country,source,date,confidence\nAlmaty,KZ,Test source A,2023,high\n", encoding="utf-8")
    assert cli.main(["import", str(sheet), "--layer", "parks", "--data", str(minimal_copy), "--yes"]) == 1
    captured = capsys.readouterr()
    assert "confidence 'high'" in captured.out and "nothing written" in captured.err
    assert (tmp_path / "bad-report.csv").is_file()


def test_a_broken_folder_is_refused_with_exit_1(minimal_copy, parks_sheet, capsys):
    (minimal_copy / "places.geojson").write_text("{", encoding="utf-8")
    assert cli.main(["import", str(parks_sheet), "--layer", "parks", "--data", str(minimal_copy), "--yes"]) == 1
    assert "has problems already" in capsys.readouterr().err


@pytest.mark.parametrize("args, words", [
    (["import", "--layer", "parks"], "give the sheet"),
    (["import", "SHEET"], "--layer LAYER, --measures or --links"),
    (["import", "SHEET", "--layer", "no_such_layer"], "no point layer 'no_such_layer'"),
    (["import", "missing.xlsx", "--layer", "parks"], "no sheet at"),
    (["import", "SHEET", "--undo"], "--undo takes only --data"),
])
def test_usage_errors_exit_2(minimal_copy, parks_sheet, capsys, args, words):
    args = [str(parks_sheet) if a == "SHEET" else a for a in args] + ["--data", str(minimal_copy)]
    assert cli.main(args) == 2
    assert words in capsys.readouterr().err


def test_layer_and_measures_together_is_a_usage_error(parks_sheet):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["import", str(parks_sheet), "--layer", "parks", "--measures"])
    assert exit_info.value.code == 2


def test_measures_and_links_from_the_command_line(minimal_copy, tmp_path, capsys, no_tty):
    for name in ("measures_zh.xlsx", "links.csv"):
        shutil.copy(SHEETS / name, tmp_path / name)
    assert cli.main(["import", str(tmp_path / "measures_zh.xlsx"), "--measures", "--data", str(minimal_copy), "--yes"]) == 0
    assert cli.main(["import", str(tmp_path / "links.csv"), "--links", "--data", str(minimal_copy), "--yes"]) == 0
    assert "added 2, updated 0, unchanged 1, rejected 3" in capsys.readouterr().out
    assert "op24-02" in scoda_map.load(minimal_copy).measures.index


def test_help():
    result = subprocess.run([sys.executable, "-m", "scoda_map.cli", "import", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "usage: scoda-map import" in result.stdout and "--undo" in result.stdout


@pytest.fixture
def installed_data(tmp_path, monkeypatch):
    """The fixture data where a non-editable install keeps the shipped data."""
    folder = tmp_path / "venv" / "lib" / "python3.11" / "site-packages" / "scoda_map" / "_geodata"
    shutil.copytree(MINIMAL, folder)
    monkeypatch.setattr("scoda_map._import.target.default_data_path", lambda: folder)
    return folder


def test_an_import_without_data_does_not_write_into_an_installed_package(installed_data, parks_sheet, capsys):
    before = snapshot(installed_data)
    assert cli.main(["import", str(parks_sheet), "--layer", "parks", "--yes"]) == 2
    error = capsys.readouterr().err
    assert "installed package" in error and "--data FOLDER" in error and str(installed_data) in error
    assert cli.main(["import", "--undo", "--yes"]) == 2
    assert "--data FOLDER" in capsys.readouterr().err
    assert snapshot(installed_data) == before and not (installed_data / ".history").exists()
    # The way out the message names: a folder of one's own.
    copy = parks_sheet.parent.parent / "my-geodata"
    shutil.copytree(installed_data, copy)
    assert cli.main(["import", str(parks_sheet), "--layer", "parks", "--data", str(copy), "--yes"]) == 0
    assert snapshot(installed_data) == before


def test_in_a_checkout_the_default_folder_is_the_repositorys_geodata():
    from scoda_map._import.target import import_folder, inside_installed_package

    assert not inside_installed_package(ROOT / "geodata")  # the staff's import-and-commit workflow
    assert import_folder(None, default=ROOT / "geodata") == ROOT / "geodata"
    assert import_folder("elsewhere") == Path("elsewhere")
