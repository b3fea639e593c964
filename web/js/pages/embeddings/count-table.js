// Section 1, counting: the course's 4×6 table under raw counts, tf-idf or PPMI (with a switch that
// drops "the"), and the cosines between its words before and after SVD. It needs no Python: every
// weighting is precomputed in embeddings_page.json.
import { h } from "../../dom.js";
import { msg, setText, formatNumber } from "../../i18n.js";
import { select, checkbox } from "../../ui/controls.js";
import { heatmap } from "../../ui/heatmap.js";
import { formula } from "../../ui/formula.js";
import { SCHEMA } from "./state.js";
import { liveNumber } from "./views.js";

const FORMULAS = {
  raw: String.raw`\cos(a,b) = \frac{a \cdot b}{|a|\,|b|}`,
  tfidf: String.raw`\mathrm{tf}(t,d) = \frac{f(t,d)}{\max_{t'} f(t',d)}, \quad
    \mathrm{idf}(t) = \log \frac{|D|}{|\{d : t \in d\}|}`,
  ppmi: String.raw`\mathrm{PPMI}(w,c) = \max\!\Big(\log \frac{P(w,c)}{P(w)\,P(c)},\, 0\Big)`,
};
const [BASEBALL, BASKETBALL, , MONARCHY] = [0, 1, 2, 3]; // the table's rows, as the note reads them

/** countTableSection(container, {state, save, notify, page}); page: the promise of embeddings_page.json. */
export function countTableSection(container, { state, save, notify, page }) {
  const table = h("table", { class: "count-table", dataset: { testid: "count-table" } });
  const formulaBox = h("div", { class: "count-formula" });
  const note = h("p", { class: "hint", dataset: { testid: "count-note" } });
  const maps = h("div", { class: "count-maps" });
  const map = (label, testid) => heatmap(maps, { label: msg(label), maxCellPx: 40, testid });
  const cosine = map("embeddings.count.cosine", "count-cosine");
  const svdCosine = map("embeddings.count.svdcosine", "count-svd-cosine");
  const weighting = select({
    spec: SCHEMA.weight,
    label: msg("embeddings.count.weighting"),
    value: state.weight,
    testid: "count-weighting",
    optionLabel: (weight) => msg(`embeddings.weighting.${weight}`),
    onChange: (weight) => change({ weight }),
  });
  const the = checkbox({
    label: msg("embeddings.count.the"),
    value: state.the,
    testid: "count-the",
    onChange: (checked) => change({ the: checked }),
  });
  container.append(
    h("div", { class: "count-controls" }, weighting.element, the.element),
    h(
      "div",
      { class: "count-layout" },
      h("div", { class: "count-table-box" }, table, formulaBox, note),
      maps,
    ),
  );
  let tables = null;

  function change(setting) {
    save(setting);
    show();
  }

  function show() {
    if (!tables) return;
    const view = tables[`${state.weight}-${state.the ? "with" : "without"}-the`];
    const decimals = state.weight === "raw" ? 0 : 2;
    const cell = (value) => liveNumber("td", {}, () => formatNumber(value, { decimals }));
    const row = (word, i) => h("tr", {}, h("th", { scope: "row", text: word }), view.weighted[i].map(cell));
    const heading = (context) => h("th", { scope: "col", text: context });
    table.replaceChildren(
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }), view.contexts.map(heading))),
      h("tbody", {}, view.words.map(row)),
    );
    formulaBox.replaceChildren(formula(FORMULAS[state.weight], { display: true }));
    const labels = { rowLabels: view.words, colLabels: view.words, min: 0, max: 1 };
    cosine.update(view.cosine, labels);
    svdCosine.update(view.svd_cosine, labels);
    const between = (a, b) => () => formatNumber(view.cosine[a][b], { decimals: 2 });
    setText(note, `embeddings.count.note.${state.weight}`, {
      sports: between(BASEBALL, BASKETBALL),
      royal: between(BASEBALL, MONARCHY),
    });
  }

  page.then(
    (data) => {
      tables = data.count_table;
      show();
    },
    () => notify(msg("embeddings.data.failed"), { kind: "warning" }),
  );
}
