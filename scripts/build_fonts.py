#!/usr/bin/env python3
"""Subset Noto Sans CJK SC to the characters the product shows, as WOFF2.

Kiosk PCs and visitors' tablets may have no Chinese or Cyrillic fonts; the
dashboards serve this font themselves (offline, no CDN). The subset holds every
character in the geodata, the message catalogs and the basemap labels, plus
Latin, Cyrillic and common punctuation (~0.5 MB for both weights instead of
~40 MB). A second face, "SCODA Sans Extra" (regular, the 6,763 hanzi of GB 2312,
~2.4 MB), comes after it in the font stack: browsers fetch it only when a page
shows a character the core lacks, e.g. a park name staff imported later. tests/test_fonts.py fails when data gains a
character the subset lacks: then run this script again.

Needs fonttools and brotli (pip) and Debian's fonts-noto-cjk (the source font,
SIL Open Font License 1.1).

Usage: python scripts/build_fonts.py [--source DIR]
"""

import argparse
import json
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "scoda_map" / "_share" / "jupyter" / "voila" / "templates" / "scoda" / "static" / "fonts"
SC_INDEX = 2  # "Noto Sans CJK SC" in Debian's NotoSansCJK-*.ttc
WEIGHTS = {"Regular": "NotoSansCJK-Regular.ttc", "Bold": "NotoSansCJK-Bold.ttc"}
# Basic Latin, Latin-1, Latin Extended-A, Cyrillic, general punctuation, arrows, CJK punctuation, fullwidth forms.
RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x100, 0x17F), (0x400, 0x4FF), (0x2000, 0x206F), (0x2190, 0x21FF),
          (0x3000, 0x303F), (0xFF00, 0xFFEF)]


def product_text() -> str:
    """Every character the product can show from its own files."""
    files = list((ROOT / "geodata").rglob("*.csv")) + list((ROOT / "geodata").rglob("*.geojson"))
    files += list((ROOT / "geodata").rglob("datapackage.json"))  # layer titles
    files += list((ROOT / "scoda_map" / "_i18n" / "locales").glob("*.json"))
    text = []
    for path in files:
        raw = path.read_text(encoding="utf-8")
        # JSON escapes non-ASCII in some files: decode to the real characters.
        text.append(json.dumps(json.loads(raw), ensure_ascii=False) if path.suffix in (".json", ".geojson") else raw)
    return "".join(text)


def gb2312_hanzi() -> set[int]:
    """The 6,763 hanzi of GB 2312: names staff import later render without a rebuild."""
    hanzi = set()
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                hanzi.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return hanzi


def characters() -> set[int]:
    """The core subset: what the product shows today."""
    wanted = {ord(ch) for ch in product_text() if ord(ch) >= 0x20}
    for start, end in RANGES:
        wanted.update(range(start, end + 1))
    return wanted


def build(source: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    jobs = [(f"NotoSansSC-{weight}-subset.woff2", filename, characters()) for weight, filename in WEIGHTS.items()]
    jobs.append(("NotoSansSC-Regular-extra.woff2", WEIGHTS["Regular"], gb2312_hanzi() | characters()))
    for target_name, filename, codepoints in jobs:
        font = TTCollection(source / filename).fonts[SC_INDEX]
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        target = OUT / target_name
        font.flavor = "woff2"
        font.recalcTimestamp = False  # the same input gives the same bytes: no churn in git
        font.save(target)
        print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size // 1024} KB, {len(codepoints)} code points asked)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=Path("/usr/share/fonts/opentype/noto"))
    build(parser.parse_args().source)


if __name__ == "__main__":
    main()
