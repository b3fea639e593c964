// Section 1, counting: the course's 4×6 table under raw counts, tf-idf or PPMI (with a switch that
// drops "the"), the cosines between its words before and after SVD; then the same pipeline on a
// real corpus. The table needs no Python: every weighting is precomputed in embeddings_page.json.
import { h } from "../../dom.js";
import { t, formatNumber } from "../../i18n.js";
import { select, slider, checkbox } from "../../ui/controls.js";
import { heatmap } from "../../ui/heatmap.js";
import { formula } from "../../ui/formula.js";
import { SCHEMA, countConfig, wordList } from "./state.js";
import { corpusAsset } from "./data.js";
import { neighbourList } from "./views.js";

const FORMULAS = {
  raw: String.raw`\cos(a,b) = \frac{a \cdot b}{|a|\,|b|}`,
  tfidf: String.raw`\mathrm{tf}(t,d) = \frac{f(t,d)}{\max_{t'} f(t',d)}, \quad \mathrm{idf}(t) = \log \frac{|D|}{|\{d : t \in d\}|}`,
  ppmi: String.raw`\mathrm{PPMI}(w,c) = \max\!\Big(\log \frac{P(w,c)}{P(w)\,P(c)},\, 0\Big)`,
};

/** countingSection(container, {state, save, engine, page}) → {counted()}: the embeddings_corpus_counts
 *  arguments of the corpus neighbours on screen, or null. page: the promise of embeddings_page.json. */
export function countingSection(container, { state, save, engine, operation, notify, page }) {
  const table = h("table", { class: "count-table", dataset: { testid: "count-table" } });
  const formulaBox = h("div", { class: "count-formula" });
  const note = h("p", { class: "hint", dataset: { testid: "count-note" } });
  const maps = h("div", { class: "count-maps" });
  const cosine = heatmap(maps, { label: t("emb.count.cosine"), maxCellPx: 40, testid: "count-cosine" });
  const svdCosine = heatmap(maps, { label: t("emb.count.svdcosine"), maxCellPx: 40, testid: "count-svd-cosine" });
  let tables = null;

  const controls = [
    select({ spec: SCHEMA.weight, label: t("emb.count.weighting"), value: state.weight, optionLabel: (w) => t(`emb.weighting.${w}`), onChange: (weight) => { state.weight = weight; save(); show(); }, testid: "count-weighting" }),
    checkbox({ label: t("emb.count.the"), value: state.the, onChange: (the) => { state.the = the; save(); show(); }, testid: "count-the" }),
  ];
  container.append(
    h("div", { class: "count-controls" }, controls.map((c) => c.element)),
    h("div", { class: "count-layout" }, h("div", { class: "count-table-box" }, table, formulaBox, note), maps),
  );

  function show() {
    if (!tables) return;
    const view = tables[`${state.weight}-${state.the ? "with" : "without"}-the`];
    const digits = state.weight === "raw" ? 0 : 2;
    table.replaceChildren(
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }), view.contexts.map((c) => h("th", { scope: "col", text: c })))),
      h("tbody", {}, view.words.map((word, i) => h("tr", {}, h("th", { scope: "row", text: word }),
        view.weighted[i].map((v) => h("td", { text: formatNumber(v, { maximumFractionDigits: digits }) }))))),
    );
    formulaBox.replaceChildren(formula(FORMULAS[state.weight], { display: true }));
    const labels = { rowLabels: view.words, colLabels: view.words, min: 0, max: 1 };
    cosine.update(view.cosine, labels);
    svdCosine.update(view.svd_cosine, labels);
    const [baseball, basketball, , monarchy] = [0, 1, 2, 3];
    note.textContent = t(`emb.count.note.${state.weight}`, {
      sports: formatNumber(view.cosine[baseball][basketball], { maximumFractionDigits: 2 }),
      royal: formatNumber(view.cosine[baseball][monarchy], { maximumFractionDigits: 2 }),
    });
  }
  page.then((data) => { tables = data.count_table; show(); }, () => notify(t("emb.data.failed"), { kind: "warning" }));

  // --- the same pipeline on a corpus --------------------------------------------------------
  const corpusControls = [
    select({ spec: SCHEMA.csrc, label: t("emb.corpus"), value: state.csrc, optionLabel: (c) => t(`emb.corpus.${c}`), onChange: (csrc) => { state.csrc = csrc; save(); }, testid: "count-source" }),
    slider({ spec: SCHEMA.cwin, label: t("emb.count.window"), value: state.cwin, onInput: (cwin) => { state.cwin = cwin; save(); }, testid: "count-window" }),
    select({ spec: SCHEMA.cweight, label: t("emb.count.weighting"), value: state.cweight, optionLabel: (w) => t(`emb.weighting.${w}`), onChange: (cweight) => { state.cweight = cweight; save(); }, testid: "count-corpus-weighting" }),
    select({ spec: SCHEMA.cdim, label: t("emb.count.dim"), value: state.cdim, onChange: (cdim) => { state.cdim = cdim; save(); }, testid: "count-dim" }),
  ];
  const run = h("button", { type: "button", class: "button primary", dataset: { testid: "corpus-count" }, onclick: count }, t("emb.count.run"));
  const status = h("p", { class: "hint", "aria-live": "polite", dataset: { testid: "count-status" } });
  const counting = operation({ testid: "count-operation" }); // seconds on a corpus: Stop keeps what was shown
  const results = h("div", { class: "neighbour-grid", dataset: { testid: "corpus-neighbours" } });
  container.append(
    h("h3", { text: t("emb.count.corpus.heading") }),
    h("p", { class: "section-lead", text: t("emb.count.corpus.lead") }),
    h("div", { class: "count-controls" }, corpusControls.map((c) => c.element), run),
    status,
    counting.element,
    results,
  );

  let counted = null;
  async function count() {
    run.disabled = true;
    status.textContent = t(engine.state === "ready" ? "emb.working" : "emb.engine.waiting");
    try {
      const args = { ...countConfig(state), words: wordList(state.q) };
      const done = await counting.run(({ signal }) => engine.call("embeddings_corpus_counts", args, { assets: [corpusAsset(args.count_source)], signal }));
      if (done.outcome !== "done") {
        if (done.outcome === "stopped") status.textContent = t("emb.count.stopped");
        return;
      }
      const answer = done.value;
      counted = args;
      status.textContent = t("emb.count.done", { words: formatNumber(answer.vocabulary), tokens: formatNumber(answer.tokens), seconds: formatNumber(answer.seconds, { maximumFractionDigits: 1 }) });
      results.replaceChildren(...answer.neighbours.map((entry) => neighbourList(entry)));
    } catch (error) {
      status.textContent = "";
      notify(t("emb.failed", { message: error.message }), { kind: "error" });
    } finally {
      run.disabled = false;
    }
  }

  return { counted: () => counted };
}
