"""The explorer as a static site: no kernel, no server code, no network.

``build_site(atlas, out_dir)`` writes a folder that works opened from disk
(``file://``) and served by any static web server::

    out_dir/
      index.html                   the page and ALL the data, as one JSON <script>
      assets/plotly-<v>.min.js     plotly.js from the installed plotly package
      assets/site-<hash>.js        the page's code (vanilla JS, textContent only)
      assets/site-<hash>.css       the explorer's stylesheet and the page layout
      assets/fonts/                the project's subset Noto Sans SC (Chinese, Cyrillic)

Why the data sits inside ``index.html`` rather than in a ``data.json`` beside it:
browsers refuse ``fetch()`` of a file next to a page opened from disk, so a separate
JSON file would only work when served. A ``<script type="application/json">`` works
both ways and is parsed with ``JSON.parse`` (never run). Why plotly.js and the fonts
are separate files rather than inlined: they are several MB that never change between data
versions, so a web server or CDN can cache them for every visitor (their names carry
their version or content hash), while a new data version replaces only ``index.html``.

Every text from the data reaches the page through ``textContent``: the page's code
builds elements and never assigns HTML. Links are made only for http(s) URLs (checked
here, and again in the browser). The JSON is escaped so that nothing in the data can
close the ``<script>`` element that carries it.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from markupsafe import escape
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from .._data.atlas import Atlas
from .._data.worldview import Worldview, schematic_key
from .._i18n import LANGUAGE_NAMES, LANGUAGES, catalog, t
from .._model.places import PlaceIndex
from .._model.state import ExplorerState
from .._views import static_map
from .._views.features import DASHED

PACKAGE = Path(__file__).resolve().parent.parent
STATIC = files("scoda_map._export") / "static"
VOILA_STATIC = PACKAGE / "_share" / "jupyter" / "voila" / "templates" / "scoda" / "static"
#: Coordinates in the page: 4 decimals (~10 m) for features, 3 (~100 m) for the basemap.
DIGITS, BASEMAP_DIGITS = 4, 3
#: Route legs get a vertex every STEP degrees, so a click anywhere along a line finds its route.
STEP = 0.5
SITE_FONT = '"SCODA Sans", "Noto Sans", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'
COLOR = re.compile(r"^#[0-9a-fA-F]{3,8}$")
# Stale files of an earlier export into the same folder (names carry a version or hash).
OWN_ASSETS = re.compile(r"^(plotly-[\w.]+\.min\.js|site-[0-9a-f]{10}\.(js|css))$")


# -- plain JSON values -----------------------------------------------------------
def _plain(value: Any) -> Any:
    """A JSON-ready value: NaN and None become null, numpy scalars Python ones."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, (bool, int, str)):
        return value
    return str(value)


def _record(row: Mapping[str, Any], skip: tuple[str, ...] = ("geometry",)) -> dict[str, Any]:
    return {key: _plain(value) for key, value in row.items() if key not in skip}


def _point(geometry) -> dict[str, Any]:
    if geometry is None or geometry.is_empty:
        return {"lon": None, "lat": None}
    return {"lon": round(geometry.x, DIGITS), "lat": round(geometry.y, DIGITS)}


def http_url(value: Any) -> str | None:
    """The URL if it is http(s), else None: no javascript:, data: or relative links."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        scheme = urlsplit(value.strip()).scheme
    except ValueError:
        return None
    return value.strip() if scheme in ("http", "https") else None


def _color(value: Any, default: str = "#777777") -> str:
    return value if isinstance(value, str) and COLOR.match(value) else default


# -- the map figure ----------------------------------------------------------------
def _densified(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = [coords[0]]
    for (x0, y0), (x1, y1) in zip(coords, coords[1:]):
        steps = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / STEP))
        out += [(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps) for i in range(1, steps + 1)]
    return [(round(x, DIGITS), round(y, DIGITS)) for x, y in out]


def _route_traces(atlas: Atlas) -> list[dict[str, Any]]:
    """Routes by corridor (solid rail, dashed sea/river legs); every vertex names its route."""
    traces = []
    legs = atlas.route_legs
    for corridor_id, corridor in atlas.corridors.iterrows():
        for dashed in (False, True):
            chosen = legs[(legs["corridor"] == corridor_id) & (legs["mode"].isin(DASHED) == dashed)]
            if chosen.empty:
                continue
            xs, ys, ids = [], [], []
            for leg in chosen.itertuples():
                line = _densified(list(leg.geometry.coords))
                xs += [x for x, _ in line] + [None]
                ys += [y for _, y in line] + [None]
                ids += [leg.route_id] * len(line) + [None]
            traces.append(dict(type="scatter", x=xs, y=ys, customdata=ids, mode="lines", hoverinfo="text", text=[],
                               line=dict(color=_color(corridor["color"]), width=2.5, dash="dot" if dashed else "solid"),
                               name=corridor_id, showlegend=False))
    return traces


def _stops_trace(atlas: Atlas) -> dict[str, Any]:
    """Crossings and route ends of drawn routes (as the explorer shows them), tappable places."""
    drawn = set(atlas.routes.index[atlas.routes["on_map"]])
    stops = atlas.route_stops[atlas.route_stops["route_id"].isin(drawn) & (atlas.route_stops["role"] != "origin")]
    ids = [p for p in dict.fromkeys(stops["place_id"]) if atlas.places.geometry[p] is not None]
    points = [atlas.places.geometry[p] for p in ids]
    return dict(type="scatter", x=[round(p.x, DIGITS) for p in points], y=[round(p.y, DIGITS) for p in points],
                customdata=ids, mode="markers", hoverinfo="text", text=[], name="stops", showlegend=False,
                marker=dict(size=7, color="#ffffff", line=dict(color="#333333", width=1.5)))


def site_figure(atlas: Atlas, worldview: Worldview | str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The map as plotly JSON (data, layout) and where each layer's traces are.

    Hover texts are left empty: the page fills them in the visitor's language.
    """
    traces: list[dict[str, Any]] = []
    index: dict[str, Any] = {"layers": {}}

    def add(trace) -> int:
        traces.append(trace if isinstance(trace, dict) else trace.to_plotly_json())
        return len(traces) - 1

    add(static_map.basemap_trace(atlas, worldview, digits=BASEMAP_DIGITS))
    for trace in static_map.basemap_line_traces(atlas, worldview, digits=BASEMAP_DIGITS):
        add(trace)
    visible = {name: atlas.layer_info(name).visible for name in atlas.layer_names()}
    routes = [add(trace) for trace in _route_traces(atlas)]
    index["highlight_lines"] = add(static_map.highlight_line_trace([], "highlight"))
    traces[-1]["line"]["width"] = 9  # as wide as the explorer's: the selection must stand out on screen
    index["layers"]["routes"] = routes + [add(_stops_trace(atlas))]
    for name in atlas.layer_names():
        if atlas.layer_info(name).kind != "points":
            continue
        frame = atlas.layer(name)
        located = frame[frame["on_map"]]
        trace = static_map.point_trace(atlas, name, "en", customdata=list(located.index), text=[], showlegend=False,
                                       x=[round(g.x, DIGITS) for g in located.geometry],
                                       y=[round(g.y, DIGITS) for g in located.geometry])
        trace.marker.color = _color(trace.marker.color, "#555555")
        index["layers"][name] = [add(trace)]
    index["highlight_points"] = add(static_map.highlight_point_trace([], "highlight"))
    for name, indices in index["layers"].items():
        for i in indices:
            traces[i]["visible"] = visible[name]
    layout = static_map.map_layout(
        height=None, autosize=True, margin=dict(l=0, r=0, t=0, b=0), showlegend=False, dragmode="pan",
        hovermode="closest", font=dict(family=SITE_FONT, size=13), hoverlabel=dict(font=dict(family=SITE_FONT)),
    )
    layout.pop("template")  # plotly.py's "no template"; plotly.js wants none at all
    figure = json.loads(json.dumps({"data": traces, "layout": layout}, default=_json_default))
    return figure, index


def _json_default(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    return _plain(value)


# -- the data ----------------------------------------------------------------------
def site_data(atlas: Atlas, lang: str | None = None, worldview: Worldview | str | None = None) -> dict[str, Any]:
    """Everything the page shows, as plain JSON: records, links, catalogs and the figure."""
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"no language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    worldview = Worldview.parse(worldview)
    state = ExplorerState(atlas)
    places = PlaceIndex(atlas)
    completeness = atlas.completeness()

    layers = []
    for name in atlas.layer_names():
        info, row = atlas.layer_info(name), completeness.loc[name]
        claimed = row["claimed"]
        layers.append({
            "name": name, "kind": info.kind, "title": info.title, "color": _color(info.color, "#777777"),
            "visible": info.visible, "listed": int(row["listed"]), "on_map": int(row["on_map"]),
            "documented": int(row["documented"]), "claimed": None if pd.isna(claimed) else int(claimed),
        })

    routes = {}
    for route_id, route in atlas.routes.iterrows():
        record = _record(route, skip=("geometry", "stops"))
        stops = atlas.route_stops[atlas.route_stops["route_id"] == route_id]
        record["stops"] = [_record(stop, skip=("route_id",)) for _, stop in stops.iterrows()]
        geometry = route.geometry
        record["lines"] = [] if geometry is None else [
            [[round(x, DIGITS), round(y, DIGITS)] for x, y in part.coords] for part in geometry.geoms]
        record["layer"] = "routes"
        routes[route_id] = record

    features = {}
    for name in atlas.layer_names():
        if atlas.layer_info(name).kind != "points":
            continue
        for member_id, member in atlas.layer(name).iterrows():
            features[member_id] = {**_record(member), **_point(member.geometry), "layer": name}

    sources = {}
    for source_id, source in atlas.sources.iterrows():
        record = _record(source)
        record["url"] = http_url(source["url"])
        sources[source_id] = record

    measures = [_record(atlas.measures.loc[measure_id]) for measure_id in state.visible_measures().index]
    documents = [_record(doc) for _, doc in atlas.documents.sort_values("issued", ascending=False, na_position="last").iterrows()]
    sections = [_record(s) for _, s in atlas.sections.sort_values(["document_id", "order"]).iterrows()]
    corridors = [{**_record(c), "color": _color(c["color"])} for _, c in atlas.corridors.iterrows()]
    figure, traces = site_figure(atlas, worldview)
    return {
        "format": 1,
        "version": atlas.version,
        "title": atlas.title,
        "last_import": _plain(atlas.last_import.get("last_import")) if isinstance(atlas.last_import, dict) else None,
        "default_lang": lang,
        "worldview": worldview.value,
        "schematic_key": schematic_key(worldview),
        "languages": [[code, LANGUAGE_NAMES[code]] for code in LANGUAGES],
        "i18n": {code: catalog(code) for code in LANGUAGES},
        "layers": layers,
        "corridors": corridors,
        "routes": routes,
        "features": features,
        "places": {pid: {**_record(place), **_point(place.geometry)} for pid, place in atlas.places.iterrows()},
        "place_labels": [[label, places.labels[label]] for label in places.options()],
        "at": {pid: places.features_at(pid) for pid in atlas.places.index if places.features_at(pid)},
        "documents": documents,
        "sections": sections,
        "measures": measures,
        "links": [_record(link) for _, link in atlas.links.iterrows()],
        "sources": sources,
        "figure": figure,
        "traces": traces,
    }


def script_json(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` at all,
    so nothing in the data can close the element (``</script>``) or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# -- the folder --------------------------------------------------------------------
def _hashed(name: str, content: str) -> str:
    stem, ext = name.rsplit(".", 1)
    return f"{stem}-{hashlib.sha256(content.encode('utf-8')).hexdigest()[:10]}.{ext}"


def _page(data_json: str, lang: str, assets: dict[str, str]) -> str:
    title = escape(t("app.title", lang))
    loading = escape(t("details.empty", lang))
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="stylesheet" href="assets/{assets['css']}">
</head>
<body>
<div class="site-app" id="app">
  <header class="site-top">
    <div class="site-heading"><h1 id="site-title">{title}</h1><p id="site-subtitle"></p></div>
    <div class="scoda-languages site-languages" id="languages" role="group"></div>
  </header>
  <main class="site-main">
    <aside class="site-left" id="left">
      <div class="scoda-search site-search">
        <label class="site-sr" for="place-search" id="place-search-label"></label>
        <input id="place-search" type="search" list="place-names" autocomplete="off" maxlength="200">
        <datalist id="place-names"></datalist>
        <div id="search-message" class="site-search-message" role="status"></div>
      </div>
      <section class="scoda-layers site-layers" id="layers"></section>
      <section class="scoda-measures site-measures">
        <h3 class="scoda-panel-title" id="measures-heading"></h3>
        <label class="site-sr" for="document-filter" id="document-filter-label"></label>
        <select id="document-filter"></select>
        <label class="site-sr" for="measure-filter" id="measure-filter-label"></label>
        <input id="measure-filter" type="search" autocomplete="off" maxlength="200">
        <div id="measure-list" class="scoda-measure-list site-measure-list"></div>
        <div id="measure-count" class="scoda-muted"></div>
      </section>
    </aside>
    <section class="site-center">
      <div id="map" class="site-map"></div>
      <div id="legend" class="scoda-legend-box site-legend"></div>
    </section>
    <aside class="site-right">
      <h2 class="scoda-panel-title site-details-heading" id="details-heading"></h2>
      <div id="details" class="scoda-details site-details" aria-live="polite"><p class="scoda-muted">{loading}</p></div>
    </aside>
  </main>
  <footer class="scoda-footer site-footer"><p><span class="scoda-schematic" id="schematic"></span> <span id="credits"></span></p></footer>
</div>
<noscript><p class="site-noscript">{title}: JavaScript is needed to show the map.</p></noscript>
<script type="application/json" id="scoda-data">{data_json}</script>
<script src="assets/{assets['plotly']}"></script>
<script src="assets/{assets['js']}"></script>
</body>
</html>
"""


def build_site(atlas: Atlas, out_dir: str | Path, lang: str | None = None,
               worldview: Worldview | str | None = None) -> Path:
    """Write the static explorer into ``out_dir``; return the path of its ``index.html``.

    Parameters
    ----------
    atlas : Atlas
        The data to publish.
    out_dir : str or Path
        The folder to write (made if missing). Files of an earlier export there are
        replaced; nothing else in it is touched.
    lang : {"en", "zh", "ru"}, optional
        The language the page opens in. Default: the visitor's browser language
        when it is Chinese or Russian, else English. A ``#lang=`` in the link wins.
    worldview : {"cn", "ne"}, optional
        The borders (``scoda_map._data.worldview``); default ``cn``.

    Examples
    --------
    >>> import scoda_map, tempfile
    >>> from scoda_map._export.site import build_site
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     build_site(scoda_map.load(), folder).name
    'index.html'
    """
    data = site_data(atlas, lang, worldview)
    out = Path(out_dir)
    assets_dir = out / "assets"
    (assets_dir / "fonts").mkdir(parents=True, exist_ok=True)
    for stale in assets_dir.iterdir():
        if stale.is_file() and OWN_ASSETS.match(stale.name):
            stale.unlink()

    css = (VOILA_STATIC / "scoda.css").read_text(encoding="utf-8") + "\n" + (STATIC / "site.css").read_text(encoding="utf-8")
    js = (STATIC / "site.js").read_text(encoding="utf-8")
    assets = {"css": _hashed("site.css", css), "js": _hashed("site.js", js),
              "plotly": f"plotly-{get_plotlyjs_version()}.min.js"}
    (assets_dir / assets["css"]).write_text(css, encoding="utf-8")
    (assets_dir / assets["js"]).write_text(js, encoding="utf-8")
    (assets_dir / assets["plotly"]).write_text(get_plotlyjs(), encoding="utf-8")
    for font in (VOILA_STATIC / "fonts").iterdir():  # the subsets the stylesheet names, their licence and notes
        if font.is_file():
            shutil.copyfile(font, assets_dir / "fonts" / font.name)

    index = out / "index.html"
    index.write_text(_page(script_json(data), lang or "en", assets), encoding="utf-8")
    return index


def folder_size(path: str | Path) -> int:
    """Bytes in every file under ``path``."""
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())
