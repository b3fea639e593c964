// How the site writes numbers and percentages: one rule for every page, in a given language
// (i18n.js's formatNumber and formatPercent pass the language in use). No DOM: Node tests it
// (tests/js/number-format.test.mjs).
//
// Numbers: the language's decimal separator and grouping ("16.930,5" in Spanish, "16,930.5" in
// English), at most 4 decimals unless the caller says otherwise; {decimals: n} fixes them at n,
// trailing zeros kept, for numbers read side by side (a column, a list of scores); NaN and
// infinities as words and signs, never as "NaN %" or a blank. {powers: true}, for a setting that
// spans powers of ten (the course's subsampling t = 10⁻⁵), writes a value under 10⁻³ as a power of
// ten ("10⁻⁵", "5 · 10⁻⁴"), never as a "0" that rounding left.
//
// Percentages: the language's separator and its spacing before the sign ("62,6 %" in Spanish,
// "62.6%" in English), and a fixed number of decimals, so that one screen never shows "65 %" next
// to "62,6 %" or "6 %" next to "7,2 %":
//   - one decimal, trailing zero kept ("65,0 %"), for whatever is measured: an accuracy, a
//     probability, a confidence, a share, a difference between two measurements;
//   - none ({decimals: 0}) only for a setting chosen in whole-percent steps (a validation share,
//     a dropout rate) and for how far an operation has got (its progress), which nobody compares.
// A value that rounds to zero never shows a minus sign ("0,0 %", not "-0,0 %").

export const PERCENT_DECIMALS = 1;

/**
 * `value` written in `language`: Intl.NumberFormat's options, at most 4 decimals by default, or
 * exactly `decimals` of them.
 */
export function formatNumber(language, value, { decimals, powers = false, ...options } = {}) {
  if (typeof value === "string") return value; // "NaN", "Infinity" as Python sends them
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (powers && value !== 0 && Math.abs(value) < 1e-3) return powerOfTen(language, value);
  const fixed =
    decimals === undefined ? {} : { minimumFractionDigits: decimals, maximumFractionDigits: decimals };
  return new Intl.NumberFormat(language, { maximumFractionDigits: 4, ...options, ...fixed }).format(value);
}

const SUPERSCRIPTS = {
  "-": "⁻",
  0: "⁰",
  1: "¹",
  2: "²",
  3: "³",
  4: "⁴",
  5: "⁵",
  6: "⁶",
  7: "⁷",
  8: "⁸",
  9: "⁹",
};

/** A small number as m · 10ⁿ (1 ≤ |m| < 10; "10ⁿ" alone when m is 1). */
function powerOfTen(language, value) {
  let exponent = Math.floor(Math.log10(Math.abs(value)));
  let mantissa = Number((value / 10 ** exponent).toPrecision(12));
  if (Math.abs(mantissa) >= 10) [mantissa, exponent] = [mantissa / 10, exponent + 1];
  const power = `10${[...String(exponent)].map((c) => SUPERSCRIPTS[c]).join("")}`;
  if (mantissa === 1) return power;
  return `${formatNumber(language, mantissa, { maximumFractionDigits: 3 })} · ${power}`;
}

/** A fraction (0.626) as a percentage in `language` ("62,6 %"), with exactly `decimals` decimals. */
export function formatPercent(language, fraction, { decimals = PERCENT_DECIMALS } = {}) {
  return formatNumber(language, fraction, { style: "percent", decimals, signDisplay: "negative" });
}
