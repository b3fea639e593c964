// Form controls shared by the pages: labelled, keyboard- and touch-friendly.
import { h } from "../dom.js";
import { formatNumber } from "../i18n.js";

let nextId = 0;
const uid = (prefix) => `${prefix}-${++nextId}`;

/** A labelled range slider with its value shown; onInput(value) fires while dragging. */
export function slider({ label, min, max, step = 1, value, format = (v) => formatNumber(v), onInput, testid }) {
  const id = uid("slider");
  const output = h("output", { for: id, text: format(value) });
  const input = h("input", { id, type: "range", min, max, step, value, dataset: testid ? { testid } : {} });
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

/** A labelled select; options: [{value, label}]. */
export function select({ label, options, value, onChange, testid }) {
  const id = uid("select");
  const input = h("select", { id, dataset: testid ? { testid } : {} }, options.map((o) => h("option", { value: o.value, selected: o.value === value }, o.label)));
  input.addEventListener("change", () => onChange?.(input.value));
  return { element: h("div", { class: "control select" }, h("label", { for: id, text: label }), input), input };
}

/** A labelled number field; onChange(value) with a finite number, or onInvalid() when it is not one. */
export function numberField({ label, value, step = "any", onChange, onInvalid, testid }) {
  const id = uid("number");
  const input = h("input", { id, type: "number", step, value, inputmode: "decimal", dataset: testid ? { testid } : {} });
  input.addEventListener("input", () => {
    const v = Number(input.value);
    if (input.value.trim() !== "" && Number.isFinite(v)) onChange?.(v);
    else onInvalid?.();
  });
  return { element: h("div", { class: "control number" }, h("label", { for: id, text: label }), input), input };
}
