// Shareable links: every page keeps its whole state in the address, `#/<page>?key=value&…`.
// A page declares its state as one table of properties; parsing follows the table:
// unknown keys are ignored, bad values are replaced by the default and reported, sizes are bounded.
//
//   const schema = {
//     seed:  { type: "int", default: 1, min: 0, max: 2 ** 31 - 1 },
//     noise: { type: "float", default: 0.1, min: 0, max: 0.5, step: 0.01 },
//     lr:    { type: "float", default: 0.03, min: 1e-5, max: 10, presets: [0.003, 0.03, 0.3] },
//     act:   { type: "enum", default: "tanh", values: ["tanh", "relu", "sigmoid"] },
//     expr:  { type: "string", default: "x*y", maxLength: 200 },
//     train: { type: "bool", default: false },
//   };
//
// A number's `step` (counted from `min`) is part of what the link accepts: a slider can show only
// those values. `presets` are the choices a select offers; any other value within the bounds is
// accepted too, and the select shows it as one more choice (see ui/controls.js). The page's
// controls are built from these entries, so what a control shows is always the value in use.
// A string may also name `accepts(raw)`, a check its pattern cannot express (a number's size).
// A number with `clamp: true` is brought to its nearest bound when a link goes beyond it, rather
// than refused (parseState reports it in `clamped`); its `label` is the message key that names it.
// A key renamed since links were shared lists its old names as `aliases`: a link is read under
// either name and written under the key's own (old links still open, new ones use the new name).
// A key added after links were shared names `absent`, the value those older links meant: a link
// without the key reads that value (an empty address still reads the default), so the key is
// always written (lm's `level`: the page opens at word level, and a link from before the switch
// still opens at character level).
// Only the schema's own keys count (never inherited ones like `__proto__`), and a key given twice
// is refused as a whole: the value in use is always the one the notice names. A query longer than
// any its schema can write (longestQuery) is refused whole. Whatever a page writes, it reads back
// the same: tests/js/links.test.mjs checks it for every page, over random and hostile values.

const LONGEST_NUMBER = 25; // characters of a number written by String(): "-0.0000012345678901234567"
const ENCODED = 9; // characters a UTF-16 unit of text may take in a query: "€" is "%E2%82%AC"

const parsers = {
  int(raw, spec) {
    if (!/^-?\d+$/.test(raw)) return undefined;
    const value = Number(raw) + 0; // + 0: "-0" is 0
    return Number.isSafeInteger(value) && onScale(value, spec) ? value : undefined;
  },
  float(raw, spec) {
    if (!/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw)) return undefined;
    const value = Number(raw) + 0;
    return Number.isFinite(value) && onScale(value, spec) ? value : undefined;
  },
  enum(raw, spec) {
    return spec.values.includes(raw) ? raw : undefined;
  },
  bool(raw) {
    return raw === "1" || raw === "true" ? true : raw === "0" || raw === "false" ? false : undefined;
  },
  string(raw, spec) {
    if (raw.length > (spec.maxLength ?? 200)) return undefined;
    if (spec.pattern && !spec.pattern.test(raw)) return undefined;
    return spec.accepts && !spec.accepts(raw) ? undefined : raw;
  },
};

/** Whether a number lies within the spec's bounds and on its step. */
function onScale(value, spec) {
  if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max))
    return false;
  if (spec.step === undefined) return true;
  const steps = (value - (spec.min ?? 0)) / spec.step;
  return Math.abs(steps - Math.round(steps)) < 1e-9;
}

/** The value of `raw` (text) under `spec`, or undefined when the spec does not accept it. */
export function parseValue(raw, spec) {
  return parsers[spec.type](raw, spec);
}

/** The bound nearest to a number beyond a `clamp` spec's bounds; undefined for any other number or spec. */
export function clampToBounds(value, spec) {
  if (!spec.clamp || !Number.isFinite(value)) return undefined;
  if (value < spec.min) return spec.min;
  if (value > spec.max) return spec.max;
  return undefined;
}

/** Split `#/page?query` into its page and query string. */
export function splitHash(hash) {
  const body = hash.replace(/^#\/?/, "");
  const q = body.indexOf("?");
  return {
    page: (q < 0 ? body : body.slice(0, q)).replace(/\/$/, ""),
    query: q < 0 ? "" : body.slice(q + 1),
  };
}

/** The longest query string a schema's values can make, every character percent-encoded at worst. */
export function longestQuery(schema) {
  const longest = (spec) =>
    spec.type === "string"
      ? (spec.maxLength ?? 200)
      : spec.type === "enum"
        ? Math.max(...spec.values.map((value) => String(value).length))
        : spec.type === "bool"
          ? 1
          : LONGEST_NUMBER;
  const name = (key, spec) => Math.max(key.length, ...(spec.aliases ?? []).map((alias) => alias.length));
  return Object.entries(schema).reduce(
    (sum, [key, spec]) => sum + ENCODED * (name(key, spec) + longest(spec)) + 2,
    0,
  );
}

/**
 * Parse a query string against a schema: {values, rejected: [keys whose value was bad],
 * clamped: [{key, from, to}: numbers beyond a `clamp` entry's bounds, brought to the nearest]}.
 */
export function parseState(query, schema) {
  const initial = (spec) => (query !== "" && "absent" in spec ? spec.absent : spec.default);
  const values = Object.fromEntries(Object.entries(schema).map(([key, spec]) => [key, initial(spec)]));
  const rejected = [];
  const clamped = [];
  if (query.length > longestQuery(schema)) return { values, rejected: ["*"], clamped };
  const keyOf = new Map(); // a name in the address → the schema key it sets
  for (const [key, spec] of Object.entries(schema)) {
    keyOf.set(key, key);
    for (const alias of spec.aliases ?? []) keyOf.set(alias, key);
  }
  const seen = new Set();
  for (const [name, raw] of new URLSearchParams(query)) {
    const key = keyOf.get(name);
    if (key === undefined || rejected.includes(key)) continue;
    const twice = seen.has(key); // a key given twice (by any name) is refused
    seen.add(key);
    let value = twice ? undefined : parseValue(raw, schema[key]);
    if (value === undefined && !twice) {
      const from = parseValue(raw, { type: "float" });
      value = clampToBounds(from, schema[key]);
      if (value !== undefined) clamped.push({ key, from, to: value });
    }
    if (value === undefined) {
      rejected.push(key);
      values[key] = schema[key].default;
    } else values[key] = value;
  }
  return { values, rejected, clamped: clamped.filter(({ key }) => !rejected.includes(key)) };
}

/** The query string of a state: only values that differ from their default, in schema order. */
export function formatState(values, schema) {
  const params = new URLSearchParams();
  for (const [key, spec] of Object.entries(schema)) {
    const value = values[key];
    if (value === undefined || (value === spec.default && !("absent" in spec))) continue;
    params.set(key, spec.type === "bool" ? (value ? "1" : "0") : String(value));
  }
  return params.toString();
}
