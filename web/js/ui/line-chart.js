// Line charts (loss curves, accuracy, gradient norms) with uPlot, copied from npm by build.py.
// Series colours are colour-blind safe; the chart follows its container's width, and the theme
// and language live: axis text and grid read the theme's colours every time they are drawn, and
// labels given as i18n.js messages (msg()) change with the language, without losing any data.
//
// Ghost curves: ghost() keeps the curves on screen, faded and dashed, under the next run's
// (a run with a new setting is compared with the one before it); clearGhost() drops them.
import uPlot from "../../vendor/uplot/uPlot.esm.js";
import { h } from "../dom.js";
import { formatNumber, t, whenRelabelled } from "../i18n.js";
import { SERIES_COLOURS } from "./palette.js";

const GHOST_ALPHA = "59"; // 35 % opacity, as the hex alpha of a #rrggbb colour

/**
 * lineChart(container, {series: [label…], xLabel, yLabel, logY, height, testid})
 *   labels: strings, or messages (msg()) that follow the language
 *   .setData(xs, ys)     ys: one array per series (null for a gap)
 *   .append(x, yRow)     add one point to every series
 *   .mark(x, label)      a labelled vertical line (e.g. the early-stopping point); mark(null) removes it
 *   .ghost()             keep the current curves as faded ghosts under the next ones; .clearGhost()
 *   .setSeries([label…]) new curves (another number of them), empty; a ghost stays
 *   .colours()           {axis, grid} as last drawn (for tests)
 *   .destroy()
 */
export function lineChart(
  container,
  { series, xLabel = "", yLabel = "", logY = false, height = 220, testid } = {},
) {
  const root = h("div", { class: "line-chart", dataset: testid ? { testid } : {}, role: "img" });
  container.append(root);
  let data = [[], ...series.map(() => [])];
  let ghost = null; // {data: [xs, ...ys], series: [label…]} of an earlier run
  let marker = null;
  let plot = null;
  const drawn = { axis: "", grid: "" };
  const theme = (name, fallback) => getComputedStyle(root).getPropertyValue(name).trim() || fallback;
  const axisColour = () => (drawn.axis = theme("--muted", "#666"));
  const gridColour = () => (drawn.grid = theme("--grid", theme("--border", "#ddd")));

  function axis(label, extra = {}) {
    return {
      label: String(label),
      stroke: axisColour,
      grid: { stroke: gridColour, width: 1, ...extra.grid },
      ticks: { stroke: gridColour },
      ...extra.axis,
    };
  }

  function options() {
    const faded = (colour) => `${colour}${GHOST_ALPHA}`;
    const curves = series.map((label, i) => ({
      label: String(label),
      stroke: SERIES_COLOURS[i % SERIES_COLOURS.length],
      width: 2,
      points: { show: false },
      spanGaps: Boolean(ghost),
    }));
    const ghosts = (ghost?.series ?? []).map((label, i) => ({
      label: t("chart.ghost", { label: String(label) }),
      stroke: faded(SERIES_COLOURS[i % SERIES_COLOURS.length]),
      width: 2,
      dash: [6, 4],
      points: { show: false },
      spanGaps: true,
    }));
    const logGrid = {
      grid: { filter: (u, splits) => onlyDecades(splits) },
      axis: {
        values: (u, ticks) =>
          ticks.map((v) => (isPowerOfTen(v) ? formatNumber(v, { maximumSignificantDigits: 3 }) : "")),
      },
    };
    return {
      width: Math.max(200, root.clientWidth || container.clientWidth || 320),
      height,
      scales: { x: { time: false }, y: logY ? { distr: 3 } : {} },
      axes: [
        axis(xLabel),
        logY
          ? axis(yLabel, logGrid)
          : axis(yLabel, {
              axis: {
                values: (u, ticks) => ticks.map((v) => formatNumber(v, { maximumSignificantDigits: 3 })),
              },
            }),
      ],
      series: [{ label: String(xLabel) }, ...curves, ...ghosts],
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      hooks: { draw: [drawMarker] },
    };
  }

  function drawMarker(u) {
    if (!marker) return;
    const x = u.valToPos(marker.x, "x", true);
    const { top, height: plotHeight } = u.bbox;
    u.ctx.save();
    u.ctx.strokeStyle = axisColour();
    u.ctx.setLineDash([5, 4]);
    u.ctx.beginPath();
    u.ctx.moveTo(x, top);
    u.ctx.lineTo(x, top + plotHeight);
    u.ctx.stroke();
    u.ctx.fillStyle = axisColour();
    u.ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
    u.ctx.fillText(String(marker.label), x + 4 * devicePixelRatio, top + 14 * devicePixelRatio);
    u.ctx.restore();
  }

  /** The data uPlot draws: this run's curves and, aligned on the union of their x values, the ghost's. */
  function table() {
    if (!ghost) return data;
    return uPlot.join([data, ghost.data]);
  }

  function build() {
    plot?.destroy();
    plot = new uPlot(options(), table(), root);
    root.setAttribute("aria-label", `${String(yLabel)} / ${String(xLabel)}`);
  }

  build();
  const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, root.clientWidth), height }));
  resize.observe(root);
  // The theme changes the colours only: redraw with the new ones.
  const themeWatch = new MutationObserver(() => plot.redraw(false, true));
  themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  whenRelabelled(root, build); // labels in the new language, the same data

  return {
    element: root,
    setData(xs, ys) {
      data = [xs, ...ys];
      plot.setData(table());
    },
    append(x, row) {
      data[0].push(x);
      row.forEach((y, i) => data[i + 1].push(y));
      plot.setData(table());
    },
    mark(x, label = "") {
      marker = x === null ? null : { x, label };
      plot.redraw(false);
    },
    ghost() {
      if (data[0].length) ghost = { data: data.map((column) => column.slice()), series: series.slice() };
      data = [[], ...series.map(() => [])];
      marker = null;
      build();
    },
    setSeries(labels) {
      series = labels;
      data = [[], ...series.map(() => [])];
      build();
    },
    clearGhost() {
      ghost = null;
      build();
    },
    colours: () => ({ ...drawn }),
    get plot() {
      return plot;
    },
    destroy() {
      resize.disconnect();
      themeWatch.disconnect();
      plot.destroy();
    },
  };
}

/** A log axis labels only 10ᵏ: uPlot ticks every 1–9 × 10ᵏ, and all those labels overlap. */
function isPowerOfTen(v) {
  const k = Math.log10(v);
  return Math.abs(k - Math.round(k)) < 1e-9;
}

/** Grid lines of a log axis at 10ᵏ only, when it spans more than a decade (else every tick). */
function onlyDecades(splits) {
  const decades = splits.filter(isPowerOfTen).length;
  return decades >= 2 ? splits.map((v) => (isPowerOfTen(v) ? v : null)) : splits;
}
