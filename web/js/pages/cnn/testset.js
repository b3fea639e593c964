// The test-set browser: accuracy, the confusion matrix (rows: true class, columns: predicted)
// and the misclassified digits; clicking a cell filters them, clicking a digit loads it into
// the network. The page shows the committed model's figures (from build.py train) once they arrive.
import { h } from "../../dom.js";
import { msg, setText, formatPercent, whenRelabelled } from "../../i18n.js";
import { spriteURL } from "./data.js";

const MAX_SHOWN = 60;

/**
 * testSet(container, {meta: mnist.json, onPick(index)})
 *   .show({accuracy, confusion_matrix, predictions, confidence, model})
 */
export function testSet(container, { meta, onPick }) {
  const summary = h("p", { class: "testset-accuracy", dataset: { testid: "test-accuracy" } });
  const matrix = h("div", { class: "confusion-wrap" });
  const filterNote = h("p", { class: "caption" });
  const errors = h("ul", { class: "mistakes", dataset: { testid: "mistakes" } });
  container.append(summary, h("div", { class: "testset-grid" }, matrix, h("div", {}, filterNote, errors)));
  const labels = meta.labels.test,
    columns = meta.columns;
  let evaluation = null,
    filter = null;

  function thumb(i) {
    const x = (i % columns) * 28,
      y = Math.floor(i / columns) * 28;
    return h("span", {
      class: "tile",
      style: `background-image: url("${spriteURL("test")}"); background-position: -${x}px -${y}px`,
    });
  }

  function renderMatrix() {
    const m = evaluation.confusion_matrix;
    const max = Math.max(...m.flat());
    const head = h(
      "tr",
      {},
      h("th", { scope: "col", class: "corner", text: msg("cnn.test.corner") }),
      ...m.map((_, j) => h("th", { scope: "col", text: String(j) })),
    );
    const body = m.map((row, i) =>
      h(
        "tr",
        {},
        h("th", { scope: "row", text: String(i) }),
        ...row.map((v, j) => {
          const active = filter && filter[0] === i && filter[1] === j;
          const style = `--level: ${v ? 0.15 + (0.85 * v) / max : 0}`;
          const cell =
            i !== j && v
              ? h(
                  "button",
                  {
                    type: "button",
                    class: "cm-button",
                    "aria-pressed": String(Boolean(active)),
                    "aria-label": msg("cnn.test.cell", { n: v, y: i, p: j }),
                    onclick: () => setFilter(active ? null : [i, j]),
                  },
                  String(v),
                )
              : String(v || "");
          return h("td", { class: `${i === j ? "diag" : v ? "off" : ""}`, style }, cell);
        }),
      ),
    );
    matrix.replaceChildren(
      h(
        "table",
        { class: "confusion", dataset: { testid: "confusion" } },
        h("caption", { text: msg("cnn.test.matrix") }),
        h("thead", {}, head),
        h("tbody", {}, body),
      ),
    );
  }

  function renderErrors() {
    const wrong = [];
    evaluation.predictions.forEach((p, i) => {
      if (p !== labels[i] && (!filter || (labels[i] === filter[0] && p === filter[1]))) wrong.push(i);
    });
    if (filter) setText(filterNote, "cnn.test.filtered", { y: filter[0], p: filter[1], n: wrong.length });
    else setText(filterNote, "cnn.test.mistakes", { n: wrong.length });
    errors.replaceChildren(
      ...wrong.slice(0, MAX_SHOWN).map((i) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "mistake",
              dataset: { index: String(i) },
              "aria-label": msg("cnn.test.mistake", { y: labels[i], p: evaluation.predictions[i] }),
              onclick: () => onPick(i),
            },
            thumb(i),
            h(
              "span",
              { class: "mistake-label" },
              h("span", { class: "truth", text: String(labels[i]) }),
              " → ",
              h("span", { class: "guess", text: String(evaluation.predictions[i]) }),
              h("small", { text: formatPercent(evaluation.confidence[i]) }),
            ),
          ),
        ),
      ),
    );
  }

  function setFilter(next) {
    filter = next;
    renderMatrix();
    renderErrors();
  }

  return {
    show(result) {
      evaluation = result;
      const correct = Math.round(result.accuracy * labels.length);
      summary.replaceChildren(
        h("strong", { text: formatPercent(result.accuracy) }),
        " ",
        msg(`cnn.test.summary.${result.model}`, { correct, total: labels.length }),
      );
      whenRelabelled(summary, () => this.show(result)); // the percentage and confidences in the language's format
      renderMatrix();
      renderErrors();
    },
  };
}
