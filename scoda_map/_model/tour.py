"""Kiosk tours: steps read from the data, played without widgets."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from traitlets import Bool, HasTraits, Int, Unicode

from .state import ExplorerState
from .timeline import years


@dataclass(frozen=True)
class Step:
    """What one tour step shows: features to light, and its record (title, caption...)."""

    feature_ids: tuple[str, ...]
    measure: str | None
    record: pd.Series
    years: tuple[int, int] | None = None  # a timeline step: play the growth over these years


class TourPlayer(HasTraits):
    """Steps through a tour on an :class:`ExplorerState`; any touch stops it.

    Examples
    --------
    >>> import scoda_map
    >>> from scoda_map._model.state import ExplorerState
    >>> player = TourPlayer(ExplorerState(scoda_map.load()))
    >>> player.start(); player.playing, player.index
    (True, 0)
    """

    tour_id = Unicode("default")
    playing = Bool(False)
    index = Int(-1)  # the step shown, -1 when none
    timeline = Unicode("")  # "2015-2025" while a timeline step plays the growth; "" otherwise

    def __init__(self, state: ExplorerState, **kwargs):
        super().__init__(**kwargs)
        self.state = state
        if self.tour_id not in self.tour_ids() and self.tour_ids():
            self.tour_id = self.tour_ids()[0]

    def tour_ids(self) -> list[str]:
        return list(dict.fromkeys(self.state.atlas.tours["tour_id"]))

    def steps(self) -> pd.DataFrame:
        tours = self.state.atlas.tours
        return tours[tours["tour_id"] == self.tour_id].reset_index(drop=True)

    def choose(self, tour_id: str) -> bool:
        if tour_id not in self.tour_ids():
            return False
        self.stop()
        self.tour_id = tour_id
        return True

    def start(self) -> None:
        """Back to the home view, then the first step."""
        if self.steps().empty:
            return
        self.playing = True
        self.index = -1
        self.advance()

    def advance(self) -> None:
        """Show the next step (wrapping round at the end)."""
        steps = self.steps()
        if not self.playing or steps.empty:
            return
        self.index = (self.index + 1) % len(steps)
        step = self.step(self.index)
        self.state.clear()
        self.state.as_of = None
        self.timeline = f"{step.years[0]}-{step.years[1]}" if step.years else ""
        if step.measure is not None:
            self.state.select_measure(step.measure)
        else:
            self.state.spotlight = step.feature_ids

    def stop(self) -> None:
        if self.playing:
            self.playing = False
            self.index = -1
            self.timeline = ""
            self.state.clear()
            self.state.as_of = None

    def step(self, index: int) -> Step:
        record = self.steps().iloc[index]
        atlas, kind, target = self.state.atlas, record["target_type"], record["target"]
        if kind == "measure":
            return Step((), target, record)
        if kind == "layer":
            frame = atlas.layer(target)
            ids = tuple(frame.index[frame["on_map"]])
        elif kind == "corridor":
            routes = atlas.routes
            ids = tuple(routes.index[(routes["corridor"] == target) & routes["on_map"]])
        elif kind == "timeline":
            span = years(atlas)
            first, last = (span[0], span[-1]) if span else (0, 0)
            if isinstance(target, str) and "-" in target:
                low, high = (int(part) for part in target.split("-", 1))
                first, last = max(first, low), min(last, high)
            return Step((), None, record, (first, last) if span and first <= last else None)
        elif kind == "features":
            ids = tuple(part.strip() for part in str(target).split(";") if part.strip())
        else:
            ids = ()
        return Step(ids, None, record)
