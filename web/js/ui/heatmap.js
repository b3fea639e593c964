// A matrix as a heat map on a canvas: a colour legend, a hover read-out, and a text description
// for screen readers. Signed data (weights, gradients) use a diverging map centred on zero.
import { h } from "../dom.js";
import { formatNumber, t } from "../i18n.js";
import { colourAt, cssGradient } from "./palette.js";

/**
 * heatmap(container, {label, colormap: "viridis" | "diverging", maxCellPx, testid})
 *   .update(matrix, {min, max, rowLabels, colLabels})   matrix: number[][] (rows of numbers);
 *       rowLabels / colLabels: optional words beside each row (left) and above each column
 *   .onHover(fn(row, col, value)) fn(null) when the pointer leaves
 *   .labels                        {rows: [element…], cols: [element…]} of the last update
 */
export function heatmap(container, { label = "", colormap = "viridis", maxCellPx = 24, testid } = {}) {
  const canvas = h("canvas", { class: "heatmap-canvas", role: "img" });
  const readout = h("span", { class: "heatmap-readout", "aria-live": "off" });
  const low = h("span"), high = h("span");
  const legend = h("div", { class: "heatmap-legend" }, low, h("span", { class: "heatmap-ramp", style: `background: ${cssGradient(colormap)}` }), high);
  // Labels (when given) sit in a grid around the canvas: column labels above, row labels on the left.
  const rowBox = h("div", { class: "heatmap-row-labels", style: "display: grid; align-content: start; justify-items: end;" });
  const colBox = h("div", { class: "heatmap-col-labels", style: "display: grid; align-items: end;" });
  const corner = h("span");
  const grid = h("div", { class: "heatmap-grid", style: "display: grid; grid-template-columns: auto auto; gap: 0.25rem; justify-content: start;" }, corner, colBox, rowBox, canvas);
  const root = h("figure", { class: "heatmap", dataset: testid ? { testid } : {} }, label ? h("figcaption", { text: label }) : null, grid, legend, readout);
  container.append(root);
  let matrix = [[]];
  let hoverListener = null;
  const labels = { rows: [], cols: [] };

  function placeLabels(rowLabels = [], colLabels = [], cell) {
    const size = `${cell}px`;
    labels.rows = rowLabels.map((text) => h("span", { class: "heatmap-label", text, style: `height: ${size}; line-height: ${size}; white-space: nowrap;` }));
    labels.cols = colLabels.map((text) => h("span", { class: "heatmap-label", text, style: `width: ${size}; writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; text-align: left;` }));
    rowBox.replaceChildren(...labels.rows);
    colBox.replaceChildren(...labels.cols);
    colBox.style.gridTemplateColumns = `repeat(${colLabels.length}, ${size})`;
    rowBox.hidden = colBox.hidden = corner.hidden = !rowLabels.length && !colLabels.length;
  }

  function update(data, range = {}) {
    matrix = data.length ? data : [[]];
    const rows = matrix.length, cols = matrix[0].length;
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
    low.textContent = formatNumber(min, { maximumSignificantDigits: 3 });
    high.textContent = formatNumber(max, { maximumSignificantDigits: 3 });
    canvas.setAttribute("aria-label", t("heatmap.describe", { label, rows, cols, min: low.textContent, max: high.textContent }));
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
    readout.textContent = `[${row}, ${col}] = ${formatNumber(matrix[row][col], { maximumSignificantDigits: 4 })}`;
    hoverListener?.(row, col, matrix[row][col]);
  });
  canvas.addEventListener("pointerleave", () => {
    readout.textContent = "";
    hoverListener?.(null);
  });

  return { element: root, canvas, update, labels, onHover: (fn) => (hoverListener = fn) };
}
