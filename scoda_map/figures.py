"""Figures for notebooks and reports: the same charts and map the dashboards show.

Built by the render layer (:mod:`scoda_map._render`), the pure functions the
explorer, the saved map page and the static site also draw from; importing this
module loads no widget library.

Examples
--------
>>> import scoda_map
>>> from scoda_map import figures
>>> atlas = scoda_map.load()
>>> figures.trains_figure(atlas).layout.title.text
'China-Europe/Central Asia trains at SCODA per year'
>>> len(figures.map_figure(atlas, lang="zh", selected="r-almaty").data) > 3
True

Save one as PNG or SVG with :func:`save_figure` (offline: kaleido drives the
Chromium the machine has, e.g. Debian's ``/usr/bin/chromium``; see docs/extending.md).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import plotly.graph_objects as go

from ._data.atlas import Atlas
from ._data.worldview import Worldview
from ._model.state import ExplorerState
from ._render.charts import coverage_figure, trains_figure
from ._render.static_map import static_map_figure

__all__ = ["chromium_path", "coverage_figure", "map_figure", "save_figure", "trains_figure"]

#: Where a Chromium is looked for when ``BROWSER_PATH`` is not set (Debian, Ubuntu, others).
CHROMIUM_PATHS = ("/usr/bin/chromium", "chromium", "chromium-browser", "/usr/bin/chromium-browser")
FORMATS = {"png": "png", "svg": "svg", "pdf": "pdf", "jpg": "jpeg", "jpeg": "jpeg", "webp": "webp"}


def chromium_path() -> str:
    """The browser kaleido renders with: ``BROWSER_PATH`` if set, else the machine's Chromium.

    kaleido (>= 1) drives a Chrome or Chromium through ``choreographer``, which reads
    ``BROWSER_PATH``; this sets it to Debian's ``/usr/bin/chromium`` (or a ``chromium``
    on ``PATH``) so that nothing is downloaded. ``fig.write_image`` then works too.

    Raises
    ------
    RuntimeError
        When there is no Chromium, with what to install.
    """
    given = os.environ.get("BROWSER_PATH")
    if given:
        return given
    for candidate in CHROMIUM_PATHS:
        found = candidate if os.path.isabs(candidate) else shutil.which(candidate)
        if found and os.access(found, os.X_OK):
            os.environ["BROWSER_PATH"] = found
            return found
    raise RuntimeError("saving a figure as PNG or SVG needs Chromium (or Chrome), and none was found: install it "
                       "(Debian/Ubuntu: sudo apt install chromium) or set BROWSER_PATH to its executable")


#: Seconds Chromium may take to open its first tab for kaleido (choreographer waits 2 s, 4 s
#: when ``CI`` is set): a busy researcher's laptop or a loaded test machine takes longer.
BROWSER_START_SECONDS = 20
KALEIDO_ATTEMPTS = 3
#: Longest temporary folder Chromium starts in: it puts a socket in a folder of its own there,
#: and a socket's path may have 107 bytes at most (longer: Chromium quits at once, and kaleido
#: reports that "the browser seemed to close immediately", saying nothing of the path).
LONGEST_TEMP_DIR = 60
SHORT_TEMP_DIR = "/tmp"


def save_figure(figure, path: str | Path, *, scale: float = 2.0, width: int | None = None,
                height: int | None = None) -> Path:
    """Save a figure as PNG, SVG, PDF, JPEG or WebP (by the file's extension), offline.

    Parameters
    ----------
    figure : plotly Figure or dict
        E.g. :func:`trains_figure`'s.
    path : str or Path
        The file to write; its extension says the format.
    scale : float
        Pixel density of raster formats (2: sharp on print and on high-DPI screens).
    width, height : int, optional
        Size in CSS pixels; default: the figure's own height, 900 wide.

    Returns
    -------
    Path

    Raises
    ------
    RuntimeError
        When kaleido or Chromium is missing (the message says what to install).
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower().lstrip("."))
    if fmt is None:
        raise ValueError(f"{path.name}: save as .png, .svg, .pdf, .jpg or .webp")
    try:
        import kaleido
    except ImportError:
        raise RuntimeError("saving figures needs the kaleido package (>= 1): pip install 'kaleido>=1'") from None
    chromium_path()
    _patient_browser_start()
    figure = go.Figure(figure)
    layout = figure.layout
    opts = {"format": fmt, "scale": scale, "width": width or layout.width or 900, "height": height or layout.height or 500}
    # mathjax=False: no script from the network (the figures use no LaTeX). On a busy machine
    # kaleido can ask its page for its scripts before they have run ("kaleido_scopes is not
    # defined") or give up on a slow Chromium: a fresh start is tried before giving up.
    with _short_temp_dir():
        for attempt in range(1, KALEIDO_ATTEMPTS + 1):
            try:
                image = kaleido.calc_fig_sync(figure, opts=opts, kopts={"mathjax": False})
                break
            except Exception:  # kaleido's start-up races have no common class; the last one is raised
                if attempt == KALEIDO_ATTEMPTS:
                    raise
    path.write_bytes(image)
    return path


@contextmanager
def _short_temp_dir() -> Iterator[None]:
    """Give Chromium a temporary folder with a short path while it runs (``TMPDIR`` and
    :mod:`tempfile`'s folder, put back after), if the current one is too long for its socket.

    Raises
    ------
    RuntimeError
        When the temporary folder is too long and ``/tmp`` cannot be used instead.
    """
    current = tempfile.gettempdir()
    if len(os.fsencode(current)) <= LONGEST_TEMP_DIR:
        yield
        return
    if not (os.path.isdir(SHORT_TEMP_DIR) and os.access(SHORT_TEMP_DIR, os.W_OK | os.X_OK)):
        raise RuntimeError(f"the temporary folder {current} is too long for Chromium (at most {LONGEST_TEMP_DIR} "
                           "characters; its socket path would be cut): set TMPDIR to a shorter folder")
    saved_env, saved_module = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"], tempfile.tempdir = SHORT_TEMP_DIR, SHORT_TEMP_DIR
    try:
        yield
    finally:
        tempfile.tempdir = saved_module
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env


def _patient_browser_start() -> None:
    """Let choreographer (kaleido's browser driver) wait longer for Chromium's first tab.

    It polls every 0.1 s up to ``MAX_POPULATE_LOOPS`` times, then reports that "the browser
    seemed to close immediately" although Chromium is only slow to start.
    """
    try:
        from choreographer import browser_async
    except ImportError:  # another kaleido driver: nothing to do
        return
    loops = int(BROWSER_START_SECONDS / 0.1)
    if getattr(browser_async, "MAX_POPULATE_LOOPS", loops) < loops:
        browser_async.MAX_POPULATE_LOOPS = loops


def map_figure(atlas: Atlas, lang: str = "en", layers: Iterable[str] | None = None,
               selected: str | None = None, measure: str | None = None,
               worldview: Worldview | str | None = None) -> go.Figure:
    """A static map (plotly) of the layers, with a feature or a measure highlighted.

    Parameters
    ----------
    atlas : Atlas
    lang : {"en", "zh", "ru"}
    layers : iterable of str, optional
        Layers to draw; default: the layers the explorer shows at first.
    selected : str, optional
        A feature or place id to highlight.
    measure : str, optional
        A measure id: highlight everything it reaches.
    worldview : {"cn", "ne"}, optional
        Borders: ``"cn"`` (default) follows China's standard map as far as the shipped
        sources allow; ``"ne"`` is Natural Earth's de facto lines, for research. Either
        way the figure says it is a schematic, not a reviewed map.
    """
    state = ExplorerState(atlas, lang=lang)
    if layers is not None:
        state.layers = tuple(layers)
    if selected is not None:
        state.select_feature(selected)
    if measure is not None:
        state.select_measure(measure)
    return static_map_figure(state, worldview)


try:  # so that plotly's own fig.write_image finds the machine's Chromium too
    chromium_path()
except RuntimeError:
    pass  # save_figure says what to install
