"""Send what a language switch changes as one burst, not as it is computed.

A language switch changes about twenty widgets. Sent as each changes, the messages
trickle into the page over the ~15 ms the kernel computes, and the browser applies and
draws them in several frames (style, layout and paint of the whole page each time).
Held until the handler is done, they leave together and the page usually draws them in
one frame (docs/performance.md, "the language switch"). Each widget still sends one
message (``ipywidgets``' ``hold_sync``), holding all of its changed values.

Only for changes that redraw the whole page: where one part matters first (a picked
measure's highlight on the map), holding it back for the rest made it later (benchmark:
measure pick 73 -> 178 ms median when every visitor event was held).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

# The kernel's live widgets (ipywidgets 8 keeps them here; ``Widget.widgets``, the public
# name it had, is deprecated).
from ipywidgets.widgets.widget import _instances


@contextmanager
def together() -> Iterator[None]:
    """Hold every widget's updates until the block ends, then send them.

    Widgets opened in the block are sent at once as usual (the page must know them
    before an update refers to them); nested blocks send when the outermost ends. The
    held updates go in the order the widgets were made.

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> a, b = widgets.HTML(), widgets.HTML()
    >>> with together():
    ...     a.value = "one"
    ...     b.value = "two"   # neither is sent yet
    """
    with ExitStack() as stack:
        # Released in the order the widgets were made (the stack unwinds last-in first):
        # a pane's content before the layout that shows it, which is made after its parts.
        for widget in reversed(list(_instances.values())):
            stack.enter_context(widget.hold_sync())
        yield
