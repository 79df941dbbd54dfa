// Small helpers shared by the page's parts. Everything the server sends
// is data: it reaches the page through textContent and setAttribute only,
// never as HTML, so a name or a sentence holding markup shows as text.

export const $ = (id) => document.getElementById(id);

// el builds an element: el("td", {class: "x"}, "text", child, ...).
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    e.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
  return e;
}

const SVG = "http://www.w3.org/2000/svg";

// svg builds an SVG element the same way.
export function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === undefined || c === null) continue;
    e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return e;
}

// ApiError carries the server's message and status.
export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

// getJSON fetches a JSON endpoint; a failure throws an ApiError whose
// message is one a person reading the page can act on.
export async function getJSON(url) {
  let res;
  try {
    res = await fetch(url, { headers: { "Accept": "application/json" } });
  } catch (e) {
    throw new ApiError(0, "The kg server cannot be reached. Is it still running?");
  }
  let body = null;
  try { body = await res.json(); } catch (e) { /* not JSON */ }
  if (!res.ok) {
    let msg = (body && body.error) || "";
    if (res.status >= 500) msg = "The server could not answer" + (res.status === 504 ? " in time" : "") + ". Try again, or ask for less.";
    throw new ApiError(res.status, msg || ("The server answered " + res.status + "."));
  }
  return body;
}

export const qs = (params) => new URLSearchParams(params).toString();

// fold is the server's schema.Fold, near enough for highlighting: lower
// case without accents.
export function fold(s) {
  return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

export function entityLabel(ref) {
  if (!ref) return "";
  return ref.name || ref.id;
}

// dayNumber turns YYYY[-MM[-DD]] into days since 1970 at the middle of
// the period, or NaN; a month or a year is drawn at its middle.
export function dayNumber(d) {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(d || "");
  if (!m) return NaN;
  const y = +m[1];
  if (!m[2]) return (Date.UTC(y, 0, 1) + Date.UTC(y + 1, 0, 1)) / 2 / 864e5;
  const mo = +m[2] - 1;
  if (!m[3]) return (Date.UTC(y, mo, 1) + Date.UTC(y, mo + 1, 1)) / 2 / 864e5;
  return Date.UTC(y, mo, +m[3]) / 864e5 + 0.5;
}

// firstDay and lastDay bound a partial date, as kg facts --since/--until.
export function firstDay(d) {
  if (/^\d{4}$/.test(d)) return d + "-01-01";
  if (/^\d{4}-\d{2}$/.test(d)) return d + "-01";
  return d;
}
export function lastDay(d) {
  if (/^\d{4}$/.test(d)) return d + "-12-31";
  if (/^\d{4}-\d{2}$/.test(d)) {
    const [y, m] = d.split("-").map(Number);
    return d + "-" + String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, "0");
  }
  return d;
}

// download offers a file made in the page.
export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a", { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// csvCell quotes a CSV cell, and defuses one a spreadsheet would run as a
// formula, as kg export --format csv does.
export function csvCell(v) {
  let s = v === undefined || v === null ? "" : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
