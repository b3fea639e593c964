// Counting: the bigram table of an editable corpus (counts or p(w | prev)), and sparsity — one
// unseen n-gram gets probability 0 until a smoothing moves some mass to it.
import { h } from "../../dom.js";
import { t, formatNumber } from "../../i18n.js";
import { formula } from "../../ui/formula.js";
import { colourAt } from "../../ui/palette.js";

const SMOOTHINGS = ["none", "add-k", "kneser-ney"];
const TOKEN_LABEL = { "<s>": "⟨s⟩", "</s>": "⟨/s⟩" };
const label = (token) => TOKEN_LABEL[token] ?? token;

/** The bigram table: rows ⟨s⟩ and the tokens, columns the tokens and ⟨/s⟩; view "counts" or "probabilities". */
export function bigramTable(container) {
  const table = h("table", { class: "bigram-table", dataset: { testid: "bigram-table" } });
  const note = h("p", { class: "hint" });
  const wrap = h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("lm.count.table") }, table);
  container.append(wrap, note);
  let data = null, view = "counts";

  function render() {
    if (!data) return;
    const head = h("tr", {}, h("th", { scope: "col", class: "corner", text: t("lm.count.corner") }), data.columns.map((c) => h("th", { scope: "col", text: label(c) })));
    const body = data.rows.map((r, i) =>
      h("tr", {},
        h("th", { scope: "row", text: label(r) }),
        data.columns.map((c, j) => {
          const p = data.probabilities[i][j];
          const value = view === "counts" ? String(data.counts[i][j]) : formatNumber(p, { maximumFractionDigits: 2 });
          const [red, green, blue] = colourAt("viridis", p);
          const style = p > 0 ? `background: rgb(${red} ${green} ${blue}); color: ${p > 0.55 ? "#111" : "#fff"}` : "";
          return h("td", { style, title: `c(${label(r)}, ${label(c)}) = ${data.counts[i][j]}; P(${label(c)} | ${label(r)}) = ${formatNumber(p, { maximumFractionDigits: 3 })}`, text: value });
        }),
        h("td", { class: "total", text: String(data.row_totals[i]) }),
      ),
    );
    head.append(h("th", { scope: "col", class: "total", text: t("lm.count.total") }));
    table.replaceChildren(h("thead", {}, head), h("tbody", {}, body));
    note.textContent = data.shown < data.tokens ? t("lm.count.cut", { shown: data.shown, tokens: data.tokens }) : "";
  }

  return {
    element: table,
    show(next) {
      data = next;
      render();
    },
    setView(next) {
      view = next;
      render();
    },
  };
}

export function countingFormula() {
  return formula(String.raw`P(w_i \mid w_{i-1}) = \frac{c(w_{i-1}, w_i)}{c(w_{i-1})}`, { display: true });
}

/** The answer of lm_sparsity: p(word | context) for each smoothing, with the counts behind it. */
export function sparsityView(container) {
  const body = h("tbody");
  const summary = h("p", { class: "sparsity-summary", dataset: { testid: "sparsity-summary" } });
  const unknown = h("p", { class: "hint", dataset: { testid: "sparsity-unknown" } });
  const table = h("table", { class: "sparsity-table", dataset: { testid: "sparsity-table" } },
    h("thead", {}, h("tr", {}, h("th", { scope: "col", text: t("lm.sparse.smoothing") }), h("th", { scope: "col", text: t("lm.sparse.p") }))),
    body,
  );
  container.append(summary, table, unknown);
  return {
    show(answer) {
      const context = answer.context.map(label).join(" ");
      summary.textContent = t("lm.sparse.counts", { ngram: `${context} ${answer.word}`, n: answer.ngram_count, context, c: answer.context_count });
      body.replaceChildren(...SMOOTHINGS.map((s) =>
        h("tr", { dataset: { smoothing: s } },
          h("th", { scope: "row", text: t(`lm.smoothing.${s}`, { k: formatNumber(answer.k) }) }),
          h("td", { text: `P(${answer.word} | ${context}) = ${formatNumber(answer.probabilities[s], { maximumFractionDigits: 4 })}` }),
        )));
      unknown.textContent = answer.unknown.length ? t("lm.sparse.unknown", { words: answer.unknown.join(", ") }) : "";
    },
  };
}
