// Every page's state.js (node --test): it loads without a DOM, importing only pure modules of its
// own folder, and its SCHEMA is coherent — each default, bound and preset is a value the link
// accepts, and a slider's step leads from its minimum to its maximum.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseState, formatState } from "../../web/js/url-state.js";

const PAGES = new URL("../../web/js/pages/", import.meta.url);
const pageIds = readdirSync(PAGES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** The modules a module imports, followed to the end: URLs. */
function importsOf(url, seen = new Set()) {
  for (const [, path] of readFileSync(fileURLToPath(url), "utf8").matchAll(
    /^import\s[^"']*["']([^"']+)["']/gm,
  )) {
    const next = new URL(path, url).href;
    if (!seen.has(next)) {
      seen.add(next);
      importsOf(new URL(next), seen);
    }
  }
  return seen;
}

/** The link's text for a value. */
const raw = (spec, value) => (spec.type === "bool" ? (value ? "1" : "0") : String(value));

/** A value the link accepts for `spec` that is not its default. */
function notDefault(spec) {
  if (spec.type === "bool") return !spec.default;
  if (spec.type === "enum") return spec.values.find((value) => value !== spec.default);
  if (spec.type === "string") return spec.default === "a" ? "b" : "a";
  return spec.min === spec.default ? spec.max : spec.min;
}

/** Whether the link accepts `value` for `key`. */
function accepts(schema, key, value) {
  const { values, rejected } = parseState(`${key}=${encodeURIComponent(raw(schema[key], value))}`, schema);
  return rejected.length === 0 && values[key] === value;
}

test("the pages with a folder are the backprop and cnn pages at least", () => {
  assert.ok(pageIds.includes("backprop") && pageIds.includes("cnn"), pageIds.join(", "));
});

for (const id of pageIds) {
  test(`${id}: state.js imports only pure modules of its own folder`, () => {
    const state = new URL(`${id}/state.js`, PAGES);
    const folder = new URL(`${id}/`, PAGES).href;
    for (const url of importsOf(state)) assert.ok(url.startsWith(folder), `${id}/state.js imports ${url}`);
  });

  test(`${id}: an old name of a key (aliases) names no other key and is read as that key`, async () => {
    const { SCHEMA } = await import(new URL(`${id}/state.js`, PAGES));
    const names = Object.entries(SCHEMA).flatMap(([key, spec]) => [key, ...(spec.aliases ?? [])]);
    assert.equal(new Set(names).size, names.length, `${id}: a name used twice`);
    for (const [key, spec] of Object.entries(SCHEMA)) {
      for (const alias of spec.aliases ?? []) {
        const value = notDefault(spec);
        const { values, rejected } = parseState(`${alias}=${encodeURIComponent(raw(spec, value))}`, SCHEMA);
        assert.ok(rejected.length === 0 && values[key] === value, `${id}.${key}: ${alias}`);
      }
    }
  });

  test(`${id}: every SCHEMA entry's default, bounds, presets and step are values the link accepts`, async () => {
    const { SCHEMA } = await import(new URL(`${id}/state.js`, PAGES));
    // at their defaults only the keys links lacked before (`absent`) are written
    const written = new URLSearchParams(
      Object.entries(SCHEMA)
        .filter(([, spec]) => "absent" in spec)
        .map(([key, spec]) => [key, spec.default]),
    );
    assert.equal(
      formatState(
        Object.fromEntries(Object.entries(SCHEMA).map(([key, spec]) => [key, spec.default])),
        SCHEMA,
      ),
      written.toString(),
    );
    for (const [key, spec] of Object.entries(SCHEMA)) {
      const where = `${id}.${key}`;
      assert.ok(accepts(SCHEMA, key, spec.default), `${where}: default ${spec.default}`);
      if (spec.type === "enum") {
        assert.equal(new Set(spec.values).size, spec.values.length, `${where}: repeated choices`);
        for (const value of spec.values) assert.ok(accepts(SCHEMA, key, value), `${where}: ${value}`);
      }
      if (spec.type !== "int" && spec.type !== "float") continue;
      assert.ok(spec.min < spec.max, `${where}: bounds`);
      assert.ok(accepts(SCHEMA, key, spec.min) && accepts(SCHEMA, key, spec.max), `${where}: bounds`);
      if (spec.type === "int")
        assert.ok(Number.isInteger(spec.min) && Number.isInteger(spec.max), `${where}: whole bounds`);
      if (spec.presets) {
        assert.deepEqual(
          [...spec.presets].sort((a, b) => a - b),
          spec.presets,
          `${where}: presets in order`,
        );
        assert.ok(spec.presets.includes(spec.default), `${where}: the default is a preset`);
        for (const value of spec.presets) assert.ok(accepts(SCHEMA, key, value), `${where}: preset ${value}`);
        assert.equal(spec.step, undefined, `${where}: a select has presets, a slider a step`);
      }
      if (spec.step !== undefined) {
        const steps = (spec.max - spec.min) / spec.step;
        assert.ok(
          Math.abs(steps - Math.round(steps)) < 1e-9,
          `${where}: the step does not reach the maximum`,
        );
        assert.ok(!accepts(SCHEMA, key, spec.min + spec.step / 2), `${where}: a value between steps`);
      }
    }
  });
}
