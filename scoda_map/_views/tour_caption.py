"""The caption card of a kiosk tour step: title, caption and the figures behind it."""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup

from .._model.tour import TourPlayer
from .._render.html import source_title, text


class TourCaption:
    """Shows the current tour step; hidden when no tour plays."""

    def __init__(self, player: TourPlayer):
        self.player = player
        self.widget = widgets.HTML()
        self.widget.add_class("scoda-tour-caption")
        player.observe(self._redraw, names=["index", "playing"])
        player.state.observe(self._redraw, names="lang")
        self._redraw()

    def _redraw(self, change=None) -> None:
        player, lang = self.player, self.player.state.lang
        if not player.playing or player.index < 0:
            self.widget.value = ""
            self.widget.layout.display = "none"
            return
        record = player.step(player.index).record
        atlas = player.state.atlas
        figures = []
        for indicator_id in record["indicator_ids"]:
            indicator = atlas.indicators.loc[indicator_id]
            figures.append(Markup('<span class="scoda-figure"><b>{:,.0f}</b> {}</span>').format(
                indicator["value"], text(indicator, "label", lang)))
        # a source's own title as published (marked with its language), or our description of it
        sources = Markup("; ").join(source_title(atlas.sources.loc[s], lang) for s in record["source_ids"] if s in atlas.sources.index)
        steps = len(player.steps())
        self.widget.value = str(Markup(
            '<div class="scoda-step">{}/{}</div><h2>{}</h2><p>{}</p><div class="scoda-figures">{}</div>'
            '<div class="scoda-caption-source">{}</div>'
        ).format(player.index + 1, steps, text(record, "title", lang), text(record, "caption", lang),
                 Markup("").join(figures), sources))
        self.widget.layout.display = None
