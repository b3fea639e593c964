// Step through greedy decoding: at output step i of a recurrent variant the scores s_ij, the weights
// w_ij = softmax_j(s_ij), the context c_i = Σ_j w_ij h_j and u_i = [c_i ; hd_i]; of the Transformer
// the cross-attention w_ij of every layer and head — typeset and drawn over the source pieces, with
// the likeliest next pieces; and, with a beam wider than one, beam search's candidates at that step
// with log P(Y|X) and GNMT's score s(Y, X).
import { h } from "../../dom.js";
import { formatNumber, msg, setText, whenRelabelled } from "../../i18n.js";
import { barChart } from "../../ui/bar-chart.js";
import { formula } from "../../ui/formula.js";
import { heatmap } from "../../ui/heatmap.js";
import { joinPieces, unknownPieces } from "./alignment.js";
import { lightChips, tokenChips } from "./translate-view.js";

const SCORE = {
  dot: String.raw`s_{ij} = hd_i \cdot h_j`,
  additive: String.raw`s_{ij} = v^\top \tanh(W_q\, hd_i + W_k\, h_j)`,
};
const WEIGHTS = String.raw`w_{ij} = \mathrm{softmax}_j(s_{ij}) = \frac{e^{s_{ij}}}{\sum_k e^{s_{ik}}}`;
const CONTEXT = String.raw`c_i = \sum_j w_{ij}\, h_j`;
const BOTTLENECK = String.raw`c_i = [\overrightarrow{h}_S ; \overleftarrow{h}_1] \text{ (the same at every } i)`;
const OUTPUT = String.raw`u_i = [c_i ; hd_i], \quad \hat{y}_i = \mathrm{softmax}(V \tanh(W_u u_i + b_u) + c)`;
const CROSS = String.raw`w_{ij} = \mathrm{softmax}_j\!\left(\frac{q_i \cdot k_j}{\sqrt{d_k}}\right), \quad q_i = Y_{l-1}[i]\, W^Q, \; k_j = M W^K`;
const CROSS_OUTPUT = String.raw`\hat{y}_i = \mathrm{softmax}(W_o Y_L[i] + b_o)`;
const GNMT = String.raw`s(Y, X) = \frac{\log P(Y \mid X)}{lp(Y)} + cp(X; Y), \quad lp(Y) = \frac{(5 + |Y|)^\alpha}{(5 + 1)^\alpha}, \quad cp(X; Y) = \beta \sum_j \log\Big(\min\big(\textstyle\sum_i w_{ij}, 1\big)\Big)`;
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

export function stepsView(container, { stepControl }) {
  const heading = h("p", { class: "step-heading", "aria-live": "polite" });
  const source = h("p", { class: "tokens" });
  const formulas = h("div", { class: "formulas" });
  const table = h("table", { class: "scores-table" });
  const vectors = h("div", { class: "vectors" });
  const [cMap, hdMap, uMap] = ["context", "hd", "u"].map((key) =>
    heatmap(vectors, { label: msg(`attention.steps.${key}`), colormap: "diverging", maxCellPx: 9 }),
  );
  const headsBox = h("div", { class: "heads-box", dataset: { testid: "step-heads" } });
  const headsMap = heatmap(headsBox, {
    label: msg("attention.steps.heads"),
    colormap: "viridis",
    maxCellPx: 26,
  });
  const nextBox = h(
    "div",
    { class: "next-words" },
    h("p", { class: "caption", text: msg("attention.steps.next") }),
  );
  const beamBox = h("div", { class: "beam-box", dataset: { testid: "beam-candidates" } });
  const shown = h(
    "div",
    { hidden: true, dataset: { testid: "decode-steps" } }, // until the first steps arrive
    heading,
    source,
    h("div", { class: "step-grid" }, h("div", {}, formulas, table), h("div", {}, nextBox, vectors, headsBox)),
    beamBox,
  );
  container.append(h("div", { class: "step-controls" }, stepControl.element), shown);
  let next = null;
  let shownStep = null; // [result, step] on screen
  whenRelabelled(shown, () => shownStep && show(...shownStep)); // its numbers in the new language

  function scoresTable(result, s) {
    const recurrent = Boolean(s.scores);
    table.replaceChildren(
      h(
        "tr",
        {},
        h("th", { scope: "col", text: "j" }),
        h("th", { scope: "col", text: msg("attention.steps.piece") }),
        recurrent ? h("th", { scope: "col" }, formula("s_{ij}")) : null,
        h("th", { scope: "col" }, formula("w_{ij}")),
      ),
      ...result.pieces.map((piece, j) =>
        h(
          "tr",
          {},
          h("td", { text: String(j + 1) }),
          h("td", { text: piece }),
          recurrent ? h("td", { class: "num", text: fmt(s.scores[j]) }) : null,
          h("td", { class: "num" }, weightBar(s.weights[j]), fmt(s.weights[j])),
        ),
      ),
    );
  }

  /** Show step `step` of a steps result (pizarra.attention.explain.decoding_steps) of `result.variant`. */
  function show(result, step) {
    shownStep = [result, step];
    shown.hidden = false;
    const s = result.steps[Math.min(step, result.steps.length - 1)];
    setText(heading, "attention.steps.heading", { i: step + 1, n: result.steps.length, word: s.piece });
    lightChips(tokenChips(source, result.pieces, unknownPieces(result)), s.weights);
    const transformer = Boolean(s.heads);
    const shownFormulas = transformer
      ? [CROSS, CROSS_OUTPUT]
      : s.weights
        ? [SCORE[result.variant], WEIGHTS, CONTEXT, OUTPUT]
        : [BOTTLENECK, OUTPUT];
    formulas.replaceChildren(...shownFormulas.map((tex) => formula(tex, { display: true })));
    table.hidden = !s.weights;
    if (s.weights) scoresTable(result, s);
    vectors.hidden = transformer;
    headsBox.hidden = !transformer;
    if (transformer) {
      const names = s.heads.flatMap((layer, l) =>
        layer.map((_, k) => String(msg("attention.steps.head", { layer: l + 1, head: k + 1 }))),
      );
      headsMap.update(s.heads.flat(), { min: 0, max: 1, rowLabels: names, colLabels: result.pieces });
    } else {
      const range = Math.max(...s.context.map(Math.abs), ...s.hd.map(Math.abs));
      cMap.update(rows(s.context), { min: -range, max: range });
      hdMap.update(rows(s.hd), { min: -range, max: range });
      uMap.update(rows([...s.context, ...s.hd]), { min: -range, max: range });
    }
    if (!next) next = barChart(nextBox, { labels: s.top.map(() => ""), testid: "next-words" });
    next.element
      .querySelectorAll(".bar-label")
      .forEach((label, k) => (label.textContent = s.top[k]?.piece ?? ""));
    next.update(
      s.top.map((c) => c.p),
      { highlight: s.top.findIndex((c) => c.piece === s.piece) },
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
      formula(GNMT, { display: true }),
      h(
        "ol",
        { class: "beam-list" },
        candidates.map((c) =>
          h(
            "li",
            { class: c.finished ? "finished" : "" },
            h("span", { class: "beam-words", text: joinPieces(c.pieces).join(" ") || "∅" }),
            h(
              "span",
              { class: "beam-score" },
              `log P = ${fmt(c.log_p, 2)} · s = ${fmt(c.score, 2)}`,
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
        h("span", { class: "beam-score", text: `log P = ${fmt(beam.log_p, 2)} · s = ${fmt(beam.score, 2)}` }),
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
