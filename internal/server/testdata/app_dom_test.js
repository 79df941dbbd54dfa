// Runs static/app.js under Node with a minimal fake DOM and fetch, submits
// a search, and prints what the page shows as JSON. TestAppJSFlow checks
// it. The fake elements have no innerHTML: a script that used it would
// store markup as a plain property, and the test would see it unrendered.
"use strict";
const fs = require("fs");
const vm = require("vm");

class El {
  constructor(tag, id) { this.tag = tag; this.id = id || ""; this.children = []; this.textContent = ""; this.hidden = false; this.attrs = {}; this.listeners = {}; this.value = ""; }
  appendChild(c) { this.children.push(c); c.parent = this; return c; }
  replaceChildren(...cs) { this.children = cs; }
  replaceWith(n) { const p = this.parent; if (p) { p.children[p.children.indexOf(this)] = n; n.parent = p; } byId[this.id] = n; }
  setAttribute(k, v) { this.attrs[k] = String(v); }
  addEventListener(t, f) { this.listeners[t] = f; }
  querySelector(sel) { return this.children.find((c) => c.tag === sel) || null; }
  text() { return this.textContent + this.children.map((c) => c.text()).join(""); }
}
const byId = {};
for (const id of ["status", "candidates", "map-section", "map-title", "map", "facts-section", "search", "q", "depth"]) {
  byId[id] = new El("div", id);
}
byId["map-section"].appendChild(byId["map"]);
const facts = new El("table", "facts");
facts.appendChild(new El("tbody"));
byId["facts"] = facts;
byId["q"].value = process.argv[3];
byId["depth"].value = "2";

const fixtures = JSON.parse(process.argv[4]);
const fetched = [];
const docListeners = {};
const sandbox = {
  document: {
    getElementById: (id) => byId[id] || null,
    createElement: (tag) => new El(tag),
    addEventListener: (t, f) => { docListeners[t] = f; },
  },
  location: { search: "" },
  URLSearchParams,
  Event: class { constructor(t) { this.type = t; } preventDefault() {} },
  encodeURIComponent,
  fetch: async (url) => {
    fetched.push(url);
    const path = url.split("?")[0];
    const body = fixtures[path];
    return { ok: body !== undefined, status: body === undefined ? 404 : 200, statusText: "", json: async () => body === undefined ? { error: "nope" } : body };
  },
  console,
};
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(process.argv[2], "utf8"), sandbox);
docListeners["DOMContentLoaded"]();
byId["search"].listeners["submit"]({ preventDefault() {} });
setTimeout(() => {
  const rows = facts.querySelector("tbody").children.map((tr) => tr.children.map((td) => td.text()));
  console.log(JSON.stringify({
    fetched, rows,
    status: byId["status"].textContent,
    // the map is an <img> inside a link to the SVG
    mapData: ((byId["map"].children || []).find((c) => c.tag === "img") || {}).src || "",
    mapHidden: byId["map-section"].hidden,
    candidates: byId["candidates"].children.length,
  }));
}, 50);
