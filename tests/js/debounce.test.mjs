// debounced(): only the last of a burst of requests runs, once the pause has passed; cancel() drops it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { debounced } from "../../web/js/ui/debounce.js";

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test("a burst of requests runs once, after the pause, and is pending until then", async () => {
  let runs = 0;
  const request = debounced(() => runs++, 20);
  assert.equal(request.pending, false);
  request();
  await wait(5);
  request();
  request();
  assert.equal(request.pending, true);
  assert.equal(runs, 0);
  await wait(60);
  assert.equal(runs, 1);
  assert.equal(request.pending, false);
});

test("cancel() drops the waiting request", async () => {
  let runs = 0;
  const request = debounced(() => runs++, 10);
  request();
  request.cancel();
  assert.equal(request.pending, false);
  await wait(40);
  assert.equal(runs, 0);
});
