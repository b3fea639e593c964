// Section 1, continued: the course's counting pipeline on a real corpus — a word × context matrix
// of its most frequent words, weighted and reduced by SVD — and the neighbours of the words typed
// in section 2 if someone typed them in the corpus's language, else the corpus's own frequent words
// (a set's examples, such as "rey", may be rare in a slice of speeches). Seconds of work: the shared Stop keeps what was shown. A count on screen is in the link
// (counted=1): the link counts again when it opens; a new setting clears the count.
import { h } from "../../dom.js";
import { msg, setText, formatNumber } from "../../i18n.js";
import { select, slider } from "../../ui/controls.js";
import { SCHEMA, EXAMPLES, CORPUS_WORDS, countConfig, wordList } from "./state.js";
import { corpusAsset } from "./data.js";
import { neighbourList, waitingLine } from "./views.js";

/**
 * corpusCountsSection(container, {state, save, engine, operation, notify, setLanguage}) → {counted()}:
 * the embeddings_corpus_counts arguments of the neighbours on screen, or null. setLanguage() is the
 * language of the vector set chosen.
 */
export function corpusCountsSection(
  container,
  { state, save: saveState, engine, operation, notify, setLanguage },
) {
  const weighting = (weight) => msg(`embeddings.weighting.${weight}`);
  const save = (setting) => {
    // a new setting: the count on screen no longer is this one
    saveState({ ...setting, counted: false });
    counted = null;
    results.replaceChildren();
    status.replaceChildren();
  };
  const controls = [
    select({
      spec: SCHEMA.csrc,
      label: msg("embeddings.corpus"),
      value: state.csrc,
      testid: "count-source",
      optionLabel: (corpus) => msg(`embeddings.corpus.${corpus}`),
      onChange: (csrc) => save({ csrc }),
    }),
    slider({
      spec: SCHEMA.cwin,
      label: msg("embeddings.count.window"),
      value: state.cwin,
      testid: "count-window",
      onInput: (cwin) => save({ cwin }),
    }),
    select({
      spec: SCHEMA.cweight,
      label: msg("embeddings.count.weighting"),
      value: state.cweight,
      testid: "count-corpus-weighting",
      optionLabel: weighting,
      onChange: (cweight) => save({ cweight }),
    }),
    select({
      spec: SCHEMA.cdim,
      label: msg("embeddings.count.dim"),
      value: state.cdim,
      testid: "count-dim",
      onChange: (cdim) => save({ cdim }),
    }),
  ];
  const run = h(
    "button",
    {
      type: "button",
      class: "button primary",
      dataset: { testid: "corpus-count" },
      onclick: count,
    },
    msg("embeddings.count.run"),
  );
  const status = h("p", { class: "hint", "aria-live": "polite", dataset: { testid: "count-status" } });
  const waiting = waitingLine();
  const counting = operation({ testid: "count-operation" });
  const results = h("div", { class: "neighbour-grid", dataset: { testid: "corpus-neighbours" } });
  container.append(
    h("h3", { text: msg("embeddings.count.corpus.heading") }),
    h("p", { class: "section-lead", text: msg("embeddings.count.corpus.lead") }),
    h(
      "div",
      { class: "count-controls" },
      controls.map((control) => control.element),
      run,
    ),
    status,
    waiting,
    counting.element,
    results,
  );
  let counted = null;

  /** The words to look up: the ones typed in section 2 in the corpus's language, else the corpus's own. */
  const words = () => {
    const typed = state.csrc === setLanguage() && state.q !== EXAMPLES[state.csrc].q;
    return wordList(typed ? state.q : CORPUS_WORDS[state.csrc]);
  };

  async function count() {
    run.disabled = true;
    status.replaceChildren();
    const args = { ...countConfig(state), words: words() };
    const assets = [corpusAsset(args.count_source)];
    try {
      const done = await counting.run(({ signal }) =>
        engine.queue(
          () => {
            signal.throwIfAborted(); // stopped while it waited for Python
            setText(status, "embeddings.working");
            return engine.call("embeddings_corpus_counts", args, { assets, signal });
          },
          { key: "corpus-counts", waiting },
        ),
      );
      if (done.outcome === "stopped") setText(status, "embeddings.count.stopped");
      if (done.outcome !== "done") return;
      const answer = done.value;
      counted = args;
      saveState({ counted: true });
      setText(status, "embeddings.count.done", {
        words: () => formatNumber(answer.vocabulary),
        tokens: () => formatNumber(answer.tokens),
        seconds: () => formatNumber(answer.seconds, { maximumFractionDigits: 1 }),
      });
      results.replaceChildren(...answer.neighbours.map(neighbourList));
    } catch (error) {
      status.replaceChildren();
      notify(msg("embeddings.failed", { message: error.message }), { kind: "error" });
    } finally {
      run.disabled = false;
    }
  }

  if (state.counted) count(); // a link of a count on screen: counted again, with its progress
  return { counted: () => counted };
}
