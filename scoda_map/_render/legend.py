"""The map legend: each corridor's colour AND its dash pattern, so colour is never
the only cue (WCAG 1.4.1); the lines are drawn as the map draws them."""

from __future__ import annotations

from markupsafe import Markup

from .._data.atlas import Atlas
from .._i18n import data_text, t

#: Sea and river legs: dots (round caps), so no corridor's dash pattern reads as water.
WATER_DASH = "0.1 8"
#: A second cue besides colour (WCAG 1.4.1): corridor n's rail legs get pattern n.
CORRIDOR_DASHES = ("", "14 6", "5 5", "14 5 3 5", "24 5 3 5 3 5", "24 9", "8 4 2 4 2 4")


def corridor_dashes(atlas: Atlas) -> dict[str, str]:
    """Each corridor's dash pattern (SVG ``stroke-dasharray``; "" is solid), in table order.

    Examples
    --------
    >>> import scoda_map
    >>> dashes = corridor_dashes(scoda_map.load())
    >>> len(set(dashes.values())) == len(dashes) or len(dashes) > len(CORRIDOR_DASHES)
    True
    """
    return {cid: CORRIDOR_DASHES[i % len(CORRIDOR_DASHES)] for i, cid in enumerate(atlas.corridors.index)}



def line_sample(color: str, dash: str, width: float = 3.5) -> Markup:
    """A short line as the map draws it (decorative: the text beside it names it)."""
    return Markup('<svg class="scoda-line-sample" width="30" height="8" viewBox="0 0 30 8" aria-hidden="true" focusable="false">'
                  '<line x1="2" y1="4" x2="28" y2="4" stroke="{}" stroke-width="{}" stroke-linecap="round"{}/></svg>').format(
        color, width, Markup(' stroke-dasharray="{}"').format(dash) if dash else Markup(""))


def render(atlas: Atlas, lang: str) -> Markup:
    """The corridors the routes use, then the sea/river leg style.

    Examples
    --------
    >>> import scoda_map
    >>> "stroke-dasharray" in render(scoda_map.load(), "en")
    True
    """
    dashes = corridor_dashes(atlas)
    used = set(atlas.routes["corridor"])
    items = []
    for cid, corridor in atlas.corridors.iterrows():
        if cid not in used:
            continue
        name = data_text(corridor, "name", lang)[0]
        items.append(Markup("<li>{}{}</li>").format(line_sample(corridor["color"], dashes[cid]), name))
    items.append(Markup("<li>{}{}</li>").format(line_sample("#555555", WATER_DASH), t("legend.sea", lang)))
    return Markup('<ul class="scoda-legend">{}</ul>').format(Markup("").join(items))
