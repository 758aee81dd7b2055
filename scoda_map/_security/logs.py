"""A server log that a visitor cannot flood or forge.

Anything a visitor sends may end up in a log message (a refused message type, a
path, a header). :class:`SafeLogFilter`, installed on the server's log handlers,
makes every record one line (control characters and newlines escaped), cuts it
to :data:`MAX_CHARS`, and lets through at most :data:`BURST` records of the same
kind (logger and message template) per :data:`WINDOW` seconds; when a kind was
held back, the next one let through says how many were dropped.

Multi-line reports relayed from a kernel (its tracebacks, for staff) are marked
``scoda_multiline``: each line is escaped and prefixed with the record's
``scoda_prefix`` instead, so no line can pass for one of the server's own.
"""

from __future__ import annotations

import logging
import time

MAX_CHARS = 1000
MAX_LINES = 60
BURST = 20
#: Records of one logger per window, whatever their kind (messages formatted before
#: logging all look different).
LOGGER_BURST = 100
WINDOW = 10.0
_ESCAPES = {i: f"\\x{i:02x}" for i in range(32) if i not in (9,)} | {0x7f: "\\x7f", 10: "\\n", 13: "\\r"}


def one_line(text: object, limit: int = MAX_CHARS) -> str:
    """``text`` as one printable line, at most ``limit`` characters.

    >>> one_line('bad\\n[I 12:00:00 ServerApp] forged')
    'bad\\\\n[I 12:00:00 ServerApp] forged'
    >>> len(one_line('x' * 5000, 100))
    100
    """
    line = str(text).translate(_ESCAPES)
    return line if len(line) <= limit else line[: limit - 14] + "...(truncated)"


class SafeLogFilter(logging.Filter):
    """Escape, truncate and rate-limit records (see the module docstring)."""

    def __init__(self, burst: int = BURST, window: float = WINDOW):
        super().__init__()
        self.burst, self.window = burst, window
        self._kinds: dict[tuple, list] = {}  # kind -> [window start, count, dropped]
        self._loggers: dict[str, list] = {}  # logger name -> [window start, count]

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "scoda_safe", False):  # already made safe by another handler's filter
            return True
        kind = (record.name, str(record.msg)[:200])
        now = time.monotonic()
        entry = self._kinds.get(kind)
        if entry is None or now - entry[0] > self.window:
            dropped = entry[2] if entry else 0
            entry = self._kinds[kind] = [now, 0, 0]
            if len(self._kinds) > 1000:  # many kinds: forget the old windows
                for key in [k for k, v in self._kinds.items() if now - v[0] > self.window]:
                    del self._kinds[key]
        else:
            dropped = 0
        entry[1] += 1
        per_logger = self._loggers.get(record.name)
        if per_logger is None or now - per_logger[0] > self.window:
            per_logger = self._loggers[record.name] = [now, 0]
        per_logger[1] += 1
        if entry[1] > self.burst or (per_logger[1] > LOGGER_BURST and record.levelno < logging.ERROR):
            entry[2] += 1
            return False
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format must not lose the record
            message = f"{record.msg!r} % {record.args!r}"
        if getattr(record, "scoda_multiline", False):
            prefix = getattr(record, "scoda_prefix", "| ")
            lines = message.splitlines() or [""]
            if len(lines) > MAX_LINES:
                lines = lines[:MAX_LINES] + [f"...({len(lines) - MAX_LINES} more lines)"]
            message = "\n".join(prefix + one_line(line, 500) for line in lines)
        else:
            message = one_line(message)
        if dropped:
            message += f" [{dropped} similar messages dropped]"
        record.msg, record.args = message, None
        record.scoda_safe = True
        return True


def install(*loggers: logging.Logger) -> SafeLogFilter:
    """Put one :class:`SafeLogFilter` on every handler of ``loggers`` and the root logger."""
    safe = SafeLogFilter()
    seen = set()
    for logger in (*loggers, logging.getLogger()):
        for handler in logger.handlers:
            if id(handler) not in seen and not any(isinstance(f, SafeLogFilter) for f in handler.filters):
                handler.addFilter(safe)
                seen.add(id(handler))
    return safe
