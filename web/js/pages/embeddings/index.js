// Embeddings: from counts to word2vec. The course's count table and the same pipeline on a corpus,
// a vector set explored (neighbours, analogies, a 2-D picture), word2vec trained live, and every set
// evaluated side by side. This module lays the sections out and wires them together; each section
// is a module of its own. The whole state lives in the address (state.js).
// Engine functions: pysrc/pizarra/demos/embeddings.py.
import { h } from "../../dom.js";
import { msg } from "../../i18n.js";
import { SCHEMA, LIVE_SETS, setLanguage, wordList } from "./state.js";
import { pageData, setAssets, corpusAsset } from "./data.js";
import { countTableSection } from "./count-table.js";
import { corpusCountsSection } from "./corpus-counts.js";
import { vectorSetsSection } from "./vector-sets.js";
import { neighboursSection } from "./neighbours.js";
import { analogiesSection } from "./analogies.js";
import { projectionSection } from "./projection.js";
import { trainingSection } from "./training.js";
import { evaluationSection } from "./evaluation.js";
import { codeSection } from "./code.js";
import { aboutSection } from "./about.js";

const PANELS = ["count", "explore", "projection", "train", "eval", "code"]; // in the page's order

/** A section of the page: its heading and its lead (the messages embeddings.<id>.heading and .lead). */
function panel(id) {
  return h(
    "section",
    { class: "panel", "aria-labelledby": `embeddings-${id}-h` },
    h("h2", { id: `embeddings-${id}-h`, text: msg(`embeddings.${id}.heading`) }),
    h("p", { class: "section-lead", text: msg(`embeddings.${id}.lead`) }),
  );
}

export function mount(root, context) {
  const { engine, notify, operation } = context;
  const state = context.readState(SCHEMA);
  const save = (setting = {}) => {
    Object.assign(state, setting);
    context.writeState(state, SCHEMA);
  };
  save(); // the address keeps only the values that were read (a bad one is dropped, with a notice)
  const page = context.whileMounted(pageData());
  const common = { state, save, engine, operation, notify, page };
  const panels = Object.fromEntries(PANELS.map((id) => [id, panel(id)]));
  root.append(
    h(
      "header",
      { class: "page-intro" },
      h("h1", { text: msg("embeddings.title") }),
      h("p", { class: "lead", text: msg("embeddings.lead") }),
    ),
    ...PANELS.map((id) => panels[id]),
    aboutSection(),
  );

  countTableSection(panels.count, common);
  const corpusCounts = corpusCountsSection(panels.count, common);
  const evaluation = evaluationSection(panels.eval, common);
  let trainedOn = "en"; // the corpus of the set "trained": its language picks the benchmarks
  const sets = vectorSetsSection(panels.explore, {
    ...common,
    onChange: showSet,
    onNewSet: (set) => evaluation.evaluate(set, setLanguage(set, trainedOn)),
  });
  const neighbours = neighboursSection(panels.explore, common);
  const analogies = analogiesSection(panels.explore, common);
  const pictures = projectionSection(panels.projection, common);
  const stopTraining = trainingSection(panels.train, {
    ...common,
    onTrained: (source) => {
      trainedOn = source;
      sets.add("trained");
    },
  });
  codeSection(panels.code, common);

  /** Every view of the set chosen; a set trained or loaded here does not travel with the link. */
  function showSet() {
    context.linkLeavesOut(LIVE_SETS.includes(state.set) ? msg(`embeddings.link.leftout.${state.set}`) : null);
    neighbours.ask();
    analogies.ask();
    pictures.refresh();
  }
  sets.ready.then(showSet);

  context.offerNotebook(() => {
    const counted = corpusCounts.counted();
    return {
      fn: "embeddings_notebook",
      args: {
        set: state.set,
        words: wordList(state.q),
        a: state.a,
        b: state.b,
        c: state.c,
        projection_args: pictures.drawn(),
        weighting: state.weight,
        include_the: state.the,
        corpus_counts: counted,
      },
      assets: [...setAssets(state.set), ...(counted ? [corpusAsset(counted.count_source)] : [])],
    };
  });
  // Every word above is a live message and every number is redrawn by its own piece: a new language
  // changes them in place, and nothing is computed again.
  context.onLanguageChange(() => {});
  return stopTraining;
}
