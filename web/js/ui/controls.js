// Form controls shared by the pages: labelled, keyboard- and touch-friendly. Each is built from
// the schema entry of the value it sets (see url-state.js): its choices and bounds are the ones
// the link accepts, so a control always shows the value in use.
import { h } from "../dom.js";
import { formatNumber } from "../i18n.js";
import { parseValue } from "../url-state.js";

let nextId = 0;
const uid = (prefix) => `${prefix}-${++nextId}`;
const isNumber = (spec) => spec.type === "int" || spec.type === "float";
const testHook = (testid) => (testid ? { testid } : {});

/** A labelled range slider over spec.min…spec.max by spec.step, with its value shown; onInput(value) fires while dragging. */
export function slider({ spec, label, value, format = (v) => formatNumber(v), onInput, testid }) {
  const id = uid("slider");
  const output = h("output", { for: id, text: format(value) });
  const input = h("input", { id, type: "range", min: spec.min, max: spec.max, step: spec.step ?? 1, value, dataset: testHook(testid) });
  input.addEventListener("input", () => {
    output.textContent = format(Number(input.value));
    onInput?.(Number(input.value));
  });
  const element = h("div", { class: "control slider" }, h("label", { for: id, text: label }), input, output);
  return {
    element,
    input,
    set(v) {
      input.value = v;
      output.textContent = format(Number(v));
    },
  };
}

/**
 * A labelled select of the spec's choices: an enum's values, or a number's presets plus the value
 * in use when it is not one of them (a link may carry any value within the bounds).
 * optionLabel(value) gives a choice's words; onChange(value) gets the value typed as the spec says.
 */
export function select({ spec, label, value, optionLabel = (v) => (isNumber(spec) ? formatNumber(v) : v), onChange, testid }) {
  const id = uid("select");
  const options = choices(spec, value).map((v) => h("option", { value: String(v), selected: v === value }, optionLabel(v)));
  const input = h("select", { id, dataset: testHook(testid) }, options);
  input.addEventListener("change", () => onChange?.(parseValue(input.value, spec)));
  return { element: h("div", { class: "control select" }, h("label", { for: id, text: label }), input), input };
}

function choices(spec, value) {
  if (!isNumber(spec)) return spec.values;
  return spec.presets.includes(value) ? spec.presets : [...spec.presets, value].sort((a, b) => a - b);
}

/** A labelled number field within the spec's bounds; onChange(value) with a value the spec accepts, else onInvalid(). */
export function numberField({ spec, label, value, onChange, onInvalid, testid }) {
  const id = uid("number");
  const step = spec.type === "int" ? 1 : spec.step ?? "any";
  const input = h("input", { id, type: "number", min: spec.min, max: spec.max, step, value, inputmode: "decimal", dataset: testHook(testid) });
  input.addEventListener("input", () => {
    const v = parseValue(input.value.trim(), spec);
    if (v === undefined) onInvalid?.();
    else onChange?.(v);
  });
  return { element: h("div", { class: "control number" }, h("label", { for: id, text: label }), input), input };
}

/** A labelled checkbox for a yes/no value; onChange(checked). */
export function checkbox({ label, value, onChange, testid }) {
  const id = uid("check");
  const input = h("input", { id, type: "checkbox", checked: value, dataset: testHook(testid) });
  input.addEventListener("change", () => onChange?.(input.checked));
  return { element: h("div", { class: "control check" }, input, h("label", { for: id, text: label })), input };
}
