"""Keep a visitor's page working when a handler fails: log the error with its
context for staff, show a short message in the visitor's language, never a
traceback."""

from __future__ import annotations

import functools
import logging

from .._model.notice import Notice

log = logging.getLogger("scoda_map")


def guarded(state, what: str):
    """Decorator for widget callbacks: exceptions are logged and turned into a notice."""

    def wrap(handler):
        @functools.wraps(handler)
        def run(*args, **kwargs):
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
