// Translate: the source as the models read it (unknown words marked), the four variants'
// translations, and the chosen variant's alignment map (output × source, in words or subword
// pieces; the Transformer's cross-attention of one layer and head) as a heat map with its numbers.
// Pointing at (or focusing) an output word or a row of the map lights the source it looked at.
import { h } from "../../dom.js";
import { formatNumber, msg, setText, whenRelabelled } from "../../i18n.js";
import { heatmap } from "../../ui/heatmap.js";
import { alignmentMap, meanRows, unknownPieces } from "./alignment.js";
import { VARIANTS } from "./state.js";

/** A chip per token; `unknown[i]` marks the tokens holding a character never seen in training. */
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

/** translateView(container, {onVariant, mapControls, decoding}): mapControls are the selects shown
 * above the map ({variant, units, layer, head}: {element}; layer and head for the Transformer only),
 * `decoding` the decoding controls' element, shown under the translations. */
export function translateView(container, { onVariant, mapControls, decoding }) {
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
  const crossControls = h(
    "div",
    { class: "cross-controls" },
    mapControls.layer.element,
    mapControls.head.element,
  );
  const controls = h("div", { class: "map-controls" }, mapControls.units.element, crossControls);
  const variantRow = h("div", { class: "map-controls" }, mapControls.variant.element);
  const mapBox = h("div", { class: "map-box" });
  const noMap = h("p", { class: "hint no-map", text: msg("attention.map.none") });
  const map = heatmap(mapBox, {
    label: msg("attention.map.label"),
    colormap: "viridis",
    maxCellPx: 34,
    testid: "attention-map",
  });
  const crossHint = h("p", { class: "hint cross-hint", dataset: { testid: "cross-hint" } });
  const numbers = h("table", { class: "numbers", dataset: { testid: "attention-numbers" } });
  const details = h(
    "details",
    { class: "numbers-box" },
    h("summary", { text: msg("attention.map.numbers") }),
    numbers,
  );
  container.append(
    source,
    list,
    decoding,
    h("div", { class: "map-area" }, variantRow, controls, crossHint, mapBox, noMap, details),
  );

  let chips = [],
    current = null;

  /** Light the source chips by map row `row` (null clears). */
  function light(row) {
    lightChips(chips, row === null || !current?.shown ? null : current.shown.matrix[row]);
    current?.wordButtons.forEach((b, i) => b.classList.toggle("lit", i === current.wordOfRow(row)));
  }
  map.onHover((row) => light(row));

  function wordButtons(words, variant, target) {
    const isChosen = () => variant === current?.variant;
    const enter = (i) => isChosen() && current.shown && lightChips(chips, current.wordRow(i));
    const buttons = words.map((word, i) =>
      h("button", {
        type: "button",
        class: "out-word",
        text: word,
        onpointerenter: () => enter(i),
        onfocus: () => enter(i),
        onpointerleave: () => light(null),
        onblur: () => light(null),
      }),
    );
    target.replaceChildren(...buttons.flatMap((b, i) => (i ? [" ", b] : [b])));
    return buttons;
  }

  /** The matrix as numbers, in the language in use (redrawn on a switch). */
  function drawNumbers() {
    if (!current?.shown) return;
    const { matrix, rows: names, columns } = current.shown;
    numbers.replaceChildren(
      h(
        "tr",
        {},
        h("th"),
        columns.map((column) => h("th", { scope: "col", text: column })),
      ),
      ...matrix.map((row, i) =>
        h(
          "tr",
          {},
          h("th", { scope: "row", text: names[i] }),
          row.map((w) => h("td", { text: formatNumber(w, { maximumFractionDigits: 3 }) })),
        ),
      ),
    );
  }
  whenRelabelled(numbers, drawNumbers);

  /** Show a translations result (pizarra.attention.explain.translations) with `variant` chosen and
   * its map as `options` say ({units, layer, head}). */
  function show(result, variant, options) {
    const inPieces = options.units === "pieces";
    chips = tokenChips(
      source,
      inPieces ? result.pieces : result.words,
      inPieces ? unknownPieces(result) : result.unknown,
    );
    list.dataset.words = result.words.join(" "); // what is on screen is the translation of these words
    const buttons = {};
    for (const v of VARIANTS) {
      const words = result.variants[v]?.words ?? [];
      buttons[v] = wordButtons(words.length ? words : ["∅"], v, rows[v].words);
      rows[v].row.classList.toggle("chosen", v === variant);
      rows[v].words.dataset.testid = v === variant ? "translation" : "";
    }
    const out = result.variants[variant];
    const shown = alignmentMap(result, out, options);
    const spans = out.spans.map(([a, b]) => [a, b]);
    current = {
      variant,
      shown,
      wordButtons: buttons[variant],
      // an output word's row of weights over the chips, and the output word of a map row
      wordRow: (i) => (inPieces ? meanRows(shown.matrix, spans[i] ?? [i, i + 1]) : shown.matrix[i]),
      wordOfRow: (row) =>
        row === null ? -1 : inPieces ? spans.findIndex(([a, b]) => a <= row && row < b) : row,
    };
    crossControls.hidden = !out.heads;
    crossHint.hidden = !out.heads;
    if (out.heads) {
      if (options.head < 0) setText(crossHint, "attention.cross.mean", { layer: options.layer + 1 });
      else setText(crossHint, "attention.cross.head", { layer: options.layer + 1, head: options.head + 1 });
    }
    noMap.hidden = Boolean(shown);
    controls.hidden = map.element.hidden = details.hidden = !shown;
    if (!shown) crossHint.hidden = true;
    if (!shown) return;
    map.update(shown.matrix, { min: 0, max: 1, rowLabels: shown.rows, colLabels: shown.columns });
    map.labels.rows.forEach((label, i) => {
      label.addEventListener("pointerenter", () => light(i));
      label.addEventListener("pointerleave", () => light(null));
    });
    drawNumbers();
  }

  function clear() {
    chips = tokenChips(source, []);
    list.dataset.words = "";
    for (const v of VARIANTS) rows[v].words.replaceChildren();
    controls.hidden = map.element.hidden = details.hidden = crossHint.hidden = true;
    noMap.hidden = true;
    current = null;
  }

  return { show, clear };
}
