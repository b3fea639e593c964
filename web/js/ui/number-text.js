// Numbers as people type them: either decimal separator ("-0,5" and "-0.5" are the same number),
// written back with the language's own. No DOM here: Node tests it (tests/js/number-text.test.mjs).

const NUMBER = /^[-+]?(\d+([.,]\d*)?|[.,]\d+)(e[-+]?\d+)?$/i;

/**
 * The number a person typed, or undefined: an optional sign (−, - or +), digits with at most one
 * decimal separator, "." or ",", and an optional exponent. No thousands separators (in "1.000"
 * they could mean either), and nothing that overflows (1e309 is not a number anyone can use).
 */
export function readNumber(text) {
  const plain = String(text)
    .trim()
    .replace(/^\u2212/, "-");
  if (!NUMBER.test(plain)) return undefined;
  const value = Number(plain.replace(",", "."));
  return Number.isFinite(value) ? value + 0 : undefined; // + 0: "-0" is 0, written back as "0"
}

/**
 * What a number field holds while it is edited: {value, valid}. The typed number when
 * `accepts(number)` takes it (it returns the value, or undefined); otherwise the field is invalid
 * and the value is `before`, the one in use when the edit began — typing "0x10" over 3 never
 * leaves 0 (its first keystroke) in use.
 */
export function fieldValue(text, before, accepts) {
  const typed = readNumber(text);
  const value = typed === undefined ? undefined : accepts(typed);
  return value === undefined ? { value: before, valid: false } : { value, valid: true };
}

/** The decimal separator of a language ("," for es, "." for en). */
export function decimalSeparator(language) {
  return (
    new Intl.NumberFormat(language).formatToParts(1.5).find((part) => part.type === "decimal")?.value ?? "."
  );
}

/** A number written as it can be typed back: every digit it has, the language's decimal separator. */
export function writeNumber(value, language) {
  if (!Number.isFinite(value)) return "";
  return String(value).replace(".", decimalSeparator(language));
}
