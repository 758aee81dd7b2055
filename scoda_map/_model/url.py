"""The view in a link: encode the state as a query string and read it back.

``?lang=zh&feature=r-almaty&layers=routes,parks&z=4&c=43.2,76.9&t=2021`` opens that view
(``t``: the time control's date, a year or a finer ``YYYY-MM[-DD]``).
Reading is forgiving: unknown parameters, malformed values and ids that are not
in the data are dropped with a notice, never an error page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from .._i18n import LANGUAGES
from .timeline import parse_as_of

MAX_QUERY_STRING = 2000
MAX_FIELDS = 50
TOO_LONG, MALFORMED = "(link too long)", "(malformed link)"
BOTH = "measure (a link selects a feature or a measure)"
KNOWN = ("lang", "feature", "measure", "layers", "doc", "q", "c", "z", "t")
ZOOM_RANGE = (2.0, 9.0)
NO_LAYERS = "-"  # every layer switched off


@dataclass
class ViewParams:
    """What a link asks for, already checked against the data."""

    values: dict[str, object] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)  # what was dropped, for the notice


def encode(state, center: tuple[float, float] | None = None, zoom: float | None = None) -> str:
    """The query string (without '?') for a state; defaults are left out."""
    params: list[tuple[str, str]] = []
    if state.lang != "en":
        params.append(("lang", state.lang))
    if state.feature:
        params.append(("feature", state.feature))
    if state.measure:
        params.append(("measure", state.measure))
    default_layers = tuple(n for n in state.atlas.layer_names() if state.atlas.layer_info(n).visible)
    if tuple(state.layers) != default_layers:
        params.append(("layers", ",".join(state.layers) or NO_LAYERS))
    if state.document:
        params.append(("doc", state.document))
    if state.query:
        params.append(("q", state.query))
    if getattr(state, "as_of", None):
        params.append(("t", state.as_of))
    if center is not None:
        params.append(("c", f"{center[0]:.3f},{center[1]:.3f}"))
    if zoom is not None:
        params.append(("z", f"{zoom:g}"))
    return urlencode(params, safe=",")


def decode(query_string: str, state) -> ViewParams:
    """Check a query string against the data; keep what is valid, list the rest."""
    result = ViewParams()
    if len(query_string) > MAX_QUERY_STRING:
        result.ignored.append(TOO_LONG)
        return result
    try:
        parsed = parse_qs(query_string, keep_blank_values=False, max_num_fields=MAX_FIELDS)
    except ValueError:
        result.ignored.append(MALFORMED)
        return result
    atlas = state.atlas
    for key, values in parsed.items():
        if not key.strip():
            continue
        if key not in KNOWN:
            result.ignored.append(key[:40])
            continue
        value = values[-1].strip()  # a repeated parameter: the last one wins
        checked = _check(key, value, state, atlas)
        if checked is None:
            result.ignored.append(f"{key}={value[:40]}")
        else:
            result.values[key] = checked
    if "feature" in result.values and "measure" in result.values:
        result.ignored.append(BOTH)
        del result.values["measure"]
    return result


def _check(key: str, value: str, state, atlas):
    if key == "lang":
        return value if value in LANGUAGES else None
    if key == "feature":
        return value if state.is_feature(value) else None
    if key == "measure":
        return value if value in atlas.measures.index else None
    if key == "doc":
        return value if value in atlas.documents.index else None
    if key == "q":
        return value[:200]
    if key == "t":
        return parse_as_of(value)
    if key == "layers":
        if value == NO_LAYERS:
            return ()
        names = [name for name in value.split(",") if name]
        known = [name for name in names if name in atlas.layer_names()]
        return tuple(known) if len(known) == len(names) else None
    if key == "z":
        zoom = _number(value)
        return min(max(zoom, ZOOM_RANGE[0]), ZOOM_RANGE[1]) if zoom is not None else None
    if key == "c":
        parts = value.split(",")
        if len(parts) != 2:
            return None
        lat, lon = _number(parts[0]), _number(parts[1])
        if lat is None or lon is None or not (-85 <= lat <= 85 and -180 <= lon <= 180):
            return None
        return (lat, lon)
    return None


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def apply(params: ViewParams, state) -> None:
    """Put a checked link's values into the state (map centre/zoom are the map's)."""
    values = params.values
    with state.hold_trait_notifications():
        if "lang" in values:
            state.lang = values["lang"]
        if "layers" in values:
            state.layers = values["layers"]
        if "doc" in values:
            state.document = values["doc"]
        if "q" in values:
            state.query = values["q"]
        if "t" in values:
            state.as_of = values["t"]
    if "feature" in values:
        state.select_feature(values["feature"])
    if "measure" in values:
        state.select_measure(values["measure"])
