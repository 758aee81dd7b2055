"""The kiosk's "continue on your phone": a QR code of the view on the screen.

Shown only when the operator gives the address phones reach the server at
(``scoda-map kiosk --host 0.0.0.0 --public-url http://…/``): the kiosk's own
page runs on the loopback address no phone can open. The code opens the kernel-free
view the kiosk's server then serves (``/view/``), with the kiosk's language,
selection and layers; a phone never gets a kernel of the kiosk's server.
"""

from __future__ import annotations

import ipywidgets as widgets
import segno
from markupsafe import Markup

from .._env import VIEW_PATH
from .._i18n import t
from .._model import export, url
from .._model.state import ExplorerState


class PhoneCode:
    """A small box: the caption and a QR code that follows the view."""

    def __init__(self, state: ExplorerState, public_url: str | None):
        self.state = state
        self.public_url = public_url.rstrip("/") + "/" if public_url else None
        self.widget = widgets.HTML()
        self.widget.add_class("scoda-phone")
        if self.public_url is None:
            self.widget.layout.display = "none"
            return
        state.observe(self._render, names=["lang", "layers", "feature", "measure"])
        self._render()

    def link(self) -> str | None:
        if self.public_url is None:
            return None
        return export.share_link(self.public_url, url.encode(self.state), VIEW_PATH)

    def _render(self, change=None) -> None:
        link = self.link()
        qr = segno.make(link, error="m").svg_inline(scale=2, border=2, dark="#0b3954", omitsize=True)
        self.widget.value = str(Markup('<div class="scoda-phone-box"><p>{}</p><div class="scoda-phone-qr">{}</div></div>').format(
            t("kiosk.continue_on_phone", self.state.lang), Markup(qr)))
