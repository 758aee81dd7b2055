"""The HTTP doors: which Host names, how many connections, which headers.

- **Host allowlist** (DNS rebinding): a page on another site whose name is made to
  resolve to this machine sends its own name as ``Host``. Requests are served
  only for IP literals (a tablet typing the server's address), ``localhost`` and
  the names configured (``ScodaVoila.allowed_hosts``, ``--public-name``); others
  get 400 without reaching any handler.
- **Connections per client**: one address may hold at most
  ``max_connections_per_client`` open connections (a loopback proxy's are not
  counted: nginx limits per visitor itself); more are closed on accept, so idle
  half-open connections from one script cannot use up the process's files.
  ``idle_connection_timeout`` closes connections that send no request.
- **Headers**: no ``Server`` banner; ``nosniff``; a Content-Security-Policy
  that allows scripts only from this server (no inline script: the template
  carries none), so a reflected ``<script>`` would not run.
"""

from __future__ import annotations

import ipaddress
import logging
import time

import tornado.httpserver
import tornado.web

from .clients import LOCAL_PEERS
from .logs import one_line

log = logging.getLogger("scoda_map.security")

#: Scripts from this server only (anywidget loads its modules from blob: URLs), no inline script.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    # jupyter-leaflet's bundle calls eval(); 'unsafe-eval' still refuses every inline script.
    "script-src 'self' blob: 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
#: Peers whose connections are not counted per client: nginx of `scoda-map cluster`
#: (it limits per visitor itself) and the kiosk's browser.
UNCOUNTED = LOCAL_PEERS
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")


def host_name(host_header: str) -> str:
    """The name in a Host header, without port or IPv6 brackets.

    >>> host_name("Example.org:8866"), host_name("[::1]:80"), host_name("127.0.0.1")
    ('example.org', '::1', '127.0.0.1')
    """
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_allowed(host_header: str, allowed: tuple[str, ...] = ()) -> bool:
    """Whether a request for this Host may be served.

    >>> host_allowed("192.168.1.20:8866"), host_allowed("localhost:8866"), host_allowed("evil.example:8866")
    (True, True, False)
    >>> host_allowed("map.example.org", ("map.example.org",))
    True
    """
    name = host_name(host_header)
    if not name:
        return False
    try:
        ipaddress.ip_address(name)
        return True  # an address typed by the visitor: no name to rebind
    except ValueError:
        pass
    return name in LOCAL_NAMES or name in {a.lower() for a in allowed}


def cross_site_subrequest(request) -> bool:
    """A request another site's page made without the visitor navigating.

    Browsers say where a request comes from (``Sec-Fetch-Site``) and what it is
    for (``Sec-Fetch-Mode``/``Dest``). A visitor following a link (a shared view,
    from any site) navigates a document; an image, script, fetch or frame from
    another site's page is refused, so a page cannot start kernels here.
    """
    site = request.headers.get("Sec-Fetch-Site", "")
    if site not in ("cross-site", "same-site"):
        return False
    mode, dest = request.headers.get("Sec-Fetch-Mode", ""), request.headers.get("Sec-Fetch-Dest", "")
    return not (mode == "navigate" and dest == "document")


class NoBanner(tornado.web.OutputTransform):
    """Drop tornado's ``Server`` header from every response (websocket handshakes too)."""

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        headers.pop("Server", None)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        return status_code, headers, chunk


class _RefuseHost(tornado.web.RequestHandler):
    def prepare(self):
        self.set_status(400)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("Unknown host name.\n")


class GuardedApplication(tornado.web.Application):
    """Tornado's application, answering only for allowed Host names."""

    def find_handler(self, request, **kwargs):
        allowed = self.settings.get("scoda_allowed_hosts", ())
        if not host_allowed(request.host or "", allowed):
            _rate_limited_warning("refused Host %s from %s", one_line(request.host, 100), request.remote_ip)
            return self.get_handler_delegate(request, _RefuseHost)
        return super().find_handler(request, **kwargs)


_last_warning: dict[str, float] = {}


def _rate_limited_warning(template: str, *args, every: float = 5.0) -> None:
    now = time.monotonic()
    if now - _last_warning.get(template, 0) >= every:
        _last_warning[template] = now
        log.warning(template, *args)


class GuardedHTTPServer(tornado.httpserver.HTTPServer):
    """An HTTPServer that caps open connections per client address."""

    def initialize(self, *args, max_connections_per_client: int = 64, max_connections: int = 4000, **kwargs):
        super().initialize(*args, **kwargs)
        self.max_per_client = max_connections_per_client
        self.max_connections = max_connections
        self.per_client: dict[str, int] = {}
        self.open_count = 0

    def handle_stream(self, stream, address):
        peer = str(address[0]) if isinstance(address, tuple) and address else "?"
        counted = peer not in UNCOUNTED  # a proxy on this machine (or the kiosk's browser) is not capped
        if self.open_count >= self.max_connections or (
                counted and self.max_per_client and self.per_client.get(peer, 0) >= self.max_per_client):
            _rate_limited_warning("closing connections from %s: %d open (cap %d per client, %d in all)", peer,
                                  self.per_client.get(peer, 0), self.max_per_client, self.max_connections)
            stream.close()
            return
        self.open_count += 1
        if counted:
            self.per_client[peer] = self.per_client.get(peer, 0) + 1

        def closed():
            self.open_count -= 1
            if counted:
                left = self.per_client.get(peer, 1) - 1
                if left > 0:
                    self.per_client[peer] = left
                else:
                    self.per_client.pop(peer, None)

        _always_on_close(stream, closed)
        super().handle_stream(stream, address)


def _always_on_close(stream, first) -> None:
    """Run ``first`` when the stream closes, whatever close callback is set on it later."""
    # HTTP1ServerConnection and websockets set their own close callbacks on the stream:
    # wrap set_close_callback so ours always runs too.
    original_set = stream.set_close_callback
    later = [None]

    def run():
        first()
        if later[0] is not None:
            later[0]()

    def set_close_callback(callback):
        later[0] = callback

    stream.set_close_callback = set_close_callback
    original_set(run)
