"""The explorer's screen layout: which panel goes where, on every screen size.

Python decides what exists and its state (which pane is chosen, whether the details
sheet is open or pulled up, whether the legend is folded) as CSS classes on the
root; ``static/layout.css`` decides where things sit for each screen size with media
queries (phone portrait and landscape, tablet, laptop, desktop, 4K room display).
No script of our own runs in the page: the layout works under the server's
Content-Security-Policy, and the kernel never needs to know the screen's size.

- Phones and tablets (narrower than 1024 px, or lower than 600 px): the map fills
  the screen; a tab bar at the bottom opens Layers, Measures, Figures or Share as a
  sheet over the lower part of the map; the details of a selection open in a bottom
  sheet with buttons to pull it up and to close it.
- Laptops and larger: panes on the left (the same tab bar at its top), the map in
  the middle with a slot under it for a time control, details on the right.
"""

from __future__ import annotations

import ipywidgets as widgets

from .._i18n import t
from .._model.state import ExplorerState
from .fit import Insets
from .guard import guarded
from .screen import ScreenSize
from .when_shown import WhenShown

PANES = ("map", "layers", "measures", "figures", "share")
TAB_BAR = 46  # px: the phone's tab bar (layout.css)
SHEET = 0.48  # the details sheet's share of the map's height on a phone (layout.css)


def _button(css: str) -> widgets.Button:
    button = widgets.Button(layout=widgets.Layout(width="auto"))
    button.add_class(css)
    return button


class Layout:
    """Build the root widget from the explorer's parts and keep its state classes.

    Parameters
    ----------
    state : ExplorerState
    parts : dict
        Widgets by role: ``header``, ``languages``, ``map``, ``legend``, ``search``,
        ``layers``, ``measures``, ``figures``, ``share``, ``details``, ``footer``.
    on_share : callable, optional
        Called when the Share pane is chosen (opens the share panel).
    shown : dict, optional
        A ``WhenShown`` per pane (``layers``, ``measures``, ``figures``, ``share``) that the
        panes' views redraw through; the layout tells each whether its pane is on screen.
    """

    def __init__(self, state: ExplorerState, parts: dict, on_share=None, shown: dict[str, WhenShown] | None = None):
        self.state = state
        self.on_share = on_share
        self.shown = dict(shown or {})
        self.tabs = widgets.ToggleButtons(options=[(p, p) for p in PANES], value="map", style={"button_width": "auto"})
        self.tabs.add_class("scoda-tabbar")
        self.tabs.observe(guarded(state, "tab")(self._pane), names="value")
        # The details sheet: pull up / let down, and close (clears the selection).
        self.expand = _button("scoda-sheet-expand")
        self.close = _button("scoda-sheet-close")
        self.expand.on_click(guarded(state, "sheet")(lambda _: self._toggle_full()))
        self.close.on_click(guarded(state, "sheet")(lambda _: self.state.clear()))
        handle = widgets.HBox([self.expand, self.close])
        handle.add_class("scoda-sheet-handle")
        # The legend folds: one button opens it, one closes it; which is shown by default
        # depends on the screen (closed where space is short), so each sets its state outright.
        self.legend_open = _button("scoda-legend-open-button")
        self.legend_close = _button("scoda-legend-close-button")
        self.legend_open.on_click(guarded(state, "legend")(lambda _: self._legend(True)))
        self.legend_close.on_click(guarded(state, "legend")(lambda _: self._legend(False)))
        self.legend = widgets.VBox([self.legend_open, self.legend_close, parts["legend"]])
        self.legend.add_class("scoda-legend-fold")
        #: The bar under the map for the time control (a slider and a play button), if any.
        self.timebar = widgets.HBox(list(parts.get("timebar", [])))
        self.timebar.add_class("scoda-timebar")

        def box(kind, children, css):
            widget = kind(children)
            for name in css.split():
                widget.add_class(name)
            return widget

        panes = box(widgets.VBox, [
            box(widgets.VBox, [parts["search"], parts["layers"], *parts.get("feature_list", [])], "scoda-pane scoda-pane-layers"),
            box(widgets.VBox, [parts["measures"]], "scoda-pane scoda-pane-measures"),
            box(widgets.VBox, [parts["figures"]], "scoda-pane scoda-pane-figures"),
            box(widgets.VBox, [parts["share"]], "scoda-pane scoda-pane-share"),
        ], "scoda-panes")
        left = box(widgets.VBox, [self.tabs, panes], "scoda-left")
        center = box(widgets.VBox, [parts["map"], self.timebar], "scoda-center")
        right = box(widgets.VBox, [handle, parts["details"]], "scoda-right scoda-sheet")
        main = box(widgets.HBox, [left, center, right], "scoda-main")
        top = box(widgets.HBox, [parts["header"], parts["languages"]], "scoda-top")
        self.screen = ScreenSize()
        # Parts with nothing to show (e.g. the <html lang> setter) still need a place in the page.
        self.widget = box(widgets.VBox, [top, main, parts["footer"], self.screen, *parts.get("invisible", [])],
                          "scoda-app scoda-pane-is-map")
        self.full = False
        self._relabelling = False
        self.screen.observe(guarded(state, "screen size")(lambda change: self._show_panes()), names="compact")
        self._show_panes()
        state.observe(self._selection, names=["feature", "measure"])
        state.observe(self._relabel, names="lang")
        self._relabel()
        self._selection()

    def insets(self, size: tuple[float, float]) -> Insets:
        """What covers a map of ``size`` pixels on this screen: on a phone the tab bar and,
        with a selection, the details sheet (below the map in portrait, on its right in
        landscape); nothing on larger screens, where details have their own column."""
        if not self.screen.compact:
            return Insets()
        width, height = size
        selected = self.state.feature is not None or self.state.measure is not None
        landscape = self.screen.height < 600 and self.screen.width > self.screen.height
        if selected and landscape:
            return Insets(right=width / 2, bottom=TAB_BAR)
        if selected:
            return Insets(bottom=TAB_BAR + SHEET * height)
        return Insets(bottom=TAB_BAR)

    def pane_shown(self, pane: str) -> bool:
        """Whether ``pane`` may be on screen: the chosen one; on a laptop or larger, the
        Layers pane also while the map is chosen (the kernel learns the screen's size a
        moment after the page opens: until then a pane counts as shown if it may be)."""
        chosen = self.tabs.value
        return pane == chosen or (pane == "layers" and chosen == "map" and not self.screen.compact)

    def _show_panes(self) -> None:
        # A pane shown again first gets what it missed (sent before the class that shows it).
        for pane, when in self.shown.items():
            when.shown = self.pane_shown(pane)

    def _pane(self, change=None) -> None:
        if self._relabelling:  # new labels, the same pane (the options' change passes through "map")
            return
        self._show_panes()
        for pane in PANES:
            self.widget.remove_class(f"scoda-pane-is-{pane}")
        self.widget.add_class(f"scoda-pane-is-{self.tabs.value}")
        if self.tabs.value == "share" and self.on_share is not None:
            self.on_share()

    def _toggle_full(self) -> None:
        self.full = not self.full
        (self.widget.add_class if self.full else self.widget.remove_class)("scoda-sheet-full")
        self._relabel()

    def _selection(self, change=None) -> None:
        selected = self.state.feature is not None or self.state.measure is not None
        (self.widget.add_class if selected else self.widget.remove_class)("scoda-sheet-open")
        if not selected and self.full:
            self._toggle_full()

    def _legend(self, shown: bool) -> None:
        self.widget.remove_class("scoda-legend-shown" if not shown else "scoda-legend-hidden")
        self.widget.add_class("scoda-legend-shown" if shown else "scoda-legend-hidden")

    def _relabel(self, change=None) -> None:
        lang = self.state.lang
        chosen = self.tabs.value
        # One message per widget (hold_sync): a language switch updates dozens of widgets, and
        # each message costs the browser its own task (docs/performance.md).
        with self.tabs.hold_sync(), self.close.hold_sync(), self.legend_close.hold_sync():
            self._relabelling = True
            try:
                self.tabs.options = [(t(f"layout.tab.{p}", lang), p) for p in PANES]
                self.tabs.value = chosen
            finally:
                self._relabelling = False
            self.tabs.tooltips = [t(f"layout.tab.{p}", lang) for p in PANES]
            self.expand.description = t("layout.sheet.less" if self.full else "layout.sheet.more", lang)
            self.close.description = t("layout.sheet.close", lang)
            self.close.tooltip = t("layout.sheet.close", lang)
            self.legend_open.description = t("layout.legend.open", lang)
            self.legend_close.description = t("layout.legend.close", lang)
            self.legend_close.tooltip = t("layout.legend.close", lang)
