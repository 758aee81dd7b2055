"""Voila hardened for anonymous visitors: caps, clean-up, and only what the page needs.

Voila starts one kernel per visitor. On an expo network a crowd, or a script
opening hundreds of tabs, would start kernels until the machine gives out; past
``ScodaVoila.max_kernels`` a visitor gets a short "busy, retrying" page (HTTP 503,
refreshing itself) instead of a hang, and no one client may take every slot
(429, the same page). The mechanics live in :mod:`scoda_map._security`; this
module wires them into Voila (SECURITY.md says what each one stops). Run as
``python -m scoda_map._voila_app`` with Voila's usual arguments;
:mod:`scoda_map._server` does.

With ``ScodaVoila.view_dir`` set (``scoda-map serve`` does), the same server also
serves that folder, the kernel-free static explorer, at ``/view/``: a page that costs
no kernel, for a group that opens the share link together (:mod:`scoda_map._view_site`).

Behind a load balancer (``scoda-map cluster``, :mod:`scoda_map._cluster`) each
process is given a ``ScodaVoila.backend_id``; its pages then set a cookie naming
it, so the balancer can send the page's kernel websocket, and the tab's closing
beacon, to the process that started the kernel.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import re
import resource
import tempfile

import tornado.ioloop
import tornado.web
from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.utils import url_path_join
from markupsafe import escape
from traitlets import Bool, Float, Int, List, Unicode
from voila.app import Voila
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler

from ._security import logs
from ._security.channel import GuardedConnection
from ._security.clients import client_address, is_local_client
from ._security.http import SECURITY_HEADERS, GuardedApplication, GuardedHTTPServer, NoBanner, cross_site_subrequest
from ._security.kernels import TOO_MANY, KernelGuard
from ._server import BACKEND_COOKIE, EXPLORER, PUBLIC_NAMES_ENV

RETRY_SECONDS = 5
#: The only template served, and whose static files may be fetched.
TEMPLATE = "scoda"
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
#: What Voila sends while a cell runs long; inline script is refused by the page's CSP.
HEARTBEAT = "<script>window.voila_heartbeat()</script>\n"
BUSY_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="refresh" content="{retry}"><title>SCODA Cooperation Map</title>
<style>body{{font-family:sans-serif;display:flex;align-items:center;justify-content:center;height:90vh;
color:#0b3954;text-align:center}}p{{font-size:22px;margin:8px}}</style></head><body><div>
<p>Many visitors right now: the map opens in a few seconds.</p>
<p>访问人数较多,地图将在几秒钟后打开。</p>
<p>Сейчас много посетителей: карта откроется через несколько секунд.</p>
</div></body></html>"""
REFUSED_PAGE = "Open the map from its own address.\n"


class CappedVoilaHandler(TornadoVoilaHandler):
    """Voila's page handler: refuses cross-site sub-requests and clients over their caps."""

    def initialize(self, **kwargs):
        self.backend_id = kwargs.pop("backend_id", "")
        self.guard: KernelGuard = kwargs.pop("guard")
        self.page_kernel = None
        super().initialize(**kwargs)

    @tornado.web.authenticated
    async def get(self, path=None):
        client = client_address(self.request)
        if cross_site_subrequest(self.request):  # another site's page: no kernel for it
            self.log.warning("refused a cross-site %s request from %s", escape(self.request.headers.get("Sec-Fetch-Dest", "?"))[:20],
                             escape(client))
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(REFUSED_PAGE)
            return
        status = self.guard.refuse(client, is_local_client(self.request))
        if status:
            self.log.warning("busy: %d kernels running or starting (cap %d); asked %s to retry%s",
                             self.guard.running(), self.guard.max_kernels,
                             escape(client), " (its own cap)" if status == TOO_MANY else "")
            self.set_status(status)
            self.set_header("Retry-After", str(RETRY_SECONDS))
            self.set_header("Cache-Control", "no-store")
            if self.backend_id:  # the retry goes back to the balancer's choice, not to this full process
                self.clear_cookie(BACKEND_COOKIE)
            self.finish(BUSY_PAGE.format(retry=RETRY_SECONDS))
            return
        if self.backend_id:
            self.set_cookie(BACKEND_COOKIE, self.backend_id, httponly=True, samesite="Lax")
        self.guard.page_started(self, client)
        try:
            await super().get(path)
        finally:
            self.guard.page_done(self, self.page_kernel)

    def write(self, chunk):
        if chunk == HEARTBEAT:
            chunk = "<!-- still running -->\n"  # keeps the connection alive without inline script
        if self.page_kernel is None and isinstance(chunk, str):
            match = KERNEL_ID.search(chunk)
            if match:  # Voila writes this only after start_kernel() has returned
                self.page_kernel = match.group(1)
                self.guard.kernel_known(self, self.page_kernel)
        super().write(chunk)

    def on_finish(self):
        self.guard.page_done(self, self.page_kernel)
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


class OwnTemplateFiles(TemplateStaticFileHandler):
    """Static files of the product's template only (not of every installed template)."""

    def parse_url_path(self, path):
        if not path.startswith(f"{TEMPLATE}/static/"):
            raise tornado.web.HTTPError(404)
        return super().parse_url_path(path)


class AllowedExtensionFiles(FileFindHandler):
    """Lab extension files of the allowlisted front ends only."""

    def initialize(self, allowed=(), **kwargs):
        self.allowed = tuple(allowed)
        super().initialize(**kwargs)

    def parse_url_path(self, path):
        if not any(path.startswith(name + "/") for name in self.allowed):
            raise tornado.web.HTTPError(404)
        return super().parse_url_path(path)


def _without_version(previous):
    """A page_config hook that leaves Voila's version out of the page."""

    def hook(page_config, **kwargs):
        if previous is not None:
            page_config = previous(page_config, **kwargs)
        page_config["appVersion"] = ""
        return page_config

    return hook


def _raise_open_files_limit() -> None:
    """Soft open-files limit up to the hard one: a busy server needs more than 1024."""
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        target = hard if hard != resource.RLIM_INFINITY else 65536
        if soft != resource.RLIM_INFINITY and soft < target:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ValueError, OSError):
        pass


class ScodaVoila(Voila):
    """Voila with the product's limits (see :mod:`scoda_map._security`)."""

    max_kernels = Int(24, help="Most kernels running at once (0: no cap); ~150 MB each.").tag(config=True)
    fork_kernels = Bool(True, help="Fork visitors' kernels from a process that has imported the dashboards "
                        "already (scoda_map._forking): about 1.2 CPU-s less per kernel.").tag(config=True)
    max_kernels_per_client = Int(4, help="Most kernels one client address may hold (0: no cap); never all "
                                 "of max_kernels.").tag(config=True)
    reserved_local_kernels = Int(0, help="Slots kept for this machine's own browser (the kiosk's).").tag(config=True)
    unconnected_kernel_seconds = Float(60, help="Shut a kernel down when its page has not connected this long "
                                       "after it was sent.").tag(config=True)
    kernel_memory_mb = Int(1024, help="Shut a kernel down when it uses more memory than this (0: no budget)."
                           ).tag(config=True)
    max_connections_per_client = Int(64, help="Most open connections from one address (0: no cap).").tag(config=True)
    idle_connection_seconds = Float(30, help="Close connections that send no request this long.").tag(config=True)
    websocket_max_message_bytes = Int(1 << 20, help="Largest message a page may send over its kernel websocket."
                                      ).tag(config=True)
    allowed_hosts = List(Unicode(), help="Host names served besides IP addresses and localhost "
                         f"(also from ${PUBLIC_NAMES_ENV}, comma-separated).").tag(config=True)
    view_dir = Unicode("", help="A static explorer (scoda-map export-site) to serve at /view/ "
                       "(empty: none).").tag(config=True)
    backend_id = Unicode("", help="This process's name behind a load balancer: pages set the "
                         f"'{BACKEND_COOKIE}' cookie to it (empty: no cookie).").tag(config=True)

    def initialize(self, argv=None):
        super().initialize(argv)
        # Voila reads ?template= and ?theme= from any link: a crafted theme was written into
        # the page unescaped, and ?template=lab brought back CDN requests. The server decides.
        self.voila_configuration.allow_template_override = "NO"
        self.voila_configuration.allow_theme_override = "NO"
        self.kernel_websocket_connection_class = GuardedConnection
        self.voila_configuration.page_config_hook = _without_version(self.voila_configuration.page_config_hook)
        _raise_open_files_limit()
        if self.fork_kernels:
            from ._forking import register
            from ._forking.provisioner import Template

            register(warm="explorer" if os.path.basename(self.notebook_path or "") == EXPLORER else None)
            # The template starts with the server, not with its first visitor.
            tornado.ioloop.IOLoop.current().add_callback(Template.shared)

    def init_settings(self):
        settings = super().init_settings()
        names = [n.strip() for n in os.environ.get(PUBLIC_NAMES_ENV, "").split(",") if n.strip()]
        if self.ip not in ("", "0.0.0.0", "::"):
            names.append(self.ip)
        settings.update(
            headers=dict(SECURITY_HEADERS),
            websocket_max_message_size=self.websocket_max_message_bytes,
            websocket_ping_interval=30, websocket_ping_timeout=30,
            scoda_allowed_hosts=tuple([*self.allowed_hosts, *names]),
            # gzip the page, scripts, CSS and JSON (tornado's GZipContentEncoding; woff2 and
            # images are compressed already): a phone on exhibition Wi-Fi pulls ~8 MB otherwise.
            compress_response=True,
        )
        self.guard = KernelGuard(self.kernel_manager, max_kernels=self.max_kernels, per_client=self.max_kernels_per_client,
                                 reserved_local=self.reserved_local_kernels,
                                 unconnected_seconds=self.unconnected_kernel_seconds, memory_mb=self.kernel_memory_mb)
        return settings

    def init_handlers(self):
        handlers = []
        allowed = list(self.voila_configuration.extension_allowlist or [])
        for spec in super().init_handlers():
            target = spec[1] if len(spec) >= 2 else None
            options = dict(spec[2]) if len(spec) > 2 else {}
            if target is TornadoVoilaHandler:
                spec = (spec[0], CappedVoilaHandler, {**options, "backend_id": self.backend_id, "guard": self.guard})
            elif target is TemplateStaticFileHandler:
                spec = (spec[0], OwnTemplateFiles, *spec[2:])
            elif target is FileFindHandler and "labextensions" in spec[0]:
                spec = (spec[0], AllowedExtensionFiles, {**options, "allowed": allowed})
            handlers.append(spec)
        if self.view_dir:  # first: Voila's own patterns must not take /view/
            view = url_path_join(self.server_url, "view")
            handlers[:0] = [(view, tornado.web.RedirectHandler, {"url": view + "/"}),
                            (view + "/(.*)", ViewHandler, {"path": self.view_dir, "default_filename": "index.html"})]
        return handlers

    def start(self):
        # Voila.start, with an application that checks Host and sends no Server banner.
        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        settings = self.init_settings()
        settings.update(self.tornado_settings)
        # Transforms given explicitly replace tornado's defaults: gzip (compress_response) must be named.
        gzip = [tornado.web.GZipContentEncoding] if settings.get("compress_response") else []
        self.app = GuardedApplication(transforms=[*gzip, NoBanner], **settings)
        self.app.add_handlers(".*$", self.init_handlers())
        self._install_log_guard()
        self.guard.start()
        self.listen()

    def listen(self):
        def guarded_listen(port, address="", **kwargs):
            server = GuardedHTTPServer(self.app, max_connections_per_client=self.max_connections_per_client,
                                       idle_connection_timeout=self.idle_connection_seconds, max_body_size=1 << 20,
                                       xheaders=False)
            server.listen(port, address, **kwargs)
            return server

        self.app.listen = guarded_listen
        super().listen()

    def _install_log_guard(self) -> None:
        # tornado's, asyncio's and the kernels' relayed records go to the root logger: give
        # it the app's handler, and every handler the filter that escapes and rate-limits.
        root = logging.getLogger()
        if not root.handlers:
            for handler in self.log.handlers:
                root.addHandler(handler)
        logs.install(self.log)


main = ScodaVoila.launch_instance

if __name__ == "__main__":
    main()
