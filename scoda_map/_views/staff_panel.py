"""Staff controls, out of visitors' reach: reload data, choose the tour, see the
data's version, live widgets and the last error."""

from __future__ import annotations

import ipywidgets as widgets
from markupsafe import Markup

from .._i18n import t
from .._model.tour import TourPlayer


class StaffPanel:
    """Opened by a long press in the top-left corner or Ctrl+Shift+S."""

    def __init__(self, player: TourPlayer, on_reload, status):
        self.player, self.on_reload, self.status = player, on_reload, status
        self.heading = widgets.HTML()
        self.info = widgets.HTML()
        self.tour = widgets.Dropdown(options=player.tour_ids() or ["default"], value=player.tour_id)
        self.tour.observe(lambda change: player.choose(change["new"]), names="value")
        self.play = widgets.Button()
        # Closing the panel would count as a touch and stop the tour: play closes it first.
        self.play.on_click(lambda _: (self.hide(), player.start()))
        self.reload = widgets.Button(button_style="warning")
        self.reload.on_click(lambda _: self._reload())
        self.close = widgets.Button()
        self.close.on_click(lambda _: self.hide())
        self.widget = widgets.VBox([self.heading, self.info, self.tour,
                                    widgets.HBox([self.play, self.reload, self.close])])
        self.widget.add_class("scoda-staff")
        player.state.observe(self._relabel, names="lang")
        self._relabel()
        self.hide()

    def _relabel(self, change=None) -> None:
        lang = self.player.state.lang
        self.heading.value = str(Markup("<h3>{}</h3>").format(t("staff.heading", lang)))
        self.tour.description = t("staff.tour", lang)
        self.play.description = t("staff.play", lang)
        self.reload.description = t("staff.reload", lang)
        self.close.description = t("staff.close", lang)
        if self.widget.layout.display != "none":
            self.refresh()

    def show(self) -> None:
        self.refresh()
        self.widget.layout.display = None

    def hide(self) -> None:
        self.widget.layout.display = "none"

    def refresh(self) -> None:
        rows = "".join(str(Markup("<dt>{}</dt><dd>{}</dd>").format(key, value)) for key, value in self.status().items())
        self.info.value = f'<dl class="scoda-facts">{rows}</dl>'

    def _reload(self) -> None:
        self.on_reload()
        self.refresh()
