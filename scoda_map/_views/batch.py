"""Send what a language switch changes as one burst, not as it is computed.

A language switch changes about twenty widgets. Sent as each changes, the messages
trickle into the page over the ~15 ms the kernel computes, and the browser applies and
draws them in several frames (style, layout and paint of the whole page each time).
Held until the handler is done, they leave together (docs/performance.md, "the language
switch").

Held updates still left as one message per widget, and on two busy cores the kernel, the
server and the page share the CPU: twenty messages reached the page over 50-100 ms, and it
drew three or four frames on the way. With a :class:`Courier` they leave as **one**
message, which the page applies in one go (one task, one frame): every widget's changed
values, in the order the widgets were made. Values with binary buffers, which a custom
message's JSON cannot carry, still go as their widget's own message, first.

Only for changes that redraw the whole page: where one part matters first (a picked
measure's highlight on the map), holding it back for the rest made it later (benchmark:
measure pick 73 -> 178 ms median when every visitor event was held).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import anywidget
import traitlets

# The kernel's live widgets (ipywidgets 8 keeps them here; ``Widget.widgets``, the public
# name it had, is deprecated), and how ipywidgets splits binary buffers from a state.
from ipywidgets.widgets.widget import _instances, _remove_buffers

# Each model's pending updates are awaited first (their order is kept), then every state is
# set in the same task: the browser lays out and draws once. A model the page does not know
# (closed meanwhile) is skipped, the others still applied.
_ESM = """
export default {
  initialize({ model }) {
    model.on('msg:custom', async (msg) => {
      if (!msg || !Array.isArray(msg.updates)) return;
      const manager = model.widget_manager;
      const ready = await Promise.all(msg.updates.map(async ([id, state]) => {
        try {
          const target = await manager.get_model(id);
          await target.state_change;
          return [target, await target.constructor._deserialize_state(state, manager)];
        } catch (e) { console.error('scoda: update of', id, 'not applied', e); return null; }
      }));
      for (const item of ready) {
        if (!item) continue;
        try { item[0].set_state(item[1]); } catch (e) { console.error('scoda: update failed', e); }
      }
    });
    // Until the page says it listens, the kernel sends each widget's update on its own.
    model.send({ event: 'ready' });
  },
};
"""


class Courier(anywidget.AnyWidget):
    """Invisible; carries the updates of a :func:`together` block to the page as one message.

    Make it when the app is built and pass it to :func:`together`; it need not be displayed.
    Until the page says it has loaded the widget's code (``ready``), :func:`together` sends
    each widget's updates on its own, as without a courier: a switch made in the page's first
    moments is not lost.
    """

    _esm = _ESM
    ready = traitlets.Bool(False)
    """Whether the page has loaded this widget's code and listens (it says so): not synced."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.on_msg(self._message)

    def _message(self, widget, content, buffers) -> None:
        if content == {"event": "ready"}:
            self.ready = True


@contextmanager
def together(courier: Courier | None = None) -> Iterator[None]:
    """Hold every widget's updates until the block ends, then send them.

    With a ready ``courier``, they leave as one message; without, one message per widget. Widgets
    opened in the block are sent at once as usual (the page must know them before an update
    refers to them); nested blocks send when the outermost ends. The held updates go in the
    order the widgets were made (a pane's content before the layout that shows it, which is
    made after its parts).

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> a, b = widgets.HTML(), widgets.HTML()
    >>> with together():
    ...     a.value = "one"
    ...     b.value = "two"   # neither is sent yet
    """
    # ipywidgets' own ``hold_sync``, for all widgets at once: a held widget notes the names
    # it would have sent in ``_states_to_send``. Widgets already held belong to an outer block.
    held = [w for w in list(_instances.values()) if not w._holding_sync]
    for widget in held:
        widget._holding_sync = True
    try:
        yield
    finally:
        # Every widget released first: one that fails to send must not leave the others held.
        pending = []
        for widget in held:
            widget._holding_sync = False
            names = set(widget._states_to_send)
            widget._states_to_send.clear()
            if names and widget.comm is not None:
                pending.append((widget, names))
        one_message = courier is not None and courier.ready and courier.comm is not None
        updates = []
        for widget, names in pending:
            update = _held_update(widget, names) if one_message else None
            if update is None:
                widget.send_state(names)
            else:
                updates.append(update)
        if updates:
            courier.send({"updates": updates})


def _held_update(widget, names: set[str]) -> list | None:
    """``[model id, state]`` as ``send_state`` would send it; None when it has binary buffers."""
    state = widget.get_state(names)
    split, _paths, buffers = _remove_buffers(state)
    if buffers:
        return None
    # As ``send_state`` does: a later echo from the page is compared with what it now holds.
    for name, value in state.items():
        if name in widget._property_lock:
            widget._property_lock[name] = value
    return [widget.model_id, split]
