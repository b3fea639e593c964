// How the site writes numbers and percentages: one rule for every page, in a given language
// (i18n.js's formatNumber and formatPercent pass the language in use). No DOM: Node tests it
// (tests/js/number-format.test.mjs).
//
// Numbers: the language's decimal separator and grouping ("16.930,5" in Spanish, "16,930.5" in
// English), at most 4 decimals unless the caller says otherwise; {decimals: n} fixes them at n,
// trailing zeros kept, for numbers read side by side (a column, a list of scores); NaN and
// infinities as words and signs, never as "NaN %" or a blank.
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
export function formatNumber(language, value, { decimals, ...options } = {}) {
  if (typeof value === "string") return value; // "NaN", "Infinity" as Python sends them
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  const fixed =
    decimals === undefined ? {} : { minimumFractionDigits: decimals, maximumFractionDigits: decimals };
  return new Intl.NumberFormat(language, { maximumFractionDigits: 4, ...options, ...fixed }).format(value);
}

/** A fraction (0.626) as a percentage in `language` ("62,6 %"), with exactly `decimals` decimals. */
export function formatPercent(language, fraction, { decimals = PERCENT_DECIMALS } = {}) {
  return formatNumber(language, fraction, { style: "percent", decimals, signDisplay: "negative" });
}
