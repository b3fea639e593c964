// Section 4, evaluation: every vector set side by side on the similarity sets (Spearman's ρ) and
// the analogy sets (accuracy, 3CosAdd and 3CosMul), each score with its coverage. The committed
// sets' scores come precomputed; sets trained or loaded here are evaluated in the engine.
import { h } from "../../dom.js";
import { msg, setText, formatNumber, formatPercent } from "../../i18n.js";
import { BENCHMARKS } from "./data.js";
import { liveNumber, waitingLine } from "./views.js";

const COLUMNS = {
  en: ["ws353", "simlex999", "men", "rw", "google", "google/mul", "msr", "msr/mul"],
  es: ["es-capitals", "es-capitals/mul"],
};

/** evaluationSection(container, {engine, operation, notify, page}) → {evaluate(set, language)} */
export function evaluationSection(container, { engine, operation, notify, page }) {
  const bodies = new Map(Object.keys(COLUMNS).map((language) => [language, h("tbody")]));
  const tables = Object.entries(COLUMNS).map(([language, columns]) =>
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "eval-table", dataset: { language } },
        h("caption", { text: msg(`embeddings.eval.caption.${language}`) }),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col", text: msg("embeddings.eval.set") }),
            columns.map((column) => h("th", { scope: "col", text: msg(`embeddings.eval.${column}`) })),
          ),
        ),
        bodies.get(language),
      ),
    ),
  );
  const status = h("p", { class: "hint", "aria-live": "polite", dataset: { testid: "eval-status" } });
  const waiting = waitingLine();
  const evaluating = operation({ testid: "eval-operation" }); // a large set takes a while: Stop leaves its row out
  container.append(
    h("div", { class: "eval-tables", dataset: { testid: "eval-table" } }, tables),
    waiting,
    status,
    evaluating.element,
  );
  const rows = new Map();

  function show(set, scores, language) {
    const row = h(
      "tr",
      { dataset: { set } },
      h("th", { scope: "row", text: msg(`embeddings.set.${set}`) }),
      COLUMNS[language].map((column) => cell(scores[column])),
    );
    rows.get(set)?.remove();
    bodies.get(language).append(row);
    rows.set(set, row);
  }

  page.then(
    (data) => data.sets.forEach((s) => show(s.name, s.scores, s.language)),
    () => {},
  );

  async function evaluate(set, language) {
    const name = msg(`embeddings.set.${set}`);
    status.replaceChildren();
    try {
      const answer = await evaluating.run(({ signal }) =>
        engine.queue(
          () => {
            signal.throwIfAborted(); // stopped while it waited for Python
            setText(status, "embeddings.eval.running", { set: name });
            const options = { assets: [BENCHMARKS], timeoutMs: 300_000, signal };
            return engine.call("embeddings_evaluate", { set, language }, options);
          },
          { key: "evaluate", waiting },
        ),
      );
      if (answer.outcome === "done") {
        show(set, answer.value.scores, language);
        status.replaceChildren();
      } else if (answer.outcome === "stopped") {
        rows.get(set)?.remove(); // a row of an earlier set of that name would not be this one's
        rows.delete(set);
        setText(status, "embeddings.eval.stopped", { set: name });
      }
    } catch (error) {
      status.replaceChildren();
      notify(msg("embeddings.failed", { message: error.message }), { kind: "error" });
    }
  }

  return { evaluate };
}

/** One score: Spearman's ρ to three decimals or an accuracy as a percentage, over its coverage. */
function cell(result) {
  if (!result) return h("td", { class: "empty", text: "—" });
  const value = result.spearman ?? result.accuracy;
  const score = () => {
    if (value === null || value === undefined) return "—";
    return "spearman" in result ? formatNumber(value, { decimals: 3 }) : formatPercent(value);
  };
  const count = (n) => () => formatNumber(n);
  const coverage = msg("embeddings.eval.coverage", {
    covered: count(result.covered),
    total: count(result.total),
  });
  return h(
    "td",
    { title: coverage },
    liveNumber("span", { class: "score" }, score),
    liveNumber(
      "span",
      { class: "coverage" },
      () => `${formatNumber(result.covered)}/${formatNumber(result.total)}`,
    ),
  );
}
