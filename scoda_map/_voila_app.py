"""Voila with a cap on concurrent kernels.

Voila starts one kernel per visitor. On an expo network a crowd, or a script
opening hundreds of tabs, would start kernels until the machine gives out; past
``ScodaVoila.max_kernels`` a visitor gets a short "busy, retrying" page (HTTP 503,
refreshing itself) instead of a hang. Run as ``python -m scoda_map._voila_app``
with Voila's usual arguments; :mod:`scoda_map._server` does.

With ``ScodaVoila.view_dir`` set (``scoda-map serve`` does), the same server also
serves that folder, the kernel-free static explorer, at ``/view/``: a page that costs
no kernel, for a group that opens the share link together (:mod:`scoda_map._view_site`).

Behind a load balancer (``scoda-map cluster``, :mod:`scoda_map._cluster`) each
process is given a ``ScodaVoila.backend_id``; its pages then set a cookie naming
it, so the balancer can send the page's kernel websocket, and the tab's closing
beacon, to the process that started the kernel.
"""

from __future__ import annotations

import mimetypes
import os

import tornado.web
from jupyter_server.utils import url_path_join
from markupsafe import escape
from traitlets import Int, Unicode
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from ._server import BACKEND_COOKIE

RETRY_SECONDS = 5
BUSY_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="refresh" content="{retry}"><title>SCODA Cooperation Map</title>
<style>body{{font-family:sans-serif;display:flex;align-items:center;justify-content:center;height:90vh;
color:#0b3954;text-align:center}}p{{font-size:22px;margin:8px}}</style></head><body><div>
<p>Many visitors right now: the map opens in a few seconds.</p>
<p>访问人数较多,地图将在几秒钟后打开。</p>
<p>Сейчас много посетителей: карта откроется через несколько секунд.</p>
</div></body></html>"""


class CappedVoilaHandler(TornadoVoilaHandler):
    """Voila's page handler, refusing politely when ``max_kernels`` are running."""

    def initialize(self, **kwargs):
        self.max_kernels = kwargs.pop("max_kernels")
        self.backend_id = kwargs.pop("backend_id", "")
        # Pages let in whose kernel has not started yet, shared by all requests. A kernel
        # joins list_kernel_ids() only once started, so a burst of simultaneous visitors
        # would all pass a check on list_kernel_ids() alone.
        self.starting = kwargs.pop("starting")
        super().initialize(**kwargs)

    @tornado.web.authenticated
    async def get(self, path=None):
        running = len(self.kernel_manager.list_kernel_ids()) + len(self.starting)
        if self.max_kernels and running >= self.max_kernels:
            self.log.warning("busy: %d kernels running or starting (cap %d); asked %s to retry", running,
                             self.max_kernels, escape(self.request.remote_ip or "?"))
            self.set_status(503)
            self.set_header("Retry-After", str(RETRY_SECONDS))
            self.set_header("Cache-Control", "no-store")
            if self.backend_id:  # the retry goes back to the balancer's choice, not to this full process
                self.clear_cookie(BACKEND_COOKIE)
            self.finish(BUSY_PAGE.format(retry=RETRY_SECONDS))
            return
        if self.backend_id:
            self.set_cookie(BACKEND_COOKIE, self.backend_id, httponly=True, samesite="Lax")
        self.starting.add(self)
        try:
            await super().get(path)
        finally:
            self.starting.discard(self)

    def write(self, chunk):
        # Voila writes the page only after start_kernel() has returned: from here on
        # this page's kernel is in list_kernel_ids().
        self.starting.discard(self)
        super().write(chunk)

    def on_finish(self):
        self.starting.discard(self)
        super().on_finish()


class ViewHandler(tornado.web.StaticFileHandler):
    """The kernel-free view's files: the page always revalidated, its assets cached a day, and
    the gzipped copy written beside a file sent to browsers that take it (a phone on a meeting
    room's Wi-Fi gets plotly.js in about a third of the bytes)."""

    gzipped: str | None = None

    def validate_absolute_path(self, root, absolute_path):
        path = super().validate_absolute_path(root, absolute_path)
        if path and "gzip" in self.request.headers.get("Accept-Encoding", "") and os.path.isfile(path + ".gz"):
            self.gzipped = path
            self._stat_result = os.stat(path + ".gz")  # tornado's size and modified time come from it
            return path + ".gz"
        return path

    def get_content_type(self):
        if self.gzipped:
            return mimetypes.guess_type(self.gzipped)[0] or "application/octet-stream"
        return super().get_content_type()

    def set_extra_headers(self, path):
        self.set_header("Cache-Control", "public, max-age=86400" if path.startswith("assets/") else "no-cache")
        self.set_header("Vary", "Accept-Encoding")
        if self.gzipped:
            self.set_header("Content-Encoding", "gzip")


class ScodaVoila(Voila):
    """Voila whose notebook handler caps the number of running kernels."""

    max_kernels = Int(24, help="Most kernels running at once (0: no cap); ~150 MB each.").tag(config=True)
    backend_id = Unicode("", help="This process's name behind a load balancer: pages set the "
                         f"'{BACKEND_COOKIE}' cookie to it (empty: no cookie).").tag(config=True)
    view_dir = Unicode("", help="A static explorer (scoda-map export-site) to serve at /view/ "
                       "(empty: none).").tag(config=True)

    def init_settings(self):
        # gzip the page, scripts, CSS and JSON (tornado's GZipContentEncoding; woff2 and
        # images are compressed already): a phone on exhibition Wi-Fi pulls ~8 MB otherwise.
        settings = super().init_settings()
        settings["compress_response"] = True
        return settings

    def init_handlers(self):
        self._starting = set()
        handlers = []
        for spec in super().init_handlers():
            if len(spec) >= 2 and spec[1] is TornadoVoilaHandler:
                options = dict(spec[2]) if len(spec) > 2 else {}
                options["max_kernels"] = self.max_kernels
                options["backend_id"] = self.backend_id
                options["starting"] = self._starting
                spec = (spec[0], CappedVoilaHandler, options)
            handlers.append(spec)
        if self.view_dir:  # first: Voila's own patterns must not take /view/
            view = url_path_join(self.server_url, "view")
            handlers[:0] = [(view, tornado.web.RedirectHandler, {"url": view + "/"}),
                            (view + "/(.*)", ViewHandler, {"path": self.view_dir, "default_filename": "index.html"})]
        return handlers


main = ScodaVoila.launch_instance

if __name__ == "__main__":
    main()
