"""The explorer as a static site: no kernel, no server code, no network.

``build_site(atlas, out_dir)`` writes a folder that works opened from disk
(``file://``) and served by any static web server::

    out_dir/
      index.html                   the page, its pre-rendered panels and the map, as one JSON <script>
      assets/plotly-basic-<v>.min.js  plotly.js's basic bundle, the one every page of the project uses
      assets/site-<hash>.js        the page's code: the map, the selection and the link, nothing more
      assets/site-<hash>.css       the explorer's stylesheet and the page layout
      assets/fonts/                the project's subset Noto Sans SC (Chinese, Cyrillic)

The page shows HTML rendered here by the live explorer's own render functions
(:mod:`scoda_map._export.fragments`): details, lists, counts and notices in each
language, escaped by markupsafe. The page's code only picks which fragment to
show, puts what a visitor typed into a fragment's slots as text, and draws the
map (the traces of :mod:`scoda_map._render.static_map`). Links are checked the
way :mod:`scoda_map._model.url` checks them, from the parameter names it exports.

Why the data sits inside ``index.html`` rather than in a ``data.json`` beside it:
browsers refuse ``fetch()`` of a file next to a page opened from disk, so a separate
JSON file would only work when served. A ``<script type="application/json">`` works
both ways and is parsed with ``JSON.parse`` (never run). Why plotly.js and the fonts
are separate files rather than inlined: they never change between data versions, so a
web server or CDN can cache them for every visitor (their names carry their version or
content hash), while a new data version replaces only ``index.html``. The JSON is
escaped so that nothing in the data can close the ``<script>`` element that carries it.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from importlib.resources import files
from pathlib import Path
from typing import Any

from markupsafe import escape

from .._data.atlas import Atlas
from .._data.worldview import Worldview
from .._i18n import LANGUAGE_NAMES, LANGUAGES, t
from .._model import url
from .._render import static_map
from .fragments import fold_table, fragments, highlights, measure_keys

__all__ = ["build_site", "folder_size", "script_json", "site_data", "site_figure"]

PACKAGE = Path(__file__).resolve().parent.parent
STATIC = files("scoda_map._export") / "static"
VOILA_STATIC = PACKAGE / "_share" / "jupyter" / "voila" / "templates" / "scoda" / "static"
SITE_FONT = '"SCODA Sans", "Noto Sans", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'
PLOTLY_ASSET = f"plotly-basic-{static_map.PLOTLY_BASIC_VERSION}.min.js"
# Stale files of an earlier export into the same folder (names carry a version or hash).
OWN_ASSETS = re.compile(r"^(plotly-[\w.-]+\.min\.js|site-[0-9a-f]{10}\.(js|css))$")


# -- the map figure ----------------------------------------------------------------
def site_figure(atlas: Atlas, worldview: Worldview | str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The map as plotly JSON (data, layout), where each layer's traces are, and their hover texts by language.

    Every layer is drawn (hidden ones with ``visible: false``), with the traces the
    saved map page and ``figures.map_figure`` use.
    """
    traces: list[dict[str, Any]] = [static_map.basemap_trace(atlas, worldview)] + static_map.basemap_line_traces(atlas, worldview)
    index: dict[str, Any] = {"layers": {}, "hover": {}}
    lines, points = static_map.highlight_traces(atlas, [], "en")
    names = atlas.layer_names()
    # Routes first, the selection's lines over them, then the point layers and the selection's points on top.
    ordered = sorted(names, key=lambda n: atlas.layer_info(n).kind == "points")
    for name in ordered:
        if atlas.layer_info(name).kind == "points" and "highlight_lines" not in index:
            index["highlight_lines"] = len(traces)
            traces.append(lines)
        start = len(traces)
        traces += static_map.layer_traces(atlas, name, "en")
        index["layers"][name] = list(range(start, len(traces)))
        for i in index["layers"][name]:
            # Hover texts come from index["hover"] in the visitor's language: not twice in the page.
            traces[i].update(visible=atlas.layer_info(name).visible, showlegend=False, text=[])
    if "highlight_lines" not in index:
        index["highlight_lines"] = len(traces)
        traces.append(lines)
    index["highlight_points"] = len(traces)
    traces.append(points)
    # The hover texts of the layers' traces, in each language (the page swaps them on a language switch).
    index["hover_traces"] = [i for name in ordered for i in index["layers"][name]]
    for lang in LANGUAGES:
        index["hover"][lang] = [trace["text"] for name in ordered for trace in static_map.layer_traces(atlas, name, lang)]
    for trace in (lines, points):
        trace["name"], trace["showlegend"] = "highlight", False
    layout = static_map.map_layout(
        height=None, autosize=True, margin=dict(l=0, r=0, t=0, b=0), showlegend=False, dragmode="pan",
        hovermode="closest", font=dict(family=SITE_FONT, size=13), hoverlabel=dict(font=dict(family=SITE_FONT)),
    )
    return {"data": traces, "layout": layout}, index


# -- the data ----------------------------------------------------------------------
def site_data(atlas: Atlas, lang: str | None = None, worldview: Worldview | str | None = None) -> dict[str, Any]:
    """Everything the page shows, as plain JSON: pre-rendered fragments, the map and the link rules."""
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"no language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    worldview = Worldview.parse(worldview)
    figure, traces = site_figure(atlas, worldview)
    return {
        "format": 2,
        "version": atlas.version,
        "default_lang": lang,
        "worldview": worldview.value,
        "languages": [[code, LANGUAGE_NAMES[code]] for code in LANGUAGES],
        "layers": [{"name": name, "visible": atlas.layer_info(name).visible} for name in atlas.layer_names()],
        "documents": list(atlas.documents.index),
        # The link's rules, from the explorer's own reader (scoda_map._model.url).
        "link": {"known": list(url.KNOWN), "max_length": url.MAX_QUERY_STRING, "max_fields": url.MAX_FIELDS,
                 "no_layers": url.NO_LAYERS, "zoom": list(url.ZOOM_RANGE), "too_long": url.TOO_LONG,
                 "malformed": url.MALFORMED, "both": url.BOTH},
        "fold": fold_table(),
        "fragments": fragments(atlas, worldview),
        "measure_keys": measure_keys(atlas),
        "highlight": highlights(atlas),
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


def _page(data_json: str, lang: str, assets: dict[str, str], places: dict[str, str]) -> str:
    """The page; ``places`` holds the place search's pre-rendered answers and datalist (escaped markup)."""
    title = escape(t("app.title", lang))
    loading = escape(t("details.empty", lang))
    languages = "".join(f'<button type="button" lang="{code}" data-lang="{code}" aria-pressed="{str(code == lang).lower()}">{escape(name)}</button>'
                        for code, name in LANGUAGE_NAMES.items())
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
    <div class="scoda-languages site-languages" id="languages" role="group">{languages}</div>
  </header>
  <main class="site-main">
    <aside class="site-left" id="left">
      <div class="scoda-search site-search">
        <label class="site-sr" for="place-search" id="place-search-label"></label>
        <input id="place-search" type="search" list="place-names" autocomplete="off" maxlength="200">
        <datalist id="place-names">{places['options']}</datalist>
        <div id="search-message" class="site-search-message" role="status"></div>
        <div id="place-hits" class="site-search-message">{places['buttons']}</div>
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
  <footer class="scoda-footer site-footer" id="footer"></footer>
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
        The borders (``scoda_map._data.worldview``); default ``cn``. The footer says
        what the map is (a schematic) in that worldview's words.

    Examples
    --------
    >>> import scoda_map, tempfile
    >>> from scoda_map._export.site import build_site
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     build_site(scoda_map.load(), folder).name
    'index.html'
    """
    data = site_data(atlas, lang, worldview)
    places = {"buttons": data["fragments"].pop("places"), "options": data["fragments"].pop("place_options")}
    out = Path(out_dir)
    assets_dir = out / "assets"
    (assets_dir / "fonts").mkdir(parents=True, exist_ok=True)
    for stale in assets_dir.iterdir():
        if stale.is_file() and OWN_ASSETS.match(stale.name):
            stale.unlink()

    # The explorer's own stylesheets for what the render layer draws, then the page's layout.
    css = "\n".join(path.read_text(encoding="utf-8")
                    for path in (VOILA_STATIC / "scoda.css", VOILA_STATIC / "content.css", STATIC / "site.css"))
    js = (STATIC / "site.js").read_text(encoding="utf-8")
    assets = {"css": _hashed("site.css", css), "js": _hashed("site.js", js),
              "plotly": PLOTLY_ASSET}
    (assets_dir / assets["css"]).write_text(css, encoding="utf-8")
    (assets_dir / assets["js"]).write_text(js, encoding="utf-8")
    shutil.copyfile(static_map.PLOTLY_BASIC_FILE, assets_dir / assets["plotly"])
    for font in (VOILA_STATIC / "fonts").iterdir():  # the subsets the stylesheet names, their licence and notes
        if font.is_file():
            shutil.copyfile(font, assets_dir / "fonts" / font.name)

    index = out / "index.html"
    index.write_text(_page(script_json(data), lang or "en", assets, places), encoding="utf-8")
    return index


def folder_size(path: str | Path) -> int:
    """Bytes in every file under ``path``."""
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())
