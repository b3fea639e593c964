// The 2-D picture of a word list or of a word's neighbourhood (PCA or t-SNE), with hover, focus
// and search: every point is a focusable label, so it works by keyboard and touch too.
import { h } from "../../dom.js";
import { t } from "../../i18n.js";
import { select } from "../../ui/controls.js";
import { SCHEMA, wordList } from "./state.js";
import { setAssets } from "./data.js";
import { errorMessage } from "./messages.js";

const SVG = "http://www.w3.org/2000/svg";
const svg = (tag, attributes = {}) => {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  return el;
};

/** projectionSection(container, {state, save, engine, notify}) → {refresh(), drawn()}: drawn() gives the
 *  embeddings_projection arguments (but the set) of the picture on screen, or null before the first one. */
export function projectionSection(container, { state, save, engine, notify }) {
  const around = h("input", { type: "text", id: "emb-around", value: state.around, maxlength: 40, size: 12, dataset: { testid: "projection-around" }, autocomplete: "off" });
  const list = h("input", { type: "text", id: "emb-proj", value: state.proj, maxlength: SCHEMA.proj.maxLength, dataset: { testid: "projection-words" }, autocomplete: "off", placeholder: t("emb.projection.list.placeholder") });
  const method = select({ spec: SCHEMA.method, label: t("emb.projection.method"), value: state.method, optionLabel: (m) => t(`emb.projection.${m}`), onChange: (m) => { state.method = m; refresh(); }, testid: "projection-method" });
  const search = h("input", { type: "search", id: "emb-search", dataset: { testid: "projection-search" }, autocomplete: "off" });
  const readout = h("p", { class: "hint projection-readout", "aria-live": "polite" });
  const plot = svg("svg", { class: "projection", viewBox: "0 0 600 400", role: "group", "aria-label": t("emb.projection.label"), "data-testid": "projection" });
  const status = h("div", { "aria-live": "polite" });
  container.append(
    h("form", { class: "projection-controls", onsubmit: (e) => { e.preventDefault(); refresh(); } },
      h("div", { class: "control" }, h("label", { for: "emb-around", text: t("emb.projection.around") }), around),
      h("div", { class: "control wide" }, h("label", { for: "emb-proj", text: t("emb.projection.list") }), list),
      method.element,
      h("button", { type: "submit", class: "button primary", text: t("emb.projection.draw") })),
    status,
    plot,
    h("div", { class: "control" }, h("label", { for: "emb-search", text: t("emb.projection.search") }), search),
    readout,
  );
  search.addEventListener("input", highlight);
  let points = [];
  let drawnWith = null;

  async function refresh() {
    state.around = around.value.trim();
    state.proj = list.value.trim();
    save();
    const words = wordList(state.proj);
    status.replaceChildren(h("p", { class: "hint", text: t(engine.state === "ready" ? "emb.working" : "emb.engine.waiting") }));
    try {
      const args = { words, around: words.length ? "" : state.around, k: 30, method: state.method, seed: state.seed };
      const answer = await engine.call("embeddings_projection", { set: state.set, ...args }, { assets: setAssets(state.set) });
      drawnWith = args;
      status.replaceChildren(...answer.errors.map((error) => h("p", { class: "query-error", role: "alert", dataset: { testid: "query-error" }, text: errorMessage(error) })));
      draw(answer.points);
    } catch (error) {
      status.replaceChildren();
      notify(t("emb.failed", { message: error.message }), { kind: "error" });
    }
  }

  function draw(next) {
    points = next;
    plot.replaceChildren();
    if (!points.length) return;
    const xs = points.map((p) => p.x), ys = points.map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const sx = (x) => 40 + ((x - x0) / (x1 - x0 || 1)) * 520;
    const sy = (y) => 370 - ((y - y0) / (y1 - y0 || 1)) * 340;
    points.forEach((p, i) => {
      const group = svg("g", { class: i === 0 && !wordList(state.proj).length ? "point centre" : "point", tabindex: "0", "data-word": p.word });
      group.append(svg("circle", { cx: sx(p.x), cy: sy(p.y), r: 4 }));
      const label = svg("text", { x: sx(p.x) + 6, y: sy(p.y) + 4 });
      label.textContent = p.word;
      group.append(label);
      const show = () => (readout.textContent = t("emb.projection.point", { word: p.word }));
      group.addEventListener("pointerenter", show);
      group.addEventListener("focus", show);
      plot.append(group);
    });
    highlight();
  }

  function highlight() {
    const wanted = search.value.trim().toLowerCase();
    for (const group of plot.querySelectorAll(".point")) group.classList.toggle("found", Boolean(wanted) && group.dataset.word.startsWith(wanted));
  }

  return { refresh, drawn: () => drawnWith };
}
