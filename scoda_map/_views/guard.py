"""Every visitor event's handler runs through ``guarded``: its updates leave the kernel
together (``batch.together``), and when it fails the visitor's page keeps working: the
error is logged with its context for staff, and the visitor sees a short message in
their language, never a traceback."""

from __future__ import annotations

import functools
import logging

from .._model.notice import Notice
from .batch import together

log = logging.getLogger("scoda_map")


def guarded(state, what: str):
    """Decorator for widget callbacks: their updates are sent together when they return;
    exceptions are logged and turned into a notice."""

    def wrap(handler):
        @functools.wraps(handler)
        def run(*args, **kwargs):
            with together():
                return _run(*args, **kwargs)

        def _run(*args, **kwargs):
            try:
                return handler(*args, **kwargs)
            except Exception:  # a visitor's click must never break the page (logged: BLE001 allows it)
                log.exception("%s failed (feature=%r, measure=%r, lang=%r)", what, state.feature, state.measure, state.lang)
                try:
                    state.notice = Notice("error.generic")
                except Exception:  # noqa: BLE001
                    pass
                return None
        return run
    return wrap
