// The engine's pure pieces, node --test: the stop protocol the page and the worker share
// (web/js/engine/interrupt.js) and the snapshot's file archive (web/js/engine/snapshot.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { interrupt, running } from "../../web/js/engine/interrupt.js";
import { libraryPaths, packFiles, unpackFiles } from "../../web/js/engine/snapshot.mjs";

const SIGNAL = 0; // Pyodide's interrupt buffer is the first word
const shared = () => new Int32Array(new SharedArrayBuffer(3 * 4));

test("a stop interrupts the call that runs, and only while it runs", () => {
  const control = shared();
  running(control, 7);
  assert.equal(interrupt(control, 7), true);
  assert.equal(control[SIGNAL], 2); // SIGINT: Python raises KeyboardInterrupt
  running(control, 0); // the call ended: the signal it did not use is dropped
  assert.equal(control[SIGNAL], 0);
  assert.equal(interrupt(control, 7), false);
  assert.equal(control[SIGNAL], 0);
});

test("a stop meant for a call that ended never reaches the next one", () => {
  const control = shared();
  running(control, 7);
  running(control, 0);
  running(control, 8);
  assert.equal(interrupt(control, 7), false);
  assert.equal(control[SIGNAL], 0);
  assert.equal(interrupt(control, 8), true);
});

test("the site archive gives back every file, byte for byte, and the libraries in one order", () => {
  const files = [
    ["numpy/linalg/_umath_linalg.so", new Uint8Array([0, 97, 115, 109])],
    ["pizarra/ops.py", new TextEncoder().encode("class Mul: ...\n")],
    ["numpy/_core/_multiarray_umath.so", new Uint8Array(70_000).fill(3)],
    ["pizarra-0.1.0.dist-info/INSTALLER", new Uint8Array(0)],
  ];
  const back = unpackFiles(packFiles(files));
  assert.deepEqual(
    back.map(([path, bytes]) => [path, [...bytes]]),
    files.map(([path, bytes]) => [path, [...bytes]]),
  );
  assert.deepEqual(libraryPaths(back), ["numpy/_core/_multiarray_umath.so", "numpy/linalg/_umath_linalg.so"]);
});
