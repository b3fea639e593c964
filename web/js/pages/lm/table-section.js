// Part 5 of the page: the perplexity table of the corpus the side-by-side generation uses — every
// n-gram order and smoothing, then RNN, LSTM and GRU, on the same held-out text (build.py train's
// lm_results.json, recomputed by tests/unit/test_lm_models.py), on screen before Python is up.
// It keeps what it shows and draws it again in a new language (its numbers and words).
import { h } from "../../dom.js";
import { msg, setText, formatNumber, formatPercent, whenRelabelled } from "../../i18n.js";
import { dataJSON } from "../../page-data.js";

const SMOOTHINGS = ["none", "add-k", "kneser-ney"];
const CELLS = ["rnn", "lstm", "gru"];
const TWO_DECIMALS = { maximumFractionDigits: 2, minimumFractionDigits: 2 };
const number = (v) => (v === "Infinity" ? "∞" : formatNumber(v, TWO_DECIMALS));

/** The smallest test perplexity among the smoothed n-grams, and the LSTM's gain over it. */
export function comparison(rows) {
  const best = Math.min(
    ...rows.filter((r) => r.model === "ngram" && r.smoothing !== "none").map((r) => r.test),
  );
  const lstm = rows.find((r) => r.model === "recurrent" && r.cell === "lstm");
  return { best, lstm: lstm?.test, gain: lstm ? 1 - lstm.test / best : null };
}

/** mountTableSection(root, {whileMounted, state}) → {show()}: the table of the corpus in use. */
export function mountTableSection(root, { whileMounted, state }) {
  const perplexities = perplexityTable(root);
  const show = () =>
    whileMounted(dataJSON("lm_results.json")).then(
      (data) => perplexities.show(state.corpus, data.languages[state.corpus]),
      () => {}, // the counting section says the file is missing
    );
  show();
  return { show };
}

function perplexityTable(container) {
  const table = h("table", { class: "perplexity-table", dataset: { testid: "perplexity-table" } });
  const verdict = h("p", { class: "verdict", dataset: { testid: "perplexity-verdict" } });
  container.append(h("div", { class: "table-scroll" }, table), verdict);
  let shown = null; // [language, results]

  function ngramRow(ngrams, order, best) {
    return h(
      "tr",
      {},
      h("th", { scope: "row", text: msg("lm.table.ngram", { n: order }) }),
      SMOOTHINGS.map((s) => {
        const r = ngrams.find((x) => x.order === order && x.smoothing === s);
        const k = s === "add-k" ? ` (k = ${formatNumber(r.k)})` : "";
        return h("td", { class: r.test === best ? "best" : "", text: number(r.test) + k });
      }),
    );
  }

  function render() {
    if (!shown) return;
    const [language, results] = shown;
    const rows = results.table;
    const { best, gain } = comparison(rows);
    const ngrams = rows.filter((r) => r.model === "ngram");
    const head = h(
      "tr",
      {},
      h("th", { scope: "col", text: msg("lm.table.model") }),
      SMOOTHINGS.map((s) => h("th", { scope: "col", text: msg(`lm.smoothing.${s}`, { k: "k" }) })),
    );
    const body = [...new Set(ngrams.map((r) => r.order))].map((order) => ngramRow(ngrams, order, best));
    for (const cell of CELLS) {
      const r = rows.find((x) => x.model === "recurrent" && x.cell === cell);
      if (!r) continue;
      body.push(
        h(
          "tr",
          { class: "recurrent" },
          h("th", { scope: "row", text: cell.toUpperCase() }),
          h("td", { colspan: 3, class: cell === "lstm" ? "lstm" : "", text: number(r.test) }),
        ),
      );
    }
    const chars = formatNumber(results.characters.test);
    const caption = msg("lm.table.caption", { corpus: msg(`lm.corpus.${language}`), chars });
    table.replaceChildren(h("caption", { text: caption }), h("thead", {}, head), h("tbody", {}, body));
    if (gain === null) verdict.replaceChildren();
    else {
      setText(verdict, gain >= 0.1 ? "lm.table.met" : "lm.table.notmet", {
        gain: formatPercent(Math.abs(gain)),
        direction: msg(gain >= 0 ? "lm.table.lower" : "lm.table.higher"),
        best: number(best),
      });
    }
  }
  whenRelabelled(table, render); // the perplexities in the new language's numbers

  return {
    show(language, results) {
      shown = [language, results];
      render();
    },
  };
}
