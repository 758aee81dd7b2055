"""One plotly figure on the page, drawn by plotly.js's basic bundle; clicks come back.

Why not plotly's own ways of showing a figure in Voila: a ``FigureWidget`` pushes
plotly's 5 MB bundle through every visitor's kernel websocket, and the MIME renderer
of the ``jupyterlab-plotly`` lab extension runs the full plotly.js bundle (every trace
type, 4.8 MB) on the page's main thread before the map can draw (0.9 s here, see
docs/performance.md). The dashboards only draw bars and scatter points, so they load
``plotly.js-basic`` (bar, scatter, pie; 1.2 MB, MIT), shipped in the template's static
folder and fetched over HTTP once per page (the browser caches it between visits), when
a chart first comes on screen: the charts sit behind the Figures tab, so a page draws
its map and details without running plotly.js first.

Outside Voila (a researcher showing the explorer in JupyterLab) that folder is not
served, and the widget asks the kernel for the bundle instead (sent once, over the
widget channel).

The figure is any plotly figure's JSON (``fig.to_plotly_json()``), so notebooks and
dashboards share the same figure code (:mod:`scoda_map.figures`).
"""

from __future__ import annotations

import json
from pathlib import Path

import anywidget
import traitlets

PLOTLY_BASIC_VERSION = "4.1.1"
# Under the template's static folder; the page's <body data-base-url> is "<base>voila/".
PLOTLY_BASIC_PATH = f"templates/scoda/static/vendor/plotly-basic-{PLOTLY_BASIC_VERSION}.min.js"
PLOTLY_BASIC_FILE = Path(__file__).resolve().parent.parent / "_share" / "jupyter" / "voila" / PLOTLY_BASIC_PATH

_ESM = """
const SCRIPT = %(path)r;
const LOADING = '__scodaPlotlyLoading';
function addScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => (window.Plotly ? resolve(window.Plotly) : reject(new Error('no Plotly')));
    script.onerror = () => { script.remove(); reject(new Error('plotly.js did not load')); };
    document.head.appendChild(script);
  });
}
function fromKernel(model) {
  // Outside a Voila page (JupyterLab, VS Code) the template's static folder is not
  // served: the kernel sends the bundle once.
  return new Promise((resolve, reject) => {
    const received = (message) => {
      if (!message || message.event !== 'plotly') return;
      model.off('msg:custom', received);
      const url = URL.createObjectURL(new Blob([message.source], { type: 'text/javascript' }));
      addScript(url).then(resolve, reject);
    };
    model.on('msg:custom', received);
    model.send({ event: 'need-plotly' });
  });
}
function early() {
  // The page template may have started the script already (<script async data-scoda-script>).
  const script = document.querySelector('script[data-scoda-script="' + SCRIPT + '"]');
  if (!script || script.dataset.state === 'failed') return Promise.reject();
  if (script.dataset.state === 'loaded') return window.Plotly ? Promise.resolve(window.Plotly) : Promise.reject();
  return new Promise((resolve, reject) => {
    script.addEventListener('load', () => (window.Plotly ? resolve(window.Plotly) : reject()));
    script.addEventListener('error', () => reject());
  });
}
function plotly(model) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  // One load for all the page's charts. Each chart runs its own copy of this module, so the
  // promise is kept on the page: kept here, two charts ran plotly.js twice (two instances,
  // the second replacing window.Plotly under the first chart).
  if (!window[LOADING]) {
    const voila = document.body.dataset.voila === 'voila';
    window[LOADING] = early()
      .catch(() => (voila ? addScript((document.body.dataset.baseUrl || '/voila/') + SCRIPT) : Promise.reject()))
      .catch(() => fromKernel(model))
      .catch((error) => { window[LOADING] = null; throw error; });
  }
  return window[LOADING];
}
// A figure drawn once is kept (its plot detached from the page while another shows): a
// language switch back to a language seen before swaps the plot in instead of redrawing it
// (plotly.js took 35-45 ms a chart to redraw). One plot a language, a few figures at most.
const KEPT = 3;
export default {
  render({ model, el }) {
    let Plotly = null, asked = false, gone = false, stale = false;
    const plots = [];  // {key, div, marked}: the plot on the page first, then the kept ones
    const clicked = (event) => {
      const point = event && event.points && event.points[0];
      if (!point || point.customdata === undefined || point.customdata === null) return;
      model.send({ event: 'click', id: String(point.customdata) });
    };
    // Resizing is done here, not by plotly's "responsive" (a window listener that would also
    // reach the detached plots).
    const config = () => Object.assign({}, model.get('config'), { responsive: false });
    const markOf = () => model.get('mark') || {};
    const applyMark = (entry, mark) => {  // the time control's shaded year, if it changed
      const marked = JSON.stringify(mark.shapes || []);
      if (entry.marked !== marked) { entry.marked = marked; Plotly.relayout(entry.div, { shapes: mark.shapes || [] }); }
    };
    const place = (entry) => {  // on the page, in place of the plot there; first in the list
      const current = plots.find((p) => p.div.parentNode === el);
      if (current !== entry) {
        if (current) el.replaceChild(entry.div, current.div);
        else el.appendChild(entry.div);
      }
      plots.splice(plots.indexOf(entry), 1);
      plots.unshift(entry);
    };
    const draw = () => {
      // Plotly sizes a plot to its container: draw once the container has a width (a chart
      // changed while its pane is hidden is drawn when the pane opens).
      if (!Plotly || !el.isConnected || !el.clientWidth) { stale = true; return; }
      stale = false;
      const figure = model.get('figure') || {};
      const mark = markOf();
      const key = JSON.stringify(figure);
      let entry = plots.find((p) => p.key === key);
      if (entry) {
        place(entry);
        applyMark(entry, mark);
        if (entry.div._fullLayout && entry.div._fullLayout.width !== entry.div.clientWidth) Plotly.Plots.resize(entry.div);
      } else {
        // A new figure: drawn into the oldest kept plot once there are enough of them.
        if (plots.length >= KEPT) {
          entry = plots[plots.length - 1];
        } else {
          entry = { div: document.createElement('div') };
          plots.push(entry);
        }
        place(entry);
        const first = !entry.div.data;
        entry.key = key; entry.marked = JSON.stringify(mark.shapes || []);
        const layout = Object.assign({}, figure.layout || {}, mark.shapes ? { shapes: mark.shapes } : {});
        Plotly.react(entry.div, figure.data || [], layout, config());
        if (first) entry.div.on('plotly_click', clicked);
      }
      el.dataset.markYear = mark.mark_year || '';
    };
    // plotly.js (1.2 MB of script to fetch and compile) is loaded only once a chart is on
    // screen: behind the Figures tab, when a visitor opens it. The map and the details
    // draw first, which a phone's slow CPU feels most (docs/performance.md).
    const start = () => {
      if (Plotly || asked || !el.clientWidth) return;
      asked = true;
      plotly(model).then((loaded) => { if (!gone) { Plotly = loaded; draw(); } },
                         (error) => { asked = false; console.warn('scoda-map: the chart could not load plotly.js', error); });
    };
    const resized = new ResizeObserver(() => {
      const shown = plots[0];
      if (!Plotly) start();
      else if (shown && shown.div.data && !stale) Plotly.Plots.resize(shown.div);
      else draw();
    });
    resized.observe(el);
    // The time control's mark (a shaded year): a layout patch, the data stay where they are.
    const marked = () => {
      const mark = markOf(), shown = plots[0];
      el.dataset.markYear = mark.mark_year || '';
      if (Plotly && shown && shown.div.data && !stale) applyMark(shown, mark);
      else draw();
    };
    model.on('change:figure', draw);
    model.on('change:mark', marked);
    el.dataset.markYear = markOf().mark_year || '';
    start();
    return () => {
      gone = true;
      model.off('change:figure', draw); model.off('change:mark', marked); resized.disconnect();
      if (Plotly) for (const p of plots) Plotly.purge(p.div);
    };
  },
};
""" % {"path": PLOTLY_BASIC_PATH}  # noqa: UP031 (a JavaScript module: braces everywhere, one value)

MAX_ID = 100
MAX_BUNDLE_SENDS = 3  # a page needs it once; a client asking again and again gets nothing


class PlotlyChart(anywidget.AnyWidget):
    """A plotly figure (its JSON) drawn in the page; ``on_click(id)`` gets a clicked point's customdata.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> chart = PlotlyChart(go.Figure(go.Bar(x=[1, 2], y=[3, 4], customdata=["a", "b"])))
    >>> chart.figure["data"][0]["type"]
    'bar'
    """

    _esm = _ESM
    figure = traitlets.Dict().tag(sync=True)
    config = traitlets.Dict().tag(sync=True)
    mark = traitlets.Dict().tag(sync=True)  # a layout patch ({"shapes": [...], "mark_year": 2021}) kept over redraws

    def __init__(self, figure=None, config=None, **kwargs):
        super().__init__(**kwargs)
        self._callbacks = []
        self._bundle_sends = 0
        if figure is not None:
            self.show(figure)
        if config is not None:
            self.config = dict(config)
        self.on_msg(self._message)

    def show(self, figure) -> None:
        """Draw ``figure`` (a ``plotly.graph_objects.Figure`` or its JSON dict) instead."""
        if isinstance(figure, dict):
            spec = figure
        else:  # plotly's encoder turns numpy and pandas values into plain JSON
            import plotly.io as pio  # only here: the dashboards pass JSON and skip plotly's import

            spec = json.loads(pio.to_json(figure, validate=False))
        self.figure = {"data": list(spec.get("data", [])), "layout": dict(spec.get("layout", {}))}

    def on_click(self, callback) -> None:
        self._callbacks.append(callback)

    def _message(self, widget, content, buffers) -> None:
        # A client can send anything here: accept only a short string id, or one bundle request.
        if not isinstance(content, dict):
            return
        if content.get("event") == "need-plotly":
            self._send_bundle()
            return
        if content.get("event") != "click":
            return
        value = content.get("id")
        if isinstance(value, str) and len(value) <= MAX_ID:
            for callback in self._callbacks:
                callback(value)

    def _send_bundle(self) -> None:
        if self._bundle_sends >= MAX_BUNDLE_SENDS:
            return
        self._bundle_sends += 1
        self.send({"event": "plotly", "source": PLOTLY_BASIC_FILE.read_text(encoding="utf-8")})
