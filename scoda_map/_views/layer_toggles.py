"""Layer toggles with honest counts: "documented N of M" from the data."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
from markupsafe import Markup, escape

from .._i18n import t
from .._model.state import ExplorerState
from .._render import legend
from .guard import guarded


class LayerToggles:
    """One checkbox per map layer, with its colour and its completeness."""

    def __init__(self, state: ExplorerState):
        self.state = state
        atlas = state.atlas
        self.completeness = atlas.completeness()
        self.heading = widgets.HTML()
        self.boxes: dict[str, widgets.Checkbox] = {}
        self.counts: dict[str, widgets.HTML] = {}
        rows = []
        for name in atlas.layer_names():
            box = widgets.Checkbox(value=name in state.layers, indent=False, layout=widgets.Layout(width="auto"))
            box.add_class(f"scoda-layer-{name}")
            box.observe(guarded(state, "layer toggle")(lambda change, name=name: state.show_layer(name, bool(change["new"]))), names="value")
            self.boxes[name], self.counts[name] = box, widgets.HTML()
            rows.append(widgets.VBox([box, self.counts[name]], layout=widgets.Layout(margin="0 0 4px 0")))
        self.legend = widgets.HTML()  # shown on the map (see MapView.add_legend)
        self.legend.add_class("scoda-legend-box")
        self.widget = widgets.VBox([self.heading, *rows])
        self.widget.add_class("scoda-layers")
        state.observe(self._relabel, names="lang")
        state.observe(self._sync, names="layers")
        self._relabel()

    def _sync(self, change=None) -> None:
        for name, box in self.boxes.items():
            box.value = name in self.state.layers

    def _relabel(self, change=None) -> None:
        lang, atlas = self.state.lang, self.state.atlas
        self.heading.value = f"<h3 class=\"scoda-panel-title\">{escape(t('layers.heading', lang))}</h3>"
        for name, box in self.boxes.items():
            info = atlas.layer_info(name)
            box.description = info.title.get(lang) or info.title["en"]
            row = self.completeness.loc[name]
            claimed = row["claimed"]
            if not pd.isna(claimed):
                count = t("layers.count_claimed", lang, listed=row["listed"], claimed=int(claimed), on_map=row["on_map"])
            else:
                count = t("layers.count", lang, listed=row["listed"], on_map=row["on_map"])
            swatch = Markup('<span class="scoda-swatch" style="background:{}"></span>').format(info.color or "#777")
            self.counts[name].value = str(Markup('<div class="scoda-count">{}{}</div>').format(swatch if info.kind == "points" else "", count))
        self.legend.value = str(legend.render(atlas, lang))
