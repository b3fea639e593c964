// The bottleneck: test BLEU by source length for the three variants (from the model card's
// figures, data/attention_page.json). Without attention one fixed vector must carry the whole
// sentence, and the longest sentences lose most.
import { h } from "../../dom.js";
import { formatNumber, t } from "../../i18n.js";
import { lineChart } from "../../ui/line-chart.js";
import { VARIANTS } from "./state.js";

const THIRDS = ["short", "medium", "long"];
const MIN_SENTENCES = 30; // a bin with fewer test sentences says little: it is left out of the chart

export function bottleneckView(container, bleu) {
  const kept = bleu[VARIANTS[0]].greedy.bins.map((b, i) => [b, i]).filter(([b]) => b.count >= MIN_SENTENCES).map(([, i]) => i);
  const bins = kept.map((i) => bleu[VARIANTS[0]].greedy.bins[i]);
  const chart = lineChart(container, {
    series: VARIANTS.map((v) => t(`att.variant.${v}`)),
    xLabel: t("att.bleu.x"), yLabel: "BLEU", height: 240, testid: "bleu-chart",
  });
  chart.setData(bins.map((b) => (b.range[0] + b.range[1]) / 2), VARIANTS.map((v) => kept.map((i) => bleu[v].greedy.bins[i].bleu)));
  container.append(h("p", { class: "hint", text: t("att.bleu.bins", { n: MIN_SENTENCES }) }));
  const first = bleu[VARIANTS[0]].greedy;
  const fmt = (v) => formatNumber(v, { maximumFractionDigits: 1 });
  container.append(h("table", { class: "bleu-table", dataset: { testid: "bleu-table" } },
    h("tr", {}, h("th", { scope: "col", text: t("att.bleu.variant") }), h("th", { scope: "col", text: t("att.bleu.overall") }),
      THIRDS.map((third) => h("th", { scope: "col", text: t(`att.bleu.${third}`, { from: first[`${third}_range`][0], to: first[`${third}_range`][1] }) }))),
    VARIANTS.map((v) => h("tr", {}, h("th", { scope: "row", text: t(`att.variant.${v}`) }),
      ["overall", ...THIRDS].map((k) => h("td", { class: "num", text: fmt(bleu[v].greedy[k]) }))))));
  return () => chart.destroy();
}
