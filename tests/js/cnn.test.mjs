// The CNN page's pure pieces: the convolution explainer's arithmetic and the digit link code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { convolve, pool, paddingFor } from "../../web/js/pages/cnn/convolution.js";
import {
  encodeDigit,
  decodeDigit,
  toBase64Url,
  fromBase64Url,
  DIGIT_PIXELS,
} from "../../web/js/pages/cnn/encoding.js";

const V = [
  [1, 2, 3, 0],
  [0, 1, 2, 3],
  [3, 0, 1, 2],
  [2, 3, 0, 1],
];
const K = [
  [1, 0, -1],
  [1, 0, -1],
  [1, 0, -1],
];

test("valid convolution shrinks to m − k + 1 and sums each window (cross-correlation)", () => {
  const { output, steps } = convolve(V, K);
  // by hand: Z[0,0] = (1+0+3) − (3+2+1) = −2, Z[0,1] = (2+1+0) − (0+3+2) = −2,
  //          Z[1,0] = (0+3+2) − (2+1+0) = 2,  Z[1,1] = (1+0+3) − (3+2+1) = −2
  assert.deepEqual(output, [
    [-2, -2],
    [2, -2],
  ]);
  assert.equal(steps.length, 4);
  assert.equal(steps[0].terms.length, 9);
  assert.equal(steps[2].sum, output[1][0]);
});

test("same padding keeps the size; padded cells count as zero", () => {
  assert.equal(paddingFor("same", 3), 1);
  const { output, steps } = convolve(V, K, { padding: "same" });
  assert.equal(output.length, 4);
  assert.equal(output[0].length, 4);
  // Z[0,0] looks at V[-1..1, -1..1]: only V[0..1, 0..1] is inside; right column weights −1.
  assert.equal(output[0][0], 0 * 1 + (0 + 1 + 0) * 0 - (2 + 1));
  assert.ok(steps[0].terms.some((t) => t.r === -1 && t.v === 0));
});

test("stride 2 steps the window two cells", () => {
  const { output, steps } = convolve(V, K, { stride: 2, padding: "same" });
  assert.equal(output.length, 2);
  assert.deepEqual([steps[1].terms[0].r, steps[1].terms[0].c], [-1, 1]);
});

test("max and mean pooling of 2×2 windows", () => {
  assert.deepEqual(pool(V, "max"), [
    [2, 3],
    [3, 2],
  ]);
  assert.deepEqual(pool(V, "mean"), [
    [1, 2],
    [2, 1],
  ]);
  assert.deepEqual(pool([[1, 2, 9]], "max"), []); // one row: no full window
});

test("a digit round-trips through its link code, which is short", async () => {
  const pixels = new Uint8Array(DIGIT_PIXELS);
  for (let r = 6; r < 22; r++) ((pixels[r * 28 + 14] = 255), (pixels[r * 28 + 15] = 120));
  const code = await encodeDigit(pixels);
  assert.match(code, /^[A-Za-z0-9_-]+$/);
  assert.ok(code.length < 200, `code length ${code.length}`);
  assert.deepEqual(await decodeDigit(code), pixels);
});

test("malformed, short and oversized codes are refused", async () => {
  await assert.rejects(decodeDigit("@@@"));
  await assert.rejects(decodeDigit("AAAA")); // not deflate
  await assert.rejects(encodeDigit(new Uint8Array(10)));
  const big = new Uint8Array(5000);
  const stream = new Blob([big]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const code = toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
  await assert.rejects(decodeDigit(code), /too long/);
  const few = new Blob([new Uint8Array(10)]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  await assert.rejects(
    decodeDigit(toBase64Url(new Uint8Array(await new Response(few).arrayBuffer()))),
    /wrong size/,
  );
  assert.deepEqual(fromBase64Url(toBase64Url(Uint8Array.of(251, 255, 0))), Uint8Array.of(251, 255, 0));
});
