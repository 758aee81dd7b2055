"""The geodata catalog: a Frictionless ``datapackage.json`` naming every file.

Each resource carries a ``scoda`` object saying what role the file plays
(``places``, ``routes``, ``point_layer``, ...) and, for map layers, how to show
it (titles in three languages, colour, order, the claim its count is checked
against). Declaring layers here is what lets a researcher add a layer without
touching package code.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from .errors import Problem
from .schemas import MODEL_FOR_ROLE, Color, Slug

CATALOG_FILE = "datapackage.json"
Role = Literal[
    "sources", "places", "corridors", "routes", "route_stops", "point_layer",
    "documents", "sections", "measures", "links", "indicators", "claims", "tours", "basemap",
]
#: Roles that may have several files (an extension adds places, sources or links).
MULTI_ROLES = ("point_layer", "places", "sources", "links", "indicators", "claims", "tours")
#: Roles a folder may leave out.
OPTIONAL_ROLES = ("point_layer", "tours")
#: Roles a folder must have exactly one resource for.
SINGLE_ROLES = tuple(role for role in MODEL_FOR_ROLE if role not in MULTI_ROLES)


class LayerStyle(BaseModel):
    """How the map and its legend show a layer (``scoda`` object of a resource)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    role: Role
    title_en: str | None = None
    title_zh: str | None = None
    title_ru: str | None = None
    color: Color | None = None
    order: int = 100
    visible: bool = True
    claim: Slug | None = None
    worldview: str | None = None


class Resource(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    name: Slug
    path: str = Field(pattern=r"^[A-Za-z0-9_./-]+$")
    format: Literal["csv", "geojson"]
    scoda: LayerStyle
    _folder: Path = PrivateAttr(default=Path("."))

    @property
    def file(self) -> Path:
        """Where the file is: resources of an extended catalog live in its folder."""
        return self._folder / self.path


class Catalog(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    name: str
    title: str | None = None
    version: str
    created: str | None = None
    #: "scoda-map" (the shipped data) or a folder path, relative to this one:
    #: start from that catalog; resources here add to it or replace by name.
    extends: str | None = None
    resources: tuple[Resource, ...]

    def by_role(self, role: str) -> list[Resource]:
        return [resource for resource in self.resources if resource.scoda.role == role]


SHIPPED = "scoda-map"
MAX_EXTENDS = 3


def read_catalog(folder: Path, depth: int = 0) -> tuple[Catalog | None, list[Problem]]:
    """Read and check ``datapackage.json`` in ``folder`` (and what it extends)."""
    path = folder / CATALOG_FILE
    if not folder.is_dir():
        return None, [Problem(str(folder), "(folder)", CATALOG_FILE, "not a folder")]
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [Problem(CATALOG_FILE, "(file)", "path", f"no catalog in {folder}")]
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [Problem(CATALOG_FILE, "(file)", "content", f"not valid UTF-8 JSON: {exc}")]
    try:
        catalog = Catalog.model_validate(document)
    except ValidationError as exc:
        return None, [
            Problem(CATALOG_FILE, _resource_label(document, error["loc"]), ".".join(map(str, error["loc"])), error["msg"])
            for error in exc.errors()
        ]
    for resource in catalog.resources:
        resource._folder = folder
    problems = []
    names = [resource.name for resource in catalog.resources]
    for name in {name for name in names if names.count(name) > 1}:
        problems.append(Problem(CATALOG_FILE, name, "name", "resource name used twice"))
    for resource in catalog.resources:
        if ".." in Path(resource.path).parts or Path(resource.path).is_absolute():
            problems.append(Problem(CATALOG_FILE, resource.name, "path", "must stay inside the data folder"))
    if catalog.extends is not None and not problems:
        catalog, problems = _extend(catalog, folder, depth)
    if catalog is not None:
        problems += _check_roles(catalog)
    return catalog, problems


def _extend(catalog: Catalog, folder: Path, depth: int) -> tuple[Catalog | None, list[Problem]]:
    from .paths import shipped_data_path

    if depth >= MAX_EXTENDS:
        return None, [Problem(CATALOG_FILE, "(catalog)", "extends", f"more than {MAX_EXTENDS} levels of extends")]
    base_folder = shipped_data_path() if catalog.extends == SHIPPED else (folder / catalog.extends).resolve()
    base, problems = read_catalog(base_folder, depth + 1)
    if base is None:
        return None, [Problem(CATALOG_FILE, "(catalog)", "extends", f"cannot read {base_folder}: {p}") for p in problems]
    own = {resource.name for resource in catalog.resources}
    merged = tuple(r for r in base.resources if r.name not in own) + catalog.resources
    # Keep the base's version in sight: a figure made on extended data cites both.
    version = f"{catalog.version} (extends {base.name} {base.version})"
    extended = catalog.model_copy(update={"resources": merged, "version": version})
    return extended, []


def _check_roles(catalog: Catalog) -> list[Problem]:
    problems = []
    for role in MODEL_FOR_ROLE:
        count = len(catalog.by_role(role))
        if (count != 1 and role in SINGLE_ROLES) or (count == 0 and role not in OPTIONAL_ROLES):
            expected = "one" if role in SINGLE_ROLES else "at least one"
            problems.append(Problem(CATALOG_FILE, "(resources)", "scoda.role", f"expected {expected} '{role}' resource, found {count}"))
    return problems


def _resource_label(document: object, loc: tuple) -> str:
    if len(loc) >= 2 and loc[0] == "resources" and isinstance(loc[1], int):
        try:
            return str(document["resources"][loc[1]].get("name", f"resource {loc[1] + 1}"))
        except (KeyError, IndexError, TypeError, AttributeError):
            return f"resource {loc[1] + 1}"
    return "(catalog)"


_FRICTIONLESS_TYPES = {int: "integer", float: "number", bool: "boolean"}


def table_schema(model: type[BaseModel], columns: Sequence[str] | None = None) -> dict:
    """The Frictionless Table Schema ``fields`` a record model implies.

    ``datapackage.json`` carries these so that tools which know the Frictionless
    standard (``frictionless validate``) can read the files; a test keeps them in
    step with the models and with the files. Frictionless matches fields to a
    CSV's columns by position, so with ``columns`` (the file's header) the fields
    follow the file's order, leave out optional model fields the file does not
    have, and type a column the model does not know (a layer's own column) as text.

    >>> from scoda_map._data.schemas import RouteStop
    >>> [f["name"] for f in table_schema(RouteStop, ["seq", "route_id", "place_id", "role", "confidence"])["fields"]]
    ['seq', 'route_id', 'place_id', 'role', 'confidence']
    """
    names = list(columns) if columns is not None else list(model.model_fields)
    fields = []
    for name in names:
        field = model.model_fields.get(name)
        annotation = field.annotation if field is not None else str
        base = next((t for t in _FRICTIONLESS_TYPES if annotation is t or annotation == t | None), None)
        entry: dict = {"name": name, "type": _FRICTIONLESS_TYPES.get(base, "string")}
        if name == "geometry":
            entry["type"] = "geojson"
        if field is not None and field.is_required():
            entry["constraints"] = {"required": True}
        if field is not None and field.description:
            entry["description"] = field.description
        fields.append(entry)
    return {"fields": fields}


def csv_columns(path: Path) -> list[str] | None:
    """The header of a CSV file (None for other files): what ``table_schema`` follows."""
    if path.suffix != ".csv" or not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle), [])
