// The language-models page's whole state in the address (see url-state.js): the counting corpus
// and its view, the side-by-side generation (level, model, order, corpus, prompt, temperature,
// top-k, length, seed, the token picked) and the live-training settings. The page's controls are
// built from these entries (ui/controls.js). Python checks the same bounds (pysrc/pizarra/lm/settings.py; tests/test_schemas.py compares).
// No DOM here: Node imports this module too.

export const COURSE_CORPUS = "I am Sam\nSam I am\nI do not like green eggs and ham";
export const BEERS_CORPUS = "I want two beers\nI want three beers";
export const MAX_PASTED_BYTES = 200 * 1024;

export const SCHEMA = {
  // counting: the editable corpus (one sentence per line) and the sparsity question
  text: { type: "string", default: COURSE_CORPUS, maxLength: 2000 },
  view: { type: "enum", default: "counts", values: ["counts", "probabilities"] },
  sparse: { type: "string", default: BEERS_CORPUS, maxLength: 2000 },
  ctx: { type: "string", default: "want four", maxLength: 100 },
  word: { type: "string", default: "beers", maxLength: 40 },
  // side by side: the level of both models, word or character (links from before the switch were
  // all at character level); the same prompt, temperature, top-k and seed at both levels, and at
  // each level its own recurrent network, n-gram order and length, by default the better model of
  // each kind (lm_results.json's tables: tests/test_schemas.py checks the word level's)
  level: { type: "enum", default: "word", values: ["word", "char"], absent: "char" },
  wmodel: { type: "enum", default: "lstm", values: ["rnn", "lstm", "gru"] },
  worder: { type: "int", default: 5, min: 1, max: 5, presets: [1, 2, 3, 4, 5] },
  words: { type: "int", default: 50, min: 1, max: 400, presets: [25, 50, 100, 200] },
  model: { type: "enum", default: "gru", values: ["rnn", "lstm", "gru"] },
  order: { type: "int", default: 5, min: 1, max: 5, presets: [1, 2, 3, 4, 5] },
  len: { type: "int", default: 200, min: 1, max: 400, presets: [50, 100, 200, 400] },
  corpus: { type: "enum", default: "en", values: ["en", "es"] },
  prompt: { type: "string", default: "", maxLength: 200 },
  // beyond their bounds (in a link or a field), temperature and top-k become the nearest bound
  temp: { type: "float", default: 0.8, min: 0, max: 2, clamp: true, label: "lm.side.temperature" },
  topk: { type: "int", default: 0, min: 0, max: 100, clamp: true, label: "lm.side.topk" },
  seed: { type: "int", default: 0, min: 0, max: 2 ** 31 - 1 },
  // the generated token whose two next-token distributions are open: its step, from 1 (0: none)
  pick: { type: "int", default: 0, min: 0, max: 400 },
  // inside the recurrent model: what is drawn (h, or the LSTM's c and gates, or the GRU's gates;
  // INSIDE says which the model has: another one falls back to h)
  show: { type: "enum", default: "h", values: ["h", "c", "r", "f", "i", "g", "o", "z", "n"] },
  // live training
  cell: { type: "enum", default: "lstm", values: ["rnn", "lstm", "gru"] },
  src: { type: "enum", default: "en", values: ["en", "es", "text"] },
  hidden: { type: "int", default: 64, min: 8, max: 256, presets: [16, 32, 64, 128, 256] },
  bptt: { type: "int", default: 32, min: 4, max: 128, presets: [8, 16, 32, 64, 128] },
  clip: { type: "bool", default: true },
  opt: { type: "enum", default: "adam", values: ["adam", "sgd"] },
  lr: { type: "float", default: 0.003, min: 0.0001, max: 5, presets: [0.001, 0.003, 0.01, 0.03, 0.3, 3] },
  batch: { type: "int", default: 16, min: 1, max: 64, presets: [4, 8, 16, 32, 64] },
  every: { type: "int", default: 50, min: 10, max: 500, presets: [25, 50, 100, 200] },
};

/**
 * Live training's preset where gradients explode (pizarra.lm.settings.EXPLODING, which
 * tests/test_schemas.py compares): a plain RNN, plain SGD with a large step, BPTT over 32
 * characters; clipping off, so the first run shows the explosion and a clipped run can follow.
 */
export const EXPLODING = { cell: "rnn", opt: "sgd", lr: 3, bptt: 32, hidden: 64, batch: 16, clip: false };

/** What each recurrent cell has inside to show. */
export const INSIDE = { rnn: ["h"], lstm: ["h", "c", "f", "i", "g", "o"], gru: ["h", "r", "z", "n"] };

/**
 * The sparsity question as the arguments of lm_sparsity: the n-gram's order follows the context's
 * length (2 to 5). Null until the corpus and the word are written.
 */
export function sparsityArgs(state) {
  if (!state.sparse.trim() || !state.word.trim()) return null;
  const order = Math.min(5, Math.max(2, state.ctx.trim().split(/\s+/).filter(Boolean).length + 1));
  return { corpus_text: state.sparse, context: state.ctx, word: state.word.trim(), order };
}

/** The side-by-side settings of the level in use as the arguments of lm_generate. */
export function generateArgs(state) {
  const word = state.level === "word";
  return {
    level: state.level,
    language: state.corpus,
    cell: word ? state.wmodel : state.model,
    order: word ? state.worder : state.order,
    prompt: state.prompt,
    temperature: state.temp,
    top_k: state.topk,
    length: word ? state.words : state.len,
    seed: state.seed,
  };
}

/** The live-training settings as the arguments of lm_train_start. */
export function trainArgs(state, text = "") {
  return {
    cell: state.cell,
    source: state.src,
    text,
    hidden_size: state.hidden,
    bptt: state.bptt,
    clip: state.clip,
    optimizer: state.opt,
    lr: state.lr,
    batch_size: state.batch,
    seed: state.seed,
  };
}

/**
 * Every field Python checks (pizarra.lm.settings), for tests/test_schemas.py: the side by side's
 * at character level (the word level's keys have the same bounds: tests/js/lm.test.mjs).
 */
export function settingsConfig(state) {
  return { ...generateArgs(state), ...trainArgs(state) };
}

/** The UTF-8 size of a text in bytes (the pasted-text limit counts bytes, as Python does). */
export function utf8Bytes(text) {
  return new TextEncoder().encode(text).length;
}
