"""Voila with a cap on concurrent kernels.

Voila starts one kernel per visitor. On an expo network a crowd, or a script
opening hundreds of tabs, would start kernels until the machine gives out; past
``ScodaVoila.max_kernels`` a visitor gets a short "busy, retrying" page (HTTP 503,
refreshing itself) instead of a hang. Run as ``python -m scoda_map._voila_app``
with Voila's usual arguments; :mod:`scoda_map._server` does.
"""

from __future__ import annotations

import tornado.web
from markupsafe import escape
from traitlets import Int
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

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
        super().initialize(**kwargs)

    @tornado.web.authenticated
    async def get(self, path=None):
        running = len(self.kernel_manager.list_kernel_ids())
        if self.max_kernels and running >= self.max_kernels:
            self.log.warning("busy: %d kernels running (cap %d); asked %s to retry", running, self.max_kernels,
                             escape(self.request.remote_ip or "?"))
            self.set_status(503)
            self.set_header("Retry-After", str(RETRY_SECONDS))
            self.set_header("Cache-Control", "no-store")
            self.finish(BUSY_PAGE.format(retry=RETRY_SECONDS))
            return
        await super().get(path)


class ScodaVoila(Voila):
    """Voila whose notebook handler caps the number of running kernels."""

    max_kernels = Int(24, help="Most kernels running at once (0: no cap); ~150 MB each.").tag(config=True)

    def init_handlers(self):
        handlers = []
        for spec in super().init_handlers():
            if len(spec) >= 2 and spec[1] is TornadoVoilaHandler:
                options = dict(spec[2]) if len(spec) > 2 else {}
                options["max_kernels"] = self.max_kernels
                spec = (spec[0], CappedVoilaHandler, options)
            handlers.append(spec)
        return handlers


main = ScodaVoila.launch_instance

if __name__ == "__main__":
    main()
