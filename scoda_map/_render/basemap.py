"""How the basemap is drawn, for the live map (Leaflet) and the plotly figures alike.

A basemap (``geodata/basemap/``) holds country polygons and, in the ``cn`` worldview,
line features whose ``line`` property says what they are: ``ten_dash`` (南海断续线)
and ``undetermined`` (the India-Pakistan line of control in Kashmir). An undetermined
line is drawn dashed over a band of the land colour, so the solid border the polygons
would draw there does not show: the line reads as undetermined, not as a settled border.

Pure functions of the basemap: no widgets.

Examples
--------
>>> import scoda_map
>>> polygons, lines = split(scoda_map.load().basemap("cn"))
>>> sorted({line["properties"]["line"] for line in lines})
['ten_dash', 'undetermined']
"""

from __future__ import annotations

from typing import Any

from .memo import per_atlas

LAND, BORDER, WATER = "#f6f3ec", "#b8b2a4", "#cfe2ec"
#: The dark grey-brown of boundary symbols: the ten-dash line and undetermined lines.
BOUNDARY = "#7d725f"
POLYGON_STYLE = {"color": BORDER, "weight": 0.6, "fillColor": LAND, "fillOpacity": 1, "opacity": 1}
#: Leaflet styles of the line kinds (a mask in the land colour first, then the line).
LINE_STYLES = {
    "mask": {"color": LAND, "weight": 2.4, "opacity": 1, "fill": False},
    "undetermined": {"color": BOUNDARY, "weight": 1.4, "opacity": 1, "dashArray": "5 4", "fill": False},
    "ten_dash": {"color": BOUNDARY, "weight": 2, "opacity": 1, "fill": False},
}
#: The same for plotly (width in px, dash as plotly names it).
PLOTLY_LINES = {
    "mask": dict(color=LAND, width=2.4),
    "undetermined": dict(color=BOUNDARY, width=1.4, dash="4px,3px"),
    "ten_dash": dict(color=BOUNDARY, width=2),
}


def split(basemap: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    """The polygon features and the line features of a basemap."""
    polygons, lines = [], []
    for feature in basemap.get("features", []):
        kind = (feature.get("geometry") or {}).get("type", "")
        (lines if "LineString" in kind else polygons).append(feature)
    return polygons, lines


def line_kind(feature: dict[str, Any]) -> str:
    """``ten_dash`` or ``undetermined`` (any other line is drawn as undetermined)."""
    kind = (feature.get("properties") or {}).get("line")
    return kind if kind in LINE_STYLES and kind != "mask" else "undetermined"


def styled_basemap(basemap: dict[str, Any]) -> dict[str, Any]:
    """The basemap with its style in each feature, as ipyleaflet's ``style=`` would put it.

    Given ``style=``, ipyleaflet deep-copies the whole layer to apply it (0.1 s per
    kernel for the basemap); this copies only the feature dicts. Lines come after the
    polygons, each undetermined line after its mask.
    """
    polygons, lines = split(basemap)
    features = [_with_style(feature, POLYGON_STYLE) for feature in polygons]
    for feature in lines:
        kind = line_kind(feature)
        if kind == "undetermined":
            features.append(_with_style(feature, LINE_STYLES["mask"]))
        features.append(_with_style(feature, LINE_STYLES[kind]))
    return {**basemap, "features": features}


def _with_style(feature: dict[str, Any], style: dict[str, Any]) -> dict[str, Any]:
    return {**feature, "properties": {**(feature.get("properties") or {}), "style": style}}


def line_parts(feature: dict[str, Any]) -> list[list[list[float]]]:
    """The coordinate lists of a LineString or MultiLineString feature."""
    geometry = feature["geometry"]
    return [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]


# -- the 南海诸岛 inset -------------------------------------------------------------
#: The inset's frame (lon/lat) and the box whose full view counts as "China is shown".
INSET_BOX = (105.0, 2.0, 125.0, 25.5)
CHINA_CORE = (100.0, 25.0, 120.0, 40.0)
#: The southern end of the ten-dash line: when it is in view, no inset is needed.
SOUTHERN_DASH = (112.3, 3.5)


def needs_inset(bounds) -> bool:
    """Whether a Leaflet view (``((south, west), (north, east))``) shows China without the
    South China Sea: then the standard map wants a 南海诸岛 inset.

    >>> needs_inset(((20.0, 60.0), (55.0, 140.0)))
    True
    >>> needs_inset(((-10.0, 40.0), (60.0, 160.0)))
    False
    >>> needs_inset(((40.0, 0.0), (60.0, 40.0)))
    False
    """
    if not bounds:
        return False
    (south, west), (north, east) = bounds
    core_shown = west <= CHINA_CORE[0] and east >= CHINA_CORE[2] and south <= CHINA_CORE[1] and north >= CHINA_CORE[3]
    dash_shown = west <= SOUTHERN_DASH[0] <= east and south <= SOUTHERN_DASH[1] <= north
    return core_shown and not dash_shown


def atlas_inset_drawing(atlas, worldview) -> tuple[int, int, str] | None:
    """:func:`inset_drawing` of ``atlas``'s basemap in ``worldview``, drawn once per atlas."""
    return _atlas_inset(atlas, str(getattr(worldview, "value", worldview)))


def inset_drawing(basemap: dict[str, Any], width: int = 150) -> tuple[int, int, str] | None:
    """The inset's drawing, the same in every language: (width, height, SVG content), or None
    when the basemap has no ten-dash line (the ``ne`` worldview). Only numbers from the
    basemap go into the markup. Clipping the basemap takes ~70 ms: views draw it once."""
    import shapely
    from shapely.geometry import shape

    polygons, lines = split(basemap)
    dashes = [part for feature in lines if line_kind(feature) == "ten_dash" for part in line_parts(feature)]
    if not dashes:
        return None
    west, south, east, north = INSET_BOX
    frame = shapely.box(*INSET_BOX)
    scale = width / (east - west)
    height = round((north - south) * scale * 1.05)

    def xy(x: float, y: float) -> str:
        return f"{(x - west) * scale:.1f},{(north - y) * scale * 1.05:.1f}"

    paths = []
    for feature in polygons:
        geometry = shape(feature["geometry"])
        if not geometry.intersects(frame):
            continue
        clipped = geometry.intersection(frame).simplify(0.05)
        for polygon in getattr(clipped, "geoms", [clipped]):
            if polygon.geom_type != "Polygon" or polygon.is_empty:
                continue
            paths.append("M" + "L".join(xy(x, y) for x, y in polygon.exterior.coords) + "Z")
    land = f'<path d="{"".join(paths)}" fill="{LAND}" stroke="{BORDER}" stroke-width="0.5"/>'
    dash = "".join(f'<path d="M{"L".join(xy(x, y) for x, y in part)}" stroke="{BOUNDARY}" stroke-width="1.6" fill="none"/>'
                   for part in dashes)
    return width, height, f'<rect width="{width}" height="{height}" fill="{WATER}"/>{land}{dash}'


def inset_svg(basemap: dict[str, Any], labels: dict[str, str], width: int = 150,
              drawing: tuple[int, int, str] | None = None) -> str:
    """A small SVG of the South China Sea (land, the ten-dash line, the islands) captioned in
    every language of ``labels`` (BCP 47 tag -> text, escaped); empty without a ten-dash line.
    The page shows the caption whose ``lang`` matches ``<html lang>`` (``scoda.css``), so a
    language switch need not send the drawing again. ``drawing``: :func:`inset_drawing`'s,
    made once.

    >>> html = inset_svg({}, {"en": "South China Sea Islands", "zh-Hans": "南海诸岛"},
    ...                  drawing=(10, 10, "<path d='M0 0'/>"))
    >>> '<span lang="zh-Hans">南海诸岛</span>' in html and 'aria-hidden="true"' in html
    True
    """
    from markupsafe import escape

    drawing = drawing or inset_drawing(basemap, width)
    if drawing is None:
        return ""
    width, height, content = drawing
    captions = "".join(f'<span lang="{escape(tag)}">{escape(text)}</span>' for tag, text in labels.items())
    return (f'<svg class="scoda-inset-map" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" aria-hidden="true">{content}</svg>'
            f'<div class="scoda-inset-label">{captions}</div>')


@per_atlas(maxsize=4)
def _atlas_inset(atlas, worldview: str):
    return inset_drawing(atlas.basemap(worldview))
