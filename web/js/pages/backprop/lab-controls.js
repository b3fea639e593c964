// The lab's settings: data, network and training, each control built from its SCHEMA entry. A
// change is handed to `onChange(key, value)` (the section starts a new run); a slider shows its
// value in `settings` while dragging and hands it over when released.
import { h } from "../../dom.js";
import { msg, formatNumber, formatPercent } from "../../i18n.js";
import { slider, select, numberField, checkbox } from "../../ui/controls.js";
import { SCHEMA } from "./state.js";

const ACTIVATIONS = {
  sigmoid: "σ (sigmoid)",
  tanh: "tanh",
  relu: "ReLU",
  leaky_relu: "LeakyReLU",
  elu: "ELU",
};
const OPTIMIZERS = { sgd: "SGD", adam: "Adam" }; // and momentum, in each language's words
const percent = (v) => formatPercent(v, { decimals: 0 }); // settings in whole-percent steps
const rate = (v) => formatNumber(v, { maximumSignificantDigits: 2 });

/** labControls({settings, onChange}) → the element holding the three fieldsets */
export function labControls({ settings, onChange }) {
  const choice = (key, label, optionLabel) =>
    select({
      spec: SCHEMA[key],
      label,
      value: settings[key],
      optionLabel,
      testid: `lab-${key}`,
      onChange: (v) => onChange(key, v),
    }).element;
  const range = (key, label, format = (v) => formatNumber(v)) => {
    const control = slider({
      spec: SCHEMA[key],
      label,
      value: settings[key],
      format,
      testid: `lab-${key}`,
      onInput: (v) => {
        settings[key] = v;
      },
    });
    control.input.addEventListener("change", () => onChange(key, Number(control.input.value)));
    return control.element;
  };
  const seedField = numberField({
    spec: SCHEMA.seed,
    label: msg("backprop.lab.seed"),
    value: settings.seed,
    testid: "lab-seed",
    onChange: (v) => onChange("seed", v),
  });
  const reseed = () => {
    const seed = (settings.seed * 1103515245 + 12345) % 2 ** 31;
    seedField.set(seed);
    onChange("seed", seed);
  };
  const earlyStopping = checkbox({
    label: msg("backprop.lab.es"),
    value: settings.es,
    testid: "lab-es",
    onChange: (v) => onChange("es", v),
  });

  return h(
    "div",
    { class: "backprop-lab-controls" },
    h(
      "fieldset",
      {},
      h("legend", { text: msg("backprop.lab.data") }),
      choice("data", msg("backprop.lab.dataset"), (v) => msg(`backprop.data.${v}`)),
      range("noise", msg("backprop.lab.noise")),
      range("n", msg("backprop.lab.points")),
      range("val", msg("backprop.lab.validation"), percent),
      h(
        "div",
        { class: "backprop-seed" },
        seedField.element,
        h(
          "button",
          { type: "button", class: "button", dataset: { testid: "lab-reseed" }, onclick: reseed },
          msg("backprop.lab.reseed"),
        ),
      ),
    ),
    h(
      "fieldset",
      {},
      h("legend", { text: msg("backprop.lab.network") }),
      range("depth", msg("backprop.lab.depth")),
      range("width", msg("backprop.lab.width")),
      choice("act", msg("backprop.lab.activation"), (v) => ACTIVATIONS[v]),
      choice("init", msg("backprop.lab.init"), (v) => msg(`backprop.init.${v}`)),
    ),
    h(
      "fieldset",
      {},
      h("legend", { text: msg("backprop.lab.training") }),
      choice("opt", msg("backprop.lab.optimizer"), (v) =>
        v === "momentum" ? msg("backprop.opt.momentum") : OPTIMIZERS[v],
      ),
      choice("lr", msg("backprop.lab.lr"), rate),
      choice("batch", msg("backprop.lab.batch"), (v) =>
        v === SCHEMA.batch.max ? msg("backprop.lab.batch.all") : String(v),
      ),
      choice("l2", msg("backprop.lab.l2"), (v) => (v ? rate(v) : msg("backprop.lab.none"))),
      range("drop", msg("backprop.lab.dropout"), percent),
      earlyStopping.element,
      range("patience", msg("backprop.lab.patience")),
    ),
  );
}
