// The page's own script, served from the template's static folder: the page carries no
// inline script, so its Content-Security-Policy can refuse every inline one (SECURITY.md).
// It does what Voila's inline helpers did (loading text, showing the cells when done)
// and what the dashboard's script tags need (a record of whether each one loaded).
(function () {
  'use strict';
  window.voila_heartbeat = function () {};
  window.update_loading_text = function (cellIndex, cellCount, text) {
    const spinner = document.getElementById('loading');
    if (spinner && spinner.style.display === 'none') spinner.style.display = 'flex';
    const el = document.getElementById('loading_text');
    if (el) el.textContent = text || ('Executing ' + cellIndex + ' of ' + cellCount);
  };
  window.display_cells = function () {
    if (!window.themeLoaded) { window.cellLoaded = true; return; }
    const loading = document.getElementById('loading');
    if (loading) loading.parentNode.removeChild(loading);
    const cells = document.getElementById('rendered_cells');
    if (cells) cells.style.display = '';
  };
  window.voila_process = window.update_loading_text;
  window.voila_finish = window.display_cells;

  // Cells arrive while the page streams: each carries its place, for the loading text.
  new MutationObserver(function (records) {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === 1 && node.dataset && node.dataset.scodaCells) {
          window.voila_process(Number(node.getAttribute('cell-index')), Number(node.dataset.scodaCells));
        }
      }
    }
  }).observe(document.documentElement, {childList: true, subtree: true});

  // Load and error events do not bubble, but they can be caught on the way down.
  function scriptEvent(event) {
    const script = event.target;
    if (!script || script.tagName !== 'SCRIPT' || !script.dataset || !script.dataset.scodaScript) return;
    script.dataset.state = event.type === 'load' ? 'loaded' : 'failed';
  }
  document.addEventListener('load', scriptEvent, true);
  document.addEventListener('error', scriptEvent, true);

  // The details sheet on a phone follows a finger: pulled up it opens in full, pulled down it
  // goes back to half height, or closes from there. The gesture presses the sheet's own buttons
  // (pull up / let down, close), so the explorer's state stays the one place that decides.
  const PULL = 48; // px before a pull counts: less is a tap or a wobble
  let pull = null;
  document.addEventListener('pointerdown', function (event) {
    const handle = event.target.closest && event.target.closest('.scoda-sheet-handle');
    if (!handle || event.target.closest('button') || event.button > 0) return;
    const sheet = handle.closest('.scoda-sheet');
    if (!sheet) return;
    pull = {y: event.clientY, sheet: sheet, handle: handle, id: event.pointerId};
    try { handle.setPointerCapture(event.pointerId); } catch (e) { /* a synthetic event */ }
  });
  document.addEventListener('pointermove', function (event) {
    if (!pull || event.pointerId !== pull.id) return;
    const dy = event.clientY - pull.y;
    pull.sheet.style.transform = dy > 0 ? 'translateY(' + dy + 'px)' : '';  // down: the sheet follows
    event.preventDefault();
  });
  function release(event) {
    if (!pull || event.pointerId !== pull.id) return;
    const dy = event.clientY - pull.y, sheet = pull.sheet, handle = pull.handle;
    pull = null;
    sheet.style.transform = '';
    if (event.type === 'pointercancel' || Math.abs(dy) < PULL) return;
    const full = !!sheet.closest('.scoda-sheet-full');
    const press = (css) => { const b = handle.querySelector(css + ' button, button' + css); if (b) b.click(); };
    if (dy < 0 && !full) press('.scoda-sheet-expand');
    else if (dy > 0 && full) press('.scoda-sheet-expand');
    else if (dy > 0) press('.scoda-sheet-close');
  }
  document.addEventListener('pointerup', release);
  document.addEventListener('pointercancel', release);

  // Voila's template called voila_finish() inline after the last cell.
  document.addEventListener('DOMContentLoaded', function () { window.voila_finish(); });
})();
