// The expression's variables: a slider and an exact field each (the shared number field: either
// decimal separator, the language's shown, bad input marked and explained). The slider spans
// −5…5 and widens to hold any value the field or the link sets (±10, ±20, ±50…), so it never
// shows another value than the one in use.
import { h } from "../../dom.js";
import { msg } from "../../i18n.js";
import { slider, numberField } from "../../ui/controls.js";
import { VARIABLE, variableSlider } from "./state.js";

/** variablesView(container, {onChange(name, value)}) → .render(values {name: number}) */
export function variablesView(container, { onChange }) {
  function variable(name, value) {
    const range = slider({
      spec: variableSlider(value),
      label: name,
      value,
      testid: `var-${name}-slider`,
      onInput: (v) => {
        field.set(v);
        onChange(name, v);
      },
    });
    const field = numberField({
      spec: VARIABLE,
      label: msg("backprop.variable.exact", { name }),
      value,
      testid: `var-${name}`,
      onChange: (v) => {
        range.setRange(variableSlider(v));
        range.set(v);
        onChange(name, v);
      },
    });
    return h("div", { class: "backprop-variable" }, range.element, field.element);
  }

  return {
    /** Build the controls for these variables, unless the same ones are being edited. */
    render(values) {
      const names = Object.keys(values).join(",");
      if (container.contains(document.activeElement) && container.dataset.names === names) return;
      container.dataset.names = names;
      container.replaceChildren(...Object.entries(values).map(([name, value]) => variable(name, value)));
    },
  };
}
