// The bottleneck: test BLEU by source length for the three variants (from the model card's
// figures, data/attention_page.json). Without attention one fixed vector must carry the whole
// sentence, and the longest sentences lose most.
import { h } from "../../dom.js";
import { formatNumber, msg, whenRelabelled } from "../../i18n.js";
import { lineChart } from "../../ui/line-chart.js";
import { VARIANTS } from "./state.js";

const PARTS = ["overall", "short", "medium", "long"]; // the whole test split, then its thirds by length
const MIN_SENTENCES = 30; // a bin with fewer test sentences says little: it is left out of the chart

/** The chart and table of `bleu` ({variant: {greedy: pizarra.attention.evaluate.bleu_by_length}})
 * in `container`; returns the chart's destroy(). */
export function showBleu(container, bleu) {
  const first = bleu[VARIANTS[0]].greedy;
  const kept = first.bins.flatMap((bin, i) => (bin.count >= MIN_SENTENCES ? [i] : []));
  const chart = lineChart(container, {
    series: VARIANTS.map((variant) => msg(`attention.variant.${variant}`)),
    xLabel: msg("attention.bleu.x"),
    yLabel: "BLEU",
    height: 240,
    testid: "bleu-chart",
  });
  const middles = kept.map((i) => (first.bins[i].range[0] + first.bins[i].range[1]) / 2);
  chart.setData(
    middles,
    VARIANTS.map((variant) => kept.map((i) => bleu[variant].greedy.bins[i].bleu)),
  );

  const heading = (part) => {
    const [from, to] = first[`${part}_range`] ?? [];
    return h("th", { scope: "col", text: msg(`attention.bleu.${part}`, { from, to }) });
  };
  const cells = VARIANTS.map(() => PARTS.map(() => h("td", { class: "num" })));
  const fillCells = () =>
    VARIANTS.forEach((variant, row) =>
      PARTS.forEach((part, k) => {
        cells[row][k].textContent = formatNumber(bleu[variant].greedy[part], { maximumFractionDigits: 1 });
      }),
    );
  const table = h(
    "table",
    { class: "bleu-table", dataset: { testid: "bleu-table" } },
    h("tr", {}, h("th", { scope: "col", text: msg("attention.bleu.variant") }), PARTS.map(heading)),
    VARIANTS.map((variant, row) =>
      h("tr", {}, h("th", { scope: "row", text: msg(`attention.variant.${variant}`) }), cells[row]),
    ),
  );
  fillCells();
  whenRelabelled(table, fillCells); // the numbers in the new language
  container.append(h("p", { class: "hint", text: msg("attention.bleu.bins", { n: MIN_SENTENCES }) }), table);
  return () => chart.destroy();
}
