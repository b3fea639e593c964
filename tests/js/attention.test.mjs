// The attention page's link (node --test): its keys have names that explain themselves, and links
// shared before, with the short keys s, v and m, still open and are written again with the new names.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseState, formatState } from "../../web/js/url-state.js";
import { SCHEMA, stepsConfig } from "../../web/js/pages/attention/state.js";

const OLD_LINK = "s=Y+dijo+Dios%3A+Sea+la+luz.&v=dot&step=1&beam=3&m=El+%5BMASK%5D+de+la+ciudad+.&head=2";

test("an old link with s, v and m opens with the same sentence, variant and masked sentence", () => {
  const { values, rejected } = parseState(OLD_LINK, SCHEMA);
  assert.deepEqual(rejected, []);
  assert.equal(values.sentence, "Y dijo Dios: Sea la luz.");
  assert.equal(values.variant, "dot");
  assert.equal(values.masked, "El [MASK] de la ciudad .");
  assert.deepEqual([values.step, values.beam, values.head], [1, 3, 2]);
  assert.deepEqual(stepsConfig(values), { variant: "dot", beam: 3 });
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
