"""The served font covers every character the product shows (no tofu boxes)."""

import importlib.util
import sys

import pytest
from fontTools.ttLib import TTFont

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
build_fonts = importlib.import_module("build_fonts")


@pytest.mark.parametrize("weight", ["Regular", "Bold"])
def test_every_character_in_data_and_catalogs_has_a_glyph(weight):
    font = TTFont(build_fonts.OUT / f"NotoSansSC-{weight}-subset.woff2")
    covered = set(font.getBestCmap())
    # Chinese and Cyrillic are what a kiosk PC may lack; rarer Latin letters (the ł of
    # Małaszewicze) fall back to any system font, which every machine has.
    shown = {ord(ch) for ch in build_fonts.product_text() if ord(ch) >= 0x400 and not ch.isspace()}
    missing = sorted(chr(c) for c in shown - covered)
    assert not missing, f"run scripts/build_fonts.py: no glyph for {''.join(missing[:40])}"


def test_the_core_fonts_stay_small():
    sizes = [p.stat().st_size for p in build_fonts.OUT.glob("*-subset.woff2")]
    assert len(sizes) == 2 and sum(sizes) < 1_500_000


def test_the_extra_face_covers_the_common_hanzi_for_names_imported_later():
    font = TTFont(build_fonts.OUT / "NotoSansSC-Regular-extra.woff2")
    assert build_fonts.gb2312_hanzi() <= set(font.getBestCmap())
