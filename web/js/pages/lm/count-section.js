// Part 1 of the page: the bigram table of an editable corpus — the course's, precomputed, before
// Python is up; any other, counted by Python as it is typed — and the sparsity question, answered
// with and without smoothing for a corpus, a context and a word of the student's.
import { h } from "../../dom.js";
import { msg, setText } from "../../i18n.js";
import { dataJSON } from "../../page-data.js";
import { select } from "../../ui/controls.js";
import { debounced } from "../../ui/debounce.js";
import { formula } from "../../ui/formula.js";
import { bigramTable, countingFormula, sparsityView } from "./counting.js";
import { SCHEMA, COURSE_CORPUS, sparsityArgs } from "./state.js";

const TYPING_MS = 300; // Python answers once typing pauses this long
const ADD_K = String.raw`P_{\text{add-}k}(w \mid u) = \frac{c(u\,w) + k}{c(u) + k\,|V|}`;

/** mountCountSection(root, {engine, whileMounted, notify, state, save}) → unmount() */
export function mountCountSection(root, { engine, whileMounted, notify, state, save }) {
  const pauses = new Map(); // what runs once typing pauses → its debounced request
  /** A text field of the state: `key` follows what is typed, and `then` runs once typing pauses. */
  const textField = (tag, key, props, then) => {
    const input = h(tag, { spellcheck: "false", maxlength: SCHEMA[key].maxLength, ...props });
    input.value = state[key];
    input.addEventListener("input", () => {
      state[key] = input.value.slice(0, SCHEMA[key].maxLength);
      save();
      if (!pauses.has(then)) pauses.set(then, debounced(then, TYPING_MS));
      pauses.get(then)();
    });
    return input;
  };

  // --- the bigram table ---------------------------------------------------------------------
  const corpusProps = { id: "lm-corpus", rows: 4, dataset: { testid: "corpus-input" } };
  const corpusInput = textField("textarea", "text", corpusProps, recount);
  const viewChoice = select({
    spec: SCHEMA.view,
    label: msg("lm.count.view"),
    value: state.view,
    optionLabel: (v) => msg(`lm.count.view.${v}`),
    onChange: (v) => {
      state.view = v;
      save();
      table.setView(v);
    },
    testid: "count-view",
  });
  // The status line: it also says when the count waits for Python (engine.queue hides it then).
  const countStatus = h("p", { class: "hint", "aria-live": "polite" });
  const say = (key, params) => {
    countStatus.hidden = false;
    setText(countStatus, key, params);
  };
  const tableBox = h("div", { class: "count-table" }, viewChoice.element, countStatus);
  root.append(
    h(
      "div",
      { class: "count-grid" },
      h(
        "div",
        {},
        h("label", { for: "lm-corpus", text: msg("lm.count.corpus") }),
        corpusInput,
        h("p", { class: "hint", text: msg("lm.count.hint") }),
        countingFormula(),
      ),
      tableBox,
    ),
  );
  const table = bigramTable(tableBox, state.view);
  let recounted = false; // Python was asked: the precomputed table must not replace its answer

  async function recount() {
    recounted = true;
    if (!state.text.trim()) return say("lm.count.empty");
    countStatus.replaceChildren();
    const args = { corpus_text: state.text };
    try {
      const answer = await engine.queue(
        () => {
          say("lm.count.counting");
          return engine.call("lm_counts", args);
        },
        { key: "counts", waiting: countStatus },
      );
      if (!state.text.trim()) return; // emptied meanwhile: the status says so, the table stays
      table.show(answer);
      countStatus.replaceChildren();
    } catch (error) {
      say("lm.count.failed", { message: error.message });
    }
  }

  // --- sparsity and smoothing -------------------------------------------------------------------
  const sparseBox = h(
    "div",
    { class: "sparse" },
    h("h3", { text: msg("lm.sparse.heading") }),
    h("p", { class: "section-lead", text: msg("lm.sparse.lead") }),
  );
  const field = (id, label, input) =>
    h("div", { class: "control" }, h("label", { for: id, text: msg(label) }), input);
  sparseBox.append(
    h(
      "div",
      { class: "sparse-inputs" },
      field(
        "lm-sparse",
        "lm.sparse.corpus",
        textField(
          "textarea",
          "sparse",
          { id: "lm-sparse", rows: 2, dataset: { testid: "sparse-corpus" } },
          resparse,
        ),
      ),
      field(
        "lm-ctx",
        "lm.sparse.context",
        textField(
          "input",
          "ctx",
          { id: "lm-ctx", type: "text", dataset: { testid: "sparse-context" } },
          resparse,
        ),
      ),
      field(
        "lm-word",
        "lm.sparse.word",
        textField(
          "input",
          "word",
          { id: "lm-word", type: "text", dataset: { testid: "sparse-word" } },
          resparse,
        ),
      ),
    ),
    formula(ADD_K, { display: true }),
  );
  root.append(sparseBox);
  const sparsity = sparsityView(sparseBox);

  async function resparse() {
    const args = sparsityArgs(state);
    if (!args) return;
    try {
      sparsity.show(await engine.queue(() => engine.call("lm_sparsity", args), { key: "sparsity" }));
    } catch (error) {
      notify(msg("lm.sparse.failed", { message: error.message }), { kind: "warning" });
    }
  }

  // --- start: the course's table precomputed, then Python -----------------------------------------
  whileMounted(dataJSON("lm_results.json")).then(
    (data) => {
      if (state.text === COURSE_CORPUS && !recounted) table.show(data.counting);
    },
    () => {
      notify(msg("lm.data.failed"), { kind: "warning" });
      if (!recounted) recount();
    },
  );
  if (state.text !== COURSE_CORPUS) recount();
  resparse();
  return () => pauses.forEach((request) => request.cancel());
}
