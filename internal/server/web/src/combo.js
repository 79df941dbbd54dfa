// An entity search box with suggestions (the ARIA combobox pattern):
// typing asks /api/entities for names and aliases in either language that
// contain the text ("Korea" lists North and South Korea); arrows move,
// Enter picks, Escape closes.
import { el, fold, getJSON, qs } from "./util.js";

export function combo(input, list, onPick) {
  let items = [];
  let active = -1;
  let timer = 0;
  let seq = 0;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function mark(i) {
    active = i;
    list.querySelectorAll("[role=option]").forEach((li, j) => li.setAttribute("aria-selected", j === i ? "true" : "false"));
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", list.id + "-" + i);
      list.children[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function pick(e) {
    input.value = e.name || e.id;
    input.dataset.id = e.id;
    close();
    if (onPick) onPick(e);
  }

  // matched names the alias that contains the query, when it is not the
  // entity's own name: "Corée du Nord — North Korea".
  function matched(e, q) {
    if (fold(e.name).includes(q)) {
      const other = e.labels && (e.labels.en !== e.name ? e.labels.en : e.labels.fr);
      return other && other !== e.name ? other : "";
    }
    const names = Object.values(e.labels || {}).concat(e.aliases || []);
    return names.find((n) => fold(n).includes(q)) || e.id;
  }

  async function suggest() {
    const q = input.value.trim();
    const mine = ++seq;
    if (q.length < 2) { close(); return; }
    let found;
    try {
      found = await getJSON("/api/entities?" + qs({ q, limit: 8 }));
    } catch (e) {
      return; // the search button reports errors; suggestions just stay away
    }
    if (mine !== seq || document.activeElement !== input) return; // a newer keystroke won, or the reader moved on
    items = found;
    list.replaceChildren();
    if (items.length === 0) {
      list.appendChild(el("li", { class: "none", role: "option", "aria-disabled": "true" }, "No entity matches “" + q + "”"));
    }
    const fq = fold(q);
    items.forEach((e, i) => {
      const alt = matched(e, fq);
      const li = el("li", { id: list.id + "-" + i, role: "option", "aria-selected": "false" },
        el("span", { class: "name" }, e.name || e.id),
        alt ? el("span", { class: "alt" }, " — " + alt) : null,
        el("span", { class: "meta" }, " " + (e.type || "") + ", " + e.facts + " fact" + (e.facts === 1 ? "" : "s")));
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); pick(e); });
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    mark(-1);
  }

  input.addEventListener("input", () => {
    delete input.dataset.id;
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  input.addEventListener("keydown", (ev) => {
    const open = !list.hidden && items.length > 0;
    if (ev.key === "ArrowDown") {
      ev.preventDefault();
      if (!open) { suggest(); return; }
      mark((active + 1) % items.length);
    } else if (ev.key === "ArrowUp" && open) {
      ev.preventDefault();
      mark(active <= 0 ? items.length - 1 : active - 1);
    } else if (ev.key === "Enter" && open && active >= 0) {
      ev.preventDefault();
      pick(items[active]);
    } else if (ev.key === "Escape" && !list.hidden) {
      ev.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", () => { seq++; setTimeout(close, 150); });
  if (input.form) input.form.addEventListener("submit", () => { seq++; close(); });
  return { close };
}
