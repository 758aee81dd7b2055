"""Small helpers to damage a copy of the fixture data in one place."""

import csv
import io
import json
from pathlib import Path


def edit_csv(path: Path, change) -> None:
    """Rewrite a CSV; ``change(rows)`` edits the list of row dicts in place."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames), list(reader)
    change(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def edit_geojson(path: Path, change) -> None:
    """Rewrite a GeoJSON file; ``change(features)`` edits the features in place."""
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document["features"])
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def row(rows: list[dict], key: str, value: str) -> dict:
    return next(r for r in rows if r[key] == value)


def feature(features: list[dict], feature_id: str) -> dict:
    return next(f for f in features if f["properties"]["id"] == feature_id)
