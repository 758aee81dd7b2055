"""Record schemas: one pydantic model per kind of row in ``geodata/``.

The models check one record at a time (types, required fields, vocabularies,
ranges). Checks that need more than one record (unique ids, references between
files) live in :mod:`scoda_map._data.references`.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

CONFIDENCE_LEVELS = ("documented", "reported", "inferred")
LANGUAGES = ("en", "zh", "ru")

_SLUG = r"^[a-z0-9][a-z0-9_-]*$"
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|&[a-zA-Z#][a-zA-Z0-9]*;")


def _check_partial_date(value: str) -> str:
    match = _PARTIAL_DATE.match(value)
    if not match:
        raise ValueError("expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        _dt.date(year, month or 1, day or 1)
    except ValueError as exc:
        raise ValueError(f"not a real date: {exc}") from None
    return value


def _check_plain_name(value: str) -> str:
    # Names become labels, tooltips and legend entries; markup in a name is always
    # a mistake (or an attack), so reject it here. Views escape all text anyway.
    if _MARKUP.search(value):
        raise ValueError("looks like HTML markup; names are plain text")
    return value


def _check_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("only http(s) URLs are allowed")
    return value


def _split_ids(value: object) -> object:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    return value


Slug = Annotated[str, StringConstraints(pattern=_SLUG, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Name = Annotated[Text, StringConstraints(max_length=200), AfterValidator(_check_plain_name)]
PartialDate = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_check_partial_date)]
HttpUrl = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_check_http_url)]
SourceIds = Annotated[tuple[Slug, ...], BeforeValidator(_split_ids), Field(min_length=1)]
Confidence = Literal["documented", "reported", "inferred"]
Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
#: Where a record's text in one language comes from: written in that language by the
#: source (``original``), a translation the source's authority published (``official``),
#: or the project's own translation (``project``).
Origin = Literal["original", "official", "project"]

#: What the evidence shows about a route (see docs/data-format.md): announced but not
#: seen running; one train or a trial seen; a regular, scheduled service; stopped; not known.
ROUTE_STATUSES = ("planned", "single_run", "regular", "suspended", "unknown")
#: What kind of publisher a source is; an official audience weighs these differently.
SOURCE_KINDS = ("government", "state_media", "company", "media", "reprint", "reference")


def _check_route_status(value: object) -> object:
    # 'operating' was the old vocabulary: it said more than most sources do (one
    # train or a trial is not a service). Name the replacement values plainly.
    if value == "operating":
        raise PydanticCustomError(
            "status_renamed",
            "'operating' is no longer a route status: use 'regular' (a source shows a regular, scheduled "
            "service), 'single_run' (one train or a trial), 'suspended', 'planned' or 'unknown', and name "
            "the source that shows it in status_source_ids", {})
    return value
ORIGINS = ("original", "official", "project")


class Record(BaseModel):
    """Fields every record carries: provenance."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    source_ids: SourceIds
    confidence: Confidence
    date: PartialDate
    note: Text | None = None
    # A note shown to visitors, per language (``note`` stays for tables that keep one
    # English note); and where each language's text of the record comes from.
    note_en: Text | None = None
    note_zh: Text | None = None
    note_ru: Text | None = None
    origin_en: Origin | None = None
    origin_zh: Origin | None = None
    origin_ru: Origin | None = None


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: Slug
    #: The source's own title where it was recorded (in its own language); else the
    #: project's description of the item, with its Chinese and Russian translations.
    title: Text
    title_zh: Text | None = None
    title_ru: Text | None = None
    publisher: Text | None = None
    #: government | state_media | company | media | reprint | reference (SOURCE_KINDS)
    kind: Literal[SOURCE_KINDS] | None = None
    url: HttpUrl | None = None
    date: PartialDate | None = None
    note: Text | None = None


class PointGeometry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["Point"]
    coordinates: tuple[
        Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)],
        Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)],
    ]


class Place(Record):
    id: Slug
    name_en: Name
    name_zh: Name | None = None
    name_ru: Name | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    kind: Literal["city", "border_crossing", "port", "hub", "site", "park", "station"]
    coord_source: Literal["geonames", "natural_earth", "cited", "none"]
    geonameid: int | None = Field(default=None, gt=0)
    coord_note: Text | None = None
    #: What the point is, in Chinese and Russian (``coord_note`` is the English).
    coord_note_zh: Text | None = None
    coord_note_ru: Text | None = None
    names_source: Text | None = None
    geometry: PointGeometry | None = None


class Corridor(Record):
    id: Slug
    name_en: Name
    name_zh: Name | None = None
    name_ru: Name | None = None
    color: Color
    description_en: Text | None = None
    description_zh: Text | None = None
    description_ru: Text | None = None


class Route(Record):
    id: Slug
    name_en: Name
    name_zh: Name | None = None
    name_ru: Name | None = None
    corridor: Slug
    direction: Literal["outbound", "inbound", "both"]
    status: Annotated[Literal[ROUTE_STATUSES], BeforeValidator(_check_route_status)]
    #: The sources that show the status (the last run seen, a timetable, an announcement).
    status_source_ids: Annotated[tuple[Slug, ...], BeforeValidator(_split_ids)] = ()
    first_run: PartialDate | None = None
    transit_days: float | None = Field(default=None, gt=0, le=120)
    cargo_en: Text | None = None
    cargo_zh: Text | None = None
    cargo_ru: Text | None = None
    via_en: Text | None = None
    via_zh: Text | None = None
    via_ru: Text | None = None


class RouteStop(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    route_id: Slug
    seq: int = Field(ge=1)
    place_id: Slug
    role: Literal["origin", "crossing", "transit", "destination"]
    mode_to_next: Literal["rail", "sea", "river", "road"] | None = None
    confidence: Confidence
    note: Text | None = None


#: Columns a layer row takes from its place; a layer file must not carry them itself.
PLACE_COLUMNS = ("name_en", "name_zh", "name_ru", "country", "kind", "coord_source", "geonameid",
                 "coord_note", "coord_note_zh", "coord_note_ru", "names_source", "geometry", "lat", "lon", "latitude", "longitude", "on_map")


class LayerMember(Record):
    """A row of a point layer (port cities, parks, sites, hubs, ...)."""

    # Researchers may add their own columns to a layer they bring.
    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=True)

    id: Slug
    place_id: Slug
    status_en: Text
    status_zh: Text | None = None
    status_ru: Text | None = None
    summary_en: Text | None = None
    summary_zh: Text | None = None
    summary_ru: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_place_columns(cls, data):
        # Names and coordinates live on the place (places.geojson) so that one
        # place in several layers can never disagree with itself.
        if isinstance(data, dict):
            clashes = [column for column in PLACE_COLUMNS if column in data]
            if clashes:
                raise PydanticCustomError(
                    "place_column", "{columns}: names and coordinates belong to the place in a places file; "
                    "give the row a place_id instead", {"columns": ", ".join(clashes)})
        return data


class Document(Record):
    id: Slug
    title_en: Name
    title_zh: Name | None = None
    title_ru: Name | None = None
    issuer_en: Text | None = None
    issuer_zh: Text | None = None
    issuer_ru: Text | None = None
    issued: PartialDate | None = None
    measure_count: int | None = Field(default=None, ge=0)


class Section(Record):
    id: Slug
    document_id: Slug
    order: int = Field(ge=0)
    name_en: Name
    name_zh: Name | None = None
    name_ru: Name | None = None


class Measure(Record):
    id: Slug
    document_id: Slug
    number: int | None = Field(default=None, ge=1)
    section_id: Slug | None = None
    title_en: Name
    title_zh: Name | None = None
    title_ru: Name | None = None
    summary_en: Text | None = None
    summary_zh: Text | None = None
    summary_ru: Text | None = None
    agencies_en: Text | None = None
    agencies_zh: Text | None = None
    agencies_ru: Text | None = None
    text_status: Literal["original", "partial", "paraphrase", "not_public"]
    quote: Text | None = None


class Link(Record):
    measure_id: Slug
    layer: Slug
    feature_id: Slug
    relation: Literal["supports", "implements", "names"]
    rationale_en: Text
    rationale_zh: Text | None = None
    rationale_ru: Text | None = None


class Indicator(Record):
    id: Slug
    indicator: Slug
    label_en: Text
    label_zh: Text | None = None
    label_ru: Text | None = None
    # ISO 8601 dates or intervals; "../2022-06" is a cumulative figure up to that date.
    period: Annotated[str, StringConstraints(pattern=r"^(\.\.|\d{4}(-\d{2}(-\d{2})?)?)(/\d{4}(-\d{2}(-\d{2})?)?)?$")]
    year: int = Field(ge=1900, le=2100)
    value: float = Field(allow_inf_nan=False)
    unit: Text
    kind: Literal["actual", "partial", "target", "derived"]
    comparator: Literal["=", ">", "<", "~"] = "="


class Claim(Record):
    id: Slug
    subject: Text
    layer: Slug | None = None
    count: int = Field(ge=0)
    comparator: Literal["=", ">", "<", "~"] = "="
    statement_en: Text
    statement_zh: Text | None = None
    statement_ru: Text | None = None


class TourStep(Record):
    """One step of a kiosk tour: what to highlight and the caption to show."""

    tour_id: Slug
    seq: int = Field(ge=1)
    target_type: Literal["home", "layer", "corridor", "measure", "features", "timeline"]
    # layer name, corridor id, measure id, feature ids separated by ';', or for a timeline
    # the years it plays ("2015-2025"; blank: every year the data dates)
    target: Text | None = None
    title_en: Name
    title_zh: Name | None = None
    title_ru: Name | None = None
    caption_en: Text
    caption_zh: Text | None = None
    caption_ru: Text | None = None
    indicator_ids: Annotated[tuple[Slug, ...], BeforeValidator(_split_ids)] = ()
    seconds: float | None = Field(default=None, ge=3, le=120)


#: Text fields a visitor reads, by role (``<field>_en`` / ``_zh`` / ``_ru``; ``note`` is the
#: English of ``note_zh`` / ``note_ru``). ``scoda-map validate`` counts their translations and,
#: on the shipped data, fails below 100 %. Source titles and quotes are originals: never translated.
VISITOR_TEXT: dict[str, tuple[str, ...]] = {
    "places": ("name", "coord_note", "note"),
    "corridors": ("name",),
    "routes": ("name", "cargo", "via", "note"),
    "point_layer": ("status", "summary", "note"),
    "documents": ("title",),
    "sections": ("name",),
    "measures": ("title", "summary", "agencies", "note"),
    "links": ("rationale",),
    "indicators": ("label",),
    "tours": ("title", "caption"),
}
#: Translatable text that is counted and reported but not (yet) shown to visitors.
OTHER_TEXT: dict[str, tuple[str, ...]] = {
    "corridors": ("description",),
    "documents": ("issuer",),
    "claims": ("statement",),
}

#: Which model checks the rows of a catalog resource, by its ``scoda.role``.
MODEL_FOR_ROLE: dict[str, type[BaseModel]] = {
    "sources": Source,
    "places": Place,
    "corridors": Corridor,
    "routes": Route,
    "route_stops": RouteStop,
    "point_layer": LayerMember,
    "documents": Document,
    "sections": Section,
    "measures": Measure,
    "links": Link,
    "indicators": Indicator,
    "claims": Claim,
    "tours": TourStep,
}
