// The language-models page's pure pieces: a link's temperature and top-k clamped to their bounds
// (SCHEMA's `clamp`), the engine arguments built from the state, and the pasted text's size in bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  SCHEMA,
  EXPLODING,
  MAX_PASTED_BYTES,
  generateArgs,
  sparsityArgs,
  trainArgs,
  utf8Bytes,
} from "../../web/js/pages/lm/state.js";
import { parseState, formatState } from "../../web/js/url-state.js";

test("an out-of-range temperature or top-k in a link is clamped to its bound, and reported", () => {
  const { values, rejected, clamped } = parseState("temp=7&topk=-3&model=gru", SCHEMA);
  assert.deepEqual(clamped, [
    { key: "temp", from: 7, to: 2 },
    { key: "topk", from: -3, to: 0 },
  ]);
  assert.deepEqual(rejected, []);
  assert.equal(values.temp, 2);
  assert.equal(values.topk, 0);
  assert.equal(values.model, "gru");
  assert.deepEqual([SCHEMA.temp.label, SCHEMA.topk.label], ["lm.side.temperature", "lm.side.topk"]);
});

test("values within range are kept, and words are refused", () => {
  assert.deepEqual(parseState("level=word&temp=0.5&topk=12", SCHEMA), {
    values: { ...parseState("", SCHEMA).values, temp: 0.5, topk: 12 },
    rejected: [],
    clamped: [],
  });
  const { values, rejected, clamped } = parseState("temp=hot&topk=7.5", SCHEMA);
  assert.deepEqual(clamped, []);
  assert.deepEqual(rejected, ["temp", "topk"]);
  assert.equal(values.temp, SCHEMA.temp.default);
});

test("the sparsity question's n-gram order follows its context, and waits for a corpus and a word", () => {
  const state = parseState("", SCHEMA).values;
  assert.deepEqual(sparsityArgs(state), {
    corpus_text: state.sparse,
    context: "want four",
    word: "beers",
    order: 3,
  });
  assert.equal(sparsityArgs({ ...state, ctx: "" }).order, 2);
  assert.equal(sparsityArgs({ ...state, ctx: "a b c d e f" }).order, 5);
  assert.equal(sparsityArgs({ ...state, word: "  " }), null);
  assert.equal(sparsityArgs({ ...state, sparse: "" }), null);
});

test("the state becomes the engine's arguments, at the level in use", () => {
  const query =
    "level=char&model=rnn&corpus=es&prompt=Hola&temp=0.3&topk=5&len=50&seed=9&cell=gru&src=text&bptt=16&clip=0&opt=sgd";
  const state = parseState(query, SCHEMA).values;
  assert.deepEqual(generateArgs(state), {
    level: "char",
    language: "es",
    cell: "rnn",
    order: 5,
    prompt: "Hola",
    temperature: 0.3,
    top_k: 5,
    length: 50,
    seed: 9,
  });
  // the same prompt, temperature, top-k and seed at word level, with the word level's model, order and length
  assert.deepEqual(generateArgs({ ...state, level: "word", wmodel: "gru", worder: 2, words: 25 }), {
    level: "word",
    language: "es",
    cell: "gru",
    order: 2,
    prompt: "Hola",
    temperature: 0.3,
    top_k: 5,
    length: 25,
    seed: 9,
  });
  const train = trainArgs(state, "abc");
  assert.equal(train.cell, "gru");
  assert.equal(train.source, "text");
  assert.equal(train.clip, false);
  assert.equal(train.bptt, 16);
  assert.equal(train.optimizer, "sgd");
});

test("the page opens at word level; a link from before the level switch opens at character level", () => {
  const fresh = parseState("", SCHEMA).values;
  assert.equal(fresh.level, "word");
  assert.deepEqual(
    [fresh.wmodel, fresh.model, fresh.order, fresh.words, fresh.len],
    ["lstm", "gru", 5, 50, 200],
  );
  assert.equal(formatState(fresh, SCHEMA), "level=word"); // every new link names its level
  const old = parseState("len=50&seed=3&model=gru&order=3&prompt=ROMEO%3A%0A&temp=0.9&topk=12", SCHEMA);
  assert.deepEqual(old.rejected, []);
  assert.deepEqual(generateArgs(old.values), {
    level: "char",
    language: "en",
    cell: "gru",
    order: 3,
    prompt: "ROMEO:\n",
    temperature: 0.9,
    top_k: 12,
    length: 50,
    seed: 3,
  });
  assert.equal(parseState("len=50&level=word", SCHEMA).values.level, "word");
});

test("the word level's choices and bounds are the character level's, which Python checks", () => {
  for (const [word, char] of [
    ["wmodel", "model"],
    ["worder", "order"],
    ["words", "len"],
  ]) {
    for (const field of ["type", "values", "min", "max"])
      assert.deepEqual(SCHEMA[word][field], SCHEMA[char][field], word);
  }
  assert.equal(SCHEMA.pick.max, SCHEMA.len.max); // any token of the longest text
});

test("the exploding preset is a state the link accepts, with clipping off", () => {
  const state = { ...parseState("", SCHEMA).values, ...EXPLODING };
  const query = formatState(state, SCHEMA);
  assert.deepEqual(parseState(query, SCHEMA), { values: state, rejected: [], clamped: [] });
  for (const key of ["lr", "bptt", "hidden", "batch"])
    assert.ok(SCHEMA[key].presets.includes(EXPLODING[key]), key);
  assert.equal(trainArgs(state).clip, false);
});

test("the bigram view and the picked token round-trip through the link", () => {
  const { values, rejected } = parseState("view=probabilities&pick=7", SCHEMA);
  assert.deepEqual(rejected, []);
  assert.deepEqual([values.view, values.pick], ["probabilities", 7]);
  assert.match(formatState(values, SCHEMA), /view=probabilities.*pick=7/);
  assert.deepEqual(parseState("view=table&pick=401", SCHEMA).rejected, ["view", "pick"]);
});

test("pasted text is measured in UTF-8 bytes, as Python measures it", () => {
  assert.equal(utf8Bytes("ñ"), 2);
  assert.equal(utf8Bytes("a".repeat(MAX_PASTED_BYTES)), 200 * 1024);
});
