// Translate: the source words as the model reads them (unknown ones marked), each variant's
// translation, and the chosen variant's attention matrix (target × source words) as a heat map.
// Pointing at (or focusing) an output word lights its source words by their weights w_ij.
import { h } from "../../dom.js";
import { formatNumber, msg, whenRelabelled } from "../../i18n.js";
import { heatmap } from "../../ui/heatmap.js";
import { VARIANTS } from "./state.js";

/** A word chip per token; `unknown[i]` marks the tokens outside the vocabulary. */
export function tokenChips(container, tokens, unknown = []) {
  const chips = tokens.map((word, i) =>
    h("span", {
      class: `token${unknown[i] ? " unknown" : ""}`,
      title: unknown[i] ? msg("attention.unknown.word") : null,
      text: word,
    }),
  );
  container.replaceChildren(...chips);
  return chips;
}

/** Light each chip by a weight in [0, 1] (null clears). */
export function lightChips(chips, weights) {
  chips.forEach((chip, j) => {
    const w = weights ? (weights[j] ?? 0) : 0;
    chip.style.setProperty("--weight", String(w));
    chip.classList.toggle("lit", Boolean(weights));
  });
}

export function translateView(container, { onVariant }) {
  const source = h("p", { class: "tokens source-tokens", "aria-label": msg("attention.source.label") });
  const rows = Object.fromEntries(
    VARIANTS.map((variant) => {
      const words = h("span", { class: "translation-words" });
      const name = h("button", {
        type: "button",
        class: "variant-name",
        text: msg(`attention.variant.${variant}`),
        onclick: () => onVariant(variant),
      });
      return [
        variant,
        { row: h("li", { class: "translation-row", dataset: { variant } }, name, words), words },
      ];
    }),
  );
  const list = h(
    "ul",
    { class: "translations", dataset: { testid: "translations" } },
    Object.values(rows).map(({ row }) => row),
  );
  const mapBox = h("div", { class: "map-box" });
  const noMap = h("p", { class: "hint no-map", text: msg("attention.map.none") });
  const map = heatmap(mapBox, {
    label: msg("attention.map.label"),
    colormap: "viridis",
    maxCellPx: 34,
    testid: "attention-map",
  });
  const numbers = h("table", { class: "numbers", dataset: { testid: "attention-numbers" } });
  const details = h(
    "details",
    { class: "numbers-box" },
    h("summary", { text: msg("attention.map.numbers") }),
    numbers,
  );
  container.append(source, list, h("div", { class: "map-area" }, mapBox, noMap, details));

  let chips = [],
    current = null;

  function light(row) {
    lightChips(chips, row === null || !current?.weights ? null : current.weights[row]);
    current?.wordButtons.forEach((b, i) => b.classList.toggle("lit", i === row));
  }
  map.onHover((row) => light(row));

  function wordButtons(words, variant, target) {
    const isChosen = () => variant === current?.variant;
    const buttons = words.map((word, i) =>
      h("button", {
        type: "button",
        class: "out-word",
        text: word,
        onpointerenter: () => isChosen() && light(i),
        onfocus: () => isChosen() && light(i),
        onpointerleave: () => light(null),
        onblur: () => light(null),
      }),
    );
    target.replaceChildren(...buttons.flatMap((b, i) => (i ? [" ", b] : [b])));
    return buttons;
  }

  /** The matrix as numbers, in the language in use (redrawn on a switch). */
  function drawNumbers() {
    if (!current?.weights) return;
    const { tokens, outWords, weights } = current;
    numbers.replaceChildren(
      h(
        "tr",
        {},
        h("th"),
        tokens.map((word) => h("th", { scope: "col", text: word })),
      ),
      ...weights.map((row, i) =>
        h(
          "tr",
          {},
          h("th", { scope: "row", text: outWords[i] }),
          row.map((w) => h("td", { text: formatNumber(w, { maximumFractionDigits: 3 }) })),
        ),
      ),
    );
  }
  whenRelabelled(numbers, drawNumbers);

  /** Show a translations result (pizarra.attention.explain.translations) with `variant` chosen. */
  function show(result, variant) {
    chips = tokenChips(source, result.tokens, result.unknown);
    list.dataset.tokens = result.tokens.join(" "); // what is on screen is the translation of these words
    const buttons = {};
    for (const v of VARIANTS) {
      const words = result.variants[v].tokens;
      buttons[v] = wordButtons(words.length ? words : ["∅"], v, rows[v].words);
      rows[v].row.classList.toggle("chosen", v === variant);
      rows[v].words.dataset.testid = v === variant ? "translation" : "";
    }
    const weights = result.variants[variant].weights;
    const outWords = weights && [...result.variants[variant].tokens, "</s>"].slice(0, weights.length);
    current = { variant, weights, wordButtons: buttons[variant], tokens: result.tokens, outWords };
    noMap.hidden = Boolean(weights);
    map.element.hidden = details.hidden = !weights;
    if (!weights) return;
    map.update(weights, { min: 0, max: 1, rowLabels: outWords, colLabels: result.tokens });
    map.labels.rows.forEach((label, i) => {
      label.addEventListener("pointerenter", () => light(i));
      label.addEventListener("pointerleave", () => light(null));
    });
    drawNumbers();
  }

  function clear() {
    chips = tokenChips(source, []);
    list.dataset.tokens = "";
    for (const v of VARIANTS) rows[v].words.replaceChildren();
    map.element.hidden = details.hidden = true;
    noMap.hidden = true;
    current = null;
  }

  return { show, clear };
}
