// The Embeddings page's whole state in the address (see url-state.js): the vector set and the
// queries on it (neighbours, analogy, projection), the counting settings, and the live training
// settings with their seed. The page's controls are built from these entries (ui/controls.js).
// No DOM here: Node imports this module too.

/** The committed vector sets (data/embeddings_<id>.npz), then the two that live only in this browser. */
export const COMMITTED_SETS = [
  "glove_en",
  "sgns_en",
  "cbow_en",
  "ppmi_en",
  "glove_es",
  "sgns_es",
  "cbow_es",
  "ppmi_es",
];
export const LIVE_SETS = ["trained", "mine"];
/** The set a page in each language opens on (the best Spanish set by the model cards' measurements). */
export const DEFAULT_SET = { en: "glove_en", es: "glove_es" };
/** Each language's example queries: neighbours (q), analogy (a : b :: c), a neighbourhood to draw. */
export const EXAMPLES = {
  en: { q: "king, france, computer", a: "man", b: "woman", c: "king", around: "paris", proj: "" },
  es: { q: "rey, madrid, comer", a: "hombre", b: "mujer", c: "rey", around: "madrid", proj: "" },
};
/** Frequent words of each corpus slice (embeddings_corpus_<language>.txt): what a count or a training run looks at. */
export const CORPUS_WORDS = { en: "war, congress, freedom", es: "guerra, congreso, libertad" };
/** What depends on the page's language when a link does not say: the set, its examples, the corpora, the watched words. */
export const LANGUAGE_DEFAULTS = {
  en: { set: DEFAULT_SET.en, ...EXAMPLES.en, csrc: "en", src: "en", watch: CORPUS_WORDS.en },
  es: { set: DEFAULT_SET.es, ...EXAMPLES.es, csrc: "es", src: "es", watch: CORPUS_WORDS.es },
};
const WORD_LIST = /^[\p{L}\p{N}' ,-]*$/u; // words, commas and spaces: nothing else reaches the page

export const SCHEMA = {
  // explore
  set: { type: "enum", default: DEFAULT_SET.en, values: [...COMMITTED_SETS, ...LIVE_SETS] },
  q: { type: "string", default: EXAMPLES.en.q, maxLength: 300, pattern: WORD_LIST },
  a: { type: "string", default: EXAMPLES.en.a, maxLength: 40, pattern: WORD_LIST },
  b: { type: "string", default: EXAMPLES.en.b, maxLength: 40, pattern: WORD_LIST },
  c: { type: "string", default: EXAMPLES.en.c, maxLength: 40, pattern: WORD_LIST },
  around: { type: "string", default: EXAMPLES.en.around, maxLength: 40, pattern: WORD_LIST },
  proj: { type: "string", default: EXAMPLES.en.proj, maxLength: 600, pattern: WORD_LIST },
  method: { type: "enum", default: "pca", values: ["pca", "tsne"] },
  // counting: the course's table, then a corpus
  weight: { type: "enum", default: "raw", values: ["raw", "tfidf", "ppmi"] },
  the: { type: "bool", default: true },
  csrc: { type: "enum", default: LANGUAGE_DEFAULTS.en.csrc, values: ["en", "es"] },
  cwin: { type: "int", default: 4, min: 1, max: 10 },
  cweight: { type: "enum", default: "ppmi", values: ["raw", "tfidf", "ppmi"] },
  cdim: { type: "int", default: 50, min: 2, max: 300, presets: [2, 10, 50, 100, 300] },
  counted: { type: "bool", default: false }, // the corpus was counted with these settings: a link counts it again
  // live training
  src: { type: "enum", default: LANGUAGE_DEFAULTS.en.src, values: ["en", "es", "text"] },
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
  watch: { type: "string", default: LANGUAGE_DEFAULTS.en.watch, maxLength: 200, pattern: WORD_LIST },
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

/** Whether a state chose nothing that depends on the language (all of it as the English defaults). */
export function languageUntouched(state) {
  return Object.keys(LANGUAGE_DEFAULTS.en).every((key) => state[key] === SCHEMA[key].default);
}

/**
 * The example queries of a set in `language` ({q, a, b, c, around, proj}); the vectors trained here
 * bring the watched words of their training (the training panel's list, so both panels show the
 * same words' neighbours).
 */
export function examplesFor(set, language, watch = "") {
  return set === "trained" && wordList(watch).length
    ? { ...EXAMPLES[language], q: watch }
    : EXAMPLES[language];
}

/** Whether the queries in `state` are still `examples` (nobody typed others). */
export function showsExamples(state, examples) {
  return Object.keys(examples).every((key) => state[key] === examples[key]);
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
