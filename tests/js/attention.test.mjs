// The attention page's link (node --test): its keys have names that explain themselves, and links
// shared before, with the short keys s, v and m, still open and are written again with the new names;
// and its alignment maps: subword pieces merged back into words as Python merges them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseState, formatState } from "../../web/js/url-state.js";
import { SCHEMA, stepsConfig } from "../../web/js/pages/attention/state.js";
import {
  alignmentMap,
  crossAttention,
  joinPieces,
  mergeIntoWords,
  wordSpans,
} from "../../web/js/pages/attention/alignment.js";

const OLD_LINK = "s=Y+dijo+Dios%3A+Sea+la+luz.&v=dot&step=1&beam=3&m=El+%5BMASK%5D+de+la+ciudad+.&head=2";

test("an old link with s, v and m opens with the same sentence, variant and masked sentence", () => {
  const { values, rejected } = parseState(OLD_LINK, SCHEMA);
  assert.deepEqual(rejected, []);
  assert.equal(values.sentence, "Y dijo Dios: Sea la luz.");
  assert.equal(values.variant, "dot");
  assert.equal(values.masked, "El [MASK] de la ciudad .");
  assert.deepEqual([values.step, values.beam, values.head], [1, 3, 2]);
  assert.deepEqual(stepsConfig(values), { variant: "dot", beam: 3, alpha: 0.6, beta: 0 });
});

test("the link is written with the new names only", () => {
  const written = formatState(parseState(OLD_LINK, SCHEMA).values, SCHEMA);
  const keys = [...new URLSearchParams(written).keys()];
  assert.deepEqual(keys, ["sentence", "variant", "step", "beam", "masked", "head"]);
  assert.deepEqual(parseState(written, SCHEMA).values, parseState(OLD_LINK, SCHEMA).values);
});

test("no key is a single letter any more", () => {
  for (const key of Object.keys(SCHEMA)) assert.ok(key.length > 1, key);
});

test("the decoding options and the map's choices round-trip through the link", () => {
  const link = "variant=transformer&units=pieces&xlayer=0&xhead=2&beam=1&alpha=0&beta=0.35";
  const { values, rejected } = parseState(link, SCHEMA);
  assert.deepEqual(rejected, []);
  assert.deepEqual(stepsConfig(values), { variant: "transformer", beam: 1, alpha: 0, beta: 0.35 });
  assert.deepEqual([values.units, values.xlayer, values.xhead], ["pieces", 0, 2]);
  assert.equal(formatState(values, SCHEMA), link);
  assert.deepEqual(parseState("alpha=2.05&beta=0.33&xhead=4", SCHEMA).rejected, ["alpha", "beta", "xhead"]);
});

test("pieces are merged into words: rows averaged over a word's pieces, columns summed", () => {
  const source = ["▁él", "▁trabaj", "a", "▁."];
  const target = ["▁he", "▁work", "s", "▁."];
  assert.deepEqual(wordSpans(source), [
    [0, 1],
    [1, 3],
    [3, 4],
  ]);
  assert.deepEqual(joinPieces([...target, "</s>"]), ["he", "works", "."]);
  const weights = [
    // (4 output pieces + </s>) × 4 source pieces; each row sums to 1
    [0.7, 0.1, 0.1, 0.1],
    [0.1, 0.5, 0.3, 0.1],
    [0.1, 0.2, 0.6, 0.1],
    [0.0, 0.0, 0.2, 0.8],
    [0.1, 0.1, 0.0, 0.8],
  ];
  const words = mergeIntoWords(weights, wordSpans(target), wordSpans(source));
  const expected = [
    [0.7, 0.2, 0.1],
    [0.1, 0.8, 0.1],
    [0.0, 0.2, 0.8],
    [0.1, 0.1, 0.8],
  ];
  words.forEach((row, i) =>
    row.forEach((w, j) => assert.ok(Math.abs(w - expected[i][j]) < 1e-12, `${i},${j}`)),
  );
  words.forEach((row) => assert.ok(Math.abs(row.reduce((a, b) => a + b) - 1) < 1e-12));
});

test("the Transformer's map is one head of a layer, or the mean of its heads", () => {
  const heads = [
    [[[1, 0]], [[0, 1]]],
    [[[0.5, 0.5]], [[0.25, 0.75]]],
  ]; // 2 layers × 2 heads × 1 × 2
  assert.deepEqual(crossAttention(heads, 0, 1), [[0, 1]]);
  assert.deepEqual(crossAttention(heads, 1, -1), [[0.375, 0.625]]);
  const read = {
    words: ["sí", "."],
    pieces: ["▁sí", "▁."],
    spans: [
      [0, 1],
      [1, 2],
    ],
  };
  const out = {
    words: [],
    pieces: [],
    spans: [],
    weights: [[0.375, 0.625]],
    word_weights: [[0.4, 0.6]],
    heads,
  };
  // the last layer's mean is Python's own (word_weights); any other choice is merged here
  assert.deepEqual(alignmentMap(read, out, { units: "words", layer: 1, head: -1 }).matrix, [[0.4, 0.6]]);
  assert.deepEqual(alignmentMap(read, out, { units: "words", layer: 0, head: 0 }), {
    matrix: [[1, 0]],
    rows: ["</s>"],
    columns: ["sí", "."],
  });
  assert.deepEqual(alignmentMap(read, out, { units: "pieces", layer: 0, head: 1 }), {
    matrix: [[0, 1]],
    rows: ["</s>"],
    columns: ["▁sí", "▁."],
  });
  assert.equal(alignmentMap(read, { ...out, weights: null, heads: null }, { units: "words" }), null);
});
