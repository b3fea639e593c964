// Embeddings: from counts to word2vec. Count vectors on the course's table and on a corpus, word2vec
// trained live, a vector set explored (neighbours, analogies, projections) and evaluated side by
// side. The whole state lives in the address (state.js). Engine functions: pysrc/pizarra/demos/embeddings.py.
import { h } from "../../dom.js";
import { t } from "../../i18n.js";
import { codePanel } from "../../ui/code-panel.js";
import { select } from "../../ui/controls.js";
import { SCHEMA, LIVE_SETS, setLanguage, wordList } from "./state.js";
import { pageData, cardURL, setAssets, corpusAsset } from "./data.js";
import { countingSection } from "./counting.js";
import { trainingSection } from "./training.js";
import { exploreSection } from "./explore.js";
import { projectionSection } from "./projection.js";
import { evaluationSection } from "./evaluation.js";

const CODE = { type: "enum", values: ["pizarra.embeddings.word2vec.SkipGram", "pizarra.embeddings.word2vec.CBOW", "pizarra.embeddings.counts.ppmi", "pizarra.embeddings.counts.tf_idf", "pizarra.embeddings.vectors.VectorSet.analogy_scores", "pizarra.embeddings.word2vec_training.Word2VecRun"] };

function panel(id, withLead = true) {
  return h("section", { class: "panel", "aria-labelledby": `emb-${id}-h` },
    h("h2", { id: `emb-${id}-h`, text: t(`emb.${id}.heading`) }),
    withLead ? h("p", { class: "section-lead", text: t(`emb.${id}.lead`) }) : null);
}

export function mount(root, context) {
  const { engine, notify } = context;
  const state = context.readState(SCHEMA);
  const save = () => context.writeState(state, SCHEMA);
  save();
  const page = context.whileMounted(pageData());
  const common = { state, save, engine, notify, page, operation: context.operation };
  let trainedOn = "en";

  root.append(h("header", { class: "emb-intro" }, h("h1", { text: t("emb.title") }), h("p", { class: "lead", text: t("emb.lead") })));
  const counting = panel("count");
  const training = panel("train");
  const explore = panel("explore");
  const projection = panel("projection");
  const evaluationPanel = panel("eval");
  const code = panel("code");
  root.append(counting, explore, projection, training, evaluationPanel, code,
    h("section", { class: "panel about", "aria-labelledby": "emb-about-h" },
      h("h2", { id: "emb-about-h", text: t("emb.about.heading") }),
      h("p", { text: t("emb.about.data") }),
      h("p", {}, t("emb.about.cards"), " ", ...["glove_en", "sgns_en", "cbow_en", "ppmi_en", "sgns_es", "cbow_es", "ppmi_es"]
        .flatMap((set, i) => [i ? ", " : "", h("a", { href: cardURL(set), text: `embeddings_${set}.md` })]))));

  const corpusCounts = countingSection(counting, common);
  const evaluation = evaluationSection(evaluationPanel, common);
  const pictures = projectionSection(projection, common);
  // A set trained or loaded in this browser does not travel with the link (the notebook carries it).
  const leftOut = () => context.linkLeavesOut(LIVE_SETS.includes(state.set) ? t(`emb.link.leftout.${state.set}`) : null);
  const explorer = exploreSection(explore, {
    ...common,
    onSetChange: () => {
      leftOut();
      pictures.refresh();
    },
    onNewSet: (set) => evaluation.evaluate(set, setLanguage(set, trainedOn)),
  });
  const stopTraining = trainingSection(training, {
    ...common,
    onTrained: (source) => {
      trainedOn = source;
      explorer.enable("trained");
    },
  });
  explorer.ready.then(() => {
    leftOut();
    pictures.refresh();
  });
  context.offerNotebook(() => {
    const counted = corpusCounts.counted();
    return {
      fn: "embeddings_notebook",
      args: {
        set: state.set, words: wordList(state.q), a: state.a, b: state.b, c: state.c, projection_args: pictures.drawn(),
        weighting: state.weight, include_the: state.the, corpus_counts: counted,
      },
      assets: [...setAssets(state.set), ...(counted ? [corpusAsset(counted.count_source)] : [])],
    };
  });

  const panelCode = codePanel(code, { engine, testid: "emb-code" });
  const codeChoice = select({ spec: CODE, label: t("emb.code.show"), value: CODE.values[0], onChange: (name) => panelCode.show(name) });
  code.insertBefore(codeChoice.element, panelCode.element);
  engine.ready().then(() => panelCode.show(CODE.values[0]), () => {});

  return () => stopTraining();
}
