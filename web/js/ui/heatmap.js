// A matrix as a heat map on a canvas: a colour legend, a hover read-out, and a text description
// for screen readers. Signed data (weights, gradients) use a diverging map centred on zero.
// With `selectable`, a cell is picked by tap, click or the arrow keys (the canvas takes focus)
// and stays picked: what hover shows on a desk is reachable by touch and keyboard too.
import { h } from "../dom.js";
import { formatNumber, t, whenRelabelled } from "../i18n.js";
import { colourAt, cssGradient } from "./palette.js";

/**
 * heatmap(container, {label, colormap: "viridis" | "diverging", maxCellPx, selectable, testid})
 *   .update(matrix, {min, max, rowLabels, colLabels})   matrix: number[][] (rows of numbers);
 *       rowLabels / colLabels: optional words beside each row (left) and above each column
 *   .onHover(fn(row, col, value)) fn(null) when the pointer leaves
 *   .onSelect(fn(row, col, value)) the picked cell (selectable maps); fn(null) when none is
 *   .select(row, col) | .select(null)
 *   .labels                        {rows: [element…], cols: [element…]} of the last update
 */
export function heatmap(
  container,
  { label = "", colormap = "viridis", maxCellPx = 24, selectable = false, testid } = {},
) {
  const canvas = h("canvas", { class: "heatmap-canvas", role: "img", tabindex: selectable ? "0" : null });
  const cursor = h("span", { class: "heatmap-cursor", hidden: true, "aria-hidden": "true" });
  const canvasBox = h("div", { class: "heatmap-canvas-box" }, canvas, cursor);
  const readout = h("span", { class: "heatmap-readout", "aria-live": "off" });
  const low = h("span"),
    high = h("span");
  const legend = h(
    "div",
    { class: "heatmap-legend" },
    low,
    h("span", { class: "heatmap-ramp", style: `background: ${cssGradient(colormap)}` }),
    high,
  );
  // Labels (when given) sit in a grid around the canvas: column labels above, row labels on the left.
  // Their layout is set through CSSOM (el.style), which a Content-Security-Policy without inline styles allows.
  const rowBox = styled(
    h("div", { class: "heatmap-row-labels" }),
    "display: grid; align-content: start; justify-items: end;",
  );
  const colBox = styled(h("div", { class: "heatmap-col-labels" }), "display: grid; align-items: end;");
  const corner = h("span");
  const grid = styled(
    h("div", { class: "heatmap-grid" }, corner, colBox, rowBox, canvasBox),
    "display: grid; grid-template-columns: auto auto; gap: 0.25rem; justify-content: start;",
  );
  const root = h(
    "figure",
    { class: "heatmap", dataset: testid ? { testid } : {} },
    label ? h("figcaption", { text: label }) : null,
    grid,
    legend,
    readout,
  );
  container.append(root);
  let matrix = [[]];
  let hoverListener = null,
    selectListener = null;
  let picked = null; // [row, col] of the selected cell
  let describe = () => {}; // the legend's numbers and the description, in the language in use
  const labels = { rows: [], cols: [] };

  function placeLabels(rowLabels = [], colLabels = [], cell) {
    const size = `${cell}px`;
    labels.rows = rowLabels.map((text) =>
      styled(
        h("span", { class: "heatmap-label", text }),
        `height: ${size}; line-height: ${size}; white-space: nowrap;`,
      ),
    );
    labels.cols = colLabels.map((text) =>
      styled(
        h("span", { class: "heatmap-label", text }),
        `width: ${size}; writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; text-align: left;`,
      ),
    );
    rowBox.replaceChildren(...labels.rows);
    colBox.replaceChildren(...labels.cols);
    colBox.style.gridTemplateColumns = `repeat(${colLabels.length}, ${size})`;
    rowBox.hidden = colBox.hidden = corner.hidden = !rowLabels.length && !colLabels.length;
  }

  function update(data, range = {}) {
    matrix = data.length ? data : [[]];
    const rows = matrix.length,
      cols = matrix[0].length;
    const values = matrix.flat().filter(Number.isFinite);
    let min = range.min ?? Math.min(...values, 0);
    let max = range.max ?? Math.max(...values, 0);
    if (colormap === "diverging") max = -(min = -Math.max(Math.abs(min), Math.abs(max), 1e-12));
    const cell = Math.max(1, Math.min(maxCellPx, Math.floor(320 / Math.max(cols, 1))));
    canvas.width = cols;
    canvas.height = rows;
    canvas.style.width = `${cols * cell}px`;
    canvas.style.height = `${rows * cell}px`;
    const context = canvas.getContext("2d");
    const image = context.createImageData(Math.max(cols, 1), Math.max(rows, 1));
    matrix.flat().forEach((v, i) => {
      const [r, g, b] = colourAt(colormap, (v - min) / (max - min || 1));
      image.data.set([r, g, b, Number.isFinite(v) ? 255 : 60], i * 4);
    });
    if (rows && cols) context.putImageData(image, 0, 0);
    placeLabels(range.rowLabels, range.colLabels, cell);
    describe = () => {
      low.textContent = formatNumber(min, { maximumSignificantDigits: 3 });
      high.textContent = formatNumber(max, { maximumSignificantDigits: 3 });
      canvas.setAttribute(
        "aria-label",
        t("heatmap.describe", {
          label: String(label),
          rows,
          cols,
          min: low.textContent,
          max: high.textContent,
        }),
      );
      if (picked) readout.textContent = cellText(...picked);
    };
    describe();
    if (picked && (picked[0] >= rows || picked[1] >= cols)) select(null);
    else if (picked) select(...picked);
  }
  whenRelabelled(root, () => describe());

  const cellText = (row, col) =>
    `[${row}, ${col}] = ${formatNumber(matrix[row][col], { maximumSignificantDigits: 4 })}`;

  /** Pick a cell (it stays framed and read out) or none. */
  function select(row, col) {
    picked = row === null || row === undefined ? null : [row, col];
    cursor.hidden = !picked;
    if (picked) {
      const rows = matrix.length,
        cols = matrix[0].length;
      Object.assign(cursor.style, {
        top: `${(row / rows) * 100}%`,
        left: `${(col / cols) * 100}%`,
        width: `${100 / cols}%`,
        height: `${100 / rows}%`,
      });
      readout.textContent = cellText(row, col);
    } else readout.textContent = "";
    selectListener?.(...(picked ? [row, col, matrix[row][col]] : [null]));
  }

  function cellAt(event) {
    const box = canvas.getBoundingClientRect();
    const col = Math.floor(((event.clientX - box.left) / box.width) * matrix[0].length);
    const row = Math.floor(((event.clientY - box.top) / box.height) * matrix.length);
    return row >= 0 && col >= 0 && row < matrix.length && col < matrix[0].length ? [row, col] : null;
  }

  canvas.addEventListener("pointermove", (event) => {
    const at = cellAt(event);
    if (!at) return;
    const [row, col] = at;
    readout.textContent = cellText(row, col);
    hoverListener?.(row, col, matrix[row][col]);
  });
  canvas.addEventListener("pointerleave", () => {
    readout.textContent = picked ? cellText(...picked) : "";
    hoverListener?.(null);
  });
  if (selectable) {
    canvas.addEventListener("click", (event) => {
      const at = cellAt(event);
      if (at) select(...at);
    });
    canvas.addEventListener("keydown", (event) => {
      const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      const move = moves[event.key];
      const clamp = (v, n) => Math.max(0, Math.min(n - 1, v));
      if (event.key === "Escape" && picked) select(null);
      else if (move && !picked) select(0, 0);
      else if (move)
        select(clamp(picked[0] + move[0], matrix.length), clamp(picked[1] + move[1], matrix[0].length));
      else return;
      event.preventDefault();
    });
  }

  return {
    element: root,
    canvas,
    update,
    labels,
    select,
    onHover: (fn) => (hoverListener = fn),
    onSelect: (fn) => (selectListener = fn),
  };
}

/** `element` with inline styles set through CSSOM (a Content-Security-Policy may block style attributes). */
function styled(element, css) {
  element.style.cssText = css;
  return element;
}
