// The four variants compared (from the model card's figures, data/attention_page.json): BLEU on
// the test split by source length (greedy decoding), where without attention one fixed vector must
// carry the whole sentence and the longest sentences lose most; and BLEU on the everyday set, with
// greedy decoding and with the page's default decoding (beam search, α, β).
import { h } from "../../dom.js";
import { formatNumber, msg, whenRelabelled } from "../../i18n.js";
import { lineChart } from "../../ui/line-chart.js";
import { SCHEMA, VARIANTS } from "./state.js";

const THIRDS = ["overall", "short", "medium", "long"]; // the whole test split, then its thirds by length
const EVERYDAY = ["greedy", "default"]; // the everyday set, by decoding
// The page's default decoding, which the everyday set's second column was measured with.
const DEFAULT_DECODING = {
  beam: () => formatNumber(SCHEMA.beam.default),
  alpha: () => formatNumber(SCHEMA.alpha.default),
  beta: () => formatNumber(SCHEMA.beta.default),
};
const MIN_SENTENCES = 30; // a bin with fewer test sentences says little: it is left out of the chart

/** The chart and table of `bleu` ({variant: {greedy: pizarra.attention.evaluate.bleu_by_length,
 * everyday: {greedy, default}}}) in `container`; returns the chart's destroy(). */
export function showBleu(container, bleu) {
  const variants = VARIANTS.filter((variant) => bleu[variant]);
  const first = bleu[variants[0]].greedy;
  const kept = first.bins.flatMap((bin, i) => (bin.count >= MIN_SENTENCES ? [i] : []));
  const chart = lineChart(container, {
    series: variants.map((variant) => msg(`attention.variant.${variant}`)),
    xLabel: msg("attention.bleu.x"),
    yLabel: "BLEU",
    height: 240,
    testid: "bleu-chart",
  });
  const middles = kept.map((i) => (first.bins[i].range[0] + first.bins[i].range[1]) / 2);
  chart.setData(
    middles,
    variants.map((variant) => kept.map((i) => bleu[variant].greedy.bins[i].bleu)),
  );

  const values = (variant) => [
    ...THIRDS.map((part) => bleu[variant].greedy[part]),
    ...EVERYDAY.map((decoding) => bleu[variant].everyday[decoding]),
  ];
  const heading = (part) => {
    const [from, to] = first[`${part}_range`] ?? [];
    return h("th", { scope: "col", text: msg(`attention.bleu.${part}`, { from, to }) });
  };
  // the everyday set's first column starts a group: a line before it
  const cells = variants.map(() => [
    ...THIRDS.map(() => h("td", { class: "num" })),
    ...EVERYDAY.map((_, k) => h("td", { class: k ? "num" : "num everyday" })),
  ]);
  const fillCells = () =>
    variants.forEach((variant, row) =>
      values(variant).forEach((value, k) => {
        cells[row][k].textContent = formatNumber(value, { decimals: 1 });
      }),
    );
  const table = h(
    "table",
    { class: "bleu-table", dataset: { testid: "bleu-table" } },
    h(
      "tr",
      {},
      h("td"),
      h("th", { scope: "colgroup", colspan: THIRDS.length, text: msg("attention.bleu.test") }),
      h("th", {
        scope: "colgroup",
        colspan: EVERYDAY.length,
        class: "everyday",
        text: msg("attention.bleu.everyday"),
      }),
    ),
    h(
      "tr",
      {},
      h("th", { scope: "col", text: msg("attention.bleu.variant") }),
      THIRDS.map(heading),
      EVERYDAY.map((decoding) =>
        h("th", {
          scope: "col",
          class: decoding === "greedy" ? "everyday" : null,
          text: msg(`attention.bleu.everyday.${decoding}`, DEFAULT_DECODING),
        }),
      ),
    ),
    variants.map((variant, row) =>
      h("tr", {}, h("th", { scope: "row", text: msg(`attention.variant.${variant}`) }), cells[row]),
    ),
  );
  fillCells();
  whenRelabelled(table, fillCells); // the numbers in the new language
  container.append(
    h("p", { class: "hint", text: msg("attention.bleu.bins", { n: MIN_SENTENCES }) }),
    h("div", { class: "table-box" }, table),
    h("p", {
      class: "hint",
      dataset: { testid: "everyday-words" },
      text: msg("attention.bleu.everyday.what"),
    }),
  );
  return () => chart.destroy();
}
