"""Redraw what a hidden pane holds when it is shown, not while nobody can see it.

The explorer's panes (Layers, Measures, Figures, Share) share one column on a laptop and
one sheet on a phone: one is on screen at a time. A language switch, a route click or a
layer toggle redraws the panes' lists and charts; for a pane that is not on screen that
is work for the kernel, bytes on the wire and a task in the page that nobody sees (a
third of a language switch's bytes, docs/performance.md). A ``WhenShown`` runs a redraw at
once while its pane is shown and keeps it (once per redraw) while it is hidden; the
layout runs what was kept before it sends the class that shows the pane, so a pane
never appears with old text.
"""

from __future__ import annotations

from collections.abc import Callable


class WhenShown:
    """The redraws of one part of the page that can be hidden.

    Examples
    --------
    >>> drawn = []
    >>> pane = WhenShown()
    >>> pane.run(lambda: drawn.append("now"))
    >>> pane.shown = False
    >>> redraw = lambda: drawn.append("later")
    >>> pane.run(redraw); pane.run(redraw)
    >>> drawn
    ['now']
    >>> pane.shown = True
    >>> drawn
    ['now', 'later']
    """

    def __init__(self, shown: bool = True):
        self._shown = shown
        self._kept: dict[Callable[[], None], None] = {}  # ordered, each redraw once

    @property
    def shown(self) -> bool:
        """Whether the part may be on screen; setting it True runs the kept redraws."""
        return self._shown

    @shown.setter
    def shown(self, value: bool) -> None:
        self._shown = bool(value)
        if self._shown:
            self.flush()

    def flush(self) -> None:
        """Run the kept redraws now, shown or not (a page about to be sent whole)."""
        while self._kept:
            redraw = next(iter(self._kept))
            del self._kept[redraw]
            redraw()

    def run(self, redraw: Callable[[], None]) -> None:
        """``redraw()`` now if shown, else when next shown."""
        if self._shown:
            redraw()
        else:
            self._kept[redraw] = None

    def observer(self, redraw: Callable[[], None]) -> Callable[..., None]:
        """A traitlets observer that runs ``redraw`` through :meth:`run`."""
        return lambda change=None: self.run(redraw)
