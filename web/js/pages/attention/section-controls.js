// What the translate and self-attention sections share: a sentence box with the button that runs
// it, and the selects that only change how an answer already on screen is drawn.
import { h } from "../../dom.js";
import { msg } from "../../i18n.js";
import { select } from "../../ui/controls.js";
import { SCHEMA } from "./state.js";

/** sentenceForm({id, key, value, testid, label, button, buttonTestid, onSubmit}, ...after) →
 * {form, input}: a text box for the link key `key` (its maximum length from the SCHEMA) labelled by
 * the message `label`, a submit button saying `button`, and `after` (elements) below them. */
export function sentenceForm({ id, key, value, testid, label, button, buttonTestid, onSubmit }, ...after) {
  const input = h("input", {
    type: "text",
    class: "sentence-input",
    id,
    maxlength: SCHEMA[key].maxLength,
    value,
    dataset: { testid },
    autocomplete: "off",
    spellcheck: "false",
  });
  const form = h(
    "form",
    {
      class: "sentence-form",
      onsubmit: (event) => {
        event.preventDefault();
        onSubmit();
      },
    },
    h("label", { for: id, text: msg(label) }),
    h(
      "div",
      { class: "sentence-row" },
      input,
      h("button", {
        type: "submit",
        class: "button primary",
        dataset: { testid: buttonTestid },
        text: msg(button),
      }),
    ),
    ...after,
  );
  return { form, input };
}

/** redrawSelect({state, save, redraw}) → (key, testid, optionLabel) → select: a select of the link
 * key `key` whose change is saved and redraws what Python already answered (no new request). */
export function redrawSelect({ state, save, redraw }) {
  return (key, testid, optionLabel) =>
    select({
      spec: SCHEMA[key],
      label: msg(`attention.${key}`),
      value: state[key],
      optionLabel,
      testid,
      onChange: (value) => {
        save({ [key]: value });
        redraw();
      },
    });
}
