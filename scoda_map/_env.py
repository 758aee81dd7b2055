"""Names of the environment variables the server hands to the dashboards' kernels.

One place for them: :mod:`scoda_map._server` sets them (through
:class:`scoda_map._server.ServerConfig`), the apps read them. A leaf module, so the
kernel's side imports nothing of the server's.
"""

DATA = "SCODA_MAP_DATA"  #: the geodata folder
ATLAS_CACHE = "SCODA_MAP_ATLAS_CACHE"  #: the checked atlas the server saved (scoda_map._data.cache)
WORLDVIEW = "SCODA_MAP_WORLDVIEW"  #: "cn" or "ne"
KIOSK_IDLE = "SCODA_KIOSK_IDLE"  #: seconds without a touch before the tour
KIOSK_STEP = "SCODA_KIOSK_STEP"  #: seconds per tour step
KIOSK_LANG = "SCODA_KIOSK_LANG"  #: the kiosk's home language
PUBLIC_URL = "SCODA_MAP_PUBLIC_URL"  #: the address visitors' phones reach the server at (kiosk QR code)
VIEW_PATH = "view/"  #: where a server serves the kernel-free view, beside its page
VIEW = "SCODA_MAP_VIEW"  #: the kernel-free view's path beside the page ("view/"), when the server has one
