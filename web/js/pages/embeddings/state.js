// The Embeddings page's whole state in the address (see url-state.js): the vector set and the
// queries on it (neighbours, analogy, projection), the counting settings, and the live training
// settings with their seed. The page's controls are built from these entries (ui/controls.js).
// No DOM here: Node imports this module too.

/** The committed vector sets (data/embeddings_<id>.npz), then the two that live only in this browser. */
export const COMMITTED_SETS = ["glove_en", "sgns_en", "cbow_en", "ppmi_en", "sgns_es", "cbow_es", "ppmi_es"];
export const LIVE_SETS = ["trained", "mine"];
const WORD_LIST = /^[\p{L}\p{N}' ,-]*$/u; // words, commas and spaces: nothing else reaches the page

export const SCHEMA = {
  // explore
  set: { type: "enum", default: "glove_en", values: [...COMMITTED_SETS, ...LIVE_SETS] },
  q: { type: "string", default: "king, france, computer", maxLength: 300, pattern: WORD_LIST },
  a: { type: "string", default: "man", maxLength: 40, pattern: WORD_LIST },
  b: { type: "string", default: "woman", maxLength: 40, pattern: WORD_LIST },
  c: { type: "string", default: "king", maxLength: 40, pattern: WORD_LIST },
  around: { type: "string", default: "paris", maxLength: 40, pattern: WORD_LIST },
  proj: { type: "string", default: "", maxLength: 600, pattern: WORD_LIST },
  method: { type: "enum", default: "pca", values: ["pca", "tsne"] },
  // counting: the course's table, then a corpus
  weight: { type: "enum", default: "raw", values: ["raw", "tfidf", "ppmi"] },
  the: { type: "bool", default: true },
  csrc: { type: "enum", default: "en", values: ["en", "es"] },
  cwin: { type: "int", default: 4, min: 1, max: 10 },
  cweight: { type: "enum", default: "ppmi", values: ["raw", "tfidf", "ppmi"] },
  cdim: { type: "int", default: 50, min: 2, max: 300, presets: [2, 10, 50, 100, 300] },
  // live training
  src: { type: "enum", default: "en", values: ["en", "es", "text"] },
  model: { type: "enum", default: "sgns", values: ["sgns", "cbow"] },
  dim: { type: "int", default: 50, min: 2, max: 300, presets: [10, 25, 50, 100, 300] },
  win: { type: "int", default: 5, min: 1, max: 10 },
  neg: { type: "int", default: 5, min: 1, max: 20 },
  alpha: { type: "float", default: 0.75, min: 0, max: 1, step: 0.05 },
  t: { type: "float", default: 0.001, min: 0, max: 0.01, presets: [0, 0.00001, 0.0001, 0.001, 0.01] },
  lr: { type: "float", default: 0.025, min: 0.0001, max: 0.2, presets: [0.005, 0.01, 0.025, 0.05, 0.1] },
  ep: { type: "int", default: 3, min: 1, max: 20 },
  seed: { type: "int", default: 0, min: 0, max: 2 ** 31 - 1 },
  minc: { type: "int", default: 3, min: 1, max: 50 },
  watch: { type: "string", default: "war, congress, freedom", maxLength: 200, pattern: WORD_LIST },
};

/** The words of a comma-separated list (spaces around them dropped, empty ones skipped). */
export function wordList(text) {
  return text
    .split(",")
    .map((word) => word.trim())
    .filter(Boolean);
}

/** The training settings as the arguments of embeddings_train_start. */
export function trainConfig(state) {
  return {
    source: state.src,
    model: state.model,
    dim: state.dim,
    window: state.win,
    negatives: state.neg,
    alpha: state.alpha,
    sample: state.t,
    lr: state.lr,
    epochs: state.ep,
    seed: state.seed,
    min_count: state.minc,
  };
}

/** The corpus counting settings as the arguments of embeddings_corpus_counts. */
export function countConfig(state) {
  return {
    count_source: state.csrc,
    count_window: state.cwin,
    count_weighting: state.cweight,
    count_dim: state.cdim,
  };
}

/** The language of a vector set ("en" or "es"; sets trained or loaded here: of their corpus, else English). */
export function setLanguage(set, trainedOn = "en") {
  if (set === "trained") return trainedOn === "es" ? "es" : "en";
  return set.endsWith("_es") ? "es" : "en";
}

/** Every setting Python checks (pizarra.embeddings.settings), by its field name there. */
export function liveConfig(state) {
  return { ...trainConfig(state), ...countConfig(state) };
}
