// Inside the recurrent model: what it computed at every character of the prompt and the generated
// text — the hidden state h_t, and for the LSTM the cell C_t and the gates — as a heat map with one
// row per unit. Pointing at a row (or choosing its number) colours the text by that unit.
import { h } from "../../dom.js";
import { t, formatNumber } from "../../i18n.js";
import { heatmap } from "../../ui/heatmap.js";
import { colourAt } from "../../ui/palette.js";
import { visible } from "./side-by-side.js";

const SIGNED = new Set(["h", "c", "g", "n"]); // tanh-like values in [-1, 1] (c unbounded); the gates lie in [0, 1]

/** Decode lm_inside's answer into rows (units) of columns (steps). */
export function unitRows(answer) {
  const bytes = Uint8Array.from(atob(answer.values), (c) => c.charCodeAt(0));
  const values = new Int8Array(bytes.buffer);
  return Array.from({ length: answer.units }, (_, unit) =>
    Array.from({ length: answer.steps }, (_, step) => (values[step * answer.units + unit] / 127) * answer.scale));
}

export function insideView(container, { onUnit } = {}) {
  const mapBox = h("div", { class: "inside-map" });
  const unitInput = h("input", { type: "number", min: 0, value: 0, id: "lm-unit", inputmode: "numeric", dataset: { testid: "unit" } });
  const unitLabel = h("label", { for: "lm-unit", text: t("lm.inside.unit") });
  const strip = h("p", { class: "unit-strip", dataset: { testid: "unit-strip" } });
  const caption = h("p", { class: "hint" });
  container.append(mapBox, h("div", { class: "control number" }, unitLabel, unitInput), caption, strip);
  let map = null, rows = null, answer = null;

  function colourText(unit) {
    if (!rows || unit === null || !(unit >= 0 && unit < rows.length)) return;
    const signed = SIGNED.has(answer.what);
    const scale = Math.max(1e-9, ...rows[unit].map(Math.abs));
    strip.replaceChildren(...answer.tokens.map((token, step) => {
      const v = rows[unit][step];
      const [r, g, b] = colourAt(signed ? "diverging" : "viridis", signed ? 0.5 + v / (2 * scale) : v);
      return h("span", { class: "unit-char", style: `background: rgb(${r} ${g} ${b})`, title: formatNumber(v, { maximumSignificantDigits: 3 }), text: token === "\n" ? "↵ " : visible(token) === "␣" ? " " : visible(token) });
    }));
    caption.textContent = t("lm.inside.caption", { unit, what: t(`lm.inside.${answer.what}`) });
    unitInput.value = unit;
    onUnit?.(unit);
  }

  unitInput.addEventListener("input", () => colourText(Number(unitInput.value)));

  return {
    show(next) {
      answer = next;
      rows = unitRows(next);
      mapBox.replaceChildren();
      map = heatmap(mapBox, { label: t("lm.inside.map", { what: t(`lm.inside.${next.what}`), units: next.units, steps: next.steps }), colormap: SIGNED.has(next.what) ? "diverging" : "viridis", testid: "inside-heatmap" });
      map.update(rows, SIGNED.has(next.what) ? {} : { min: 0, max: 1 });
      map.onHover((row) => row !== null && colourText(row));
      unitInput.max = next.units - 1;
      colourText(Math.min(Number(unitInput.value) || 0, next.units - 1));
    },
  };
}
