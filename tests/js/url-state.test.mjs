// Unit tests of the shareable-link schema (node --test).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseState, formatState, splitHash, parseValue, clampToBounds } from "../../web/js/url-state.js";

const schema = {
  seed: { type: "int", default: 1, min: 0, max: 1000 },
  lr: { type: "float", default: 0.03, min: 1e-5, max: 10 },
  act: { type: "enum", default: "tanh", values: ["tanh", "relu"] },
  expr: { type: "string", default: "x*y", maxLength: 20 },
  train: { type: "bool", default: false },
};

test("a link round-trips through format and parse", () => {
  const values = { seed: 7, lr: 0.5, act: "relu", expr: "max(x, y) + 1", train: true };
  const { values: back, rejected } = parseState(formatState(values, schema), schema);
  assert.deepEqual(back, values);
  assert.deepEqual(rejected, []);
});

test("defaults are left out of the link", () => {
  assert.equal(formatState({ seed: 1, lr: 0.03, act: "tanh", expr: "x*y", train: false }, schema), "");
});

test("bad values fall back to defaults and are reported; unknown keys are ignored", () => {
  const { values, rejected } = parseState(
    "seed=-3&lr=abc&act=<script>&expr=" + "x".repeat(21) + "&train=maybe&other=1",
    schema,
  );
  assert.deepEqual(values, { seed: 1, lr: 0.03, act: "tanh", expr: "x*y", train: false });
  assert.deepEqual(rejected.sort(), ["act", "expr", "lr", "seed", "train"]);
});

test("numbers must be whole strings within bounds", () => {
  assert.deepEqual(parseState("seed=12abc", schema).rejected, ["seed"]);
  assert.deepEqual(parseState("seed=1001", schema).rejected, ["seed"]);
  assert.equal(parseState("lr=1e-3", schema).values.lr, 0.001);
  assert.deepEqual(parseState("lr=Infinity", schema).rejected, ["lr"]);
});

test("an oversized query is refused whole", () => {
  const { values, rejected } = parseState("seed=2&pad=" + "a".repeat(9000), schema);
  assert.equal(values.seed, 1);
  assert.deepEqual(rejected, ["*"]);
});

test("the page and its query are split from the hash", () => {
  assert.deepEqual(splitHash("#/backprop?x=1&y=2"), { page: "backprop", query: "x=1&y=2" });
  assert.deepEqual(splitHash("#/"), { page: "", query: "" });
  assert.deepEqual(splitHash(""), { page: "", query: "" });
  assert.deepEqual(splitHash("#/cnn/"), { page: "cnn", query: "" });
});

test("a number with a step is accepted only on that step, counted from its minimum", () => {
  const val = { type: "float", default: 0.3, min: 0.1, max: 0.5, step: 0.05 };
  const n = { type: "int", default: 200, min: 20, max: 1000, step: 10 };
  // (0.35 − 0.1) / 0.05 is 4.999… in floating point: the check allows for the rounding
  assert.equal(parseValue("0.35", val), 0.35);
  assert.equal(parseValue("0.5", val), 0.5);
  assert.equal(parseValue("0.33", val), undefined);
  assert.equal(parseValue("30", n), 30);
  assert.equal(parseValue("25", n), undefined);
  assert.equal(parseValue("1010", n), undefined);
});

test("keys the schema does not own are ignored, inherited ones too", () => {
  const { values, rejected } = parseState(
    "__proto__=1&constructor=1&valueOf=1&toString=1&hasOwnProperty=x&seed=3",
    schema,
  );
  assert.deepEqual(values, { seed: 3, lr: 0.03, act: "tanh", expr: "x*y", train: false });
  assert.deepEqual(rejected, []);
});

test("a key given twice is refused, and its default is the value in use", () => {
  for (const query of ["seed=5&seed=abc", "seed=abc&seed=5", "seed=5&seed=6"]) {
    const { values, rejected } = parseState(query, schema);
    assert.equal(values.seed, 1, query);
    assert.deepEqual(rejected, ["seed"], query);
  }
});

test("a string's accepts() check refuses what its pattern lets through", () => {
  const spec = {
    type: "string",
    default: "x:1",
    pattern: /^x:[\d.e+-]+$/,
    accepts: (raw) => Number.isFinite(Number(raw.slice(2))),
  };
  assert.equal(parseValue("x:1e3", spec), "x:1e3");
  assert.equal(parseValue("x:1e999", spec), undefined);
});

test("a clamp entry's number beyond its bounds becomes the nearest bound, and is reported", () => {
  const clamping = {
    t: { type: "float", default: 1, min: 0, max: 2, clamp: true },
    k: { type: "int", default: 0, min: 0, max: 9, clamp: true },
  };
  const { values, rejected, clamped } = parseState("t=-1.5&k=1e3", clamping);
  assert.deepEqual(values, { t: 0, k: 9 });
  assert.deepEqual(rejected, []);
  assert.deepEqual(clamped, [
    { key: "t", from: -1.5, to: 0 },
    { key: "k", from: 1000, to: 9 },
  ]);
  // what is not a number, a number within the bounds the spec refuses, and a key given twice stay refused
  assert.deepEqual(parseState("t=hot&k=4.5", clamping).rejected, ["t", "k"]);
  const twice = parseState("t=7&t=1", clamping);
  assert.deepEqual([twice.values.t, twice.rejected, twice.clamped], [1, ["t"], []]);
  // an entry without clamp refuses what is out of bounds, as before
  assert.deepEqual(parseState("seed=1001", schema).clamped, []);
  assert.equal(clampToBounds(5, schema.seed), undefined);
  assert.equal(clampToBounds(Infinity, clamping.t), undefined);
  assert.equal(clampToBounds(1.5, clamping.t), undefined);
});

test("a renamed key reads its old names (aliases) and writes only its own", () => {
  const renamed = { ...schema, sentence: { type: "string", default: "", maxLength: 20, aliases: ["s"] } };
  assert.deepEqual(parseState("s=hola&seed=3", renamed).values.sentence, "hola");
  assert.deepEqual(parseState("sentence=hola", renamed).values.sentence, "hola");
  assert.equal(formatState(parseState("s=hola", renamed).values, renamed), "sentence=hola");
  assert.deepEqual(parseState("s=" + "x".repeat(21), renamed).rejected, ["sentence"]); // the alias's value is checked
});

test("a key added after links were shared reads its `absent` value from those links, and is always written", () => {
  const added = {
    ...schema,
    level: { type: "enum", default: "word", values: ["word", "char"], absent: "char" },
  };
  assert.equal(parseState("", added).values.level, "word"); // a new visit: the default
  assert.equal(parseState("seed=3", added).values.level, "char"); // an older link: what it meant
  assert.equal(parseState("seed=3&level=word", added).values.level, "word");
  assert.deepEqual(parseState("level=verse", added).rejected, ["level"]);
  assert.equal(parseState("level=verse", added).values.level, "word");
  assert.equal(formatState(parseState("", added).values, added), "level=word"); // so a link never lacks it
  assert.equal(
    formatState({ ...parseState("", added).values, level: "char", seed: 3 }, added),
    "seed=3&level=char",
  );
});

test("a key given under its name and an old name is given twice: refused", () => {
  const renamed = { ...schema, sentence: { type: "string", default: "", maxLength: 20, aliases: ["s"] } };
  for (const query of ["s=a&sentence=b", "sentence=b&s=a"]) {
    const { values, rejected } = parseState(query, renamed);
    assert.equal(values.sentence, "", query);
    assert.deepEqual(rejected, ["sentence"], query);
  }
});
