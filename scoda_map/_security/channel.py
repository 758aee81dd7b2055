"""The kernel websocket: what a page may send, and what of the kernel it sees.

Voila already refuses every message type but the widget ones (no code runs).
On top of that, :class:`GuardedConnection`

- refuses ``comm_open`` from the page except the widget manager's control
  channel: widgets are made by the dashboard, never by a client (a script that
  opened thousands grew the kernel without bound);
- answers a few requests for every widget's state on that channel per connection
  (a page asks once; each answer is the whole dashboard, ~0.8 MB: a script asking
  again and again would have the kernel serialize and send it for nothing);
- logs what it refuses escaped, truncated and rate-limited (:mod:`.logs`);
- keeps the kernel's error output from the page: ``stream`` messages on stderr
  and ``error`` messages (tracebacks, file paths) go to the server log, each
  line marked with the kernel, where "see the server log" sends staff;
- blanks the version banners of ``kernel_info_reply`` (Python, IPython, ipykernel).

Tornado's ``websocket_max_message_size`` (set by :mod:`scoda_map._voila_app`)
closes a connection that sends an oversized message.
"""

from __future__ import annotations

import json
import logging
import time

from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from .logs import one_line

log = logging.getLogger("scoda_map.security")
kernel_log = logging.getLogger("scoda_map.kernel")

V1 = "v1.kernel.websocket.jupyter.org"
CONTROL = "jupyter.widget.control"
#: comm targets a page may open: ipywidgets' manager asks for every widget's state on it.
OPEN_TARGETS = frozenset({CONTROL})
#: Requests for every widget's state a connection may send on the control channel.
MAX_STATE_REQUESTS = 3
#: Most kernel error text relayed to the log per kernel and minute (the rest is counted).
RELAY_CHARS_PER_MINUTE = 20_000


class GuardedConnection(ZMQChannelsWebsocketConnection):
    """Jupyter's kernel websocket connection, with the checks above."""

    _relay_window = (0.0, 0)
    _state_requests = 0
    _control_comms: frozenset = frozenset()  # the control channels this page opened and still has

    # --- from the page -------------------------------------------------------------------
    def handle_incoming_message(self, incoming_msg) -> None:
        try:
            channel, header, content = self._peek_incoming(incoming_msg)
        except Exception:  # noqa: BLE001 - anything unreadable is refused
            self._refuse("unreadable message", "")
            return
        msg_type = header.get("msg_type") if isinstance(header, dict) else None
        allowed = self.multi_kernel_manager.allowed_message_types
        if allowed and msg_type not in allowed:  # refused here, so logged safely, not verbatim
            self._refuse("message type", msg_type)
            return
        comm_id = content.get("comm_id") if isinstance(content, dict) else None
        if msg_type == "comm_open":
            target = content.get("target_name") if isinstance(content, dict) else None
            if target not in OPEN_TARGETS:
                self._refuse("comm_open for target", target)
                return
            if target == CONTROL:
                self._control_comms |= {comm_id}
        elif msg_type == "comm_close":
            self._control_comms -= {comm_id}
        elif msg_type == "comm_msg" and comm_id in self._control_comms:
            self._state_requests += 1
            if self._state_requests > MAX_STATE_REQUESTS:
                self._refuse("request for every widget's state, number", self._state_requests)
                return
        super().handle_incoming_message(incoming_msg)

    def _peek_incoming(self, incoming_msg):
        if self.subprotocol == V1:
            channel, parts = deserialize_msg_from_ws_v1(incoming_msg)
            header = self.session.unpack(parts[0])
            content = self.session.unpack(parts[3]) if self._read_content(header.get("msg_type")) else None
            return channel, header, content
        msg = json.loads(incoming_msg) if isinstance(incoming_msg, (str, bytes)) else incoming_msg
        return msg.get("channel"), msg.get("header") or {}, msg.get("content")

    def _read_content(self, msg_type) -> bool:
        """Only where a check needs it: comm_open, and comm messages while a control channel
        is open (a page closes it once answered; widget updates are not read twice)."""
        return msg_type == "comm_open" or (bool(self._control_comms) and msg_type in ("comm_msg", "comm_close"))

    def _refuse(self, what: str, value) -> None:
        log.warning("kernel %s: refused %s %s", self.kernel_id, what, one_line(repr(value), 120))

    # --- to the page ---------------------------------------------------------------------
    def handle_outgoing_message(self, stream, outgoing_msg) -> None:
        channel = stream if isinstance(stream, str) else getattr(stream, "channel", None)
        try:
            idents, fed = self.session.feed_identities(outgoing_msg)
            header = self.session.unpack(fed[1])
            msg_type = header.get("msg_type")
            if channel == "iopub" and msg_type in ("stream", "error"):
                content = self.session.unpack(fed[4])
                if msg_type == "error" or content.get("name") == "stderr":
                    self._relay(content)
                    return
            if channel == "shell" and msg_type == "kernel_info_reply":
                content = self.session.unpack(fed[4])
                content["banner"], content["help_links"] = "", []
                content.pop("implementation_version", None)
                if isinstance(content.get("language_info"), dict):
                    content["language_info"]["version"] = ""
                parts = [*fed[1:4], self.session.pack(content)]
                fed = [self.session.sign(parts), *parts, *fed[5:]]  # re-signed: Jupyter checks it
                outgoing_msg = [*idents, b"<IDS|MSG>", *fed]
        except Exception:  # noqa: BLE001 - never pass on what could not be checked
            log.warning("kernel %s: dropped an unreadable kernel message", self.kernel_id)
            return
        super().handle_outgoing_message(stream, outgoing_msg)

    def _relay(self, content: dict) -> None:
        if "traceback" in content:
            text = "\n".join(map(str, content.get("traceback") or [])) or f"{content.get('ename')}: {content.get('evalue')}"
        else:
            text = str(content.get("text", ""))
        start, used = self._relay_window
        now = time.monotonic()
        if now - start > 60:
            start, used = now, 0
        if used >= RELAY_CHARS_PER_MINUTE:
            self._relay_window = (start, used)
            return
        text = text[: RELAY_CHARS_PER_MINUTE - used]
        self._relay_window = (start, used + len(text))
        kernel_log.warning("%s", _strip_ansi(text).rstrip(),
                           extra={"scoda_multiline": True, "scoda_prefix": f"[kernel {self.kernel_id[:8]}] "})


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)
