// The perplexity table: every n-gram order and smoothing, then RNN, LSTM and GRU, on the same
// held-out text (build.py train's lm_results.json, recomputed by tests/unit/test_lm_models.py).
import { h } from "../../dom.js";
import { t, formatNumber, formatPercent } from "../../i18n.js";

const SMOOTHINGS = ["none", "add-k", "kneser-ney"];
const CELLS = ["rnn", "lstm", "gru"];
const number = (v) => (v === "Infinity" ? "∞" : formatNumber(v, { maximumFractionDigits: 2, minimumFractionDigits: 2 }));

/** The smallest test perplexity among the smoothed n-grams, and the LSTM's gain over it. */
export function comparison(rows) {
  const best = Math.min(...rows.filter((r) => r.model === "ngram" && r.smoothing !== "none").map((r) => r.test));
  const lstm = rows.find((r) => r.model === "recurrent" && r.cell === "lstm");
  return { best, lstm: lstm?.test, gain: lstm ? 1 - lstm.test / best : null };
}

export function perplexityTable(container) {
  const table = h("table", { class: "perplexity-table", dataset: { testid: "perplexity-table" } });
  const verdict = h("p", { class: "verdict", dataset: { testid: "perplexity-verdict" } });
  container.append(h("div", { class: "table-scroll" }, table), verdict);
  return {
    show(language, results) {
      const rows = results.table;
      const { best, gain } = comparison(rows);
      const ngrams = rows.filter((r) => r.model === "ngram");
      const head = h("tr", {}, h("th", { scope: "col", text: t("lm.table.model") }), SMOOTHINGS.map((s) => h("th", { scope: "col", text: t(`lm.smoothing.${s}`, { k: "k" }) })));
      const body = [...new Set(ngrams.map((r) => r.order))].map((order) =>
        h("tr", {}, h("th", { scope: "row", text: t("lm.table.ngram", { n: order }) }), SMOOTHINGS.map((s) => {
          const r = ngrams.find((x) => x.order === order && x.smoothing === s);
          return h("td", { class: r.test === best ? "best" : "", text: number(r.test) + (s === "add-k" ? ` (k = ${formatNumber(r.k)})` : "") });
        })));
      for (const cell of CELLS) {
        const r = rows.find((x) => x.model === "recurrent" && x.cell === cell);
        if (r) body.push(h("tr", { class: "recurrent" }, h("th", { scope: "row", text: cell.toUpperCase() }), h("td", { colspan: 3, class: cell === "lstm" ? "lstm" : "", text: number(r.test) })));
      }
      table.replaceChildren(h("caption", { text: t("lm.table.caption", { corpus: t(`lm.corpus.${language}`), chars: formatNumber(results.characters.test) }) }), h("thead", {}, head), h("tbody", {}, body));
      verdict.textContent = gain === null ? "" : t(gain >= 0.1 ? "lm.table.met" : "lm.table.notmet", { gain: formatPercent(Math.abs(gain)), direction: t(gain >= 0 ? "lm.table.lower" : "lm.table.higher"), best: number(best) });
    },
  };
}
