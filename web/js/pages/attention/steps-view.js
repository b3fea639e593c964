// Step through decoding: at output step i, the scores s_ij, the weights w_ij = softmax_j(s_ij),
// the context c_i = Σ_j w_ij h_j and u_i = [c_i ; hd_i], typeset and drawn, with the likeliest
// next words; and, with a beam wider than one, beam search's candidates at that step.
import { h } from "../../dom.js";
import { formatNumber, msg, setText, whenRelabelled } from "../../i18n.js";
import { barChart } from "../../ui/bar-chart.js";
import { formula } from "../../ui/formula.js";
import { heatmap } from "../../ui/heatmap.js";
import { lightChips, tokenChips } from "./translate-view.js";

const SCORE = {
  dot: String.raw`s_{ij} = hd_i \cdot h_j`,
  additive: String.raw`s_{ij} = v^\top \tanh(W_q\, hd_i + W_k\, h_j)`,
};
const WEIGHTS = String.raw`w_{ij} = \mathrm{softmax}_j(s_{ij}) = \frac{e^{s_{ij}}}{\sum_k e^{s_{ik}}}`;
const CONTEXT = String.raw`c_i = \sum_j w_{ij}\, h_j`;
const BOTTLENECK = String.raw`c_i = [\overrightarrow{h}_S ; \overleftarrow{h}_1] \text{ (the same at every } i)`;
const OUTPUT = String.raw`u_i = [c_i ; hd_i], \quad \hat{y}_i = \mathrm{softmax}(V \tanh(W_u u_i + b_u) + c)`;
const fmt = (v, digits = 3) => formatNumber(v, { maximumFractionDigits: digits });
const ROW = 16; // a vector is drawn as rows of 16 entries, in order

/** A bar as long as the weight w ∈ [0, 1] (its length set through CSSOM, which a CSP allows). */
function weightBar(w) {
  const bar = h("span", { class: "weight-bar" });
  bar.style.setProperty("--weight", String(w));
  return bar;
}

/** A vector cut into rows of ROW entries (a picture of it that fits). */
function rows(vector) {
  return Array.from({ length: Math.ceil(vector.length / ROW) }, (_, i) =>
    vector.slice(i * ROW, (i + 1) * ROW),
  );
}

export function stepsView(container, { stepControl, beamControl }) {
  const heading = h("p", { class: "step-heading", "aria-live": "polite" });
  const source = h("p", { class: "tokens" });
  const formulas = h("div", { class: "formulas" });
  const table = h("table", { class: "scores-table" });
  const vectors = h("div", { class: "vectors" });
  const [cMap, hdMap, uMap] = ["context", "hd", "u"].map((key) =>
    heatmap(vectors, { label: msg(`attention.steps.${key}`), colormap: "diverging", maxCellPx: 9 }),
  );
  const nextBox = h(
    "div",
    { class: "next-words" },
    h("p", { class: "caption", text: msg("attention.steps.next") }),
  );
  const beamBox = h("div", { class: "beam-box", dataset: { testid: "beam-candidates" } });
  const shown = h(
    "div",
    { dataset: { testid: "decode-steps" } },
    heading,
    source,
    h("div", { class: "step-grid" }, h("div", {}, formulas, table), h("div", {}, nextBox, vectors)),
    beamBox,
  );
  container.append(h("div", { class: "step-controls" }, stepControl.element, beamControl.element), shown);
  let next = null;
  let shownStep = null; // [result, step, variant] on screen
  whenRelabelled(shown, () => shownStep && show(...shownStep)); // its numbers in the new language

  /** Show step `step` of a steps result (pizarra.attention.explain.decoding_steps). */
  function show(result, step, variant) {
    shownStep = [result, step, variant];
    shown.hidden = false;
    const s = result.steps[Math.min(step, result.steps.length - 1)];
    setText(heading, "attention.steps.heading", { i: step + 1, n: result.steps.length, word: s.word });
    const chips = tokenChips(source, result.tokens, result.unknown);
    lightChips(chips, s.weights);
    const shownFormulas = s.weights ? [SCORE[variant], WEIGHTS, CONTEXT, OUTPUT] : [BOTTLENECK, OUTPUT];
    formulas.replaceChildren(...shownFormulas.map((tex) => formula(tex, { display: true })));
    table.hidden = !s.weights;
    if (s.weights) {
      table.replaceChildren(
        h(
          "tr",
          {},
          h("th", { scope: "col", text: "j" }),
          h("th", { scope: "col", text: msg("attention.steps.word") }),
          h("th", { scope: "col" }, formula("s_{ij}")),
          h("th", { scope: "col" }, formula("w_{ij}")),
        ),
        ...result.tokens.map((word, j) =>
          h(
            "tr",
            {},
            h("td", { text: String(j + 1) }),
            h("td", { text: word }),
            h("td", { class: "num", text: fmt(s.scores[j]) }),
            h("td", { class: "num" }, weightBar(s.weights[j]), fmt(s.weights[j])),
          ),
        ),
      );
    }
    const range = Math.max(...s.context.map(Math.abs), ...s.hd.map(Math.abs));
    cMap.update(rows(s.context), { min: -range, max: range });
    hdMap.update(rows(s.hd), { min: -range, max: range });
    uMap.update(rows([...s.context, ...s.hd]), { min: -range, max: range });
    if (!next) next = barChart(nextBox, { labels: s.top.map(() => ""), testid: "next-words" });
    next.element
      .querySelectorAll(".bar-label")
      .forEach((label, k) => (label.textContent = s.top[k]?.word ?? ""));
    next.update(
      s.top.map((c) => c.p),
      { highlight: s.top.findIndex((c) => c.word === s.word) },
    );
    showBeam(result.beam, step);
  }

  function showBeam(beam, step) {
    beamBox.hidden = !beam;
    if (!beam) return;
    const at = Math.min(step, beam.steps.length - 1);
    const candidates = beam.steps[at] ?? [];
    beamBox.replaceChildren(
      h("p", { class: "caption", text: msg("attention.beam.heading", { k: beam.width, i: at + 1 }) }),
      h(
        "ol",
        { class: "beam-list" },
        candidates.map((c) =>
          h(
            "li",
            { class: c.finished ? "finished" : "" },
            h("span", { class: "beam-words", text: c.words.join(" ") }),
            h(
              "span",
              { class: "beam-score" },
              `Σ log p = ${fmt(c.score, 2)}`,
              c.finished ? [" · ", msg("attention.beam.finished")] : null,
            ),
          ),
        ),
      ),
      h(
        "p",
        { class: "beam-result" },
        msg("attention.beam.result"),
        " ",
        h("strong", { text: beam.translation.join(" ") || "∅" }),
      ),
    );
  }

  /** Nothing shown (a stopped request): the section's message says why. */
  function clear() {
    shownStep = null;
    shown.hidden = true;
  }

  return { show, clear };
}
