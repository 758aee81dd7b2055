"""The one worldview setting: which borders every map draws.

The dashboards are shown at a Chinese state-run demonstration zone, where a map must
follow China's standard map (标准地图); researchers may want Natural Earth's de facto
lines instead. Every renderer (explorer, kiosk, saved map page, static site,
``scoda_map.figures``) takes a :class:`Worldview` from here, and the servers read it
from one environment variable, so the choice is made once, by whoever starts the
server or the export, never by a visitor.

Examples
--------
>>> Worldview.parse("ne") is Worldview.NE
True
>>> DEFAULT.value
'cn'
"""

from __future__ import annotations

import os
from enum import StrEnum

from .._env import WORLDVIEW as WORLDVIEW_ENV


class Worldview(StrEnum):
    """The two basemaps in ``geodata/basemap/`` (see its README for each decision)."""

    #: China's standard map (标准地图) as far as the shipped sources allow: 藏南, Aksai Chin,
    #: Taiwan, the South China Sea islands and the ten-dash line, Diaoyu Dao in China;
    #: the India-Pakistan line in Kashmir drawn as undetermined; Crimea in Ukraine.
    CN = "cn"
    #: Natural Earth's de facto lines, for researchers (Taiwan its own polygon, 藏南 in India).
    NE = "ne"

    @classmethod
    def parse(cls, value: str | Worldview | None) -> Worldview:
        """A worldview from its code; ``None`` or ``""`` is the default; anything else raises."""
        if value is None or value == "":
            return DEFAULT
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"no worldview {value!r}; choose one of {', '.join(CHOICES)}") from None


DEFAULT = Worldview.CN
#: The codes, for command-line choices.
CHOICES = tuple(view.value for view in Worldview)
#: Set by ``scoda-map serve`` / ``scoda-map kiosk --worldview``; read by the dashboards' kernels.
ENV = WORLDVIEW_ENV  # set by the server (scoda_map._server), read by the dashboards
#: What each worldview draws, for the command-line help (English, like all help texts).
HELP = (
    "borders: 'cn' (default) follows China's standard map (标准地图) as far as the shipped "
    "sources allow: 藏南/South Tibet and Aksai Chin in China, Taiwan, Hong Kong and Macao as "
    "China, the South China Sea islands and ten-dash line, Diaoyu Dao and Chiwei Yu, the "
    "India-Pakistan line in Kashmir as an undetermined dashed line, Crimea in Ukraine; 'ne' "
    "is Natural Earth's de facto lines, for researchers (Taiwan separate, 藏南 in India). "
    "Either way the map is a schematic, not a reviewed map (geodata/basemap/README.md)"
)


def from_environment() -> Worldview:
    """The worldview the server was started with (:data:`ENV`), else the default."""
    return Worldview.parse(os.environ.get(ENV) or None)


def schematic_key(view: Worldview | str) -> str:
    """The message key of the on-screen line that says what the map is (a schematic)."""
    return f"map.schematic.{Worldview.parse(view).value}"
