"""The kernel-free view a whole group opens at once, served by the dashboard's own server.

A kernel per visitor costs about 2.3 CPU-s to start: 16 people scanning the same QR
code in a meeting room wait for each other (docs/performance.md, "A delegation at
once"). So the share link and QR code point at ``/view/?<the same parameters>``: the
static explorer (``scoda-map export-site``), written once when the server starts and
served as files. A button on it, "Open the live map", goes to the live explorer with
the view the visitor is looking at.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from markupsafe import Markup

from ._i18n import LANGUAGES, t

LIVE_JS = """(function () {
  "use strict";
  var link = document.getElementById("scoda-live");
  if (!link) return;
  var labels = JSON.parse(link.getAttribute("data-labels"));
  function update() {
    var query = location.hash.replace(/^#/, "") || location.search.replace(/^\\?/, "");
    link.href = "../" + (query ? "?" + query : "");
    var lang = (document.documentElement.lang || "en").slice(0, 2);
    link.textContent = labels[lang] || labels.en;
  }
  update();
  new MutationObserver(update).observe(document.documentElement, {attributes: true, attributeFilter: ["lang"]});
  window.addEventListener("hashchange", update);
  link.addEventListener("click", update);
  link.addEventListener("focus", update);
})();
"""
LIVE_CSS = """.scoda-live-link{position:fixed;right:12px;bottom:12px;z-index:1000;padding:10px 16px;border-radius:22px;
background:#0b3954;color:#fff;font:600 15px/1.2 sans-serif;text-decoration:none;box-shadow:0 2px 8px rgba(0,0,0,.3)}
.scoda-live-link:hover,.scoda-live-link:focus{background:#087e8b;color:#fff}
"""


def live_link() -> Markup:
    """The "Open the live map" button (labels in every language; live.js keeps it current)."""
    labels = json.dumps({lang: t("view.open_live", lang) for lang in LANGUAGES}, ensure_ascii=False)
    return Markup('<link rel="stylesheet" href="live.css"><a id="scoda-live" class="scoda-live-link" href="../" '
                  'data-labels="{}">{}</a><script src="live.js"></script>\n').format(labels, t("view.open_live", "en"))


def build_view(atlas, folder: str | Path, live: bool = True, worldview: str | None = None) -> Path:
    """Write the static explorer into ``folder`` (borders in ``worldview``, as the live map's), with
    the live-map button if ``live``; return the folder."""
    from ._export.site import build_site

    folder = Path(folder)
    index = build_site(atlas, folder, worldview=worldview)
    if not live:
        _gzip_beside(folder)
        return folder
    (folder / "live.js").write_text(LIVE_JS, encoding="utf-8")
    (folder / "live.css").write_text(LIVE_CSS, encoding="utf-8")
    page = index.read_text(encoding="utf-8")
    cut = page.rfind("</body>")
    if cut < 0:
        raise ValueError(f"{index}: no </body> to add the live-map button to")
    index.write_text(page[:cut] + str(live_link()) + page[cut:], encoding="utf-8")
    _gzip_beside(folder)
    return folder


def _gzip_beside(folder: Path) -> None:
    """A ``.gz`` copy beside every text file, for the server to send to browsers that accept it."""
    for path in list(folder.rglob("*")):
        if path.suffix in (".html", ".js", ".css", ".json", ".svg") and path.is_file():
            path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
