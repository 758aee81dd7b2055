"""What a visitor sees when a dashboard cannot start: a short message in three
languages, never a traceback (the traceback goes to the server log)."""

from __future__ import annotations

import logging

import ipywidgets as widgets
from markupsafe import Markup

from .._i18n import LANGUAGES, t

log = logging.getLogger("scoda_map")


def unavailable(what: str) -> widgets.HTML:
    """Log the current exception and return the visitor's message."""
    log.exception("%s could not start", what)
    lines = Markup("").join(Markup("<p>{}</p>").format(t("error.unavailable", lang)) for lang in LANGUAGES)
    page = widgets.HTML(str(Markup('<div class="scoda-unavailable">{}</div>').format(lines)))
    page.add_class("scoda-unavailable-box")
    return page
