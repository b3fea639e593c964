// The language-models page's pure pieces: clamping a link's temperature and top-k, the engine
// arguments built from the state, and the pasted text's size in bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SCHEMA, clampQuery, clampValue, generateArgs, trainArgs, utf8Bytes, MAX_PASTED_BYTES } from "../../web/js/pages/lm/state.js";
import { parseState } from "../../web/js/url-state.js";

test("an out-of-range temperature or top-k in a link is clamped to its bound, and reported", () => {
  const { query, clamped } = clampQuery("temp=7&topk=-3&model=gru");
  assert.deepEqual(clamped, [{ key: "temp", from: 7, to: 2 }, { key: "topk", from: -3, to: 0 }]);
  const { values, rejected } = parseState(query, SCHEMA);
  assert.deepEqual(rejected, []);
  assert.equal(values.temp, 2);
  assert.equal(values.topk, 0);
  assert.equal(values.model, "gru");
});

test("values within range, and words, are left to the schema", () => {
  assert.deepEqual(clampQuery("temp=0.5&topk=12"), { query: "temp=0.5&topk=12", clamped: [] });
  const { query, clamped } = clampQuery("temp=hot");
  assert.deepEqual(clamped, []);
  assert.deepEqual(parseState(query, SCHEMA).rejected, ["temp"]);
  assert.equal(clampValue("topk", 7.6), 8);
});

test("the state becomes the engine's arguments", () => {
  const state = parseState("model=rnn&corpus=es&prompt=Hola&temp=0.3&topk=5&len=50&seed=9&cell=gru&src=text&bptt=16&clip=0", SCHEMA).values;
  assert.deepEqual(generateArgs(state), { language: "es", cell: "rnn", order: 5, prompt: "Hola", temperature: 0.3, top_k: 5, length: 50, seed: 9 });
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
