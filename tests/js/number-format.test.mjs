// The site's one rule for numbers and percentages (web/js/number-format.js), node --test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatNumber, formatPercent } from "../../web/js/number-format.js";

const NBSP = "\u00a0";

test("a percentage has one decimal, its trailing zero too, so neighbours read alike", () => {
  // The evaluation table showed "65 %" beside "62,6 %" and "6 %" beside "7,2 %".
  assert.deepEqual(
    [0.65, 0.626, 0.06, 0.072].map((f) => formatPercent("es", f)),
    [`65,0${NBSP}%`, `62,6${NBSP}%`, `6,0${NBSP}%`, `7,2${NBSP}%`],
  );
  assert.deepEqual(
    [0.65, 0.626, 0.06, 0.072].map((f) => formatPercent("en", f)),
    ["65.0%", "62.6%", "6.0%", "7.2%"],
  );
  assert.equal(formatPercent("es", 1), `100,0${NBSP}%`);
  assert.equal(formatPercent("en", 0.98874), "98.9%"); // rounded, not cut
  assert.equal(formatPercent("en", 0.00049), "0.0%");
});

test("each decimal count is the same for every value: whole percents for settings and progress", () => {
  const whole = [0.3, 0.05, 0.374, 0.996, 1].map((f) => formatPercent("en", f, { decimals: 0 }));
  assert.deepEqual(whole, ["30%", "5%", "37%", "100%", "100%"]);
  assert.equal(formatPercent("es", 0.3, { decimals: 0 }), `30${NBSP}%`);
  for (const decimals of [0, 1, 2]) {
    const pattern = new RegExp(decimals ? `^\\d+\\.\\d{${decimals}}%$` : "^\\d+%$");
    for (const fraction of [0, 0.1, 0.12345, 0.5, 0.9999, 1])
      assert.match(formatPercent("en", fraction, { decimals }), pattern);
  }
});

test("the language's separators, and no minus on a value that rounds to zero", () => {
  assert.equal(formatPercent("es", 12.3456), `1234,6${NBSP}%`); // Spanish groups from five digits
  assert.equal(formatPercent("es", 123.456), `12.345,6${NBSP}%`);
  assert.equal(formatPercent("en", 123.456), "12,345.6%");
  assert.equal(formatPercent("en", -0.0004), "0.0%");
  assert.equal(formatPercent("es", -0.123), `-12,3${NBSP}%`);
});

test("what is not a finite number is written as such, never as a percentage of it", () => {
  assert.equal(formatPercent("es", Number.NaN), "NaN");
  assert.equal(formatPercent("en", Infinity), "∞");
  assert.equal(formatPercent("en", "NaN"), "NaN"); // as Python sends it
  assert.equal(formatNumber("en", -Infinity), "−∞");
});

test("numbers: the language's separators, at most four decimals unless asked", () => {
  assert.equal(formatNumber("es", 16930.123456), "16.930,1235");
  assert.equal(formatNumber("en", 16930.123456), "16,930.1235");
  assert.equal(formatNumber("es", 5184), "5184");
  assert.equal(formatNumber("en", 0.5, { maximumFractionDigits: 2 }), "0.5");
});

test("numbers read side by side: a fixed number of decimals, trailing zeros kept", () => {
  assert.deepEqual(
    [0.7692, 0.7, 1, 0].map((v) => formatNumber("es", v, { decimals: 3 })),
    ["0,769", "0,700", "1,000", "0,000"],
  );
  assert.deepEqual(
    [975, 12.5].map((v) => formatNumber("en", v, { decimals: 0 })),
    ["975", "13"],
  );
  assert.equal(formatNumber("en", 1234.5, { decimals: 2 }), "1,234.50");
});
