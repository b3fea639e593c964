// Section 4, evaluation: every vector set side by side on the similarity sets (Spearman's ρ) and
// the analogy sets (accuracy, 3CosAdd and 3CosMul), each score with its coverage. The committed
// sets' scores come precomputed; sets trained or loaded here are evaluated in the engine.
import { h } from "../../dom.js";
import { t, formatNumber } from "../../i18n.js";
import { BENCHMARKS } from "./data.js";

const COLUMNS = {
  en: ["ws353", "simlex999", "men", "rw", "google", "google/mul", "msr", "msr/mul"],
  es: ["es-capitals", "es-capitals/mul"],
};

/** evaluationSection(container, {engine, operation, notify, page}) → {evaluate(set, language)} */
export function evaluationSection(container, { engine, operation, notify, page }) {
  const bodies = Object.fromEntries(Object.keys(COLUMNS).map((language) => [language, h("tbody")]));
  const tables = Object.entries(COLUMNS).map(([language, columns]) => h("div", { class: "table-scroll" },
    h("table", { class: "eval-table", dataset: { language } },
      h("caption", { text: t(`emb.eval.caption.${language}`) }),
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: t("emb.eval.set") }), columns.map((c) => h("th", { scope: "col", text: t(`emb.eval.${c}`) })))),
      bodies[language])));
  const status = h("p", { class: "hint", "aria-live": "polite", dataset: { testid: "eval-status" } });
  const evaluating = operation({ testid: "eval-operation" }); // a large set takes a while: Stop leaves its row out
  container.append(h("div", { class: "eval-tables", dataset: { testid: "eval-table" } }, tables), status, evaluating.element);
  const rows = new Map();

  function cell(result) {
    if (!result) return h("td", { class: "empty", text: "—" });
    const value = result.spearman ?? result.accuracy;
    const shown = value === null || value === undefined ? "—"
      : "spearman" in result ? formatNumber(value, { minimumFractionDigits: 3, maximumFractionDigits: 3 })
        : formatNumber(value, { style: "percent", maximumFractionDigits: 1 });
    return h("td", { title: t("emb.eval.coverage", { covered: formatNumber(result.covered), total: formatNumber(result.total) }) },
      h("span", { class: "score", text: shown }), h("span", { class: "coverage", text: `${formatNumber(result.covered)}/${formatNumber(result.total)}` }));
  }

  function show(set, scores, language) {
    const row = h("tr", { dataset: { set } }, h("th", { scope: "row", text: t(`emb.set.${set}`) }), COLUMNS[language].map((c) => cell(scores[c])));
    if (rows.has(set)) rows.get(set).remove();
    bodies[language].append(row);
    rows.set(set, row);
  }

  page.then((data) => data.sets.forEach((s) => show(s.name, s.scores, s.language)), () => {});

  async function evaluate(set, language) {
    status.textContent = t(engine.state === "ready" ? "emb.eval.running" : "emb.engine.waiting", { set: t(`emb.set.${set}`) });
    try {
      const answer = await evaluating.run(({ signal }) => engine.call("embeddings_evaluate", { set, language }, { assets: [BENCHMARKS], timeoutMs: 300_000, signal }));
      if (answer.outcome === "done") {
        show(set, answer.value.scores, language);
        status.textContent = "";
      } else if (answer.outcome === "stopped") {
        rows.get(set)?.remove(); // a row of an earlier set of that name would not be this one's
        rows.delete(set);
        status.textContent = t("emb.eval.stopped", { set: t(`emb.set.${set}`) });
      }
    } catch (error) {
      status.textContent = "";
      notify(t("emb.failed", { message: error.message }), { kind: "error" });
    }
  }

  return { evaluate };
}
