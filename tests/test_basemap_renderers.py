"""Every renderer draws the chosen worldview's basemap: the live map (explorer and kiosk),
the static map figure (saved map page, ``export-html``), the static site's data and
``scoda_map.figures.map_figure``. The named test points must land in China's polygon in
each output of the ``cn`` worldview, and the ten-dash line must be drawn in each.
"""
from __future__ import annotations

import pytest
from markupsafe import escape
from shapely.geometry import Point, Polygon, shape

import scoda_map
from scoda_map import figures
from scoda_map._data.worldview import Worldview
from scoda_map._export.site import site_data
from scoda_map._i18n import t
from scoda_map._model.state import ExplorerState
from scoda_map._render.static_map import standalone_html, static_map_figure
from tests.test_basemap_build import POINTS

IN_CHINA = sorted(POINTS)


@pytest.fixture(scope="module")
def atlas():
    return scoda_map.load()


def _key(ring) -> tuple:
    return tuple((round(float(x), 2), round(float(y), 2)) for x, y in ring)


def _owners(atlas, worldview) -> dict[tuple, str]:
    """Each ring of the basemap file -> the iso_a2 of its feature."""
    owners = {}
    for feature in atlas.basemap(worldview)["features"]:
        geometry = feature["geometry"]
        if "Polygon" not in geometry["type"]:
            continue
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for polygon in polygons:
            owners[_key(polygon[0])] = feature["properties"]["iso_a2"]
    return owners


def _trace_rings(xs, ys) -> list[list[tuple]]:
    rings, ring = [], []
    for x, y in zip(list(xs) + [None], list(ys) + [None]):
        if x is None:
            if ring:
                rings.append(ring)
            ring = []
        else:
            ring.append((x, y))
    return rings


def _located(atlas, worldview, xs, ys, point) -> set[str]:
    """Whose polygon (by the basemap file) the drawn outer ring around ``point`` is."""
    owners = _owners(atlas, worldview)
    return {owners.get(_key(ring), "?") for ring in _trace_rings(xs, ys)
            if len(ring) > 3 and Polygon(ring).contains(point) and _key(ring) in owners}


def _trace(data, name):
    found = [trace for trace in data if (trace["name"] if isinstance(trace, dict) else trace.name) == name]
    assert found, f"no trace {name!r}: {[getattr(t, 'name', None) for t in data]}"
    trace = found[0]
    return (trace["x"], trace["y"]) if isinstance(trace, dict) else (trace.x, trace.y)


def _leaflet_basemap(app) -> dict:
    layer = app.map.widget.layers[0]
    assert layer.name == "basemap"
    return layer.data


@pytest.mark.parametrize("make", [scoda_map.Explorer, scoda_map.Kiosk], ids=["explorer", "kiosk"])
def test_live_map_draws_the_cn_basemap(atlas, make):
    data = _leaflet_basemap(make(atlas))
    china = [shape(f["geometry"]) for f in data["features"] if f["properties"].get("iso_a2") == "CN"]
    assert len(china) == 1
    for label in IN_CHINA:
        assert china[0].contains(Point(POINTS[label])), label
    kinds = [f["properties"].get("line") for f in data["features"] if "LineString" in f["geometry"]["type"]]
    assert "ten_dash" in kinds and "undetermined" in kinds
    ten = [f for f in data["features"] if f["properties"].get("line") == "ten_dash"][0]
    assert len(ten["geometry"]["coordinates"]) == 10
    assert ten["properties"]["style"]["color"] != data["features"][0]["properties"]["style"]["color"]


def test_live_map_ne_worldview(atlas):
    data = _leaflet_basemap(scoda_map.Explorer(atlas, worldview=Worldview.NE))
    taiwan = [f for f in data["features"] if f["properties"].get("iso_a2") == "TW"]
    assert taiwan and not [f for f in data["features"] if f["properties"].get("line")]


@pytest.fixture(scope="module")
def outputs(atlas):
    """Each renderer's map traces, by worldview: rendered once for the module (the static
    site's data renders every panel in every language)."""
    def render(worldview):
        state = ExplorerState(atlas)
        return [("static_map_figure", list(static_map_figure(state, worldview).data)),
                ("figures.map_figure", list(figures.map_figure(atlas, worldview=worldview).data)),
                ("site_data", site_data(atlas, worldview=worldview)["figure"]["data"])]
    return {worldview: render(worldview) for worldview in ("cn", "ne")}


@pytest.mark.parametrize("label", IN_CHINA)
def test_every_figure_puts_the_named_points_in_china(atlas, outputs, label):
    for output, data in outputs["cn"]:
        xs, ys = _trace(data, "basemap")
        assert _located(atlas, "cn", xs, ys, Point(POINTS[label])) == {"CN"}, (output, label)


def test_every_figure_draws_the_ten_dash_line_and_the_undetermined_line(outputs):
    for output, data in outputs["cn"]:
        xs, ys = _trace(data, "basemap:ten_dash")
        assert len(_trace_rings(xs, ys)) == 10, output
        assert min(y for y in ys if y is not None) < 3.97, output  # past Zengmu Ansha
        xs, ys = _trace(data, "basemap:undetermined")
        assert xs, output


def test_every_figure_follows_the_worldview(atlas, outputs):
    for output, data in outputs["ne"]:
        xs, ys = _trace(data, "basemap")
        assert _located(atlas, "ne", xs, ys, Point(POINTS["Tawang"])) == {"IN"}, output
        assert _located(atlas, "ne", xs, ys, Point(POINTS["Taipei"])) == {"TW"}, output
        assert not [t for t in data if str(t["name"] if isinstance(t, dict) else t.name).startswith("basemap:")]


def test_saved_map_page_says_it_is_a_schematic(atlas):
    state = ExplorerState(atlas, lang="zh")
    page = standalone_html(state)
    assert "示意图" in page and "basemap:ten_dash" in page
    assert "Natural Earth" in standalone_html(ExplorerState(atlas), worldview="ne")


def test_site_data_names_its_worldview(atlas):
    data = site_data(atlas, worldview="ne")
    assert data["worldview"] == "ne"
    assert str(escape(t("map.schematic.ne", "zh"))) in data["fragments"]["zh"]["footer"]
    assert t("map.schematic.ne", "zh").startswith("示意图")
    with pytest.raises(ValueError):
        site_data(atlas, worldview="xx")


def test_explorer_and_kiosk_show_the_schematic_line(atlas):
    for lang in ("en", "zh", "ru"):
        explorer = scoda_map.Explorer(atlas, lang=lang)
        assert str(escape(t("map.schematic.cn", lang))) in explorer.footer.value
        assert "示意图" in explorer.footer.value
    kiosk = scoda_map.Kiosk(atlas, worldview="ne")
    assert "Natural Earth" in kiosk.schematic.value
    assert kiosk.status()["Worldview"].startswith("ne (locked for visitors")


def test_live_map_shows_the_south_china_sea_inset_only_when_the_sea_is_out_of_frame(atlas):
    explorer = scoda_map.Explorer(atlas, lang="zh")
    inset = explorer.map.inset
    assert "南海诸岛" in inset.value and "<svg" in inset.value
    explorer.map.widget.set_trait("bounds", ((20.0, 60.0), (55.0, 140.0)))  # China, the sea cut off at 20° N
    assert inset.layout.display is None
    explorer.map.widget.set_trait("bounds", ((-10.0, 40.0), (60.0, 160.0)))  # the whole sea in frame
    assert inset.layout.display == "none"
    # Captioned in every language (the page shows the one <html lang> names): a switch sends nothing.
    drawn = inset.value
    explorer.state.lang = "ru"
    assert inset.value == drawn
    for lang, tag in (("en", "en"), ("zh", "zh-Hans"), ("ru", "ru")):
        assert f'<span lang="{tag}">{escape(t("map.inset.scs", lang))}</span>' in drawn
    assert scoda_map.Kiosk(atlas, worldview="ne").map.inset.value == ""  # no ten-dash line to show
