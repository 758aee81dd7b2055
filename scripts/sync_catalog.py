#!/usr/bin/env python3
"""Rewrite the ``schema`` of every table in geodata/datapackage.json from the models and files.

Run after changing a model in scoda_map/_data/schemas.py or a CSV's columns; tests
fail until the catalog, the models and the files agree (fields follow each CSV's
column order, which is what ``frictionless validate`` checks). Everything else in the catalog is kept as written.
"""

import argparse
import json
from pathlib import Path

from scoda_map._data.catalog import CATALOG_FILE, csv_columns, table_schema
from scoda_map._data.schemas import MODEL_FOR_ROLE

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "geodata")
    folder = parser.parse_args().folder
    path = folder / CATALOG_FILE
    catalog = json.loads(path.read_text(encoding="utf-8"))
    for resource in catalog["resources"]:
        model = MODEL_FOR_ROLE.get(resource["scoda"]["role"])
        if model is not None:
            resource["schema"] = table_schema(model, csv_columns(folder / resource["path"]))
    path.write_text(json.dumps(catalog, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
