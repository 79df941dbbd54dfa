// kg's research page: a graph to explore by clicking (Cytoscape.js),
// filters, a timeline, a path search, a fact table and an article view,
// all over kg serve's JSON API. The facts loaded so far are the working
// set; filters choose which of them are shown, everywhere at once.
import cytoscape from "cytoscape";
import { $, el, svg, getJSON, qs, entityLabel, dayNumber, firstDay, lastDay, download, csvCell, ApiError } from "./util.js";
import { combo } from "./combo.js";

// Colours: one per PLOVER event type (the same in the graph, the
// timeline and the filter list) and one per entity type.
const EVENT_COLOURS = {
  AGREE: "#2a9d8f", CONSULT: "#4e79a7", SUPPORT: "#59a14f", CONCEDE: "#8cd17d", COOPERATE: "#76b7b2",
  AID: "#499894", RETREAT: "#b6992d", REQUEST: "#f1ce63", ACCUSE: "#e15759", REJECT: "#ff9d9a",
  THREATEN: "#d37295", PROTEST: "#b07aa1", SANCTION: "#9d7660", MOBILIZE: "#f28e2b", COERCE: "#c0392b",
  ASSAULT: "#7b1e1e",
};
const NO_EVENT = "#9a9a9a";
const TYPE_COLOURS = { country: "#4e79a7", organization: "#f28e2b", person: "#59a14f", document: "#9c755f", group: "#b07aa1" };
const eventColour = (e) => EVENT_COLOURS[e] || NO_EVENT;
const typeColour = (t) => TYPE_COLOURS[(t || "").split("/")[0]] || "#bab0ac";
const NONE = "(none)"; // the filter value of facts that are no event (signs, violates)

const state = {
  facts: new Map(), // key → fact: the working set
  nodes: new Map(), // id → entity
  articles: new Map(), // id → article (date, lang, title)
  focus: null, // the entity the view was centred on
  selected: null, // {kind: "node"|"fact", key}
  path: new Set(), // keys of the facts of the last path
  sort: { col: "date", dir: 1 },
  visible: [], // the facts the filters keep
};

const status = (msg) => { $("status").textContent = msg; };
const fail = (e) => status(e instanceof ApiError ? e.message : "Something went wrong on this page: " + e.message);

// factKey identifies a fact in the working set: what tells two facts
// apart (one sentence may hold two attacks on two dates) and where it
// was read.
const factKey = (f) => [f.doc, f.subject.id, f.relation, f.event, f.object.id, f.date, f.modality, f.instrument,
  f.evidence ? f.evidence.start : ""].join("\u0001");

// ---- the graph ---------------------------------------------------------

const cy = cytoscape({
  container: $("cy"),
  style: [
    { selector: "node", style: {
      "label": "data(label)", "background-color": "data(colour)", "color": "#222", "font-size": 11,
      "text-valign": "bottom", "text-margin-y": 3, "width": 22, "height": 22,
      "text-background-color": "#fff", "text-background-opacity": 0.75, "text-background-padding": 1,
    } },
    { selector: "node.focus", style: { "border-width": 4, "border-color": "#222", "width": 30, "height": 30, "font-weight": "bold" } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": "#1f6feb", "overlay-opacity": 0 } },
    { selector: "edge", style: {
      "curve-style": "bezier", "target-arrow-shape": "triangle", "line-color": "data(colour)",
      "target-arrow-color": "data(colour)", "width": "data(width)", "label": "data(label)", "font-size": 9,
      "color": "#444", "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.8,
      "text-background-padding": 1, "arrow-scale": 0.9,
    } },
    { selector: "edge.hypothetical", style: { "line-style": "dashed" } },
    { selector: "edge.negated", style: { "line-style": "dotted" } },
    { selector: "edge:selected", style: { "width": 5, "line-color": "#1f6feb", "target-arrow-color": "#1f6feb", "overlay-opacity": 0 } },
    { selector: "edge.path", style: { "width": 5, "line-color": "#111", "target-arrow-color": "#111", "z-index": 10 } },
    { selector: ".hidden", style: { "display": "none" } },
  ],
  minZoom: 0.2,
  maxZoom: 3,
  boxSelectionEnabled: false,
});

// near is where new entities first appear (around the entity being
// expanded), so the force layout starts from what the reader sees.
let near = null;

function addEntity(e) {
  if (!e || !e.id) return;
  const known = state.nodes.get(e.id);
  state.nodes.set(e.id, Object.assign({}, known, e));
  if (cy.getElementById(e.id).empty()) {
    const a = Math.random() * 2 * Math.PI;
    const at = near ? { x: near.x + 60 * Math.cos(a), y: near.y + 60 * Math.sin(a) } : { x: 400 * Math.random(), y: 300 * Math.random() };
    cy.add({ group: "nodes", data: { id: e.id, label: e.name || e.id, colour: typeColour(e.type) }, position: at });
  }
}

function addFacts(facts) {
  let added = 0;
  for (const f of facts) {
    const k = factKey(f);
    if (state.facts.has(k)) continue;
    state.facts.set(k, f);
    addEntity(f.subject);
    addEntity(f.object);
    cy.add({ group: "edges", data: {
      id: "f" + state.facts.size, key: k, source: f.subject.id, target: f.object.id, label: f.relation,
      colour: eventColour(f.event), width: 1 + 2.5 * (f.confidence || 0.5),
    }, classes: f.modality || "" });
    added++;
  }
  return added;
}

// The drawing, for the browser test (cmd/kg TestWebPageInChromium) and
// for anyone poking at the page from the console.
window.kg = { cy };

const edgeOf = (key) => cy.edges().filter((e) => e.data("key") === key);

function layout(kind, root) {
  const shown = cy.elements().not(".hidden");
  if (shown.empty()) return;
  root = root || state.focus;
  let opts = { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 400000, idealEdgeLength: () => 110,
    edgeElasticity: () => 100, nodeOverlap: 20, gravity: 0.25, numIter: 1500, padding: 30, fit: true };
  if (kind === "path" && root && !cy.getElementById(root).empty()) {
    // levels of hops from the path's start, top to bottom: the chain reads downwards
    opts = { name: "breadthfirst", roots: cy.getElementById(root), directed: false, spacingFactor: 1.15, animate: false, fit: true, padding: 30 };
  } else if (kind === "centre" && root && !cy.getElementById(root).empty()) {
    // rings of hops around the focus
    const dist = {};
    cy.elements().bfs({ roots: cy.getElementById(root), directed: false, visit: (v, e, u, i, depth) => { dist[v.id()] = depth; } });
    opts = { name: "concentric", animate: false, padding: 30, minNodeSpacing: 28, fit: true,
      concentric: (n) => 10 - (dist[n.id()] ?? 9), levelWidth: () => 1 };
  }
  shown.layout(opts).run();
  // a small graph is not blown up to fill the box: labels stay readable
  if (cy.zoom() > 1.4) {
    cy.zoom(1.4);
    cy.center(shown);
  }
}

function clearGraph() {
  cy.elements().remove();
  state.facts.clear();
  state.nodes.clear();
  state.path.clear();
  state.selected = null;
}

// centre starts again from one entity: its neighbourhood, drawn in rings.
async function centre(id, depth) {
  status("Loading the neighbourhood of " + (state.nodes.get(id) ? entityLabel(state.nodes.get(id)) : id) + "…");
  const nb = await getJSON("/api/neighbors?" + qs({ entity: id, depth }));
  clearGraph();
  state.focus = nb.entity.id;
  for (const n of nb.nodes || []) addEntity(n);
  addEntity(nb.entity);
  addFacts(nb.edges || []);
  cy.nodes().removeClass("focus");
  cy.getElementById(state.focus).addClass("focus");
  refresh();
  layout("centre");
  selectNode(state.focus);
  const n = (nb.edges || []).length;
  status(n === 0
    ? entityLabel(nb.entity) + " is in the graph but no fact links it to another entity."
    : n + " fact" + (n === 1 ? "" : "s") + " within " + depth + " hop" + (depth === "1" || depth === 1 ? "" : "s") + " of " + entityLabel(nb.entity) +
      (nb.truncated ? " (the neighbourhood is large: some entities are left out)" : "") + ". Click an entity to expand it.");
  const u = new URL(location.href);
  u.search = qs({ entity: state.focus, depth });
  history.replaceState(null, "", u);
}

// expand adds an entity's direct neighbours to what is shown.
async function expand(id) {
  const name = state.nodes.get(id) ? entityLabel(state.nodes.get(id)) : id;
  status("Expanding " + name + "…");
  const nb = await getJSON("/api/neighbors?" + qs({ entity: id, depth: 1 }));
  const n0 = cy.getElementById(id);
  near = n0.empty() ? null : Object.assign({}, n0.position());
  for (const n of nb.nodes || []) addEntity(n);
  const added = addFacts(nb.edges || []);
  near = null;
  refresh();
  if (added > 0) layout();
  if (state.selected && state.selected.kind === "node" && state.selected.key === id) selectNode(id);
  status(added === 0 ? "Nothing more around " + name + ": all its facts are shown." : added + " more fact" + (added === 1 ? "" : "s") + " around " + name + ".");
}

async function showAll() {
  status("Loading the graph…");
  const limit = 400;
  const facts = await getJSON("/api/facts?" + qs({ limit }));
  clearGraph();
  state.focus = null;
  addFacts(facts);
  refresh();
  layout();
  showHint();
  status(facts.length >= limit
    ? "Showing the first " + limit + " facts of the graph: search an entity to explore from it."
    : "The whole graph: " + facts.length + " fact" + (facts.length === 1 ? "" : "s") + ". Click an entity to expand it, double-click to centre on it.");
}

cy.on("tap", "node", (ev) => {
  const id = ev.target.id();
  selectNode(id);
  expand(id).catch(fail);
});
cy.on("dbltap", "node", (ev) => centre(ev.target.id(), $("depth").value).catch(fail));
cy.on("tap", "edge", (ev) => selectFact(ev.target.data("key")));

// ---- filters -----------------------------------------------------------

function filters() {
  const checked = (box) => [...box.querySelectorAll("input:checked")].map((i) => i.value);
  return {
    events: new Set(checked($("f-events"))),
    allEvents: $("f-events").querySelectorAll("input:not(:checked)").length === 0,
    modality: new Set(checked($("f-modality"))),
    since: $("f-since").value.trim(),
    until: $("f-until").value.trim(),
    field: document.querySelector("input[name=f-datefield]:checked").value,
    conf: parseFloat($("f-conf").value) || 0,
    lang: $("f-lang").value,
    article: $("f-article").value,
  };
}

const dateRE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const published = (f) => (state.articles.get(f.doc) || {}).date || "";

// keep is kg facts' filter, with the page's additions; a fact without a
// date fails a date bound, as on the command line.
function keep(f, fl) {
  if (!fl.allEvents && !fl.events.has(f.event || NONE)) return false;
  if (!fl.modality.has(f.modality || "asserted")) return false;
  if ((f.confidence || 0) + 1e-9 < fl.conf) return false;
  const a = state.articles.get(f.doc) || {};
  if (fl.lang && a.lang !== fl.lang) return false;
  if (fl.article && f.doc !== fl.article) return false;
  if ((fl.since && dateRE.test(fl.since)) || (fl.until && dateRE.test(fl.until))) {
    const d = fl.field === "published" ? a.date : f.date;
    if (!d) return false;
    if (fl.since && dateRE.test(fl.since) && firstDay(d) < firstDay(fl.since)) return false;
    if (fl.until && dateRE.test(fl.until) && lastDay(d) > lastDay(fl.until)) return false;
  }
  return true;
}

function buildEventFilter(byEvent, noEvent) {
  const box = $("f-events");
  box.replaceChildren();
  const names = Object.keys(byEvent || {}).sort();
  if (noEvent > 0) names.push(NONE);
  for (const e of names) {
    const sw = el("span", { class: "swatch", "aria-hidden": "true" });
    sw.style.background = e === NONE ? NO_EVENT : eventColour(e);
    box.appendChild(el("label", { title: e === NONE ? "relations that are no event: signs, issues, violates…" : "" },
      el("input", { type: "checkbox", value: e, checked: true }), sw, e === NONE ? "no event" : e,
      el("span", { class: "count", "data-event": e })));
  }
}

function dateInvalid() {
  let bad = "";
  for (const id of ["f-since", "f-until"]) {
    const v = $(id).value.trim();
    $(id).setAttribute("aria-invalid", v && !dateRE.test(v) ? "true" : "false");
    if (v && !dateRE.test(v)) bad = "Write dates as 2024, 2024-01 or 2024-01-02.";
  }
  return bad;
}

// ---- refresh: everything shown follows the working set and the filters

function refresh() {
  const fl = filters();
  $("f-conf-out").textContent = fl.conf.toFixed(2);
  const bad = dateInvalid();
  const visible = [];
  const shownNodes = new Set();
  const counts = {};
  for (const [k, f] of state.facts) {
    const ok = keep(f, fl);
    const ev = f.event || NONE;
    counts[ev] = (counts[ev] || 0) + 1;
    edgeOf(k).toggleClass("hidden", !ok);
    if (ok) {
      visible.push(f);
      shownNodes.add(f.subject.id);
      shownNodes.add(f.object.id);
    }
  }
  const filtering = visible.length < state.facts.size;
  cy.nodes().forEach((n) => n.toggleClass("hidden", filtering && !shownNodes.has(n.id()) && n.id() !== state.focus));
  for (const c of $("f-events").querySelectorAll(".count")) {
    const n = counts[c.dataset.event] || 0;
    c.textContent = n ? " " + n : "";
  }
  state.visible = visible;
  renderNodeList();
  renderTable();
  renderTimeline();
  $("fact-count").textContent = "(" + visible.length + (filtering ? " of " + state.facts.size + " loaded" : "") + ")";
  if (bad) status(bad);
  else if (filtering) status(visible.length + " of " + state.facts.size + " facts match the filters.");
}

// ---- keyboard access to the nodes ---------------------------------------

function renderNodeList() {
  const ul = $("node-list");
  ul.replaceChildren();
  const shown = cy.nodes().not(".hidden").map((n) => state.nodes.get(n.id())).filter(Boolean);
  shown.sort((a, b) => entityLabel(a).localeCompare(entityLabel(b)));
  for (const e of shown) {
    const b = el("button", { type: "button", class: "linkish" }, entityLabel(e));
    b.addEventListener("click", () => { selectNode(e.id); expand(e.id).catch(fail); });
    const c = el("button", { type: "button", class: "small", "aria-label": "Centre on " + entityLabel(e) }, "Centre");
    c.addEventListener("click", () => centre(e.id, $("depth").value).catch(fail));
    ul.appendChild(el("li", {}, b, " ", c));
  }
  $("node-count").textContent = String(shown.length);
}

// ---- the selection panel -------------------------------------------------

function showHint() {
  $("sel-title").textContent = "Selection";
  $("sel-body").replaceChildren(el("p", { class: "hint" },
    "Click an entity to expand it, or a link to read its fact. Double-click an entity (or use “Centre here”) to start again from it."));
}

function factLine(f) {
  return entityLabel(f.subject) + " " + f.relation + " " + entityLabel(f.object);
}

function selectNode(id) {
  const e = state.nodes.get(id) || { id };
  state.selected = { kind: "node", key: id };
  cy.elements().unselect();
  cy.getElementById(id).select();
  $("sel-title").textContent = entityLabel(e);
  const body = [];
  const meta = [e.type, e.id].filter(Boolean).join(" · ");
  body.push(el("p", { class: "meta" }, meta));
  const labels = e.labels ? Object.entries(e.labels).map(([l, n]) => n + " (" + l + ")").join(", ") : "";
  if (labels) body.push(el("p", {}, "Names: " + labels));
  if (e.aliases && e.aliases.length) body.push(el("p", { class: "aliases" }, "Also: " + e.aliases.slice(0, 12).join(", ")));
  const acts = el("p", { class: "actions" });
  const bx = el("button", { type: "button" }, "Expand");
  bx.addEventListener("click", () => expand(id).catch(fail));
  const bc = el("button", { type: "button" }, "Centre here");
  bc.addEventListener("click", () => centre(id, $("depth").value).catch(fail));
  const bf = el("button", { type: "button" }, "Path from here");
  bf.addEventListener("click", () => { $("path-a").value = entityLabel(e); $("path-a").dataset.id = id; $("path-b").focus(); });
  acts.append(bx, " ", bc, " ", bf);
  if (/^Q\d+$/.test(id)) {
    acts.append(" ", el("a", { href: "https://www.wikidata.org/wiki/" + id, target: "_blank", rel: "noopener noreferrer" }, "Wikidata"));
  }
  body.push(acts);
  const facts = state.visible.filter((f) => f.subject.id === id || f.object.id === id);
  body.push(el("h3", {}, facts.length + " fact" + (facts.length === 1 ? "" : "s") + " shown"));
  const ul = el("ul", { class: "fact-list" });
  for (const f of facts.slice(0, 40)) {
    const b = el("button", { type: "button", class: "linkish" }, factLine(f) + (f.date ? " (" + f.date + ")" : ""));
    b.addEventListener("click", () => selectFact(factKey(f)));
    ul.appendChild(el("li", {}, b));
  }
  body.push(ul);
  $("sel-body").replaceChildren(...body);
  markRows();
}

function selectFact(key) {
  const f = state.facts.get(key);
  if (!f) return;
  state.selected = { kind: "fact", key };
  cy.elements().unselect();
  edgeOf(key).select();
  $("sel-title").textContent = factLine(f);
  const a = state.articles.get(f.doc) || {};
  const dl = el("dl", {});
  const row = (k, v) => { if (v) dl.append(el("dt", {}, k), el("dd", {}, v)); };
  row("Event", f.event ? f.event + (f.mode ? " (" + f.mode + ")" : "") : "no event type");
  row("Date", f.date || "not stated");
  row("Published", a.date);
  row("Modality", f.modality);
  row("Confidence", (f.confidence || 0).toFixed(2));
  row("Instrument", f.instrument);
  row("Reported by", f.speaker);
  row("Article", (a.title || f.doc) + (a.lang ? " (" + a.lang + ")" : ""));
  const read = el("button", { type: "button" }, "Read in the article");
  read.addEventListener("click", () => openArticle(f.doc, key).catch(fail));
  const subj = el("button", { type: "button", class: "linkish" }, entityLabel(f.subject));
  subj.addEventListener("click", () => selectNode(f.subject.id));
  const obj = el("button", { type: "button", class: "linkish" }, entityLabel(f.object));
  obj.addEventListener("click", () => selectNode(f.object.id));
  $("sel-body").replaceChildren(
    el("p", {}, subj, " → ", obj),
    dl,
    el("blockquote", { lang: a.lang || null }, (f.evidence && f.evidence.sentence) || ""),
    el("p", {}, read));
  markRows();
}

// ---- the timeline ----------------------------------------------------------

function renderTimeline() {
  const box = $("timeline");
  const field = filters().field;
  const dated = [];
  let undated = 0;
  for (const f of state.visible) {
    const d = field === "published" ? published(f) : f.date;
    const x = dayNumber(d);
    if (isNaN(x)) undated++;
    else dated.push({ f, d, x });
  }
  const what = field === "published" ? "publication date" : "event date";
  const note = el("p", { class: "hint" }, dated.length + " fact" + (dated.length === 1 ? "" : "s") + " placed by " + what +
    (undated ? "; " + undated + " without one" + (field === "event" ? " (choose “publication date” in the filters to place them by their article)" : "") : "") + ".");
  if (dated.length === 0) { box.replaceChildren(note); return; }
  const lanes = [...new Set(dated.map((p) => p.f.event || NONE))].sort();
  const W = Math.max(box.clientWidth || 700, 400), laneH = 22, left = 110, right = 45, top = 8;
  const H = top + lanes.length * laneH + 30;
  let lo = Math.min(...dated.map((p) => p.x)), hi = Math.max(...dated.map((p) => p.x));
  if (hi - lo < 10) { lo -= 5; hi += 5; }
  const X = (x) => left + (x - lo) / (hi - lo) * (W - left - right);
  const s = svg("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "Timeline of " + dated.length + " facts by " + what });
  lanes.forEach((l, i) => {
    const y = top + i * laneH + laneH / 2;
    s.appendChild(svg("text", { x: left - 8, y: y + 4, "text-anchor": "end", "font-size": 11, fill: "#333" }, l === NONE ? "no event" : l));
    s.appendChild(svg("line", { x1: left, x2: W - right, y1: y, y2: y, stroke: "#eee" }));
  });
  // ticks: about six, on month starts when the span is short enough
  const axisY = top + lanes.length * laneH + 4;
  s.appendChild(svg("line", { x1: left, x2: W - right, y1: axisY, y2: axisY, stroke: "#999" }));
  const ticks = 6;
  for (let i = 0; i <= ticks; i++) {
    const day = lo + (hi - lo) * i / ticks;
    const d = new Date(day * 864e5).toISOString().slice(0, hi - lo > 1500 ? 7 : 10);
    s.appendChild(svg("line", { x1: X(day), x2: X(day), y1: axisY, y2: axisY + 4, stroke: "#999" }));
    s.appendChild(svg("text", { x: X(day), y: axisY + 16, "text-anchor": "middle", "font-size": 10, fill: "#555" }, d));
  }
  // stack facts that fall on the same day in a lane
  const used = {};
  for (const p of dated) {
    const lane = lanes.indexOf(p.f.event || NONE);
    const slot = lane + ":" + Math.round(X(p.x) / 8);
    const k = used[slot] = (used[slot] || 0) + 1;
    const cx = X(p.x) + (k - 1) * 7, cy = top + lane * laneH + laneH / 2;
    const key = factKey(p.f);
    const c = svg("circle", { cx, cy, r: 6, fill: eventColour(p.f.event), stroke: "#fff", "stroke-width": 1.5, tabindex: 0, role: "button",
      class: "tl-dot", "data-key": key, "aria-label": p.d + ": " + factLine(p.f) },
    svg("title", {}, p.d + ": " + factLine(p.f)));
    if (p.f.modality === "hypothetical" || p.f.modality === "negated") c.setAttribute("fill-opacity", "0.45");
    c.addEventListener("click", () => selectFact(key));
    c.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); selectFact(key); } });
    s.appendChild(c);
  }
  box.replaceChildren(s, note);
}

// ---- the fact table ------------------------------------------------------

const COLUMNS = [
  { id: "subject", label: "Subject", get: (f) => entityLabel(f.subject) },
  { id: "relation", label: "Relation", get: (f) => f.relation },
  { id: "event", label: "Event", get: (f) => f.event || "" },
  { id: "object", label: "Object", get: (f) => entityLabel(f.object) },
  { id: "date", label: "Date", get: (f) => f.date || "" },
  { id: "published", label: "Published", get: published },
  { id: "modality", label: "Modality", get: (f) => f.modality },
  { id: "confidence", label: "Conf.", get: (f) => f.confidence || 0, num: true },
  { id: "lang", label: "Lang", get: (f) => (state.articles.get(f.doc) || {}).lang || "" },
  { id: "evidence", label: "Evidence", get: (f) => (f.evidence && f.evidence.sentence) || "" },
];

function renderHead() {
  const tr = $("facts").querySelector("thead tr");
  tr.replaceChildren();
  for (const c of COLUMNS) {
    const sorted = state.sort.col === c.id;
    const b = el("button", { type: "button", class: "sort", title: "Sort by " + c.label.toLowerCase() }, c.label, sorted ? (state.sort.dir > 0 ? " ▲" : " ▼") : "");
    b.addEventListener("click", () => {
      state.sort = { col: c.id, dir: sorted ? -state.sort.dir : 1 };
      renderHead();
      renderTable();
      $("facts").querySelector("thead tr th:nth-child(" + (COLUMNS.indexOf(c) + 1) + ") button").focus();
    });
    tr.appendChild(el("th", { scope: "col", "aria-sort": sorted ? (state.sort.dir > 0 ? "ascending" : "descending") : "none" }, b));
  }
  tr.appendChild(el("th", { scope: "col" }, "Article"));
}

function sortedVisible() {
  const c = COLUMNS.find((x) => x.id === state.sort.col) || COLUMNS[4];
  const rows = state.visible.slice();
  rows.sort((a, b) => {
    const x = c.get(a), y = c.get(b);
    if (!c.num && (x === "") !== (y === "")) return x === "" ? 1 : -1; // blanks last either way
    const r = c.num ? x - y : String(x).localeCompare(String(y));
    return r * state.sort.dir || factKey(a).localeCompare(factKey(b));
  });
  return rows;
}

function renderTable() {
  const tbody = $("facts").querySelector("tbody");
  tbody.replaceChildren();
  const rows = sortedVisible();
  for (const f of rows.slice(0, 1000)) {
    const key = factKey(f);
    const tr = el("tr", { "data-key": key });
    for (const c of COLUMNS) {
      const v = c.get(f);
      tr.appendChild(el("td", { class: "c-" + c.id }, c.num ? v.toFixed(2) : v));
    }
    const read = el("button", { type: "button", class: "small", "aria-label": "Read the article of: " + factLine(f) }, "Read");
    read.addEventListener("click", () => { selectFact(key); openArticle(f.doc, key).catch(fail); });
    tr.appendChild(el("td", {}, read));
    tr.addEventListener("click", (ev) => { if (ev.target.tagName !== "BUTTON") selectFact(key); });
    tbody.appendChild(tr);
  }
  if (rows.length === 0) {
    tbody.appendChild(el("tr", {}, el("td", { colspan: COLUMNS.length + 1, class: "hint" },
      state.facts.size === 0 ? "No facts loaded yet: search an entity or show the whole graph." : "No loaded fact matches the filters.")));
  } else if (rows.length > 1000) {
    tbody.appendChild(el("tr", {}, el("td", { colspan: COLUMNS.length + 1, class: "hint" }, "First 1000 of " + rows.length + " rows shown; the downloads hold them all.")));
  }
  markRows();
}

function markRows() {
  const key = state.selected && state.selected.kind === "fact" ? state.selected.key : null;
  const node = state.selected && state.selected.kind === "node" ? state.selected.key : null;
  for (const tr of $("facts").querySelectorAll("tbody tr[data-key]")) {
    const f = state.facts.get(tr.dataset.key);
    tr.classList.toggle("selected", tr.dataset.key === key || (node && f && (f.subject.id === node || f.object.id === node)));
    tr.classList.toggle("on-path", state.path.has(tr.dataset.key));
  }
  for (const c of document.querySelectorAll(".tl-dot")) c.classList.toggle("selected", c.dataset.key === key);
}

function downloadCSV() {
  const head = ["subject_id", "subject", "relation", "event", "mode", "object_id", "object", "date", "published", "modality", "confidence", "lang", "article", "sentence"];
  const lines = [head.join(",")];
  for (const f of sortedVisible()) {
    const a = state.articles.get(f.doc) || {};
    lines.push([f.subject.id, f.subject.name, f.relation, f.event, f.mode, f.object.id, f.object.name, f.date, a.date, f.modality,
      f.confidence, a.lang, f.doc, f.evidence && f.evidence.sentence].map(csvCell).join(","));
  }
  download("kg-facts.csv", "text/csv;charset=utf-8", lines.join("\r\n") + "\r\n");
  status("Downloaded " + (lines.length - 1) + " facts as CSV.");
}

function downloadJSON() {
  download("kg-facts.json", "application/json", JSON.stringify(sortedVisible(), null, 2) + "\n");
  status("Downloaded " + state.visible.length + " facts as JSON.");
}

// ---- the article view ----------------------------------------------------

async function openArticle(doc, key) {
  const body = await getJSON("/api/article?" + qs({ id: doc }));
  const a = body.article;
  $("article-title").textContent = a.title || a.id;
  const meta = [a.title && a.id, a.date && "published " + a.date, a.lang && ({ en: "English", fr: "French" }[a.lang] || a.lang)].filter(Boolean).join(" · ");
  const m = $("article-meta");
  m.replaceChildren(meta);
  if (a.url && /^https?:\/\//i.test(a.url)) m.append(" · ", el("a", { href: a.url, target: "_blank", rel: "noopener noreferrer" }, "original"));
  $("article-note").textContent = body.text_available
    ? "Highlighted: the sentences facts were drawn from; the one you chose is outlined. Click another to read its fact."
    : "This server cannot read the article's text again (kg keeps facts, not texts), so only the sentences facts were drawn from are shown.";
  const target = body.facts.findIndex((f) => factKey(f) === key);
  const box = $("article-text");
  box.setAttribute("lang", a.lang || "");
  box.replaceChildren();
  let first = null;
  for (const p of body.pieces) {
    if (!p.facts || p.facts.length === 0) {
      box.appendChild(p.gap ? el("span", { class: "gap" }, " " + p.text + " ") : document.createTextNode(p.text));
      continue;
    }
    const facts = p.facts.map((i) => body.facts[i]);
    const mark = el("mark", { class: p.facts.includes(target) ? "evidence current" : "evidence", tabindex: 0,
      title: facts.map(factLine).join("\n") }, p.text);
    const pick = () => {
      const k = factKey(facts[0]);
      if (state.facts.has(k)) selectFact(k);
      box.querySelectorAll("mark.current").forEach((x) => x.classList.remove("current"));
      mark.classList.add("current");
    };
    mark.addEventListener("click", pick);
    mark.addEventListener("keydown", (ev) => { if (ev.key === "Enter") pick(); });
    if (!first && p.facts.includes(target)) first = mark;
    box.appendChild(mark);
  }
  const dlg = $("article-view");
  if (!dlg.open) dlg.showModal();
  (first || $("article-close")).focus();
  if (first) first.scrollIntoView({ block: "center" });
}

// ---- the path form -------------------------------------------------------

async function resolveInput(input) {
  if (input.dataset.id) return { id: input.dataset.id, name: input.value };
  const q = input.value.trim();
  if (!q) throw new ApiError(400, "Name both ends of the path.");
  const refs = await getJSON("/api/resolve?" + qs({ q }));
  if (refs.length === 0) throw new ApiError(404, "No entity named “" + q + "” in this graph.");
  return refs[0];
}

async function findPath(ev) {
  ev.preventDefault();
  const a = await resolveInput($("path-a"));
  const b = await resolveInput($("path-b"));
  status("Looking for a path from " + entityLabel(a) + " to " + entityLabel(b) + "…");
  const res = await getJSON("/api/path?" + qs({ a: a.id, b: b.id }));
  const facts = res.facts || [];
  if (facts.length === 0) {
    status("No chain of facts links " + entityLabel(res.a) + " and " + entityLabel(res.b) + " (up to 6 steps).");
    return;
  }
  addEntity(res.a);
  addEntity(res.b);
  const added = addFacts(facts);
  cy.edges().removeClass("path");
  state.path = new Set(facts.map(factKey));
  for (const k of state.path) edgeOf(k).addClass("path");
  refresh();
  layout("path", res.a.id);
  $("sel-title").textContent = "Path: " + entityLabel(res.a) + " → " + entityLabel(res.b);
  const ol = el("ol", { class: "fact-list" });
  for (const f of facts) {
    const b = el("button", { type: "button", class: "linkish" }, factLine(f) + (f.date ? " (" + f.date + ")" : ""));
    b.addEventListener("click", () => selectFact(factKey(f)));
    ol.appendChild(el("li", {}, b));
  }
  $("sel-body").replaceChildren(el("p", {}, facts.length + " step" + (facts.length === 1 ? "" : "s") + ", drawn in black in the graph."), ol);
  state.selected = null;
  markRows();
  status("Path from " + entityLabel(res.a) + " to " + entityLabel(res.b) + ": " + facts.length + " step" + (facts.length === 1 ? "" : "s") + ".");
}

// ---- the search ------------------------------------------------------------

async function search(ev) {
  if (ev) ev.preventDefault();
  const input = $("q");
  const q = input.value.trim();
  if (!q) { status("Type an entity's name: in English or French, or part of it."); return; }
  let id = input.dataset.id;
  if (!id) {
    let refs;
    try {
      refs = await getJSON("/api/resolve?" + qs({ q }));
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 404) throw e;
      const near = await getJSON("/api/entities?" + qs({ q, limit: 5 }));
      status(near.length
        ? "No entity is called “" + q + "”. Did you mean " + near.map((e) => e.name).join(", ") + "? Pick one from the list as you type."
        : "No entity in this graph matches “" + q + "”.");
      return;
    }
    id = refs[0].id;
  }
  await centre(id, $("depth").value);
}

// ---- start -------------------------------------------------------------------

async function start() {
  renderHead();
  const [stats, articles] = await Promise.all([getJSON("/api/stats"), getJSON("/api/articles")]);
  for (const a of articles) state.articles.set(a.id, a);
  const sel = $("f-article");
  for (const a of articles) sel.appendChild(el("option", { value: a.id }, (a.title || a.id) + (a.date ? " (" + a.date + ")" : "")));
  const events = Object.values(stats.by_event || {}).reduce((s, n) => s + n, 0);
  buildEventFilter(stats.by_event, (stats.facts || 0) - events);
  $("stats").textContent = stats.articles + " article" + (stats.articles === 1 ? "" : "s") + " · " + stats.entities + " entities · " + stats.facts + " facts";
  const legend = $("legend");
  for (const [t, c] of Object.entries(TYPE_COLOURS)) {
    const sw = el("span", { class: "swatch round" });
    sw.style.background = c;
    legend.append(sw, t + " ");
  }
  legend.append(el("span", { class: "dash" }, "- - hypothetical"), " ", el("span", { class: "dash" }, "··· negated"));
  if (!stats.facts) {
    status("This graph holds no facts yet: articles have to be ingested before there is anything to explore.");
    renderTable();
    return;
  }
  const p = new URLSearchParams(location.search);
  if (["1", "2", "3"].includes(p.get("depth"))) $("depth").value = p.get("depth");
  if (p.get("entity")) {
    $("q").value = p.get("entity");
    await search();
  } else {
    await showAll();
  }
}

document.addEventListener("DOMContentLoaded", () => {
  combo($("q"), $("q-list"), () => search().catch(fail));
  combo($("path-a"), $("path-a-list"));
  combo($("path-b"), $("path-b-list"));
  $("search").addEventListener("submit", (ev) => search(ev).catch(fail));
  $("show-all").addEventListener("click", () => showAll().catch(fail));
  $("path").addEventListener("submit", (ev) => findPath(ev).catch(fail));
  $("filters").addEventListener("input", refresh);
  $("filters").addEventListener("change", refresh);
  $("filters").addEventListener("submit", (ev) => ev.preventDefault());
  $("filters").addEventListener("reset", () => setTimeout(() => { refresh(); status("Filters cleared."); }, 0));
  $("fit").addEventListener("click", () => cy.fit(cy.elements().not(".hidden"), 30));
  $("relayout").addEventListener("click", () => layout(state.focus ? "centre" : ""));
  $("dl-csv").addEventListener("click", downloadCSV);
  $("dl-json").addEventListener("click", downloadJSON);
  $("article-close").addEventListener("click", () => $("article-view").close());
  window.addEventListener("resize", () => renderTimeline());
  start().catch(fail);
});
