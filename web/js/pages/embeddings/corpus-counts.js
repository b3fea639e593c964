// Section 1, continued: the course's counting pipeline on a real corpus — a word × context matrix
// of its most frequent words, weighted and reduced by SVD — and the neighbours of the words typed
// in section 2. Seconds of work: the shared Stop keeps what was shown.
import { h } from "../../dom.js";
import { msg, setText, formatNumber } from "../../i18n.js";
import { select, slider } from "../../ui/controls.js";
import { SCHEMA, countConfig, wordList } from "./state.js";
import { corpusAsset } from "./data.js";
import { neighbourList, waitingLine } from "./views.js";

/**
 * corpusCountsSection(container, {state, save, engine, operation, notify}) → {counted()}: the
 * embeddings_corpus_counts arguments of the neighbours on screen, or null.
 */
export function corpusCountsSection(container, { state, save, engine, operation, notify }) {
  const weighting = (weight) => msg(`embeddings.weighting.${weight}`);
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

  async function count() {
    run.disabled = true;
    status.replaceChildren();
    const args = { ...countConfig(state), words: wordList(state.q) };
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

  return { counted: () => counted };
}
