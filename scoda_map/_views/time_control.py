"""The time control: a year slider and a play button under the map.

A step never resends a map layer. The browser already holds every route's path;
the kernel sends a small dict (route or stop id -> ``hidden`` / a status) and the
page swaps one CSS class on those paths (``scoda-t-<status>``, styled in scoda.css).
The counts panel is an HTML fragment from :mod:`scoda_map._render.timeline`, and the
trains figure gets a one-shape layout patch (``PlotlyChart.mark``).

Play runs in the page (one step per ``interval_ms``) and stops at the last year;
pause stops it. A kiosk tour step starts it by setting ``playing``.
"""

from __future__ import annotations

import anywidget
import traitlets

from .._i18n import t
from .._model.state import ExplorerState
from .._model.timeline import parse_as_of, years
from .._render.timeline import panel_html, route_classes, trains_mark
from .guard import guarded

_ESM = r"""
const ID = /(?:^|\s)scoda-f-(\S+)/;
function applyClasses(el, classes) {
  const map = el.closest('.scoda-app, .scoda-kiosk, body') || document;
  const timed = classes && Object.keys(classes).length > 0;
  for (const root of map.querySelectorAll('.scoda-map')) root.classList.toggle('scoda-timed', timed);
  for (const path of map.querySelectorAll('.scoda-map .scoda-route, .scoda-map .scoda-stop')) {
    const cls = path.getAttribute('class') || '';
    const match = cls.match(ID);
    const wanted = timed && match && classes[match[1]] ? 'scoda-t-' + classes[match[1]] : '';
    const kept = cls.split(/\s+/).filter((c) => c && !c.startsWith('scoda-t-'));
    if (wanted) kept.push(wanted);
    const next = kept.join(' ');
    if (next !== cls) path.setAttribute('class', next);
  }
}
export default {
  render({ model, el }) {
    el.classList.add('scoda-time');
    el.innerHTML = '<div class="scoda-time-bar"><button type="button" class="scoda-time-play"></button>' +
      '<input type="range" class="scoda-time-slider" step="1" />' +
      '<span class="scoda-time-year" aria-live="polite"></span>' +
      '<button type="button" class="scoda-time-today"></button></div><div class="scoda-time-body"></div>';
    const play = el.querySelector('.scoda-time-play');
    const slider = el.querySelector('.scoda-time-slider');
    const label = el.querySelector('.scoda-time-year');
    const today = el.querySelector('.scoda-time-today');
    const body = el.querySelector('.scoda-time-body');
    window.__scodaTimeSteps = window.__scodaTimeSteps || [];
    let sentAt = null, timer = null;
    const yearsOf = () => model.get('years') || [];
    const current = () => { const v = model.get('value'); return v ? parseInt(v.slice(0, 4), 10) : null; };
    const send = (year) => {
      sentAt = performance.now();
      model.set('value', year === null ? '' : String(year));
      model.save_changes();
    };
    const stopTimer = () => { if (timer) { clearInterval(timer); timer = null; } };
    const tick = () => {
      const ys = yearsOf(), year = current();
      const index = year === null ? -1 : ys.indexOf(year);
      if (index + 1 >= ys.length) { model.set('playing', false); model.save_changes(); return; }
      send(ys[index + 1]);
      if (index + 2 >= ys.length) { model.set('playing', false); model.save_changes(); }
    };
    const syncPlaying = () => {
      const labels = model.get('labels') || {};
      const playing = model.get('playing');
      // The icons are drawn in CSS: a kiosk's fonts may lack the media symbols.
      play.innerHTML = '<span class="scoda-icon-' + (playing ? 'pause' : 'play') + '" aria-hidden="true"></span>';
      play.appendChild(document.createTextNode(playing ? (labels.pause || 'Pause') : (labels.play || 'Play')));
      play.setAttribute('aria-pressed', playing ? 'true' : 'false');
      el.classList.toggle('scoda-time-playing', playing);
      if (playing && !timer) {
        const ys = yearsOf(), year = current();
        if (year === null || year >= ys[ys.length - 1]) send(ys[0]);
        timer = setInterval(tick, model.get('interval_ms') || 900);
      } else if (!playing) stopTimer();
    };
    const syncValue = () => {
      const ys = yearsOf(), labels = model.get('labels') || {};
      if (ys.length) { slider.min = ys[0]; slider.max = ys[ys.length - 1]; }
      const year = current();
      slider.value = year === null ? slider.max : year;
      el.classList.toggle('scoda-time-present', year === null);
      label.textContent = model.get('value') || (labels.today || 'Today');
      slider.setAttribute('aria-label', labels.slider || 'Year');
      today.textContent = labels.today || 'Today';
      today.disabled = year === null;
    };
    const syncBody = () => { body.innerHTML = model.get('panel') || ''; };
    // 'shown' comes last from the kernel, after the panel, the mark and the classes of that date.
    const syncShown = () => {
      applyClasses(el, model.get('classes'));
      if (sentAt !== null) { window.__scodaTimeSteps.push(performance.now() - sentAt); sentAt = null; }
      el.dataset.shown = model.get('shown') || 'today';
    };
    slider.addEventListener('input', () => { label.textContent = slider.value; });
    slider.addEventListener('change', () => { model.set('playing', false); send(parseInt(slider.value, 10)); });
    play.addEventListener('click', () => { model.set('playing', !model.get('playing')); model.save_changes(); });
    today.addEventListener('click', () => { model.set('playing', false); send(null); });
    // New route paths (a layer switched back on, a redraw) get their class too. Only changes
    // in or of a map count: the rest of the app (details, lists, a language switch) changes
    // often and never adds a route path.
    let pending = false;
    const onMap = (node) => node.nodeType === 1 && (node.closest('.scoda-map') || node.querySelector('.scoda-map'));
    const observer = new MutationObserver((records) => {
      if (pending || !records.some((r) => onMap(r.target) || Array.from(r.addedNodes).some(onMap))) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; applyClasses(el, model.get('classes')); });
    });
    const mapRoot = (el.closest('.scoda-app, .scoda-kiosk') || document.body);
    observer.observe(mapRoot, { childList: true, subtree: true });
    model.on('change:playing', syncPlaying);
    model.on('change:value', syncValue);
    model.on('change:labels', () => { syncValue(); syncPlaying(); });
    model.on('change:years', syncValue);
    model.on('change:panel', syncBody);
    model.on('change:classes', () => applyClasses(el, model.get('classes')));
    model.on('change:shown', syncShown);
    syncValue(); syncPlaying(); syncBody(); syncShown();
    return () => { stopTimer(); observer.disconnect(); };
  },
};
"""


class TimeControl(anywidget.AnyWidget):
    """Slider, play/pause and "today", wired to ``state.as_of``; see the module docstring.

    Examples
    --------
    >>> import scoda_map
    >>> from scoda_map._model.state import ExplorerState
    >>> state = ExplorerState(scoda_map.load())
    >>> control = TimeControl(state)
    >>> control.value = "2016"
    >>> state.as_of, "hidden" in control.classes.values()
    ('2016', True)
    """

    _esm = _ESM
    years = traitlets.List(traitlets.Int()).tag(sync=True)
    value = traitlets.Unicode("").tag(sync=True)  # "" is today
    playing = traitlets.Bool(False).tag(sync=True)
    interval_ms = traitlets.Int(900).tag(sync=True)
    classes = traitlets.Dict().tag(sync=True)
    panel = traitlets.Unicode("").tag(sync=True)
    labels = traitlets.Dict().tag(sync=True)
    shown = traitlets.Unicode("").tag(sync=True)  # the date the page shows now; set last

    def __init__(self, state: ExplorerState, trains_chart=None, **kwargs):
        super().__init__(**kwargs)
        self.state = state
        self.trains_chart = trains_chart
        self.years = years(state.atlas)
        self._stops_of = self._route_stops(state.atlas)
        self.add_class("scoda-time-control")
        self.observe(guarded(state, "time control")(self._chosen), names="value")
        state.observe(self._show, names="as_of")
        state.observe(self._relabel, names="lang")
        self._relabel()

    @property
    def widget(self):
        return self

    @staticmethod
    def _route_stops(atlas) -> dict[str, set[str]]:
        stops = atlas.route_stops[atlas.route_stops["role"] != "origin"]
        return {place: set(group["route_id"]) for place, group in stops.groupby("place_id")}

    def play(self, first: int | None = None, last: int | None = None) -> None:
        """Play from ``first`` to ``last`` (default: every year); the page steps and stops at the end."""
        span = years(self.state.atlas)
        self.years = [y for y in span if (first is None or y >= first) and (last is None or y <= last)] or span
        self.playing = False
        self.state.as_of = None
        self.playing = True

    def _chosen(self, change) -> None:
        # A value from the page: only a date the model accepts; anything else is put back.
        value = parse_as_of(change["new"]) if change["new"] else None
        if value is None and change["new"]:
            self.value = self.state.as_of or ""
            return
        self.state.as_of = value

    def _show(self, change=None) -> None:
        date = self.state.as_of
        if (self.value or None) != date:
            self.value = date or ""
        classes = route_classes(self.state.atlas, date)
        if classes:
            for place, routes in self._stops_of.items():
                if all(classes.get(r, "hidden") == "hidden" for r in routes):
                    classes[place] = "hidden"
        self.panel = panel_html(self.state.atlas, date, self.state.lang)
        if self.trains_chart is not None:
            self.trains_chart.mark = trains_mark(date)
        self.classes = classes
        self.shown = date or ""

    def _relabel(self, change=None) -> None:
        lang = self.state.lang
        with self.hold_sync():  # labels and panel in one message
            self.labels = {key: t(f"timeline.{key}", lang) for key in ("play", "pause", "today", "slider")}
            self._show()
