"""The kiosk: the map on an exhibition touch screen, all day, unattended.

Same model and views as the explorer, laid out for standing visitors: big layer
and language buttons, tap a feature for its story, and after an idle time a tour
plays by itself until someone touches the screen.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import ipywidgets as widgets
from markupsafe import escape

from .. import _env
from .._data.atlas import Atlas
from .._data.loader import load_for_dashboard, validate
from .._data.worldview import ENV as WORLDVIEW_ENV, Worldview, from_environment, schematic_key
from .._i18n import LANGUAGES, t
from .._model.state import ExplorerState
from .._model.tour import TourPlayer
from .._render import overview
from .._views.details import DetailsPanel
from .._views.fit import Insets
from .._views.guard import guarded
from .._views.kiosk_agent import KioskAgent
from .._views.language_picker import LanguagePicker
from .._views.layer_buttons import LayerButtons
from .._views.map_view import MapView
from .._views.page_lang import PageLang
from .._views.phone_code import PhoneCode
from .._views.staff_panel import StaffPanel
from .._views.time_control import TimeControl
from .._views.tour_caption import TourCaption
from .unavailable import unavailable

KIOSK_LAYERS = ["routes", "port_cities", "parks", "sites"]
log = logging.getLogger("scoda_map.kiosk")


class _LastError(logging.Handler):
    """Remembers the last error logged in this kernel, for the staff panel."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.last = "none"

    def emit(self, record: logging.LogRecord) -> None:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(record.created))
        self.last = f"{when} {record.getMessage()}"[:300]


class Kiosk:
    """The kiosk app. Build with :meth:`from_environment` in ``dashboards/kiosk.ipynb``.

    Parameters
    ----------
    atlas : Atlas
    idle_seconds : float
        Idle time before the tour starts (default 60).
    step_seconds : float
        Time per tour step (default 12).
    data_path : Path, optional
        Folder that "Reload data" re-reads.
    public_url : str, optional
        The address phones reach the server at: a "continue on your phone" QR code
        then opens the view on the screen there (its kernel-free view).

    Examples
    --------
    >>> import scoda_map
    >>> kiosk = scoda_map.Kiosk(scoda_map.load(), idle_seconds=30)
    >>> kiosk.idle(); kiosk.player.playing
    True
    >>> kiosk.touch(); kiosk.player.playing
    False
    """

    def __init__(self, atlas: Atlas, idle_seconds: float = 60, step_seconds: float = 12,
                 data_path: Path | None = None, lang: str = "en", worldview: Worldview | str | None = None,
                 public_url: str | None = None):
        self.atlas, self.data_path = atlas, data_path
        self.default_lang = lang
        self.state = ExplorerState(atlas, lang=lang, layers=tuple(n for n in KIOSK_LAYERS if n in atlas.layer_names()))
        self.player = TourPlayer(self.state)
        self.map = MapView(self.state, worldview=worldview, second_tap_closes=True)
        self.details = DetailsPanel(self.state)
        self.close = widgets.Button(icon="", description="×", tooltip="Close")
        self.close.add_class("scoda-close")
        self.close.on_click(lambda _: self.state.clear())
        self.card = widgets.VBox([self.close, self.details.widget])
        self.card.add_class("scoda-story")
        # The idle home's overview (headline figures, how to use): beside the map where it fits
        # (landscape; kiosk.css hides it in portrait), until a visitor closes it or picks something.
        self.overview = widgets.HTML()
        self.overview_close = widgets.Button(description="×")
        self.overview_close.add_class("scoda-overview-close")
        self.overview_close.on_click(guarded(self.state, "kiosk overview")(lambda _: self._close_overview()))
        self.overview_card = widgets.VBox([self.overview_close, self.overview])
        self.overview_card.add_class("scoda-kiosk-overview")
        self.overview_closed = False
        self.layers = LayerButtons(self.state, KIOSK_LAYERS)
        self.languages = LanguagePicker(self.state)
        self.caption = TourCaption(self.player)
        self.phone = PhoneCode(self.state, public_url)
        # The growth step of a tour: the time control plays, then hides again.
        self.time = TimeControl(self.state)
        self.time.layout.display = "none"
        self.player.observe(self._play_timeline, names="timeline")
        self.title = widgets.HTML()
        self.title.add_class("scoda-kiosk-title")
        # The worldview is the server's (staff's) choice: no control for visitors anywhere.
        self.schematic = widgets.HTML()
        self.schematic.add_class("scoda-kiosk-schematic")
        self.step_seconds = step_seconds
        self.agent = KioskAgent(idle_seconds=idle_seconds, step_seconds=step_seconds)
        self.page_lang = PageLang(self.state)  # <html lang> follows the language buttons
        self.errors = _LastError()
        logging.getLogger().addHandler(self.errors)
        self.staff = StaffPanel(self.player, self.reload_data, self.status)

        self.agent.on("touch", guarded(self.state, "kiosk touch")(self.touch))
        self.agent.on("idle", guarded(self.state, "kiosk idle")(self.idle))
        self.agent.on("tick", guarded(self.state, "tour step")(self.player.advance))
        self.agent.on("staff", guarded(self.state, "staff panel")(self.staff.show))
        self.player.observe(lambda change: setattr(self.agent, "touring", change["new"]), names="playing")
        self.player.observe(self._step_time, names=["index", "playing"])
        self.state.observe(self._show_card, names=["feature", "measure"])
        self.player.observe(self._show_card, names="playing")
        self.state.observe(self._relabel, names="lang")
        self._relabel()
        self._show_card()
        self.widget = self._layout()
        # Frame the network, the tour's steps and a tapped feature in the part of the
        # screen the top bar, the buttons, the caption and the story card leave free.
        self.map.insets = self._insets
        self.map.home(fit=True)

    @classmethod
    def from_environment(cls) -> Kiosk:
        """Build on ``SCODA_MAP_DATA`` with the idle and step times ``scoda-map kiosk`` sets;
        a short message instead if it cannot start."""
        try:
            return cls._from_environment()
        except Exception:  # noqa: BLE001 - never a traceback on the wall
            return unavailable("kiosk")

    @classmethod
    def _from_environment(cls) -> Kiosk:
        folder = os.environ.get(_env.DATA) or None
        lang = os.environ.get(_env.KIOSK_LANG)
        return cls(load_for_dashboard(folder), idle_seconds=float(os.environ.get(_env.KIOSK_IDLE, 60)),
                   step_seconds=float(os.environ.get(_env.KIOSK_STEP, 12)), data_path=Path(folder) if folder else None,
                   worldview=from_environment(), lang=lang if lang in LANGUAGES else "en",
                   public_url=os.environ.get(_env.PUBLIC_URL) or None)

    def _layout(self) -> widgets.Widget:
        top = widgets.HBox([self.title, self.languages.widget])
        top.add_class("scoda-kiosk-top")
        root = widgets.Box([self.map.widget, top, self.layers.widget, self.schematic, self.overview_card, self.card, self.caption.widget,
                            self.phone.widget, self.time, self.staff.widget, self.agent, self.page_lang])
        root.add_class("scoda-kiosk")
        return root

    # -- what visitors and the clock do ---------------------------------------------
    def touch(self) -> None:
        """Any touch stops the tour (and leaves the map where the visitor is)."""
        if self.player.playing:
            self.player.stop()

    def idle(self) -> None:
        """Nobody touched for a while: back to the home view and language, then the tour."""
        self.state.clear()
        self.staff.hide()
        self.overview_closed = False
        with self.state.hold_trait_notifications():
            self.state.layers = tuple(n for n in KIOSK_LAYERS if n in self.atlas.layer_names())
            self.state.lang = self.default_lang
        if self.player.steps().empty:
            self.map.home(fit=True)
        else:
            # The first step frames itself; a home fit as well would race it (both run in the kernel's loop).
            self.player.start()

    def _step_time(self, change=None) -> None:
        """A step's own ``seconds`` from tour.csv, else the default."""
        seconds = None
        if self.player.playing and self.player.index >= 0:
            value = self.player.step(self.player.index).record.get("seconds")
            seconds = float(value) if value is not None and value == value else None
        self.agent.step_seconds = seconds or self.step_seconds

    def _insets(self, size: tuple[float, float]) -> Insets:
        """What covers the full-screen map (kiosk.css): the top bar, the layer buttons, the
        tour caption while touring, and the story card (on the right in landscape, the
        lower half in portrait)."""
        width, height = size
        portrait = height > width
        card = self._story_shown() or (self._overview_shown() and not portrait)
        top = 200 if portrait else 120
        bottom = 330 if self.player.playing else 110
        if card and portrait:
            return Insets(top=top, bottom=0.46 * height + 130)
        if card:
            return Insets(top=top, right=600, bottom=bottom)
        return Insets(top=top, bottom=bottom)

    def _play_timeline(self, change=None) -> None:
        span = self.player.timeline
        if span:
            first, last = (int(part) for part in span.split("-", 1))
            self.time.layout.display = None
            self.time.play(first, last)
        else:
            self.time.playing = False
            self.time.layout.display = "none"

    def _show_card(self, change=None) -> None:
        self.card.layout.display = None if self._story_shown() else "none"
        self.overview_card.layout.display = None if self._overview_shown() else "none"

    def _story_shown(self) -> bool:
        """A tapped feature's story, or a measure's outside the tour (the tour has its caption)."""
        return self.state.feature is not None or (self.state.measure is not None and not self.player.playing)

    def _overview_shown(self) -> bool:
        """Home: nothing picked, no tour playing, the overview not closed since the last idle."""
        nothing = self.state.feature is None and self.state.measure is None
        return nothing and not self.player.playing and not self.overview_closed

    def _close_overview(self) -> None:
        self.overview_closed = True
        self._show_card()
        self.map.home(fit=True)  # the map takes the space back

    def _relabel(self, change=None) -> None:
        lang = self.state.lang
        self.title.value = f"<h1>{escape(t('app.title', lang))}</h1><p>{escape(t('app.subtitle', lang))}</p>"
        self.schematic.value = f"<p>{escape(t(schematic_key(self.map.worldview), lang))}</p>"
        self.overview.value = str(overview.render(self.atlas, lang, howto="overview.howto_kiosk"))
        self.overview_close.tooltip = t("layout.sheet.close", lang)

    # -- staff ----------------------------------------------------------------------
    def status(self) -> dict[str, str]:
        from ipywidgets.widgets.widget import _instances  # Widget.widgets, without its deprecation warning

        lang = self.state.lang
        return {
            t("staff.data_version", lang): self.atlas.version,
            t("staff.data_folder", lang): str(self.data_path or self.atlas.path),
            t("staff.worldview", lang): t("staff.worldview_status", lang, worldview=self.map.worldview.value,
                                          env=WORLDVIEW_ENV),
            t("staff.tour", lang): t("staff.tour_status", lang, tour=self.player.tour_id, steps=len(self.player.steps()),
                                     idle=f"{self.agent.idle_seconds:g}"),
            t("staff.live_widgets", lang): str(len(_instances)),
            t("staff.last_error", lang): self.errors.last,
        }

    def reload_data(self) -> None:
        """Re-read the data; reload the page on success, keep running and say why on failure."""
        problems = validate(self.data_path)
        if problems:
            log.error("reload refused: %d problem(s); first: %s", len(problems), problems[0])
            return
        self.agent.reload_page()

    def _ipython_display_(self) -> None:
        from IPython.display import display
        display(self.widget)
