"""Tour captions say no more than the data: a caption that counts the routes on the
map must count what the map draws.

The first kiosk step used to say "Public sources identify 23 routes; they are drawn
here" (and in Chinese, that the 23 were part of the 31 of 2023) while the routes table
held a planned route, routes opened later and a route with no map point.
"""

import re

import pytest

import scoda_map
from conftest import ROOT

# "N routes ... drawn/shown/on the map" in each language, within one sentence.
DRAWN_CLAIMS = {
    "en": re.compile(r"(\d[\d,]*)\s+(?:train\s+)?routes?\b[^.]*?\b(?:drawn|shown|on the map)\b", re.I),
    "zh": re.compile(r"(\d+)\s*条[^。]*?(?:绘于图上|绘在图上|图上|地图上)"),
    "ru": re.compile(r"(\d+)\s+маршрут\w*[^.]*?(?:показаны|нарисованы|на карте)", re.I),
}


def drawn_counts(caption: str, lang: str) -> list[int]:
    """The route counts a caption says are on the map."""
    return [int(match.replace(",", "")) for match in DRAWN_CLAIMS[lang].findall(caption or "")]


@pytest.mark.parametrize("lang, caption, count", [
    ("en", "Public sources identify 23 routes; they are drawn here.", 23),
    ("zh", "公开资料可确认其中23条,均绘于图上。", 23),
    ("ru", "Открытые источники называют 23 маршрута; они показаны на карте.", 23),
])
def test_the_check_finds_the_old_false_caption(lang, caption, count):
    assert drawn_counts(caption, lang) == [count]


def test_no_caption_counts_more_routes_on_the_map_than_the_map_draws():
    atlas = scoda_map.load(ROOT / "geodata")
    drawn = int(atlas.routes["on_map"].sum())
    for step in atlas.tours.itertuples():
        for lang in ("en", "zh", "ru"):
            for stated in drawn_counts(getattr(step, f"caption_{lang}"), lang):
                assert stated == drawn, f"tour {step.tour_id} step {step.seq} ({lang}) says {stated} routes are drawn; the map draws {drawn}"

