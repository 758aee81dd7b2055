"""Figures save as PNG and SVG offline, with the Chromium the machine has, and show every series."""

import os
import struct
import xml.etree.ElementTree as ET

import pytest

import scoda_map
from scoda_map import figures
from scoda_map._render.charts import KIND_STYLE


def assert_real_png(path, min_width=600):
    """A PNG file a viewer opens: the signature, an IHDR chunk, a sensible size."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    assert data[12:16] == b"IHDR" and width >= min_width and height >= 200, (width, height)
    assert b"IEND" in data[-12:]


def assert_real_svg(path, text):
    """An SVG document with drawn marks and the figure's text."""
    root = ET.fromstring(path.read_bytes())
    assert root.tag.endswith("svg")
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 10
    assert text in path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def atlas():
    return scoda_map.load()


def test_a_figure_saves_as_png_and_svg(atlas, tmp_path):
    figure = figures.trains_figure(atlas, lang="zh")
    assert_real_png(figures.save_figure(figure, tmp_path / "trains.png"))
    assert_real_svg(figures.save_figure(figure, tmp_path / "trains.svg"), "2025")


def test_the_map_figure_saves_too(atlas, tmp_path):
    assert_real_png(figures.save_figure(figures.map_figure(atlas), tmp_path / "map.png"))


def test_a_long_temporary_folder_does_not_stop_chromium(atlas, tmp_path, monkeypatch):
    """Chromium's socket sits in the temporary folder; a socket path has 107 bytes at most (a
    notebook server or a CI runner may set a long TMPDIR): the figure is saved all the same,
    and the visitor's TMPDIR is as it was afterwards."""
    import tempfile

    long = tmp_path / ("t" * 50) / ("u" * 50)
    long.mkdir(parents=True)
    monkeypatch.setenv("TMPDIR", str(long))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    assert_real_png(figures.save_figure(figures.trains_figure(atlas), tmp_path / "trains.png"))
    assert os.environ["TMPDIR"] == str(long) and tempfile.gettempdir() == str(long)


def test_an_unknown_format_is_refused_in_words(atlas, tmp_path):
    with pytest.raises(ValueError, match=r"\.png, \.svg"):
        figures.save_figure(figures.trains_figure(atlas), tmp_path / "trains.gif")


def test_without_chromium_the_error_says_what_to_install(monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(figures, "CHROMIUM_PATHS", ("/no/such/chromium",))
    with pytest.raises(RuntimeError, match="apt install chromium"):
        figures.chromium_path()


def _luminance(colour):
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a, b):
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_partial_counts_show_inside_the_dark_bar_and_on_white():
    # Jan-Aug 2025 sits inside the dark 2025 bar: its marker must stand out from the bar
    # (fill) and from the white background (ring), by WCAG's 3:1 for graphics.
    partial = KIND_STYLE["partial"]["marker"]
    bar = KIND_STYLE["actual"]["marker"]["color"]
    assert _contrast(partial["color"], bar) >= 3
    assert _contrast(partial["line"]["color"], "#ffffff") >= 3
    assert "open" not in partial.get("symbol", "")  # an open symbol has no fill to show on the bar
