// Form controls shared by the pages: labelled, keyboard- and touch-friendly. Each is built from
// the schema entry of the value it sets (see url-state.js): its choices and bounds are the ones
// the link accepts, so a control always shows the value in use. Labels may be i18n.js messages
// (msg()); every number a control shows is redrawn in a new language (whenRelabelled).
//   slider({spec, label, value, format, onInput, testid})        → {element, input, set, setRange(spec)}
//   select({spec, label, value, optionLabel, onChange, testid})  → {element, input}
//   numberField({spec, label, value, onChange, onInvalid, onClamp, testid})
//       → {element, input, set, setRange}
//       a text field, not type=number: it takes "-0,5" and "-0.5" alike and shows the language's
//       separator; anything else (1e309, --4, out of bounds) marks it invalid with a message, and
//       the value in use goes back to the one the edit began with — except a number beyond a
//       `clamp` spec's bounds, which becomes the nearest bound
//   checkbox({label, value, onChange, testid})                   → {element, input}
import { h } from "../dom.js";
import { formatNumber, currentLanguage, msg, setText, whenRelabelled } from "../i18n.js";
import { parseValue, clampToBounds } from "../url-state.js";
import { readNumber, writeNumber, fieldValue } from "./number-text.js";

let nextId = 0;
const uid = (prefix) => `${prefix}-${++nextId}`;
const isNumber = (spec) => spec.type === "int" || spec.type === "float";
const testHook = (testid) => (testid ? { testid } : {});

/** A labelled range slider over spec.min…spec.max by spec.step, with its value shown; onInput(value) fires while dragging. */
export function slider({ spec, label, value, format = (v) => formatNumber(v), onInput, testid }) {
  const id = uid("slider");
  const output = h("output", { for: id, text: format(value) });
  const input = h("input", {
    id,
    type: "range",
    min: spec.min,
    max: spec.max,
    step: spec.step ?? 1,
    value,
    dataset: testHook(testid),
  });
  input.addEventListener("input", () => {
    output.textContent = format(Number(input.value));
    onInput?.(Number(input.value));
  });
  const element = h("div", { class: "control slider" }, h("label", { for: id, text: label }), input, output);
  whenRelabelled(output, () => (output.textContent = format(Number(input.value))));
  return {
    element,
    input,
    set(v) {
      input.value = v;
      output.textContent = format(Number(v));
    },
    /** New bounds and step (a range that follows the value in use). */
    setRange({ min, max, step = input.step }) {
      input.min = min;
      input.max = max;
      input.step = step;
    },
  };
}

/**
 * A labelled select of the spec's choices: an enum's values, or a number's presets plus the value
 * in use when it is not one of them (a link may carry any value within the bounds).
 * optionLabel(value) gives a choice's words; onChange(value) gets the value typed as the spec says.
 * .set(value) shows a value chosen elsewhere (a preset), without calling onChange.
 */
export function select({
  spec,
  label,
  value,
  optionLabel = (v) => (isNumber(spec) ? formatNumber(v) : v),
  onChange,
  testid,
}) {
  const id = uid("select");
  const option = (v) => h("option", { value: String(v), selected: v === value }, optionLabel(v));
  const input = h("select", { id, dataset: testHook(testid) }, choices(spec, value).map(option));
  input.addEventListener("change", () => onChange?.(parseValue(input.value, spec)));
  whenRelabelled(input, () => {
    for (const each of input.options) each.textContent = optionLabel(parseValue(each.value, spec));
  });
  return {
    element: h("div", { class: "control select" }, h("label", { for: id, text: label }), input),
    input,
    set(next) {
      value = next;
      input.replaceChildren(...choices(spec, value).map(option));
    },
  };
}

function choices(spec, value) {
  if (!isNumber(spec)) return spec.values;
  return spec.presets.includes(value) ? spec.presets : [...spec.presets, value].sort((a, b) => a - b);
}

/**
 * A labelled number field within the spec's bounds: onChange(value) with a value the spec accepts;
 * otherwise the field is marked invalid, says why, and onInvalid() is called, and the value in use
 * is the one the edit began with (onChange(it) if a keystroke of this edit had changed it: the
 * "0" of "0x10" is not left in use). A number beyond a `clamp` spec's bounds is taken as the
 * nearest bound instead: the field shows the bound once left, and onClamp(message) gets the words
 * that say so. The label defaults to the spec's `label`. .set(value) shows a value chosen elsewhere
 * (a slider); .setRange({min, max}) bounds that follow something else (a model's size).
 */
export function numberField({
  spec,
  label = spec.label && msg(spec.label),
  value,
  onChange,
  onInvalid,
  onClamp,
  testid,
}) {
  const id = uid("number");
  const negative = spec.min === undefined || spec.min < 0;
  const input = h("input", {
    id,
    type: "text",
    inputmode: spec.type === "int" && !negative ? "numeric" : "decimal",
    autocomplete: "off",
    spellcheck: "false",
    value: writeNumber(value, currentLanguage()),
    "aria-describedby": `${id}-why`,
    dataset: testHook(testid),
  });
  const why = h("span", {
    id: `${id}-why`,
    class: "control-error",
    "aria-live": "polite",
    dataset: testHook(testid && `${testid}-error`),
  });
  let current = value; // the value in use
  let before = value; // the value in use when this edit began
  const show = (v) => (input.value = writeNumber(v, currentLanguage()));
  const valid = (isValid, reason) => {
    if (isValid) {
      input.removeAttribute("aria-invalid");
      why.replaceChildren();
    } else {
      input.setAttribute("aria-invalid", "true");
      setText(why, ...reason);
    }
  };
  let beyond = null; // a number typed beyond a clamp spec's bounds: the bound is in use
  input.addEventListener("focus", () => (before = current));
  input.addEventListener("input", () => {
    const typed = readNumber(input.value);
    const edited = fieldValue(
      input.value,
      before,
      (number) => parseValue(String(number), spec) ?? clampToBounds(number, spec),
    );
    beyond = edited.valid && parseValue(String(typed), spec) === undefined ? typed : null;
    valid(edited.valid, !edited.valid && whyRefused(typed, spec));
    if (!edited.valid) onInvalid?.();
    if (edited.valid || edited.value !== current) onChange?.((current = edited.value));
  });
  const invalid = () => input.getAttribute("aria-invalid") === "true";
  input.addEventListener("change", () => {
    if (invalid()) return;
    before = current; // committed (Enter, or leaving the field): the next edit starts from here
    show(current); // typed "-0.5" in Spanish reads back "-0,5"; typed beyond the bounds, the bound
    if (beyond !== null) onClamp?.(clampedMessage(label, beyond, current));
    beyond = null;
  });
  whenRelabelled(input, () => {
    if (!invalid() && document.activeElement !== input) show(current);
  });
  const element = h("div", { class: "control number" }, h("label", { for: id, text: label }), input, why);
  return {
    element,
    input,
    set(v) {
      current = before = v;
      beyond = null;
      valid(true);
      show(v);
    },
    setRange({ min, max }) {
      spec = { ...spec, min, max };
    },
  };
}

/** The words of a number brought to the nearest bound: "Temperature 7 is out of range: using 2." */
export function clampedMessage(name, from, to) {
  const shown = (v) => () => formatNumber(v, { useGrouping: false, maximumFractionDigits: 10 });
  return msg("state.clamped", { name, from: shown(from), to: shown(to) });
}

/** Why a typed number is refused: [message key, params] for setText. */
function whyRefused(typed, spec) {
  const shown = (v) => formatNumber(v, { maximumFractionDigits: 10 });
  if (typed === undefined)
    return [
      "field.number",
      { example: () => writeNumber(spec.type === "int" ? 7 : -0.5, currentLanguage()) },
    ];
  if (spec.type === "int" && !Number.isInteger(typed)) return ["field.whole", {}];
  if (spec.min !== undefined && spec.max !== undefined && (typed < spec.min || typed > spec.max)) {
    return ["field.between", { min: () => shown(spec.min), max: () => shown(spec.max) }];
  }
  if (spec.min !== undefined && typed < spec.min) return ["field.atleast", { min: () => shown(spec.min) }];
  if (spec.max !== undefined && typed > spec.max) return ["field.atmost", { max: () => shown(spec.max) }];
  return ["field.step", { step: () => shown(spec.step) }];
}

/** A labelled checkbox for a yes/no value; onChange(checked). */
export function checkbox({ label, value, onChange, testid }) {
  const id = uid("check");
  const input = h("input", { id, type: "checkbox", checked: value, dataset: testHook(testid) });
  input.addEventListener("change", () => onChange?.(input.checked));
  return {
    element: h("div", { class: "control check" }, input, h("label", { for: id, text: label })),
    input,
  };
}
