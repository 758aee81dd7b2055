/* SCODA Cooperation Map, static edition: the explorer without a kernel.
 *
 * All data comes from the JSON in <script id="scoda-data">. Every text from the
 * data is put on the page with createTextNode / textContent; this file never
 * sets HTML markup from a string. Links are made only for http(s) URLs.
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("scoda-data").textContent);
  var LANGS = DATA.languages.map(function (pair) { return pair[0]; });
  var CONFIDENCE = ["documented", "reported", "inferred"];
  var MAX_QUERY = 200;

  // -- indexes -----------------------------------------------------------------
  var layerInfo = {};
  DATA.layers.forEach(function (layer) { layerInfo[layer.name] = layer; });
  var documents = {};
  DATA.documents.forEach(function (d) { documents[d.id] = d; });
  var sections = {};
  DATA.sections.forEach(function (s) { sections[s.id] = s; });
  var corridors = {};
  DATA.corridors.forEach(function (c) { corridors[c.id] = c; });
  var measures = {};
  DATA.measures.forEach(function (m) { measures[m.id] = m; });
  var linksByFeature = {}, linksByMeasure = {};
  DATA.links.forEach(function (link) {
    (linksByFeature[link.feature_id] = linksByFeature[link.feature_id] || []).push(link);
    (linksByMeasure[link.measure_id] = linksByMeasure[link.measure_id] || []).push(link);
  });

  var state = {
    lang: initialLang(),
    layers: {},
    feature: null,
    measure: null,
    document: "",
    query: "",
    t: "",  // the live explorer's date, kept in the link only
    notice: ""
  };
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

  // -- text --------------------------------------------------------------------
  function present(value) {
    return value !== null && value !== undefined && String(value).trim() !== "";
  }

  function t(key, values) {
    var text = (DATA.i18n[state.lang] || {})[key];
    if (text === undefined || text === null) text = DATA.i18n.en[key];
    if (text === undefined || text === null) return key;
    return values ? text.replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    }) : text;
  }

  /** A record's field in the visitor's language: [text or null, fell back to English]. */
  function dataText(record, field) {
    if (!record) return [null, false];
    var value = record[field + "_" + state.lang];
    var bare = field === "note" || field === "coord_note";  // the bare column is the English
    if (state.lang === "en" && bare && !present(value)) value = record[field];
    if (present(value)) return [String(value), false];
    var english = record[field + "_en"];
    if (bare && !present(english)) english = record[field];
    return [present(english) ? String(english) : null, state.lang !== "en"];
  }

  function label(record, field) {
    return dataText(record, field)[0] || "";
  }

  /** A data text as nodes: the text, a discreet "EN" where the translation is missing (the
   * English marked lang="en"), a small sign where the project translated it (a note's zh / ru
   * always: notes are the project's own words). */
  function text(record, field) {
    var pair = dataText(record, field);
    if (pair[0] === null) return null;
    if (pair[1]) {
      return [h("span", { lang: "en" }, pair[0]), h("sup", { "class": "scoda-fallback", title: t("details.translation_missing") }, "EN")];
    }
    if (record["origin_" + state.lang] === "project" || (field === "note" && state.lang !== "en")) {
      return [pair[0], h("sup", { "class": "scoda-own", title: t("translation.project") },
        h("span", { "aria-hidden": "true" }, t("translation.project_short")),
        h("span", { "class": "scoda-sr" }, t("translation.project")))];
    }
    return pair[0];
  }

  /** An original (a source's title, a quote) in its own language, marked with lang. */
  function original(value, kind) {
    if (!present(value)) return null;
    value = String(value);
    var lang = /[\u3400-\u9fff]/.test(value) ? "zh" : /[\u0400-\u04ff]/.test(value) ? "ru" : "en";
    return h("span", { "class": "scoda-" + (kind || "original"), lang: lang }, value);
  }

  /** A link's rationale as a record text() reads: the link's own origins. */
  function linkText(link) {
    return text({ rationale_en: link.rationale_en, rationale_zh: link.rationale_zh, rationale_ru: link.rationale_ru,
      origin_en: link.origin_en, origin_zh: link.origin_zh, origin_ru: link.origin_ru }, "rationale");
  }

  /** Plotly reads a few HTML tags in its labels: data text goes in escaped. */
  function plotlyText(value) {
    return String(value === null || value === undefined ? "" : value)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  // -- DOM: elements and text nodes only ----------------------------------------
  function h(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "on") {
          Object.keys(value).forEach(function (event) { node.addEventListener(event, value[event]); });
        } else if (key === "swatch") {
          node.style.background = safeColor(value);
        } else if (key === "href") {
          throw new Error("use link() for links");
        } else {
          node.setAttribute(key, String(value));
        }
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false || child === "") return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    if (child instanceof Node) { node.appendChild(child); return; }
    node.appendChild(document.createTextNode(String(child)));
  }

  function replace(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    for (var i = 1; i < arguments.length; i++) append(node, arguments[i]);
  }

  function safeColor(value) {
    return /^#[0-9a-fA-F]{3,8}$/.test(String(value)) ? String(value) : "#888888";
  }

  function safeUrl(value) {
    if (!present(value)) return null;
    try {
      var url = new URL(String(value).trim());
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  /** A link only for http(s) URLs; anything else stays plain text. */
  function link(url, content) {
    var safe = safeUrl(url);
    if (!safe) return content;
    var a = h("a", { target: "_blank", rel: "noopener noreferrer" }, content);
    a.href = safe;
    return a;
  }

  function empty(value) {
    return value === null || value === undefined || value === "" || (Array.isArray(value) && value.every(empty));
  }

  function row(labelText, value) {
    if (empty(value)) return null;
    return [h("dt", null, labelText), h("dd", null, value)];
  }

  function dl(rows) {
    var kept = rows.filter(function (r) { return r !== null; });
    return kept.length ? h("dl", { "class": "scoda-facts" }, kept) : null;
  }

  function badge(confidence) {
    var known = CONFIDENCE.indexOf(confidence) >= 0;
    return h("span", { "class": known ? "scoda-badge scoda-" + confidence : "scoda-badge" },
      known ? t("confidence." + confidence) : String(confidence));
  }

  function muted(content) {
    return h("span", { "class": "scoda-muted" }, content);
  }

  function warn(content) {
    return h("span", { "class": "scoda-warn" }, content);
  }

  function featureButton(id, content) {
    return h("button", { type: "button", "class": "site-link", "data-feature": id,
      on: { click: function () { select(id); } } }, content);
  }

  // -- records -------------------------------------------------------------------
  function record(id) {
    return DATA.routes[id] || DATA.features[id] || DATA.places[id] || null;
  }

  /** Whether an object has the key itself (never "__proto__" and friends from a link). */
  function own(object, key) {
    return typeof key === "string" && Object.prototype.hasOwnProperty.call(object, key);
  }

  function isFeature(id) {
    return own(DATA.routes, id) || own(DATA.features, id) || own(DATA.places, id);
  }

  function layerOf(id) {
    if (DATA.routes[id]) return "routes";
    if (DATA.features[id]) return DATA.features[id].layer;
    return "places";
  }

  function layerTitle(name) {
    var info = layerInfo[name];
    return info ? (info.title[state.lang] || info.title.en) : name;
  }

  /** The selected feature, or for a place the features at that place. */
  function featuresAtSelection() {
    if (!state.feature) return [];
    return layerOf(state.feature) === "places" ? (DATA.at[state.feature] || []) : [state.feature];
  }

  function linkedMeasures() {
    var seen = {}, out = [];
    featuresAtSelection().forEach(function (fid) {
      (linksByFeature[fid] || []).forEach(function (link) {
        if (!seen[link.measure_id] && measures[link.measure_id]) {
          seen[link.measure_id] = true;
          out.push(link);
        }
      });
    });
    return out;
  }

  function highlightIds() {
    if (state.measure) return (linksByMeasure[state.measure] || []).map(function (l) { return l.feature_id; });
    return state.feature ? [state.feature] : [];
  }

  // -- header, footer, language ---------------------------------------------------------
  function renderChrome() {
    document.documentElement.lang = state.lang === "zh" ? "zh-Hans" : state.lang;
    document.title = t("app.title");
    replace(document.getElementById("site-title"), t("app.title"));
    replace(document.getElementById("site-subtitle"), t("app.subtitle"));
    replace(document.getElementById("details-heading"), t("details.heading"));
    // No time control here: the static page shows the present only, and says so.
    var credits = t("footer.credits", { version: DATA.version }) + " " + t("timeline.static_present");
    replace(document.getElementById("credits"), credits);
    replace(document.getElementById("schematic"), t(DATA.schematic_key));
    var languages = document.getElementById("languages");
    replace(languages, DATA.languages.map(function (pair) {
      return h("button", { type: "button", lang: pair[0], "data-lang": pair[0], "aria-pressed": pair[0] === state.lang ? "true" : "false",
        on: { click: function () { setLang(pair[0]); } } }, pair[1]);
    }));
    var search = document.getElementById("place-search");
    search.placeholder = t("search.placeholder");
    replace(document.getElementById("place-search-label"), t("search.placeholder"));
    var list = document.getElementById("place-names");
    replace(list, DATA.place_labels.map(function (pair) {
      var option = h("option");
      option.value = pair[0];
      return option;
    }));
    document.getElementById("measure-filter").placeholder = t("measures.search");
    replace(document.getElementById("measure-filter-label"), t("measures.search"));
    replace(document.getElementById("document-filter-label"), t("measures.all_documents"));
  }

  // -- layers and legend -------------------------------------------------------------------
  function renderLayers() {
    var box = document.getElementById("layers");
    replace(box, h("h3", { "class": "scoda-panel-title" }, t("layers.heading")), DATA.layers.map(function (layer) {
      var input = h("input", { type: "checkbox", "data-layer": layer.name });
      input.checked = !!state.layers[layer.name];
      input.addEventListener("change", function () { showLayer(layer.name, input.checked); });
      var count = layer.claimed !== null
        ? t("layers.count_claimed", { listed: layer.listed, claimed: layer.claimed, on_map: layer.on_map })
        : t("layers.count", { listed: layer.listed, on_map: layer.on_map });
      return h("div", { "class": "site-layer scoda-layer-" + layer.name },
        h("label", null, input, layerTitle(layer.name)),
        h("div", { "class": "scoda-count" }, layer.kind === "points" ? h("span", { "class": "scoda-swatch", swatch: layer.color }) : null, count));
    }));
    var used = {};
    Object.keys(DATA.routes).forEach(function (id) { used[DATA.routes[id].corridor] = true; });
    var items = DATA.corridors.filter(function (c) { return used[c.id]; }).map(function (c) {
      return h("li", null, h("span", { "class": "scoda-line", swatch: c.color }), label(c, "name"));
    });
    items.push(h("li", null, h("span", { "class": "scoda-line scoda-dashed" }), t("legend.sea")));
    replace(document.getElementById("legend"), h("ul", { "class": "scoda-legend" }, items));
  }

  function showLayer(name, visible) {
    if (!own(layerInfo, name)) return;
    state.layers[name] = !!visible;
    var indices = DATA.traces.layers[name] || [];
    if (mapReady && indices.length) Plotly.restyle(mapDiv, { visible: !!visible }, indices);
    var box = document.querySelector('#layers input[data-layer="' + name + '"]');
    if (box) box.checked = !!visible;
    writeHash();
  }

  // -- measure list ---------------------------------------------------------------------------
  function measureLabel(measure) {
    return [present(measure.number) ? measure.number + ". " : null, text(measure, "title")];
  }

  function visibleMeasures() {
    var query = state.query.trim().toLowerCase();
    return DATA.measures.filter(function (m) {
      if (state.document && m.document_id !== state.document) return false;
      if (!query) return true;
      var haystack = Object.keys(m).filter(function (key) {
        return /^(title|summary|agencies)_/.test(key) || key === "quote";
      }).map(function (key) { return present(m[key]) ? String(m[key]) : ""; }).join(" ").toLowerCase();
      return haystack.indexOf(query) >= 0;
    });
  }

  function renderDocumentFilter() {
    var select = document.getElementById("document-filter");
    var options = [h("option", { value: "" }, t("measures.all_documents"))].concat(DATA.documents.map(function (d) {
      return h("option", { value: d.id }, label(d, "title"));
    }));
    replace(select, options);
    select.value = state.document;
  }

  function renderMeasures() {
    replace(document.getElementById("measures-heading"), t("measures.heading"));
    var shown = visibleMeasures();
    var groups = [], lastDoc = null, lastSection;
    shown.forEach(function (m) {
      if (m.document_id !== lastDoc) {
        groups.push(h("div", { "class": "site-doc", "data-document": m.document_id }, text(documents[m.document_id], "title")));
        lastDoc = m.document_id;
        lastSection = undefined;
      }
      var section = present(m.section_id) ? m.section_id : null;
      if (section !== lastSection && section !== null && sections[section]) {
        groups.push(h("div", { "class": "site-section" }, text(sections[section], "name")));
      }
      lastSection = section;
      groups.push(h("button", { type: "button", "class": "site-measure-button", "data-measure": m.id,
        "aria-pressed": m.id === state.measure ? "true" : "false",
        on: { click: function () { selectMeasure(m.id); } } }, measureLabel(m)));
    });
    replace(document.getElementById("measure-list"), shown.length ? groups : h("p", { "class": "scoda-muted" }, t("measures.none")));
    var lines = [t("measures.count", { shown: shown.length, total: DATA.measures.length })];
    DATA.documents.forEach(function (d) {
      if (present(d.measure_count)) {
        var known = DATA.measures.filter(function (m) { return m.document_id === d.id; }).length;
        lines.push(t("measures.claimed", { document: label(d, "title"), known: known, claimed: d.measure_count }));
      }
    });
    replace(document.getElementById("measure-count"), lines.map(function (line) { return h("div", null, line); }));
  }

  // -- details ---------------------------------------------------------------------------------
  function title(rec, field, kicker) {
    return [h("div", { "class": "scoda-kicker" }, kicker), h("h3", { "class": "scoda-title" }, text(rec, field))];
  }

  function provenance(rec) {
    var items = (rec.source_ids || []).filter(function (sid) { return DATA.sources[sid]; }).map(function (sid) {
      var source = DATA.sources[sid];
      var kind = present(source.kind) && DATA.i18n.en["source_kind." + source.kind] ? t("source_kind." + source.kind) : null;
      var detail = [];
      if (kind) detail.push(kind);
      if (present(source.publisher)) detail.push((detail.length ? ", " : ""), original(source.publisher, "name"));
      if (present(source.date)) detail.push((detail.length ? ", " : "") + source.date);
      return h("li", null, link(source.url, sourceTitle(source)), detail.length ? [" ", muted(["("].concat(detail, [")"]))] : null);
    });
    return h("div", { "class": "scoda-provenance" },
      h("div", { "class": "scoda-label" }, t("details.sources")),
      h("ul", { "class": "scoda-sources" }, items),
      dl([row(t("details.confidence"), badge(rec.confidence)), row(t("details.date"), rec.date), row(t("details.note"), text(rec, "note"))]));
  }

  function coordinates(rec) {
    if (rec.lat === null || rec.lat === undefined || rec.on_map === false) return warn(t("details.no_coordinates"));
    var source = { geonames: "GeoNames", natural_earth: "Natural Earth", cited: t("details.coord_cited") }[rec.coord_source] || "";
    if (present(rec.geonameid)) source += " " + rec.geonameid;
    return [rec.lat.toFixed(3) + ", " + rec.lon.toFixed(3) + " ", muted("(" + source + ")"),
      present(label(rec, "coord_note")) ? [h("br"), muted(text(rec, "coord_note"))] : null];
  }

  /** A source's own title as published (marked with its language), or the project's description
   * of it in the visitor's language (marked as the project's translation). */
  function sourceTitle(source) {
    var localized = source["title_" + state.lang];
    if (!present(localized)) return original(source.title);
    return state.lang === "en" ? String(localized) : [String(localized), h("sup", { "class": "scoda-own", title: t("translation.project") },
      h("span", { "aria-hidden": "true" }, t("translation.project_short")), h("span", { "class": "scoda-sr" }, t("translation.project")))];
  }

  /** A route's status and the sources that show it. */
  function routeStatus(route) {
    var ids = (route.status_source_ids || []).filter(function (sid) { return DATA.sources[sid]; });
    if (!ids.length) return t("status." + route.status);
    var links = [];
    ids.forEach(function (sid, i) {
      if (i) links.push("; ");
      links.push(link(DATA.sources[sid].url, sourceTitle(DATA.sources[sid])));
    });
    return [t("status." + route.status), " ", muted(["(" + t("details.status_source") + ": ", links, ")"])];
  }

  function routeFacts(route) {
    var corridor = corridors[route.corridor];
    var stops = h("ol", { "class": "scoda-stops" }, route.stops.map(function (stop) {
      var place = DATA.places[stop.place_id] || {};
      var mode = { sea: t("details.sea_leg"), river: t("details.river_leg") }[stop.mode_to_next];
      return h("li", null, text(place, "name"), " ", muted(place.country),
        place.lat === null ? [" ", warn("(" + t("details.not_on_map") + ")")] : null,
        stop.confidence === "inferred" ? [" ", badge("inferred")] : null,
        mode ? [" ", muted("→ " + mode)] : null);
    }));
    return [dl([
      row(t("details.corridor"), corridor ? [h("span", { "class": "scoda-swatch", swatch: corridor.color }), text(corridor, "name")] : null),
      row(t("details.direction"), present(route.direction) ? t("direction." + route.direction) : null),
      row(t("details.status"), present(route.status) ? routeStatus(route) : null),
      row(t("details.first_run"), route.first_run),
      row(t("details.transit_days"), present(route.transit_days) ? t("details.days", { days: route.transit_days }) : null),
      row(t("details.cargo"), text(route, "cargo")),
      row(t("details.via"), text(route, "via")),
      row(t("details.stops"), stops)
    ]), route.on_map ? null : h("p", { "class": "scoda-warn" }, t("details.not_drawn"))];
  }

  function measureBody(m) {
    var doc = documents[m.document_id];
    var section = present(m.section_id) ? sections[m.section_id] : null;
    return [
      present(label(m, "summary")) ? h("p", null, text(m, "summary")) : null,
      dl([
        row(t("details.document"), doc ? text(doc, "title") : null),
        row(t("details.section"), section ? text(section, "name") : null),
        row(t("details.number"), m.number),
        row(t("details.agencies"), text(m, "agencies")),
        row(t("details.text_status"), present(m.text_status) ? t("text_status." + m.text_status) : null)
      ]),
      present(m.quote) ? h("blockquote", { "class": "scoda-quote", title: t("details.quote") }, original(m.quote)) : null,
      provenance(m)
    ];
  }

  function measureBlock(link) {
    var m = measures[link.measure_id];
    var relation = t("relation." + link.relation);
    return h("details", { "class": "scoda-measure", "data-measure": m.id },
      h("summary", null, measureLabel(m)),
      measureBody(m),
      dl([row(t("details.why_linked"), [linkText(link), " (" + relation + ")"]),
        row(t("details.confidence"), badge(link.confidence))]),
      h("button", { type: "button", "class": "site-link site-reach", "data-measure": m.id,
        on: { click: function () { selectMeasure(m.id); } } }, t("details.reaches") + " →"));
  }

  function supportingMeasures() {
    var linked = linkedMeasures();
    return [h("h4", { "class": "scoda-subhead" }, t("details.supporting_measures")),
      linked.length ? linked.map(measureBlock) : h("p", { "class": "scoda-muted" }, t("details.no_measures"))];
  }

  function featureDetails(id) {
    var layer = layerOf(id), rec = record(id);
    if (layer === "places") return placeDetails(id, rec);
    var parts = [title(rec, "name", layerTitle(layer))];
    if (layer === "routes") {
      parts.push(routeFacts(rec));
    } else {
      parts.push(dl([row(t("details.status"), text(rec, "status")), row(t("details.country"), rec.country),
        row(t("details.coordinates"), coordinates(rec))]));
      if (present(label(rec, "summary"))) parts.push(h("p", null, text(rec, "summary")));
    }
    parts.push(provenance(rec), supportingMeasures());
    return parts;
  }

  function placeDetails(id, place) {
    var here = (DATA.at[id] || []).map(function (fid) { return featureButton(fid, text(record(fid), "name")); });
    var names = [];
    here.forEach(function (button, i) { if (i) names.push(", "); names.push(button); });
    return [
      title(place, "name", t("details.country") + ": " + place.country),
      dl([row(t("details.coordinates"), coordinates(place)),
        row(t("details.routes_here") + " / " + t("details.listed_in"), names.length ? names : null)]),
      provenance(place),
      supportingMeasures()
    ];
  }

  function measureDetails(id) {
    var m = measures[id];
    var reached = (linksByMeasure[id] || []).filter(function (l) { return record(l.feature_id); });
    return [
      title(m, "title", label(documents[m.document_id], "title")),
      measureBody(m),
      h("h4", { "class": "scoda-subhead" }, t("details.reaches")),
      reached.length ? h("ul", { "class": "scoda-reached" }, reached.map(function (l) {
        var rec = record(l.feature_id);
        var onMap = l.feature_id in DATA.routes ? rec.on_map : rec.lat !== null && rec.on_map !== false;
        return h("li", { "data-feature": l.feature_id }, featureButton(l.feature_id, text(rec, "name")), " ",
          muted(layerTitle(l.layer)), onMap ? null : [" ", warn("(" + t("details.not_on_map") + ")")],
          h("br"), muted(linkText(l)), " ", badge(l.confidence));
      })) : h("p", { "class": "scoda-muted" }, t("details.reaches_none"))
    ];
  }

  function renderDetails() {
    var box = document.getElementById("details");
    var notice = state.notice ? h("p", { "class": "scoda-notice", role: "status" }, state.notice) : null;
    var body;
    if (state.measure) body = measureDetails(state.measure);
    else if (state.feature) body = featureDetails(state.feature);
    else body = h("p", { "class": "scoda-muted" }, t("details.empty"));
    replace(box, notice, body);
    box.parentNode.scrollTop = 0;
  }

  // -- the map ------------------------------------------------------------------------------------
  var mapDiv = document.getElementById("map");
  var mapReady = false;
  var figure = DATA.figure;

  function hoverTexts() {
    var update = { text: [], indices: [] };
    Object.keys(DATA.traces.layers).forEach(function (name) {
      DATA.traces.layers[name].forEach(function (i) {
        update.indices.push(i);
        update.text.push((figure.data[i].customdata || []).map(function (id) {
          return id === null ? "" : plotlyText(label(record(id), "name"));
        }));
      });
    });
    return update;
  }

  function geometryOf(id) {
    var lines = [], points = [];
    var route = DATA.routes[id];
    if (route) lines = route.lines;
    else {
      var rec = record(id);
      if (rec && rec.lat !== null && rec.lat !== undefined) points.push([rec.lon, rec.lat]);
    }
    return { lines: lines, points: points };
  }

  function drawHighlight(fit) {
    var xs = [], ys = [], px = [], py = [], box = null;
    function extend(x, y) {
      box = box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)] : [x, y, x, y];
    }
    highlightIds().forEach(function (id) {
      var g = geometryOf(id);
      g.lines.forEach(function (line) {
        line.forEach(function (p) { xs.push(p[0]); ys.push(p[1]); extend(p[0], p[1]); });
        xs.push(null); ys.push(null);
      });
      g.points.forEach(function (p) { px.push(p[0]); py.push(p[1]); extend(p[0], p[1]); });
    });
    if (!mapReady) return;
    Plotly.restyle(mapDiv, { x: [xs, px], y: [ys, py] }, [DATA.traces.highlight_lines, DATA.traces.highlight_points]);
    // Fade everything else while something is lit, so the selection stands out.
    var layerTraces = [];
    Object.keys(DATA.traces.layers).forEach(function (name) { layerTraces = layerTraces.concat(DATA.traces.layers[name]); });
    var faded = String(xs.length + px.length > 0);
    if (faded !== mapDiv.getAttribute("data-faded")) {
      Plotly.restyle(mapDiv, { opacity: faded === "true" ? 0.45 : 1 }, layerTraces);
      mapDiv.setAttribute("data-faded", faded);
    }
    if (fit && box) fitTo(box);
  }

  function fitTo(box) {
    // Some context around what is lit: a fifth of its size on each side, and never closer than 24 degrees.
    var minSpan = 24;
    var cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2;
    var w = Math.max((box[2] - box[0]) * 1.4 + 4, minSpan), hgt = Math.max((box[3] - box[1]) * 1.4 + 4, minSpan / 2);
    Plotly.relayout(mapDiv, { "xaxis.range": [cx - w / 2, cx + w / 2], "yaxis.range": [cy - hgt / 2, cy + hgt / 2] });
  }

  function drawMap() {
    var texts = hoverTexts();
    texts.indices.forEach(function (i, k) { figure.data[i].text = texts.text[k]; });
    Object.keys(DATA.traces.layers).forEach(function (name) {
      DATA.traces.layers[name].forEach(function (i) { figure.data[i].visible = !!state.layers[name]; });
    });
    var config = { displaylogo: false, responsive: true, scrollZoom: true, doubleClick: "reset",
      modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"] };
    return Plotly.newPlot(mapDiv, figure.data, figure.layout, config).then(function () {
      mapReady = true;
      mapDiv.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        var id = point && point.customdata;
        if (typeof id === "string" && isFeature(id)) select(id);
      });
      drawHighlight(!!state.measure);
    });
  }

  function relabelMap() {
    if (!mapReady) return;
    var texts = hoverTexts();
    Plotly.restyle(mapDiv, { text: texts.text }, texts.indices);
  }

  // -- link state: #lang=zh&feature=r-almaty (the explorer's ?query names work too) ----------------
  function defaultLayers() {
    return DATA.layers.every(function (layer) { return !!layer.visible === !!state.layers[layer.name]; });
  }

  function writeHash() {
    var params = new URLSearchParams();
    params.set("lang", state.lang);
    if (state.feature) params.set("feature", state.feature);
    if (state.measure) params.set("measure", state.measure);
    if (!defaultLayers()) {
      var shown = DATA.layers.filter(function (layer) { return state.layers[layer.name]; }).map(function (layer) { return layer.name; });
      params.set("layers", shown.length ? shown.join(",") : "-");
    }
    if (state.document) params.set("doc", state.document);
    if (state.query.trim()) params.set("q", state.query);
    // The live explorer's date (t=2021): this page shows the present only, but keeps the date
    // in its link, so "Open the live map" opens that year.
    if (state.t) params.set("t", state.t);
    try { history.replaceState(null, "", "#" + params.toString()); } catch (error) { /* some browsers, on file:// */ }
  }

  /** Apply a link's view: the fragment, or else (on opening) the query string; what does not fit is ignored. */
  function readLink(opening) {
    var hash = location.hash.replace(/^#/, "");
    var params = new URLSearchParams((hash || !opening ? hash : location.search.replace(/^\?/, "")).slice(0, 2000));
    var lang = params.get("lang");
    if (lang && LANGS.indexOf(lang) >= 0) state.lang = lang;
    var wanted = params.has("layers") ? params.get("layers").split(",") : null;
    DATA.layers.forEach(function (layer) {
      var visible = wanted ? wanted.indexOf(layer.name) >= 0 : !!layer.visible;
      if (visible !== !!state.layers[layer.name]) showLayer(layer.name, visible);
    });
    var doc = params.get("doc");
    state.document = doc && own(documents, doc) ? doc : "";
    state.query = (params.get("q") || "").slice(0, MAX_QUERY);
    var when = params.get("t") || "";
    state.t = /^\d{4}(-\d{2}(-\d{2})?)?$/.test(when) ? when : "";
    var feature = params.get("feature"), measure = params.get("measure");
    if (measure) selectMeasure(measure.slice(0, 200));
    else if (feature) select(feature.slice(0, 200));
    else if (state.feature || state.measure) clear();
  }

  // -- actions --------------------------------------------------------------------------------------
  function select(id, options) {
    options = options || {};
    if (id !== null && !isFeature(id)) {
      state.notice = t("notice.unknown_feature", { value: String(id).slice(0, 80) });
      renderDetails();
      return false;
    }
    state.feature = id;
    state.measure = null;
    state.notice = "";
    afterSelection(!!options.fit);
    return true;
  }

  function selectMeasure(id, options) {
    if (id !== null && !own(measures, id)) {
      state.notice = t("notice.unknown_measure", { value: String(id).slice(0, 80) });
      renderDetails();
      return false;
    }
    state.measure = id;
    state.feature = null;
    state.notice = "";
    afterSelection(true);
    return true;
  }

  function afterSelection(fit) {
    renderDetails();
    document.querySelectorAll("#measure-list [data-measure]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-measure") === state.measure ? "true" : "false");
    });
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
    state.notice = "";
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

  function renderAll() {
    var filter = document.getElementById("measure-filter");
    if (filter.value !== state.query) filter.value = state.query;
    renderChrome();
    renderLayers();
    renderDocumentFilter();
    renderMeasures();
    renderDetails();
  }

  // -- place search --------------------------------------------------------------------------------
  function placeFor(query) {
    for (var i = 0; i < DATA.place_labels.length; i++) {
      if (DATA.place_labels[i][0] === query) return [DATA.place_labels[i][1]];
    }
    var needle = query.trim().toLowerCase();
    if (!needle) return [];
    return DATA.place_labels.filter(function (pair) { return pair[0].toLowerCase().indexOf(needle) >= 0; });
  }

  function searchPlace() {
    var input = document.getElementById("place-search");
    var message = document.getElementById("search-message");
    var query = input.value.slice(0, MAX_QUERY);
    if (!query.trim()) { replace(message); return; }
    var hits = placeFor(query);
    if (hits.length === 1) {
      replace(message);
      select(typeof hits[0] === "string" ? hits[0] : hits[0][1], { fit: true });
    } else if (hits.length === 0) {
      replace(message, t("search.no_match", { query: query }));
    } else {
      replace(message, hits.slice(0, 8).map(function (pair) {
        return h("button", { type: "button", "class": "site-link", on: { click: function () {
          input.value = pair[0];
          replace(message);
          select(pair[1], { fit: true });
        } } }, pair[0]);
      }));
    }
  }

  function wire() {
    var input = document.getElementById("place-search");
    input.addEventListener("change", searchPlace);
    input.addEventListener("keydown", function (event) { if (event.key === "Enter") searchPlace(); });
    document.getElementById("document-filter").addEventListener("change", function (event) {
      var value = event.target.value;
      state.document = own(documents, value) ? value : "";
      renderMeasures();
      writeHash();
    });
    document.getElementById("measure-filter").addEventListener("input", function (event) {
      state.query = String(event.target.value).slice(0, MAX_QUERY);
      renderMeasures();
      writeHash();
    });
    window.addEventListener("hashchange", function () {
      readLink(false);
      renderAll();
      relabelMap();
    });
  }

  // -- start ----------------------------------------------------------------------------------------
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
