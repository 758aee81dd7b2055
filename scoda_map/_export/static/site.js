/* SCODA Cooperation Map, static edition: the explorer without a kernel.
 *
 * Everything the page shows in words was rendered in Python by the live
 * explorer's own render functions (scoda_map._render) and escaped there; it
 * arrives, per language, in the JSON of <script id="scoda-data">. This file
 * keeps only the map, the selection and the link: it picks which fragment to
 * show (put()), writes what a visitor typed into a fragment's slots as text
 * (fill()), and hides list entries whose pre-normalised key does not contain
 * the search. It builds no markup from data and looks up no message.
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("scoda-data").textContent);
  var FR = DATA.fragments;
  var LINK = DATA.link;
  var LANGS = DATA.languages.map(function (pair) { return pair[0]; });
  var MAX_QUERY = 200;
  var $ = function (id) { return document.getElementById(id); };

  // t: the live explorer's date (t=2021), kept in the link only: this page shows the present.
  var state = { lang: initialLang(), layers: {}, feature: null, measure: null, document: "", query: "", t: "", notice: null };
  DATA.layers.forEach(function (layer) { state.layers[layer.name] = !!layer.visible; });

  function initialLang() {
    if (DATA.default_lang && LANGS.indexOf(DATA.default_lang) >= 0) return DATA.default_lang;
    var wanted = (navigator.languages || [navigator.language || "en"]);
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i] || "").slice(0, 2).toLowerCase();
      if (LANGS.indexOf(code) >= 0) return code;
    }
    return "en";
  }

  /** Whether an object has the key itself (never "__proto__" and friends from a link). */
  function own(object, key) {
    return typeof key === "string" && Object.prototype.hasOwnProperty.call(object, key);
  }

  // -- fragments: the only way markup reaches the page ---------------------------
  /** Show a fragment rendered (and escaped) in Python. */
  function put(node, fragment) {
    node.innerHTML = fragment;
  }

  /** Put values into a fragment's slots, as text. */
  function fill(node, values) {
    node.querySelectorAll("[data-slot]").forEach(function (slot) {
      var name = slot.getAttribute("data-slot");
      slot.textContent = own(values, name) ? String(values[name]) : "";
    });
  }

  /** What is typed, folded as Python's str.casefold folds the keys it is compared with. */
  function fold(text) {
    return Array.from(text.trim()).map(function (c) { return own(DATA.fold, c) ? DATA.fold[c] : c.toLowerCase(); }).join("");
  }

  function here() { return FR[state.lang]; }

  // -- panels ----------------------------------------------------------------------
  function renderChrome() {
    var fr = here();
    document.documentElement.lang = state.lang === "zh" ? "zh-Hans" : state.lang;
    document.title = fr.text["site-title"];
    Object.keys(fr.text).forEach(function (id) { $(id).textContent = fr.text[id]; });
    Object.keys(fr.placeholder).forEach(function (id) { $(id).placeholder = fr.placeholder[id]; });
    document.querySelectorAll("#languages button").forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-lang") === state.lang ? "true" : "false");
    });
    put($("layers"), fr.layers);
    document.querySelectorAll("#layers input[data-layer]").forEach(function (box) {
      box.checked = !!state.layers[box.getAttribute("data-layer")];
    });
    put($("legend"), fr.legend);
    put($("footer"), fr.footer);
    put($("document-filter"), fr.documents);
    $("document-filter").value = state.document;
    put($("measure-list"), fr.measures);
  }

  /** Hide the measures the document filter and the search leave out (and the sections and
   *  documents left empty), mark the picked one; count the rest. */
  function filterMeasures() {
    var needle = fold(state.query), shown = 0;
    document.querySelectorAll("#measure-list .scoda-mb-doc").forEach(function (doc) {
      var inDoc = 0;
      doc.querySelectorAll(".scoda-mb-list").forEach(function (list) {
        var inList = 0;
        list.querySelectorAll("[data-pick]").forEach(function (button) {
          var id = button.getAttribute("data-pick");
          var visible = (!state.document || doc.getAttribute("data-document") === state.document) &&
            own(DATA.measure_keys, id) && DATA.measure_keys[id].indexOf(needle) >= 0;
          button.parentNode.hidden = !visible;
          if (visible) inList += 1;
        });
        list.hidden = !inList;
        if (list.previousElementSibling) list.previousElementSibling.hidden = !inList;
        inDoc += inList;
      });
      doc.hidden = !inDoc;
      shown += inDoc;
    });
    markPicked();
    put($("measure-count"), shown ? here().count : here().count_none);
    fill($("measure-count"), { shown: shown });
  }

  function markPicked() {
    document.querySelectorAll("#measure-list [data-pick]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-pick") === state.measure ? "true" : "false");
    });
  }

  function renderDetails() {
    var box = $("details"), key = state.measure ? "m:" + state.measure : state.feature ? "f:" + state.feature : "";
    put(box, (state.notice ? here().notices[state.notice.key] : "") + here().details[key]);
    if (state.notice) fill(box.querySelector(".scoda-notice"), state.notice.values);
    box.parentNode.scrollTop = 0;
  }

  function renderAll() {
    if ($("measure-filter").value !== state.query) $("measure-filter").value = state.query;
    renderChrome();
    filterMeasures();
    renderDetails();
  }

  // -- the map -----------------------------------------------------------------------
  var mapDiv = $("map"), mapReady = false, figure = DATA.figure, T = DATA.traces;

  function showLayer(name, visible) {
    if (!own(T.layers, name)) return;
    state.layers[name] = !!visible;
    if (mapReady) Plotly.restyle(mapDiv, { visible: !!visible }, T.layers[name]);
    var box = document.querySelector('#layers input[data-layer="' + name + '"]');
    if (box) box.checked = !!visible;
    writeHash();
  }

  function drawHighlight(fit) {
    var key = state.measure ? "m:" + state.measure : state.feature ? "f:" + state.feature : null;
    var lit = key ? DATA.highlight[key] : [[], [], [], [], null];
    if (!mapReady) return;
    Plotly.restyle(mapDiv, { x: [lit[0], lit[2]], y: [lit[1], lit[3]] }, [T.highlight_lines, T.highlight_points]);
    // Fade everything else while something is lit, so the selection stands out.
    var faded = String(lit[0].length + lit[2].length > 0);
    if (faded !== mapDiv.getAttribute("data-faded")) {
      Plotly.restyle(mapDiv, { opacity: faded === "true" ? 0.45 : 1 }, T.hover_traces);
      mapDiv.setAttribute("data-faded", faded);
    }
    if (fit && lit[4]) fitTo(lit[4]);
  }

  function fitTo(box) {
    // Some context around what is lit: a fifth of its size on each side, and never closer than 24 degrees.
    var minSpan = 24;
    var cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2;
    var w = Math.max((box[2] - box[0]) * 1.4 + 4, minSpan), hgt = Math.max((box[3] - box[1]) * 1.4 + 4, minSpan / 2);
    Plotly.relayout(mapDiv, { "xaxis.range": [cx - w / 2, cx + w / 2], "yaxis.range": [cy - hgt / 2, cy + hgt / 2] });
  }

  function drawMap() {
    T.hover_traces.forEach(function (i, k) { figure.data[i].text = T.hover[state.lang][k]; });
    Object.keys(T.layers).forEach(function (name) {
      T.layers[name].forEach(function (i) { figure.data[i].visible = !!state.layers[name]; });
    });
    var config = { displaylogo: false, responsive: true, scrollZoom: true, doubleClick: "reset",
      modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"] };
    return Plotly.newPlot(mapDiv, figure.data, figure.layout, config).then(function () {
      mapReady = true;
      mapDiv.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        var id = point && point.customdata;
        if (typeof id === "string" && own(here().details, "f:" + id)) select(id);
      });
      drawHighlight(!!state.measure);
    });
  }

  function relabelMap() {
    if (mapReady) Plotly.restyle(mapDiv, { text: T.hover[state.lang] }, T.hover_traces);
  }

  // -- link state: #lang=zh&feature=r-almaty (the explorer's ?query links work too) ----------
  function writeHash() {
    var params = new URLSearchParams();
    params.set("lang", state.lang);
    if (state.feature) params.set("feature", state.feature);
    if (state.measure) params.set("measure", state.measure);
    var shown = DATA.layers.filter(function (layer) { return state.layers[layer.name]; }).map(function (layer) { return layer.name; });
    if (DATA.layers.some(function (layer) { return !!layer.visible !== !!state.layers[layer.name]; })) {
      params.set("layers", shown.length ? shown.join(",") : LINK.no_layers);
    }
    if (state.document) params.set("doc", state.document);
    if (state.query.trim()) params.set("q", state.query);
    // The live explorer's date (t=2021): this page shows the present only, but keeps the date
    // in its link, so "Open the live map" opens that year.
    if (state.t) params.set("t", state.t);
    try { history.replaceState(null, "", "#" + params.toString()); } catch (error) { /* some browsers, on file:// */ }
  }

  function number(text) {
    return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : null;
  }

  /** A parameter's value if it is valid, else null: the checks of scoda_map._model.url. */
  function check(key, value) {
    if (key === "lang") return LANGS.indexOf(value) >= 0 ? value : null;
    if (key === "feature") return own(here().details, "f:" + value) ? value : null;
    if (key === "measure") return own(here().details, "m:" + value) ? value : null;
    if (key === "doc") return DATA.documents.indexOf(value) >= 0 ? value : null;
    if (key === "q") return value.slice(0, MAX_QUERY);
    if (key === "t") return /^\d{4}(-\d{2}(-\d{2})?)?$/.test(value) ? value : null;
    if (key === "layers") {
      if (value === LINK.no_layers) return [];
      var names = value.split(",").filter(Boolean);
      return names.every(function (n) { return own(T.layers, n); }) ? names : null;
    }
    if (key === "z") return number(value) === null ? null : Math.min(Math.max(number(value), LINK.zoom[0]), LINK.zoom[1]);
    if (key === "c") {
      var parts = value.split(","), lat = number(parts[0] || ""), lon = number(parts[1] || "");
      return parts.length === 2 && lat !== null && lon !== null && Math.abs(lat) <= 85 && Math.abs(lon) <= 180 ? [lat, lon] : null;
    }
    return null;
  }

  /** Read a link as the explorer does: keep what is valid, list the rest for the notice. */
  function decode(text) {
    var values = {}, ignored = [];
    if (text.length > LINK.max_length) return { values: values, ignored: [LINK.too_long] };
    var params = new URLSearchParams(text), keys = [];
    if (text.split("&").length > LINK.max_fields) return { values: values, ignored: [LINK.malformed] };
    params.forEach(function (value, key) { if (keys.indexOf(key) < 0 && params.getAll(key).some(function (v) { return v !== ""; })) keys.push(key); });
    keys.forEach(function (key) {
      if (!key.trim()) return;
      if (LINK.known.indexOf(key) < 0) { ignored.push(key.slice(0, 40)); return; }
      var all = params.getAll(key).filter(function (v) { return v !== ""; }), value = all[all.length - 1].trim();
      var checked = check(key, value);
      if (checked === null) ignored.push(key + "=" + value.slice(0, 40));
      else values[key] = checked;
    });
    if (own(values, "feature") && own(values, "measure")) { ignored.push(LINK.both); delete values.measure; }
    return { values: values, ignored: ignored };
  }

  /** Apply a link's view: the fragment, or else (on opening) the query string. */
  function readLink(opening) {
    var hash = location.hash.replace(/^#/, "");
    var link = decode(hash || !opening ? hash : location.search.replace(/^\?/, ""));
    var v = link.values;
    if (own(v, "lang")) state.lang = v.lang;
    DATA.layers.forEach(function (layer) {
      var visible = own(v, "layers") ? v.layers.indexOf(layer.name) >= 0 : !!layer.visible;
      if (visible !== !!state.layers[layer.name]) showLayer(layer.name, visible);
    });
    state.document = own(v, "doc") ? v.doc : "";
    state.query = own(v, "q") ? v.q : "";
    state.t = own(v, "t") ? v.t : "";
    if (own(v, "measure")) selectMeasure(v.measure);
    else if (own(v, "feature")) select(v.feature);
    else if (state.feature || state.measure) clear();
    state.notice = link.ignored.length ? { key: "notice.link_ignored", values: { items: link.ignored.join(", ") } } : null;
  }

  // -- actions ----------------------------------------------------------------------------
  function refuse(key, id) {
    state.notice = { key: key, values: { value: String(id).slice(0, 80) } };
    renderDetails();
    return false;
  }

  function select(id, options) {
    if (id !== null && !own(here().details, "f:" + id)) return refuse("notice.unknown_feature", id);
    state.feature = id;
    state.measure = null;
    state.notice = null;
    afterSelection(!!(options && options.fit));
    return true;
  }

  function selectMeasure(id) {
    if (id !== null && !own(here().details, "m:" + id)) return refuse("notice.unknown_measure", id);
    state.measure = id;
    state.feature = null;
    state.notice = null;
    afterSelection(true);
    return true;
  }

  function afterSelection(fit) {
    renderDetails();
    markPicked();
    drawHighlight(fit);
    writeHash();
    // One column (phones): bring the map and the details under it into view.
    var center = document.querySelector(".site-center");
    if (window.matchMedia("(max-width: 900px)").matches && center.getBoundingClientRect().bottom < 0) {
      center.scrollIntoView({ behavior: "smooth" });
    }
  }

  function clear() {
    state.feature = null;
    state.measure = null;
    state.notice = null;
    afterSelection(false);
  }

  function setLang(lang) {
    if (LANGS.indexOf(lang) < 0) return false;
    state.lang = lang;
    renderAll();
    relabelMap();
    writeHash();
    return true;
  }

  // -- place search: pre-rendered answers, shown when their folded label holds what is typed ----
  function searchPlace() {
    var query = $("place-search").value.slice(0, MAX_QUERY), message = $("search-message");
    var hits = [], exact = null;
    document.querySelectorAll("#place-hits [data-place]").forEach(function (button) {
      button.hidden = true;
      if (button.textContent === query) exact = button;
      if (query.trim() && button.getAttribute("data-key").indexOf(fold(query)) >= 0) hits.push(button);
    });
    put(message, "");
    if (!query.trim()) return;
    if (exact || hits.length === 1) {
      select((exact || hits[0]).getAttribute("data-place"), { fit: true });
      return;
    }
    put(message, here().search[hits.length ? "search.many" : "search.no_match"]);
    fill(message, { query: query, count: hits.length });
    hits.slice(0, 8).forEach(function (button) { button.hidden = false; });
  }

  function wire() {
    var search = $("place-search");
    search.addEventListener("change", searchPlace);
    search.addEventListener("keydown", function (event) { if (event.key === "Enter") searchPlace(); });
    $("place-hits").addEventListener("click", function (event) {
      var button = event.target.closest("[data-place]");
      if (!button) return;
      search.value = button.textContent;
      searchPlace();
    });
    $("languages").addEventListener("click", function (event) {
      var button = event.target.closest("[data-lang]");
      if (button) setLang(button.getAttribute("data-lang"));
    });
    $("layers").addEventListener("change", function (event) {
      var name = event.target.getAttribute("data-layer");
      if (name) showLayer(name, event.target.checked);
    });
    $("measure-list").addEventListener("click", function (event) {
      // A second press on the picked measure clears it, as in the live explorer.
      var button = event.target.closest("[data-pick]");
      if (button) {
        var id = button.getAttribute("data-pick");
        selectMeasure(id === state.measure ? null : id);
      }
    });
    // Names of other features in the details (what a measure reaches, what stands at a place) select them.
    $("details").addEventListener("click", function (event) {
      var target = event.target.closest("[data-feature]");
      if (target && !event.target.closest("a")) select(target.getAttribute("data-feature"));
    });
    $("document-filter").addEventListener("change", function (event) {
      state.document = DATA.documents.indexOf(event.target.value) >= 0 ? event.target.value : "";
      filterMeasures();
      writeHash();
    });
    $("measure-filter").addEventListener("input", function (event) {
      state.query = String(event.target.value).slice(0, MAX_QUERY);
      filterMeasures();
      writeHash();
    });
    window.addEventListener("hashchange", function () {
      readLink(false);
      renderAll();
      relabelMap();
    });
  }

  // -- start ----------------------------------------------------------------------------------
  window.scodaSite = {
    select: select,
    selectMeasure: selectMeasure,
    clear: clear,
    setLang: setLang,
    showLayer: showLayer,
    state: function () { return JSON.parse(JSON.stringify(state)); },
    ready: false
  };
  readLink(true);
  renderAll();
  wire();
  drawMap().then(function () {
    window.scodaSite.ready = true;
    document.body.setAttribute("data-ready", "true");
  });
}());
