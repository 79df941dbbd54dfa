// kg's browsing page. Everything the server sends is data: it is put in
// the page with textContent and setAttribute only, never as HTML, so a
// name or an evidence sentence holding markup shows as text.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const status = (msg) => { $("status").textContent = msg; };

  async function getJSON(url) {
    const res = await fetch(url, { headers: { "Accept": "application/json" } });
    let body = null;
    try { body = await res.json(); } catch (e) { /* not JSON */ }
    if (!res.ok) {
      throw new Error((body && body.error) || (res.status + " " + res.statusText));
    }
    return body;
  }

  function cell(tr, text) {
    const td = document.createElement("td");
    td.textContent = text || "";
    tr.appendChild(td);
    return td;
  }

  function entityLabel(ref) {
    return (ref.name || ref.id) + (ref.name && ref.id ? " (" + ref.id + ")" : "");
  }

  function showFacts(edges) {
    const tbody = $("facts").querySelector("tbody");
    tbody.replaceChildren();
    for (const f of edges) {
      const tr = document.createElement("tr");
      cell(tr, entityLabel(f.subject));
      cell(tr, f.relation);
      cell(tr, f.event);
      cell(tr, entityLabel(f.object));
      cell(tr, f.date);
      cell(tr, f.modality);
      const ev = cell(tr, f.evidence && f.evidence.sentence);
      const src = document.createElement("small");
      src.textContent = " — " + (f.doc || "");
      ev.appendChild(src);
      tbody.appendChild(tr);
    }
    $("facts-section").hidden = edges.length === 0;
  }

  async function show(ref, depth) {
    status("Loading " + entityLabel(ref) + "…");
    const qs = "entity=" + encodeURIComponent(ref.id) + "&depth=" + encodeURIComponent(depth);
    const nb = await getJSON("/api/neighbors?" + qs);
    const edges = nb.edges || [];
    $("map-title").textContent = entityLabel(ref) + " — " + depth + " hop(s)";
    if (edges.length > 0) {
      // an <img>: Chromium draws nothing for an <object> whose SVG is
      // served with a sandboxing CSP; the link opens the SVG itself, where
      // each edge's tooltip shows its evidence
      const old = $("map");
      const link = document.createElement("a");
      link.id = "map";
      link.href = "/map.svg?" + qs;
      link.target = "_blank";
      link.rel = "noopener";
      link.title = "open the map: hover an edge for its evidence";
      const img = document.createElement("img");
      img.alt = "relationship map of " + entityLabel(ref);
      img.src = "/map.svg?" + qs;
      link.appendChild(img);
      old.replaceWith(link);
    }
    $("map-section").hidden = edges.length === 0;
    showFacts(edges);
    status(edges.length + " fact(s) around " + entityLabel(ref) + (nb.truncated ? " (some neighbours left out)" : ""));
  }

  async function search(ev) {
    ev.preventDefault();
    const q = $("q").value.trim();
    const depth = $("depth").value;
    $("candidates").replaceChildren();
    if (!q) { return; }
    try {
      const refs = await getJSON("/api/resolve?q=" + encodeURIComponent(q));
      if (refs.length === 0) { status("No entity named " + q); return; }
      if (refs.length > 1) {
        for (const r of refs) {
          const li = document.createElement("li");
          const b = document.createElement("button");
          b.type = "button";
          b.textContent = entityLabel(r);
          b.addEventListener("click", () => show(r, depth).catch((e) => status(e.message)));
          li.appendChild(b);
          $("candidates").appendChild(li);
        }
      }
      await show(refs[0], depth);
    } catch (e) {
      status(e.message);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("search").addEventListener("submit", search);
    const params = new URLSearchParams(location.search);
    const q = params.get("entity");
    if (q) {
      $("q").value = q;
      if (["1", "2", "3"].includes(params.get("depth"))) { $("depth").value = params.get("depth"); }
      search(new Event("submit"));
    }
  });
})();
