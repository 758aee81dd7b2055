"""Interface messages as safe HTML, translated when drawn.

The model stores a message's key and values (:class:`scoda_map._model.notice.Notice`);
these functions turn them into HTML in the visitor's language at render time.
A value from outside (an id typed into a link) goes into a *slot*: a
``<span data-slot>`` holding the escaped text. The static site ships each
message once per language with empty slots and fills them with ``textContent``,
so the page never builds markup from what a visitor typed, and the live and the
static page show the same HTML.

Examples
--------
>>> from scoda_map._model.notice import Notice
>>> str(notice_html(Notice("notice.unknown_feature", value="<b>"), "en"))
'<p class="scoda-notice" role="status">Nothing called “<span class="scoda-slot" data-slot="value">&lt;b&gt;</span>” is in the data.</p>'
>>> notice_text(Notice("notice.unknown_feature", value="x"), "ru")
'В данных нет «x».'
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from .._i18n import t
from .._model.notice import Notice

__all__ = ["message", "notice_html", "notice_text", "slot"]


def message(key: str, lang: str, **values: Any) -> Markup:
    """The catalog message ``key`` in ``lang`` as HTML; values are escaped unless Markup."""
    template = Markup(escape(t(key, lang)))
    return template.format(**values) if values else template


def slot(name: str, value: Any = "") -> Markup:
    """A value from outside, in a span the static page fills with ``textContent``."""
    return Markup('<span class="scoda-slot" data-slot="{}">{}</span>').format(name, value)


def notice_html(notice: Notice | None, lang: str) -> Markup:
    """The notice above the details, in ``lang``; nothing without a notice."""
    if notice is None:
        return Markup("")
    values = {name: slot(name, value) for name, value in notice.params}
    return Markup('<p class="scoda-notice" role="status">{}</p>').format(message(notice.key, lang, **values))


def notice_text(notice: Notice | None, lang: str) -> str:
    """The notice as plain text in ``lang`` ("" without a notice)."""
    return t(notice.key, lang, **notice.values) if notice is not None else ""
