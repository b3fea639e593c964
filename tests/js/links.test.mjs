// Links round-trip by construction (node --test, fast-check): for every page of the registry
// (web/js/pages.js) and every key of its SCHEMA, whatever the page can write, the address keeps it
// and the link reader accepts it and gives back the same state. The values are drawn at random
// within each entry's bounds, steps and choices; text is hostile (`<b>`, `&`, `#`, `%`, `+`, `=`,
// `__proto__`, line separators, every Unicode plane) and as long as the entry allows. A string the
// page builds with its own writer (a pattern says so) is drawn through that writer, in WRITERS, and
// must read back as what was written: what the page shows.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { PAGES } from "../../web/js/pages.js";
import { parseState, formatState, splitHash } from "../../web/js/url-state.js";
import { formatValues, parseValues } from "../../web/js/pages/backprop/state.js";
import { encodeDigit, decodeDigit, DIGIT_PIXELS } from "../../web/js/pages/cnn/encoding.js";
import { SCHEMA as EMBEDDINGS } from "../../web/js/pages/embeddings/state.js";

const RUNS = 300;

const HOSTILE = [
  "<b>king</b>",
  "<img src=x onerror=alert(1)>",
  "&",
  "&q=1",
  "=",
  "#",
  "#/cnn?d=",
  "%",
  "%25",
  "%E2%82%AC",
  "+",
  " ",
  "?",
  "/",
  "\\",
  '"',
  "'",
  "__proto__",
  "constructor",
  "toString",
  "\n",
  "\r\n",
  "\u2028",
  "\u0000",
  "é",
  "€",
  "😀",
  "ñ",
];

/** Text of at most maxLength UTF-16 units: hostile pieces and any code point, and text at the limit. */
function text(maxLength) {
  const piece = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: "binary", maxLength: 4 }));
  return fc.oneof(
    fc.string({ unit: piece, maxLength: 40 }).filter((s) => s.length <= maxLength),
    fc.constantFrom("€".repeat(maxLength), "x".repeat(maxLength), "😀".repeat(Math.floor(maxLength / 2))),
  );
}

/** The values a SCHEMA entry allows (numbers written as a page holds them: -0 is 0). */
function arbitrary(spec) {
  if (spec.type === "bool") return fc.boolean();
  if (spec.type === "enum") return fc.constantFrom(...spec.values);
  if (spec.type === "string") return text(spec.maxLength ?? 200);
  const ends = fc.constantFrom(spec.min, spec.max, spec.default, ...(spec.presets ?? []));
  if (spec.step !== undefined) {
    const steps = Math.round((spec.max - spec.min) / spec.step);
    return fc.oneof(
      ends,
      fc.integer({ min: 0, max: steps }).map((k) => spec.min + k * spec.step),
    );
  }
  if (spec.type === "int") return fc.oneof(ends, fc.integer({ min: spec.min, max: spec.max }));
  return fc.oneof(
    ends,
    fc.double({ min: spec.min, max: spec.max, noNaN: true }).map((v) => v + 0),
  );
}

/**
 * Text typed in a box whose page writes it only when its SCHEMA entry accepts it (the embeddings
 * page's word lists: views.js's linkableText), trimmed as the page trims it. Words such as
 * "constructor" are drawn on purpose: the page looks them up in Maps.
 */
function typedText(spec) {
  const unit = fc.constantFrom(
    ..."abcxyzKQé ñüЖ中ß0189'-, ",
    "constructor",
    "toString",
    "__proto__",
    "<b>",
    "&",
    "#",
    "%",
  );
  return fc
    .string({ unit, maxLength: 60 })
    .map((typed) => typed.trim())
    .filter((typed) => typed.length <= spec.maxLength && spec.pattern.test(typed));
}
const typed = (spec) => ({ arbitrary: typedText(spec), write: (text) => text, read: (text) => text });

// A writer: `arbitrary` draws what the page holds, `write` turns it into the SCHEMA value, `read`
// back into what the page shows.
const WRITERS = {
  backprop: {
    // The variables: names as the parser makes them (8 at most, from a 1000-character expression),
    // any finite value the number field or a slider can hold, the longest numbers included.
    vars: {
      arbitrary: fc
        .uniqueArray(
          fc.record({
            name: fc
              .tuple(fc.constantFrom(..."abcxyzABCXYZ"), fc.stringMatching(/^[0-9]{0,100}$/))
              .map(([letter, digits]) => letter + digits),
            value: fc.oneof(
              fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => v + 0),
              fc.constantFrom(
                -0.0000012345678901234567,
                -1.7976931348623157e308,
                5e-324,
                -2.2250738585072014e-308,
                0.1 + 0.2,
              ),
            ),
          }),
          { selector: (variable) => variable.name, maxLength: 8 },
        )
        .map((variables) => Object.fromEntries(variables.map(({ name, value }) => [name, value]))),
      write: (values) => formatValues(values, Object.keys(values)),
      read: (raw) => parseValues(raw),
    },
  },
  cnn: {
    // The digit on the board: empty, a drawn-like digit (a few lines of ink), or any 784 grey levels.
    d: {
      arbitrary: fc.oneof(
        fc.constant(null),
        fc.array(fc.integer({ min: 0, max: DIGIT_PIXELS - 1 }), { maxLength: 200 }).map((ink) => {
          const pixels = new Uint8Array(DIGIT_PIXELS);
          for (const at of ink) pixels[at] = 255;
          return pixels;
        }),
        fc.uint8Array({ minLength: DIGIT_PIXELS, maxLength: DIGIT_PIXELS }),
      ),
      write: async (pixels) => (pixels === null ? "" : encodeDigit(pixels)),
      read: async (code) => (code === "" ? null : decodeDigit(code)),
    },
  },
  embeddings: Object.fromEntries(
    ["q", "a", "b", "c", "around", "proj", "watch"].map((key) => [key, typed(EMBEDDINGS[key])]),
  ),
};

for (const { id } of PAGES) {
  test(`${id}: every state the page can write reopens as the same state`, async () => {
    const { SCHEMA } = await import(`../../web/js/pages/${id}/state.js`);
    const writers = WRITERS[id] ?? {};
    for (const [key, spec] of Object.entries(SCHEMA)) {
      assert.ok(
        !spec.pattern || writers[key],
        `${id}.${key}: a patterned string is written by the page's own writer; name it in WRITERS`,
      );
    }
    const state = fc.record(
      Object.fromEntries(
        Object.entries(SCHEMA).map(([key, spec]) => [key, writers[key]?.arbitrary ?? arbitrary(spec)]),
      ),
    );
    await fc.assert(
      fc.asyncProperty(state, async (held) => {
        const values = { ...held };
        for (const [key, writer] of Object.entries(writers)) values[key] = await writer.write(held[key]);
        const address = new URL(`https://example.org/pizarra/#/${id}?${formatState(values, SCHEMA)}`);
        const { page, query } = splitHash(address.hash);
        const { values: read, rejected } = parseState(query, SCHEMA);
        assert.equal(page, id);
        assert.deepEqual(rejected, []);
        assert.deepEqual(read, values);
        for (const [key, writer] of Object.entries(writers))
          assert.deepEqual(await writer.read(read[key]), held[key], key);
      }),
      { numRuns: RUNS },
    );
  });
}
