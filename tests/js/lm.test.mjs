// The language-models page's pure pieces: a link's temperature and top-k clamped to their bounds
// (SCHEMA's `clamp`), the engine arguments built from the state, and the pasted text's size in bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  SCHEMA,
  MAX_PASTED_BYTES,
  generateArgs,
  sparsityArgs,
  trainArgs,
  utf8Bytes,
} from "../../web/js/pages/lm/state.js";
import { parseState } from "../../web/js/url-state.js";

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
  assert.deepEqual(parseState("temp=0.5&topk=12", SCHEMA), {
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

test("the state becomes the engine's arguments", () => {
  const state = parseState(
    "model=rnn&corpus=es&prompt=Hola&temp=0.3&topk=5&len=50&seed=9&cell=gru&src=text&bptt=16&clip=0",
    SCHEMA,
  ).values;
  assert.deepEqual(generateArgs(state), {
    language: "es",
    cell: "rnn",
    order: 5,
    prompt: "Hola",
    temperature: 0.3,
    top_k: 5,
    length: 50,
    seed: 9,
  });
  const train = trainArgs(state, "abc");
  assert.equal(train.cell, "gru");
  assert.equal(train.source, "text");
  assert.equal(train.clip, false);
  assert.equal(train.bptt, 16);
});

test("pasted text is measured in UTF-8 bytes, as Python measures it", () => {
  assert.equal(utf8Bytes("ñ"), 2);
  assert.equal(utf8Bytes("a".repeat(MAX_PASTED_BYTES)), 200 * 1024);
});
