"""The data package is valid for the standard Frictionless tools, not only for ours.

People who receive the data open it with ``frictionless validate`` or with a
Frictionless-aware tool; a field list out of order with a CSV's columns, or a
``created`` that is not a datetime, makes every table fail there.
"""

import json
import shutil

import pytest

frictionless = pytest.importorskip("frictionless")

from conftest import MINIMAL, ROOT  # noqa: E402


def _errors(report) -> list[str]:
    return [f"{task.name}: {error.type}: {error.message}" for task in report.tasks for error in task.errors] + [
        f"package: {error.type}: {error.message}" for error in report.errors]


@pytest.mark.parametrize("folder", [ROOT / "geodata", MINIMAL], ids=["shipped", "fixture"])
def test_frictionless_validate_passes(folder):
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, "\n".join(_errors(report))


def test_frictionless_catches_a_column_out_of_order(tmp_path):
    # The check above must be able to fail: swap two columns of one CSV.
    folder = tmp_path / "data"
    shutil.copytree(MINIMAL, folder)
    path = folder / "route_stops.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    swapped = []
    for line in lines:
        cells = line.split(",")
        cells[0], cells[2] = cells[2], cells[0]
        swapped.append(",".join(cells))
    path.write_text("\n".join(swapped) + "\n", encoding="utf-8")
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert not report.valid
    assert any("route_stops" in line for line in _errors(report))


def test_created_is_a_datetime():
    catalog = json.loads((ROOT / "geodata" / "datapackage.json").read_text(encoding="utf-8"))
    from datetime import datetime
    datetime.fromisoformat(catalog["created"].replace("Z", "+00:00"))
