// Self-attention head by head: the masked language model's guesses for each [MASK], and for one
// layer and head Q, K, V, the scores QKᵀ/√d_k and their softmax as heat maps, or the weights as
// lines from each word to the words it attends to (bertviz's view).
import { h } from "../../dom.js";
import { msg, setLiveAttribute } from "../../i18n.js";
import { barChart } from "../../ui/bar-chart.js";
import { formula } from "../../ui/formula.js";
import { heatmap } from "../../ui/heatmap.js";
import { tokenChips } from "./translate-view.js";

const SVG = "http://www.w3.org/2000/svg";
const FORMULAS = {
  lines: String.raw`w = \mathrm{softmax}\!\left(\frac{Q K^\top}{\sqrt{d_k}}\right)`,
  weights: String.raw`w = \mathrm{softmax}\!\left(\frac{Q K^\top}{\sqrt{d_k}}\right)`,
  scores: String.raw`\frac{Q K^\top}{\sqrt{d_k}}`,
  Q: String.raw`Q = X W^Q`,
  K: String.raw`K = X W^K`,
  V: String.raw`V = X W^V`,
};
const ROW = 26; // px per word in the lines view

function svg(tag, attributes) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  return el;
}

/** bertviz's view: words on both sides, a line from i (left) to j (right) as strong as w_ij. */
function linesView(container, tokens, weights) {
  const width = 320,
    height = tokens.length * ROW + 8;
  const root = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    class: "attention-lines",
    role: "img",
  });
  setLiveAttribute(root, "aria-label", msg("attention.lines.label"));
  const lines = weights.map((row, i) =>
    row.map((w, j) =>
      root.appendChild(
        svg("line", {
          x1: 110,
          y1: i * ROW + ROW / 2 + 4,
          x2: 210,
          y2: j * ROW + ROW / 2 + 4,
          "stroke-opacity": w.toFixed(3),
          "stroke-width": 1 + 3 * w,
          class: "attention-line",
        }),
      ),
    ),
  );
  const focus = (i) =>
    lines.forEach((row, k) =>
      row.forEach((line) => {
        line.classList.toggle("faded", i !== null && k !== i);
      }),
    );
  tokens.forEach((word, i) => {
    for (const [x, anchor, side] of [
      [104, "end", "left"],
      [216, "start", "right"],
    ]) {
      const label = root.appendChild(
        svg("text", {
          x,
          y: i * ROW + ROW / 2 + 8,
          "text-anchor": anchor,
          class: `line-word ${side}`,
          tabindex: side === "left" ? 0 : -1,
        }),
      );
      label.textContent = word;
      if (side === "left") {
        label.addEventListener("pointerenter", () => focus(i));
        label.addEventListener("focus", () => focus(i));
        label.addEventListener("pointerleave", () => focus(null));
        label.addEventListener("blur", () => focus(null));
      }
    }
  });
  container.replaceChildren(root);
}

export function selfAttentionView(container, { layerControl, headControl, viewControl }) {
  const tokens = h("p", { class: "tokens" });
  const guesses = h("div", { class: "mask-guesses", dataset: { testid: "mask-predictions" } });
  const formulaBox = h("div", { class: "formulas" });
  const picture = h("div", { class: "head-picture" });
  const mapBox = h("div");
  // Weights in [0, 1] on viridis; scores, Q, K and V are signed: a diverging map centred on 0.
  const maps = {
    weights: heatmap(mapBox, { colormap: "viridis", maxCellPx: 26, testid: "head-map" }),
    signed: heatmap(mapBox, { colormap: "diverging", maxCellPx: 26, testid: "head-map-signed" }),
  };
  const linesBox = h("div", { class: "lines-box" });
  picture.append(mapBox, linesBox);
  container.append(
    tokens,
    guesses,
    h("div", { class: "head-controls" }, layerControl.element, headControl.element, viewControl.element),
    formulaBox,
    picture,
  );

  /** Show a self-attention result (pizarra.attention.explain.self_attention). */
  function show(result, { layer, head, view }) {
    tokenChips(tokens, result.tokens, result.unknown);
    guesses.replaceChildren(
      ...result.guesses.map((g) => {
        const caption = h("p", {
          class: "caption",
          text: msg("attention.mask.position", { i: g.position + 1 }),
        });
        const box = h("div", { class: "mask-guess" }, caption);
        barChart(box, { labels: g.words.map((w) => w.word) }).update(g.words.map((w) => w.p));
        return box;
      }),
    );
    const heads = result.layers[layer];
    formulaBox.replaceChildren(
      formula(FORMULAS[view], { display: true }),
      h("p", {
        class: "hint",
        text: msg(`attention.view.${view}.hint`, { layer: layer + 1, head: head + 1 }),
      }),
    );
    const lines = view === "lines";
    mapBox.hidden = lines;
    linesBox.hidden = !lines;
    if (lines) return linesView(linesBox, result.tokens, heads.weights[head]);
    const matrix = heads[view][head];
    const square = view === "weights" || view === "scores";
    const columns = square ? result.tokens : matrix[0].map((_, k) => String(k + 1));
    maps.weights.element.hidden = view !== "weights";
    maps.signed.element.hidden = view === "weights";
    const map = view === "weights" ? maps.weights : maps.signed;
    const bounds = view === "weights" ? { min: 0, max: 1 } : {};
    map.update(matrix, { ...bounds, rowLabels: result.tokens, colLabels: columns });
  }

  function clear() {
    tokenChips(tokens, []);
    guesses.replaceChildren();
    formulaBox.replaceChildren();
    linesBox.replaceChildren();
    mapBox.hidden = true;
  }

  return { show, clear };
}
