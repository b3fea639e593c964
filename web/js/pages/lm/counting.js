// Counting: the bigram table of an editable corpus (counts or p(w | prev)), and sparsity — one
// unseen n-gram gets probability 0 until a smoothing moves some mass to it. Both views keep what
// they show and draw it again in a new language (its numbers and words).
import { h } from "../../dom.js";
import { msg, setText, formatNumber, whenRelabelled } from "../../i18n.js";
import { formula } from "../../ui/formula.js";
import { colourAt } from "../../ui/palette.js";

const SMOOTHINGS = ["none", "add-k", "kneser-ney"];
const TOKEN_LABEL = { "<s>": "⟨s⟩", "</s>": "⟨/s⟩" };
const label = (token) => TOKEN_LABEL[token] ?? token;

/** The bigram table: rows ⟨s⟩ and the tokens, columns the tokens and ⟨/s⟩; view "counts" or "probabilities". */
export function bigramTable(container, initialView = "counts") {
  const table = h("table", { class: "bigram-table", dataset: { testid: "bigram-table" } });
  const note = h("p", { class: "hint" });
  const region = {
    class: "table-scroll",
    tabindex: "0",
    role: "region",
    "aria-label": msg("lm.count.table"),
  };
  container.append(h("div", region, table), note);
  let data = null,
    view = initialView;

  function cell(i, j) {
    const p = data.probabilities[i][j];
    const [r, c] = [label(data.rows[i]), label(data.columns[j])];
    const value =
      view === "counts" ? String(data.counts[i][j]) : formatNumber(p, { maximumFractionDigits: 2 });
    const [red, green, blue] = colourAt("viridis", p);
    const style =
      p > 0 ? `background: rgb(${red} ${green} ${blue}); color: ${p > 0.55 ? "#111" : "#fff"}` : "";
    const shown = formatNumber(p, { maximumFractionDigits: 3 });
    const title = `c(${r}, ${c}) = ${data.counts[i][j]}; P(${c} | ${r}) = ${shown}`;
    return h("td", { style, title, text: value });
  }

  function render() {
    if (!data) return;
    const head = h(
      "tr",
      {},
      h("th", { scope: "col", class: "corner", text: msg("lm.count.corner") }),
      data.columns.map((c) => h("th", { scope: "col", text: label(c) })),
      h("th", { scope: "col", class: "total", text: msg("lm.count.total") }),
    );
    const body = data.rows.map((r, i) =>
      h(
        "tr",
        {},
        h("th", { scope: "row", text: label(r) }),
        data.columns.map((_, j) => cell(i, j)),
        h("td", { class: "total", text: String(data.row_totals[i]) }),
      ),
    );
    table.replaceChildren(h("thead", {}, head), h("tbody", {}, body));
    if (data.shown < data.tokens) setText(note, "lm.count.cut", { shown: data.shown, tokens: data.tokens });
    else note.replaceChildren();
  }
  whenRelabelled(table, render); // the probabilities in the new language's numbers

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
  const table = h(
    "table",
    { class: "sparsity-table", dataset: { testid: "sparsity-table" } },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col", text: msg("lm.sparse.smoothing") }),
        h("th", { scope: "col", text: msg("lm.sparse.p") }),
      ),
    ),
    body,
  );
  container.append(summary, table, unknown);
  let answer = null;

  function render() {
    if (!answer) return;
    const context = answer.context.map(label).join(" ");
    const ngram = `${context} ${answer.word}`;
    setText(summary, "lm.sparse.counts", { ngram, n: answer.ngram_count, context, c: answer.context_count });
    body.replaceChildren(
      ...SMOOTHINGS.map((s) => {
        const p = formatNumber(answer.probabilities[s], { maximumFractionDigits: 4 });
        return h(
          "tr",
          { dataset: { smoothing: s } },
          h("th", { scope: "row", text: msg(`lm.smoothing.${s}`, { k: () => formatNumber(answer.k) }) }),
          h("td", { text: `P(${answer.word} | ${context}) = ${p}` }),
        );
      }),
    );
    if (answer.unknown.length) setText(unknown, "lm.sparse.unknown", { words: answer.unknown.join(", ") });
    else unknown.replaceChildren();
  }
  whenRelabelled(body, render); // the probabilities in the new language's numbers

  return {
    show(next) {
      answer = next;
      render();
    },
  };
}
