// The code section: the Python the page runs, as the engine has it, one object at a time.
import { msg } from "../../i18n.js";
import { codePanel } from "../../ui/code-panel.js";
import { select } from "../../ui/controls.js";

const CODE = {
  type: "enum",
  values: [
    "pizarra.embeddings.word2vec.SkipGram",
    "pizarra.embeddings.word2vec.CBOW",
    "pizarra.embeddings.counts.ppmi",
    "pizarra.embeddings.counts.tf_idf",
    "pizarra.embeddings.vectors.VectorSet.analogy_scores",
    "pizarra.embeddings.word2vec_training.Word2VecRun",
  ],
};

/** codeSection(container, {engine}): a choice of objects and the code panel showing the one chosen. */
export function codeSection(container, { engine }) {
  const panel = codePanel(container, { engine, testid: "embeddings-code" });
  // The panel says itself what went wrong with a call; an engine that cannot start, the status says.
  const show = (name) => engine.queue(() => panel.show(name), { key: "code" }).catch(() => {});
  const choice = select({
    spec: CODE,
    label: msg("embeddings.code.show"),
    value: CODE.values[0],
    onChange: show,
  });
  container.insertBefore(choice.element, panel.element);
  show(CODE.values[0]);
}
