// Inside the recurrent model: what it computed at every token (word or character) of the prompt and
// the generated text — the hidden state h_t, and for the LSTM the cell C_t and the gates — as a heat map with one
// row per unit. Pointing at a row (or choosing its number) colours the text by that unit.
import { h } from "../../dom.js";
import { msg, setText, formatNumber, whenRelabelled } from "../../i18n.js";
import { heatmap } from "../../ui/heatmap.js";
import { numberField } from "../../ui/controls.js";
import { colourAt } from "../../ui/palette.js";
import { visible, gapBefore } from "./side-by-side.js";

const SIGNED = new Set(["h", "c", "g", "n"]); // tanh-like values in [-1, 1] (c unbounded); the gates lie in [0, 1]
const UNIT = { type: "int", min: 0, max: 0 }; // the unit to colour the text by: its maximum follows the model

/** Decode lm_inside's answer into rows (units) of columns (steps). */
export function unitRows(answer) {
  const bytes = Uint8Array.from(atob(answer.values), (c) => c.charCodeAt(0));
  const values = new Int8Array(bytes.buffer);
  return Array.from({ length: answer.units }, (_, unit) =>
    Array.from(
      { length: answer.steps },
      (_, step) => (values[step * answer.units + unit] / 127) * answer.scale,
    ),
  );
}

export function insideView(container) {
  const mapBox = h("div", { class: "inside-map" });
  const unitField = numberField({
    spec: UNIT,
    label: msg("lm.inside.unit"),
    value: 0,
    testid: "unit",
    onChange: colourText,
  });
  const strip = h("p", { class: "unit-strip", dataset: { testid: "unit-strip" } });
  const caption = h("p", { class: "hint" });
  container.append(mapBox, unitField.element, caption, strip);
  let rows = null,
    answer = null,
    unit = 0,
    level = "char";

  function colourText(next) {
    if (!rows || !(next >= 0 && next < rows.length)) return;
    unit = next;
    const signed = SIGNED.has(answer.what);
    const scale = Math.max(1e-9, ...rows[unit].map(Math.abs));
    strip.replaceChildren(
      ...answer.tokens.flatMap((token, step) => {
        const v = rows[unit][step];
        const [r, g, b] = colourAt(signed ? "diverging" : "viridis", signed ? 0.5 + v / (2 * scale) : v);
        const text = token === "\n" ? "↵ " : visible(token) === "␣" ? " " : visible(token);
        const title = formatNumber(v, { maximumSignificantDigits: 3 });
        const span = h("span", { class: "unit-char", style: `background: rgb(${r} ${g} ${b})`, title, text });
        const gap = gapBefore(token, step ? answer.tokens[step - 1] : null, level);
        return gap ? [gap, span] : [span];
      }),
    );
    setText(caption, "lm.inside.caption", { unit, what: msg(`lm.inside.${answer.what}`) });
  }
  /** A unit chosen on the map (or kept for a new answer): its number in the field too. */
  function pick(row) {
    unitField.set(row);
    colourText(row);
  }
  whenRelabelled(strip, () => colourText(unit)); // each character's value in the new language's numbers

  return {
    /** lm_inside's answer, for a text written at `nextLevel` (words are spaced). */
    show(next, nextLevel) {
      answer = next;
      level = nextLevel;
      rows = unitRows(next);
      mapBox.replaceChildren();
      const signed = SIGNED.has(next.what);
      const map = heatmap(mapBox, {
        label: msg("lm.inside.map", {
          what: msg(`lm.inside.${next.what}`),
          units: next.units,
          steps: next.steps,
        }),
        colormap: signed ? "diverging" : "viridis",
        testid: "inside-heatmap",
      });
      map.update(rows, signed ? {} : { min: 0, max: 1 });
      map.onHover((row) => row !== null && pick(row));
      unitField.setRange({ min: 0, max: next.units - 1 });
      pick(Math.min(unit, next.units - 1));
    },
  };
}
