"""The kiosk soak's in-page JavaScript: what the page shows, and a visitor's taps."""

#: What the page shows now: story card open?, the highlighted ids, caption, language.
STATE_JS = """() => {
  const shown = (el) => !!el && getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0;
  const ids = [];
  for (const el of document.querySelectorAll('.scoda-highlight'))
    for (const c of el.classList) if (c.startsWith('scoda-h-')) ids.push(c.slice(8));
  const caption = document.querySelector('.scoda-tour-caption');
  const active = document.querySelector('.scoda-languages button.mod-active');
  const title = document.querySelector('.scoda-kiosk-title h1');
  return {
    story: shown(document.querySelector('.scoda-story')),
    highlight: [...new Set(ids)],
    caption: shown(caption) ? caption.innerText.trim() : null,
    staff: shown(document.querySelector('.scoda-staff')),
    lang: active ? active.innerText.trim() : null,
    title: title ? title.innerText.trim() : null,
    marker: window.__soakMarker === 1,
  };
}"""

#: A visitor's tap on a random map feature: the pointerdown a finger gives (the kiosk
#: agent listens on the document; it resets the idle clock), then a click on the path.
TAP_JS = """([r]) => {
  const els = document.querySelectorAll('.scoda-route, .scoda-point, .scoda-stop');
  if (!els.length) return null;
  const el = els[Math.min(els.length - 1, Math.floor(r * els.length))];
  let id = null;
  for (const c of el.classList) if (c.startsWith('scoda-f-')) id = c.slice(8);
  const opts = {bubbles: true, cancelable: true, composed: true};
  document.body.dispatchEvent(new PointerEvent('pointerdown', opts));
  document.body.dispatchEvent(new PointerEvent('pointerup', opts));
  el.dispatchEvent(new MouseEvent('click', opts));
  return id;
}"""

STORY_SHOWS_JS = """(id) => {
  const story = document.querySelector('.scoda-story');
  return !!story && getComputedStyle(story).display !== 'none'
      && !!document.querySelector('.scoda-highlight.scoda-h-' + CSS.escape(id));
}"""
STORY_HIDDEN_JS = """() => { const s = document.querySelector('.scoda-story');
  return !s || getComputedStyle(s).display === 'none'; }"""
TITLE_CHANGED_JS = """(before) => { const h = document.querySelector('.scoda-kiosk-title h1');
  return !!h && h.innerText.trim() !== before; }"""
PRESENT_JS = """([sel, want]) => (document.querySelector(sel) !== null) === want"""
STAFF_JS = """() => { const out = {}; for (const dt of document.querySelectorAll('.scoda-staff dt'))
  out[dt.innerText.trim()] = dt.nextElementSibling ? dt.nextElementSibling.innerText.trim() : '';
  return out; }"""
#: Diagnostics: front-end views still attached to each map-layer model. @jupyter-widgets/base
#: registers one 'msg:custom' handler per view and never removes it, so this counts every
#: view ever made for the model (removed ones included). Voila internals: None if absent.
VIEWS_JS = """async () => {
  try {
    const wm = window.jupyterapp && window.jupyterapp.widgetManager;
    if (!wm || !wm._models) return null;
    const out = {};
    for (const p of Object.values(wm._models)) {
      const m = await p;
      if (!/^Leaflet/.test(m.get('_model_name') || '')) continue;
      const name = m.get('name') || m.get('_model_name');
      out[name] = ((m._events || {})['msg:custom'] || []).length;
    }
    return out;
  } catch (e) { return null; }
}"""
POKE_JS = """() => { const o = {bubbles: true, cancelable: true, composed: true};
  document.body.dispatchEvent(new PointerEvent('pointerdown', o));
  document.body.dispatchEvent(new PointerEvent('pointerup', o)); }"""
