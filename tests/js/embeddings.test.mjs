// The Embeddings page's pure pieces: word lists from a text box or a link, and the link's settings
// as the arguments of the engine calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  SCHEMA,
  wordList,
  trainConfig,
  countConfig,
  setLanguage,
} from "../../web/js/pages/embeddings/state.js";
import { parseState } from "../../web/js/url-state.js";

test("a word list splits on commas and drops blanks", () => {
  assert.deepEqual(wordList(" king, France ,,computer , "), ["king", "France", "computer"]);
  assert.deepEqual(wordList(""), []);
});

test("links carry words, not markup", () => {
  const { values, rejected } = parseState("q=<b>x</b>&a=niño&b=l'eau&c=año-nuevo", SCHEMA);
  assert.deepEqual(rejected, ["q"]);
  assert.equal(values.q, SCHEMA.q.default);
  assert.deepEqual([values.a, values.b, values.c], ["niño", "l'eau", "año-nuevo"]);
});

test("the link's settings become the engine's arguments", () => {
  const { values } = parseState(
    "src=es&model=cbow&dim=25&win=3&neg=10&alpha=0.5&t=0.0001&lr=0.05&ep=2&seed=7&minc=4&cweight=tfidf&cwin=2",
    SCHEMA,
  );
  assert.deepEqual(trainConfig(values), {
    source: "es",
    model: "cbow",
    dim: 25,
    window: 3,
    negatives: 10,
    alpha: 0.5,
    sample: 0.0001,
    lr: 0.05,
    epochs: 2,
    seed: 7,
    min_count: 4,
  });
  assert.deepEqual(countConfig(values), {
    count_source: "en",
    count_window: 2,
    count_weighting: "tfidf",
    count_dim: 50,
  });
});

test("a set's language", () => {
  assert.equal(setLanguage("sgns_es"), "es");
  assert.equal(setLanguage("glove_en"), "en");
  assert.equal(setLanguage("trained", "es"), "es");
  assert.equal(setLanguage("mine"), "en");
});
