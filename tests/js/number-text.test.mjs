// The shared number field's reading and writing of numbers (web/js/ui/number-text.js), node --test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readNumber, writeNumber, decimalSeparator, fieldValue } from "../../web/js/ui/number-text.js";

test("either decimal separator reads the same number", () => {
  assert.equal(readNumber("-0,5"), -0.5);
  assert.equal(readNumber("-0.5"), -0.5);
  assert.equal(readNumber(",25"), 0.25);
  assert.equal(readNumber(" 3 "), 3);
  assert.equal(readNumber("\u22124"), -4); // the typographic minus the page prints
  assert.equal(readNumber("2,5e3"), 2500);
});

test("what cannot be read as one number is refused, never misread", () => {
  for (const text of [
    "--4",
    "1e309",
    "-1e309",
    "1.000,5",
    "1,000.5",
    "",
    "-",
    "x",
    "1e",
    "0x10",
    "Infinity",
    "NaN",
    "1 000",
  ]) {
    assert.equal(readNumber(text), undefined, text);
  }
});

test("a number is written with every digit and the language's separator", () => {
  assert.equal(decimalSeparator("es"), ",");
  assert.equal(decimalSeparator("en"), ".");
  assert.equal(writeNumber(-3.5, "es"), "-3,5");
  assert.equal(writeNumber(-3.5, "en"), "-3.5");
  assert.equal(writeNumber(1234567.25, "es"), "1234567,25"); // no grouping: it must read back
  assert.equal(writeNumber(0.1 + 0.2, "es"), "0,30000000000000004");
  for (const value of [-3.5, 1e-7, 123456789, 0]) {
    for (const language of ["es", "en"]) assert.equal(readNumber(writeNumber(value, language)), value);
  }
});

test('"-0" is read as 0, so a field and the link it writes show the same number', () => {
  assert.ok(Object.is(readNumber("-0"), 0) && Object.is(readNumber("-0,0"), 0));
});

test("an invalid field leaves in use the value the edit began with, not its first keystroke", () => {
  const accepts = (typed) => typed; // any finite number (the backprop variables)
  const edit = (keys, before) => [...keys].map((_, i) => fieldValue(keys.slice(0, i + 1), before, accepts));
  const typing = edit("0x10", 3);
  assert.deepEqual(
    typing.map((step) => step.value),
    [0, 3, 3, 3],
  ); // "0" is a number; "0x…" never is
  assert.deepEqual(
    typing.map((step) => step.valid),
    [true, false, false, false],
  );
  assert.deepEqual(
    edit("-2,5", 3).map((step) => step.value),
    [3, -2, -2, -2.5],
  );
  const withinBounds = (typed) => (typed >= 1 && typed <= 10 ? typed : undefined);
  assert.deepEqual(fieldValue("12", 4, withinBounds), { value: 4, valid: false }); // out of bounds: as before
  assert.deepEqual(fieldValue("7", 4, withinBounds), { value: 7, valid: true });
});
