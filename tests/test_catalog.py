"""The catalog describes every file, and its field lists match the schemas."""

import json

import pytest

from conftest import MINIMAL, ROOT
from scoda_map._data.catalog import csv_columns, table_schema
from scoda_map._data.schemas import MODEL_FOR_ROLE


@pytest.mark.parametrize("folder", [ROOT / "geodata", MINIMAL], ids=["shipped", "fixture"])
def test_catalog_field_lists_match_the_models(folder):
    catalog = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in catalog["resources"]:
        model = MODEL_FOR_ROLE.get(resource["scoda"]["role"])
        if model is not None:
            columns = csv_columns(folder / resource["path"])
            assert resource["schema"] == table_schema(model, columns), f"run scripts/sync_catalog.py ({resource['name']})"


def test_every_shipped_file_is_in_the_catalog():
    catalog = json.loads((ROOT / "geodata" / "datapackage.json").read_text(encoding="utf-8"))
    listed = {resource["path"] for resource in catalog["resources"]}
    on_disk = {str(p.relative_to(ROOT / "geodata")) for p in (ROOT / "geodata").rglob("*")
               if p.suffix in (".csv", ".geojson")}
    assert on_disk == listed
